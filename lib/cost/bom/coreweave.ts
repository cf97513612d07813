/**
 * CoreWeave target (CKS): what lib/clouds/coreweave builds that is billed besides the GPU nodes. The node price
 * includes the host's CPU, memory and ephemeral storage (https://docs.coreweave.com/resources/billing-and-charges), so
 * there is no disk line; an internet-facing fleet's LoadBalancer Service takes a public IP, billed per month.
 * Internal fleets are ClusterIP. The responses an internet-facing fleet serves are priced as internet egress by the
 * estimate (lib/cost/estimate.ts egressLines), at the catalog's free CoreWeave tier.
 */
import type { Plan } from "../../planner/types.js";
import { storageItems } from "./shared.js";
import type { BomItem, TargetBill } from "./types.js";

function billOfMaterials(plan: Plan): BomItem[] {
  const items: BomItem[] = [];
  if (plan.service?.loadBalancer === "internet-facing") items.push({ kind: "public-ip", count: 1, what: "the LoadBalancer Service's public IP" });
  items.push(...storageItems(plan));
  return items;
}

export const coreweave: TargetBill = { id: "coreweave", cloud: "coreweave", billOfMaterials };
