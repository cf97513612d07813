/**
 * CoreWeave target (CKS): what lib/clouds/coreweave builds that is billed besides the GPU nodes. The node price
 * includes the host's CPU, memory and ephemeral storage (https://docs.coreweave.com/resources/billing-and-charges), so
 * there is no disk line. Internal fleets are ClusterIP. An internet-facing fleet is served over HTTPS by the cluster's
 * Traefik ingress (`coreweave.ingress`, lib/clouds/coreweave/ingress-rules.ts): its Service stays ClusterIP, and the
 * public address is Traefik's own LoadBalancer Service's, which the cluster's operator installed and pays for, so the
 * bill carries no address of ours (the plan note says so). Only the plain-HTTP opt-out
 * (`coreweave.plaintextPublicService`) makes the fleet's own Service a public LoadBalancer, with a public IP billed per
 * month. The responses an internet-facing fleet serves are priced as internet egress by the estimate
 * (lib/cost/estimate.ts egressLines), at the catalog's free CoreWeave tier.
 */
import type { Plan } from "../../planner/types.js";
import type { CoreWeaveOptions } from "../../clouds/coreweave/options.js";
import { bag, storageItems } from "./shared.js";
import type { BomItem, TargetBill } from "./types.js";

function billOfMaterials(plan: Plan, _nodes: number, options: unknown): BomItem[] {
  const items: BomItem[] = [];
  // Without `ingress` an internet-facing fleet is the public LoadBalancer Service (the option check refuses that
  // unless plaintextPublicService is set; an estimate made without the option bag prices that shape).
  if (plan.service?.loadBalancer === "internet-facing" && bag<CoreWeaveOptions>(options).ingress === undefined) {
    items.push({ kind: "public-ip", count: 1, what: "the LoadBalancer Service's public IP" });
  }
  items.push(...storageItems(plan));
  return items;
}

export const coreweave: TargetBill = { id: "coreweave", cloud: "coreweave", billOfMaterials };
