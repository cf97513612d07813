/**
 * The Kubernetes workload every managed-Kubernetes compiler shares (CoreWeave CKS, EKS; later GKE, AKS): namespace,
 * GPU pod spec, training indexed Job + headless Service, inference Deployment + Service + HPA, NetworkPolicy, and
 * what operating the cluster needs: Kueue queues, PodDisruptionBudgets and maintenance settings, the node health gate,
 * metrics.
 * The cloud-specific parts come in as a `KubernetesTarget`.
 */
export { dnsLabel, RENDEZVOUS_PORT, SKIP_AWAIT, workloadNames, type WorkloadNames } from "./names.js";
export { workloadNamespace } from "./namespace.js";
export { ingressPolicy } from "./security.js";
export { gpuPodSpec, ncclEnvironment, podAnnotations, podFabric, podResources, podTemplateMetadata, type PodParts } from "./pod.js";
export { acceptanceWorkload, ACCEPTANCE_NODES, type AcceptanceWorkload } from "./acceptance.js";
export { trainingWorkload, type TrainingWorkload } from "./training.js";
export { inferenceWorkload, type InferenceWorkload } from "./inference.js";
export { guardedInference, guardedTraining } from "./guarded.js";
export { ALL_REDUCE_IMAGES, ALL_REDUCE_IMAGES_BY_TYPE, allReduceImage, checkWorkloadOptions, DEFAULT_ACCEPTANCE_IMAGE, EKS_ALL_REDUCE_IMAGE, GB200_ALL_REDUCE_IMAGE, DEFAULT_INFERENCE_IMAGE, DEFAULT_MODEL, WORKLOAD_DEFAULTS, WORKLOAD_OPTION_KEYS, type WorkloadOptions } from "./options.js";
export type { GpuNodePlacement, KubernetesTarget, ServiceExposure, WorkloadStorage } from "./target.js";
export { kueueQueues, kueueChartValues, topologyLevels, KUEUE_DEFAULTS, type KueueQueues } from "./kueue.js";
export { disruptionBudget, GKE_MAINTENANCE_POLICY, AKS_MAINTENANCE_CONFIGURATIONS, AKS_GPU_POOL_UPGRADE } from "./upgrades.js";
export { nodeHealthGate, NODE_HEALTH_IMAGE, UNHEALTHY_TAINT_KEY, type NodeHealthGate } from "./node-health.js";
export { GKE_MONITORING_CONFIG, gkePodMonitoring, scrapeAnnotations } from "./metrics.js";
