/**
 * What the compiler asks the cloud at preview: the project (for the RoCE network
 * profile's URL and the IAM bindings) and the zones that offer the machine type.
 * The offline preview answers both from ./offline-invokes.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import * as organizations from "@pulumi/gcp/organizations";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import { afterApis } from "./apis.js";
import { pinnedZone, type GcpOptions } from "./options.js";

/** The provider's project id. */
export function projectId(ctx: CompileContext): pulumi.Output<string> {
  return organizations.getProjectOutput({}, afterApis(ctx, { parent: ctx.parent }, "resourcemanager")).apply((p) => p.projectId ?? "");
}

/**
 * Zones of the region that offer the machine type, in name order; the pinned zone alone
 * when the spec or `gcp.zone` names one. Fails the preview when no zone offers it.
 */
export function offeringZones(plan: Plan, options: GcpOptions, ctx: CompileContext): pulumi.Output<string[]> {
  const pinned = pinnedZone(plan, options);
  if (pinned !== undefined) return pulumi.output([pinned]);
  // The lookups call Compute Engine: on a project where this stack first enables it, they wait for the Service
  // (and a first preview shows the zone as unknown until `up` has enabled it).
  const opts = afterApis(ctx, { parent: ctx.parent }, "compute");
  return compute.getZonesOutput({ region: plan.region, status: "UP" }, opts).names.apply((names) =>
    pulumi
      .all(
        [...names].sort().map((zone) =>
          compute
            .getMachineTypesOutput({ zone, filter: `name = "${plan.instanceType}"` }, opts)
            .machineTypes.apply((types) => (types.some((t) => t.name === plan.instanceType) ? zone : undefined)),
        ),
      )
      .apply((found) => {
        const zones = found.filter((z): z is string => z !== undefined);
        if (zones.length === 0) {
          throw new Error(`no zone of ${plan.region} offers ${plan.instanceType}; set zone to one that does, or choose another region`);
        }
        return zones;
      }),
  );
}
