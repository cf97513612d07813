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
 * The internet-facing fleet's client allow-list: a Cloud Armor backend security policy that allows `ranges` (rules of
 * at most 10 ranges each, from priority 1000) and denies every other client with 403 in its default rule, enforced at
 * Google's edge before a request reaches a replica (https://cloud.google.com/armor/docs/configure-security-policies).
 * The ranges are `gcp.allowedSourceRanges`, required and checked by the GCP option checks (options.ts).
 */
export function cloudArmorClientPolicy(name: string, ranges: string[], opts: pulumi.CustomResourceOptions): compute.SecurityPolicy {
  const chunks = Array.from({ length: Math.ceil(ranges.length / ARMOR_RANGES_PER_RULE) }, (_, i) => ranges.slice(i * ARMOR_RANGES_PER_RULE, (i + 1) * ARMOR_RANGES_PER_RULE));
  const byRanges = (srcIpRanges: string[]) => ({ versionedExpr: "SRC_IPS_V1", config: { srcIpRanges } });
  return new compute.SecurityPolicy(
    `${name}-clients`,
    {
      type: "CLOUD_ARMOR",
      description: `gpu-cluster ${name}: clients admitted to the internet endpoint (gcp.allowedSourceRanges)`,
      rules: [
        ...chunks.map((chunk, i) => ({ priority: 1000 + i, action: "allow", match: byRanges(chunk), description: "gcp.allowedSourceRanges" })),
        { priority: ARMOR_DEFAULT_PRIORITY, action: "deny(403)", match: byRanges(["*"]), description: "every other client" },
      ],
    },
    opts,
  );
}

/** The internet endpoint's TLS policy: Google's MODERN profile from TLS 1.2 (https://cloud.google.com/load-balancing/docs/ssl-policies-concepts). */
export function modernTlsPolicy(name: string, opts: pulumi.CustomResourceOptions): compute.SSLPolicy {
  return new compute.SSLPolicy(`${name}-tls`, { profile: "MODERN", minTlsVersion: "TLS_1_2" }, opts);
}
