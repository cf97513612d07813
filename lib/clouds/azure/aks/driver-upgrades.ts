/**
 * How the cluster's GPU and InfiniBand drivers upgrade without stopping a training run: plain data (no SDK), shared by
 * the in-cluster bootstrap (./bootstrap.ts) and the plan note (./options.ts).
 */
import { installsClusterAddons } from "../../kubernetes/options.js";
import type { Plan } from "../../../planner/types.js";
import type { AksOptions } from "./options.js";

/**
 * The pods a driver upgrade waits for: every gpu-cluster Job's pods (the training Job and the fabric checks carry
 * `gpu-cluster/name`, lib/clouds/kubernetes/names.ts; the Job controller adds `batch.kubernetes.io/job-name` to a
 * Job's pods, https://kubernetes.io/docs/reference/labels-annotations-taints/#batchkubernetesiojob-name, read
 * 2026-12-01), of any component sharing the cluster, and not an inference Deployment's, whose pods never complete.
 * Both operators install the cluster-wide driver with `autoUpgrade` on, so a new chart version (this library's
 * upgrade moves the GPU Operator from v25.10.1 to v26.3.3, its default driver from 580.105.08 to 580.126.20:
 * NVIDIA/gpu-operator deployments/gpu-operator/values.yaml at both tags) re-rolls the driver node by node, and without
 * a wait the upgrade controller deletes the GPU pods on each node (gpuPodDeletion), which stops a training run. With
 * `waitForCompletion.podSelector` the controller cordons the node, then waits while pods matching the selector run on
 * it (no timeout: 0 waits for ever), and only then deletes the remaining GPU pods and reloads the driver, as NVIDIA
 * documents for letting jobs finish (https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/gpu-driver-upgrades.html,
 * "upgradePolicy", read 2026-12-01; k8s-operator-libs pkg/upgrade/pod_manager.go ScheduleCheckOnPodCompletion, vendored
 * in NVIDIA/gpu-operator v26.3.3). The Network Operator's DOCA driver takes the same wait
 * (ofedDriver.upgradePolicy.waitForCompletion: Mellanox/network-operator api/v1alpha1/nicclusterpolicy_types.go
 * DriverUpgradePolicySpec at v26.4.0). A plain YAML scalar: the GPU Operator's template writes it unquoted
 * (templates/clusterpolicy.yaml at v26.3.3).
 */
export const DRIVER_UPGRADE_WAIT = { podSelector: "gpu-cluster/name,batch.kubernetes.io/job-name", timeoutSeconds: 0 } as const;

/** The plan note: what a driver upgrade does to running pods (only where this component installs the operators). */
export function driverUpgradeNote(plan: Plan, aks: AksOptions | undefined): string | undefined {
  if (!installsClusterAddons(aks)) return undefined;
  const ib = plan.fabric.kind === "infiniband" ? " and the Network Operator's DOCA driver" : "";
  return (
    `drivers: the GPU Operator's NVIDIA driver${ib} upgrade by themselves when a new version of this library moves them, one node at a time; ` +
    `on each node the upgrade cordons it and waits while a gpu-cluster Job's pods run there (selector ${DRIVER_UPGRADE_WAIT.podSelector}), so training finishes first; ` +
    "other GPU pods on the node (an inference fleet's, your own) are deleted and rescheduled. Watch it with `kubectl get nodes -L nvidia.com/gpu-driver-upgrade-state`"
  );
}
