// The gpu-cluster policy pack. Make a copy with `npx gpu-cluster policy-pack init <dir>`, run
// `npm install` in it, then preview any stack with it:
//   pulumi preview --policy-pack <dir> --policy-pack-config <dir>/policy-config.json
// policy-config.json sets the limits each policy's configSchema accepts (budgets in USD per month).
// Only this file calls `new PolicyPack` (it starts the server the Pulumi engine talks to); the
// policies themselves live in gpu-cluster/policy.
import { PolicyPack } from "@pulumi/policy";
import { gpuClusterPolicies } from "gpu-cluster/policy";

new PolicyPack("gpu-cluster", { policies: gpuClusterPolicies });
