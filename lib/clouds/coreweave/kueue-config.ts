/**
 * What a queued CoreWeave training Job relies on in the cluster's own Kueue, as plain data (no SDK: the option checks
 * read it for the plan note).
 *
 * On EKS, GKE and AKS the component installs Kueue with its controller configuration (kueueChartValues,
 * lib/clouds/kubernetes/kueue.ts): `waitForPodsReady` on, which is what makes admission all-or-nothing, evicts a job
 * whose pods are not all ready and requeues it whole within a budget. On CKS the cluster runs Kueue from CoreWeave's
 * `coreweave/cks-kueue` chart, which CoreWeave says to always use (upstream Kueue's webhooks can deadlock the cluster;
 * https://docs.coreweave.com/products/cks/clusters/coreweave-charts/kueue, read 2026-12-01); that page gives no
 * controller configuration and the chart's values are not public, so nothing says `waitForPodsReady` is on there.
 * The note names the settings the plan's promises rest on, so the user can set them in the chart's `kueue` subchart.
 */
import { KUEUE_DEFAULTS } from "../kubernetes/kueue-policy.js";

/** The `waitForPodsReady` block the requeue and all-or-nothing admission rely on: the one the component sets elsewhere. */
export const CKS_KUEUE_WAIT_FOR_PODS_READY =
  `waitForPodsReady: {enable: true, timeout: ${KUEUE_DEFAULTS.podsReadyTimeout}, recoveryTimeout: ${KUEUE_DEFAULTS.recoveryTimeout}, blockAdmission: true, ` +
  `requeuingStrategy: {timestamp: Eviction, backoffLimitCount: ${KUEUE_DEFAULTS.requeueLimit}}}`;

/** The plan note of a queued CoreWeave training Job: the cluster's Kueue configuration its admission and requeue need. */
export function cksKueueConfigNote(): string {
  return (
    "Kueue on CoreWeave: whole-Job admission, eviction of a Job whose pods are not all ready, and its requeue (with hot swap of a failed Node) " +
    `need Kueue 0.14 or later with ${CKS_KUEUE_WAIT_FOR_PODS_READY} in its controller configuration, which the component sets where it installs Kueue (EKS, GKE, AKS) but not in the cluster's coreweave/cks-kueue release; ` +
    "CoreWeave does not publish that chart's controller defaults, so set them in its kueue subchart's managerConfig.controllerManagerConfigYaml, or Kueue admits the Job without waiting for its pods and does not requeue it."
  );
}
