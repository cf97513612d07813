// The policy pack: `pulumi preview --policy-pack ./policy` (after `npm install` here and
// `npm run build` at the repository root). Configure limits in a policy config file, e.g.
//   { "gpu-cluster-component-budget": { "maxMonthlyUsd": 500000 },
//     "gpu-cluster-stack-budget": { "maxStackMonthlyUsd": 2000000 },
//     "gpu-cluster-allowed-capacity": { "allowedClouds": ["aws", "coreweave"], "maxOnDemandNodes": 16 } }
// and pass it with `--policy-pack-config policy-config.json`.
import { PolicyPack } from "@pulumi/policy";
import { gpuClusterPolicies } from "gpu-cluster/policy";

new PolicyPack("gpu-cluster", { policies: gpuClusterPolicies });
