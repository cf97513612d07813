/**
 * Upstream Kubernetes schemas (kubernetes-models) of the objects every Kubernetes compiler adds for operating the
 * cluster: the workload's PodDisruptionBudget and the node health gate (DaemonSet, its ServiceAccount, ClusterRole and
 * binding). The compile tests' schema checks spread these into their own tables.
 */
import { DaemonSet } from "kubernetes-models/apps/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ClusterRole, ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { ServiceAccount } from "kubernetes-models/v1";

export const OPERATING_SCHEMAS: Record<string, new (data: any) => { validate(): void }> = {
  "kubernetes:policy/v1:PodDisruptionBudget": PodDisruptionBudget,
  "kubernetes:apps/v1:DaemonSet": DaemonSet,
  "kubernetes:core/v1:ServiceAccount": ServiceAccount,
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": ClusterRole,
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding": ClusterRoleBinding,
};
