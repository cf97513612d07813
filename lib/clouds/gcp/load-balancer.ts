/**
 * What every GCP inference fleet's Application Load Balancer shares, whoever builds it: the VM fleet's backend service
 * (./inference.ts) and the GKE fleet's Gateway, whose load balancer GKE's Gateway controller builds from the policies
 * attached to the Service (./gke/gateway.ts). The client allow-list (Cloud Armor), the TLS policy, the health check's
 * timing and the backend timeout are decided here once, so an internet-facing fleet admits the same clients and speaks
 * the same TLS on either orchestrator.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import { ARMOR_RANGES_PER_RULE } from "../../cost/bom/gcp-vm.js";
import { billedItem } from "../shared/bill.js";
import type { CompileContext } from "../types.js";
/** The priority of a policy's default rule, which matches every client (https://cloud.google.com/armor/docs/security-policy-overview). */
export const ARMOR_DEFAULT_PRIORITY = 2147483647;

/**
 * Health checks of the model server: every 15 s, 5 s to answer, healthy after 2 answers, unhealthy after 3 misses.
 * Model load is covered elsewhere (the VM group's autohealing delay, the pod's startup probe), not by these.
 */
export const HEALTH_CHECK_TIMING = { checkIntervalSec: 15, timeoutSec: 5, healthyThreshold: 2, unhealthyThreshold: 3 } as const;

/** Seconds the load balancer waits for a response: long generations stay open well past the 30 s default. */
export const BACKEND_TIMEOUT_SEC = 300;

/**
 * The internet-facing fleet's client allow-list: a Cloud Armor backend security policy that allows `ranges` and denies
 * every other client with 403 in its default rule, enforced at Google's edge before a request reaches a replica
 * (https://cloud.google.com/armor/docs/configure-security-policies). The ranges are `gcp.allowedSourceRanges`, required
 * and checked by the GCP option checks (options.ts). The policy and its rule count are the bill's `cloud-armor` item
 * (lib/cost/bom/gcp-vm.ts cloudArmorItems): its rules less the default one are the allow rules, from priority 1000.
 */
export function cloudArmorClientPolicy(ctx: CompileContext, ranges: string[], opts: pulumi.CustomResourceOptions): compute.SecurityPolicy {
  const armor = billedItem(ctx.bill, "cloud-armor", "the internet endpoint's Cloud Armor policy");
  const byRanges = (srcIpRanges: string[]) => ({ versionedExpr: "SRC_IPS_V1", config: { srcIpRanges } });
  return new compute.SecurityPolicy(
    `${ctx.name}-clients`,
    {
      type: "CLOUD_ARMOR",
      description: `gpu-cluster ${ctx.name}: clients admitted to the internet endpoint (gcp.allowedSourceRanges)`,
      rules: [
        ...allowRuleRanges(ranges, armor.count - 1).map((chunk, i) => ({ priority: 1000 + i, action: "allow", match: byRanges(chunk), description: "gcp.allowedSourceRanges" })),
        { priority: ARMOR_DEFAULT_PRIORITY, action: "deny(403)", match: byRanges(["*"]), description: "every other client" },
      ],
    },
    opts,
  );
}

/**
 * `ranges` over `rules` allow rules, in order: each rule takes as many as Cloud Armor lets one rule match
 * (ARMOR_RANGES_PER_RULE) while leaving one for each rule after it, so the bill's own count (one rule per 10 ranges)
 * gives rules of 10 and the remainder last. A count that leaves a range out, or a rule empty, is a bill the policy
 * cannot be built from: an Error, as billedItem's.
 */
function allowRuleRanges(ranges: string[], rules: number): string[][] {
  const chunks: string[][] = [];
  let next = 0;
  for (let i = 0; i < rules; i++) {
    const take = Math.min(ARMOR_RANGES_PER_RULE, ranges.length - next - (rules - i - 1));
    if (take < 1) break;
    chunks.push(ranges.slice(next, (next += take)));
  }
  if (chunks.length !== rules || next !== ranges.length) {
    throw new Error(`gpu-cluster: the bill of materials carries a Cloud Armor policy of ${rules + 1} rules, which cannot hold ${ranges.length} client ranges (${ARMOR_RANGES_PER_RULE} to a rule, none empty): lib/cost/bom and the compiler disagree`);
  }
  return chunks;
}

/** The internet endpoint's TLS policy: Google's MODERN profile from TLS 1.2 (https://cloud.google.com/load-balancing/docs/ssl-policies-concepts). */
export function modernTlsPolicy(name: string, opts: pulumi.CustomResourceOptions): compute.SSLPolicy {
  return new compute.SSLPolicy(`${name}-tls`, { profile: "MODERN", minTlsVersion: "TLS_1_2" }, opts);
}
