/**
 * Which Cluster Autoscaler runs on which EKS version. The autoscaler's minor version follows Kubernetes' minor exactly,
 * and its maintainers recommend running the release meant for the cluster's control-plane version: other pairs are not
 * tested (github.com/kubernetes/autoscaler cluster-autoscaler/README.md, "Releases", at commit 55c37cd5, 2026-08-22).
 * The chart (CHARTS.clusterAutoscaler) ships one image tag, its appVersion, so the tag is set per cluster.
 */
import { SpecError } from "../../../spec/errors.js";

/**
 * The newest patch release of each Cluster Autoscaler minor, by the EKS (Kubernetes) minor it is meant for: the
 * repository's `cluster-autoscaler-<version>` release tags at commit 55c37cd5 (2026-08-22), with each tag's commit
 * date. The image is registry.k8s.io/autoscaling/cluster-autoscaler, tagged `v<version>` (the chart's `image.tag`).
 * Rows: the minors EKS creates clusters on at 2026-11-30 (1.32 to 1.35 in lib/cost/bom/aws-eks.ts's calendar), and
 * 1.36, whose autoscaler is released.
 */
export const CLUSTER_AUTOSCALER_RELEASES: Readonly<Record<string, { tag: string; released: string }>> = {
  "1.32": { tag: "v1.32.7", released: "2026-02-13" },
  "1.33": { tag: "v1.33.6", released: "2026-07-22" },
  "1.34": { tag: "v1.34.5", released: "2026-07-22" },
  "1.35": { tag: "v1.35.2", released: "2026-07-22" },
  "1.36": { tag: "v1.36.1", released: "2026-07-22" },
};

/**
 * The Kubernetes version a new cluster gets when `aws.eks.kubernetesVersion` is unset: pinned here rather than left
 * to EKS's default of the day, so the autoscaler's tag is known at preview. 1.35: the newest minor of the EKS release
 * calendar in lib/cost/bom/aws-eks.ts (on EKS since 2026-01-28, standard support to 2027-03-27). The cluster keeps
 * the version it was created with when this default moves (ignoreChanges), until the user pins one.
 */
export const DEFAULT_EKS_VERSION = "1.35";

/** The Cluster Autoscaler image tag for an EKS minor version; SpecError naming the versions that have one. */
export function clusterAutoscalerTag(version: string): string {
  const release = CLUSTER_AUTOSCALER_RELEASES[version];
  if (release === undefined) {
    const known = Object.keys(CLUSTER_AUTOSCALER_RELEASES);
    throw new SpecError(
      "aws.eks.kubernetesVersion",
      `'${version}' has no Cluster Autoscaler release in this version of gpu-cluster (its minor must match the cluster's: kubernetes/autoscaler cluster-autoscaler README, "Releases")`,
      `pin one of ${known.join(", ")}, and upgrade the cluster to it if it runs an older one`,
    );
  }
  return release.tag;
}
