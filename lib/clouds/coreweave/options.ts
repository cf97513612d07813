/** CoreWeave-only knobs of the components, and their synchronous checks. */
import type * as pulumi from "@pulumi/pulumi";
import type { Provider } from "@pulumi/kubernetes/provider";
import type { Plan } from "../../planner/types.js";
import { SpecError } from "../../spec/errors.js";
import { checkWorkloadOptions, COREWEAVE_NCCL_TESTS_IMAGE, DNS_LABEL, WORKLOAD_DEFAULTS, WORKLOAD_OPTION_FIELDS, type WorkloadOptions } from "../kubernetes/options.js";
import { checkOptionBag, field, type FieldKinds } from "../shared/option-fields.js";
import { computeDomainNotes, DEFAULT_IMEX, needsImexChannel } from "./compute-domain-rules.js";
import { checkIngressOptions, INGRESS_FIELDS, type CoreWeaveIngressOptions } from "./ingress-rules.js";
import { cksKueueConfigNote } from "./kueue-config.js";
import { spotNotes } from "./spot.js";

/** CoreWeave's own NCCL test image (COREWEAVE_NCCL_TESTS_IMAGE: the row of coreweave/nccl-tests' README it cites). */
export const DEFAULT_TRAINING_IMAGE = COREWEAVE_NCCL_TESTS_IMAGE;
export { DEFAULT_INFERENCE_IMAGE, DEFAULT_MODEL } from "../kubernetes/options.js";
export type { CoreWeaveIngressOptions } from "./ingress-rules.js";

export interface ObjectStorageOptions {
  /**
   * S3 endpoint the pods use. Default `http://cwlota.com`: LOTA, the per-Node caching proxy of CoreWeave AI
   * Object Storage, which CoreWeave documents for clients inside a CKS cluster (`https://cwobject.com` outside).
   */
  endpoint?: string;
  /** Access key id (wire it from config with `config.requireSecret`). Default none: only the endpoint is published. */
  accessKeyId?: pulumi.Input<string>;
  /** Secret key; give it together with `accessKeyId`. Stored as a Pulumi secret and a Kubernetes Secret. */
  secretAccessKey?: pulumi.Input<string>;
}

export interface CoreWeaveOptions extends WorkloadOptions {
  /**
   * The Kubernetes provider holding the CKS cluster's kubeconfig (`new k8s.Provider("cks", { kubeconfig })`).
   * Default: the stack's default Kubernetes provider (the ambient kubeconfig / `kubernetes:kubeconfig` config).
   */
  provider?: Provider;
  /** Name of the NodePool (cluster-scoped, so unique per cluster). Default `<component name>-pool`. */
  nodePoolName?: string;
  /**
   * Extra labels on every Node of the pool. Default none (the component always adds `gpu-cluster/pool`). Keys in the
   * `*.coreweave.cloud` and `*.coreweave.com` namespaces are CKS's own and rejected (RESERVED_LABEL_DOMAINS).
   */
  nodeLabels?: Record<string, string>;
  /**
   * Container image. Default: training `nvcr.io/nvidia/pytorch:25.01-py3` (GB200 NVL72: CoreWeave's PyTorch build on
   * NCCL 2.28.3, GB200_ALL_REDUCE_IMAGE, for multi-node NVLink; HGX B200 the same; HGX B300 B300_ALL_REDUCE_IMAGE, built
   * for its compute capability 10.3) running an all-reduce across every Node, or,
   * with a `command`, `ghcr.io/coreweave/nccl-tests:…` (CoreWeave's NCCL test image); inference `vllm/vllm-openai:v0.11.0`.
   */
  image?: string;
  /** Storage class of `nfs` / `lustre` volumes. Default `shared-vast` (CoreWeave Distributed File Storage). */
  storageClassName?: string;
  /** `object` storage: endpoint and keys the pods get as `AWS_*` environment variables. */
  objectStorage?: ObjectStorageOptions;
  /**
   * How GB200 NVL72 training pods get the IMEX channel multi-node NVLink needs (gb200-4x training only). Default
   * `"node"`: CKS's own per-rack IMEX, channel 0 on every Node of the rack, which the pods select with
   * `NVIDIA_IMEX_CHANNELS=0` and no resource claim, as CoreWeave's GB200 manifests do (coreweave/nccl-tests
   * mpi-operator/nccl-test-distributed-gb200-nvl72-mpijob.yaml and -gb200-128-multirack-mpijob.yaml @cb86553), from
   * the nvidia-imex DaemonSet of earlier CKS clusters; the pods stop at once, naming this option, where the channel is
   * missing. `"dra"`: one ComputeDomain (NVIDIA's DRA driver, resource.nvidia.com/v1beta1) whose channel every pod
   * claims. CKS's IMEX overview says new work should use DRA
   * (https://docs.coreweave.com/products/cks/clusters/scheduling/imex-overview, read 2026-12-01), which CoreWeave
   * offers in limited availability, enabled per cluster on request (…/imex-dra-scheduling, same date): if CoreWeave
   * enabled DRA IMEX on this cluster, set `"dra"`. Both keep NCCL's multi-node NVLink settings and the NVLink-domain
   * placement.
   */
  imex?: ImexMode;
  /**
   * Internet-facing fleets: serve the fleet over HTTPS through the cluster's Traefik ingress controller, with a
   * cert-manager certificate, as CoreWeave's reference architecture serves vLLM (./ingress-rules.ts). The fleet's
   * Service stays private (ClusterIP), an Ingress (class `className`, default `traefik`; ClusterIssuer `clusterIssuer`,
   * default `letsencrypt-prod`) routes `https://<host>` to it, `loadBalancerSourceRanges` become a Traefik IPAllowList
   * middleware, and the fleet's `endpointUrl` is `https://<host>`. The cluster must run Traefik and cert-manager
   * (CoreWeave's coreweave/traefik and coreweave/cert-manager charts). Required for an internet-facing fleet unless
   * `plaintextPublicService` is set; refused otherwise. Default none.
   */
  ingress?: CoreWeaveIngressOptions;
  /**
   * Internet-facing fleets: serve plain HTTP on a public IP (a CKS public LoadBalancer Service admitting
   * `loadBalancerSourceRanges`), as this component did before `ingress` existed, so prompts, completions and any API key
   * cross the internet in clear. An explicit opt-out, for stacks that must keep that Service as it is; refused with
   * `ingress`. Default false (an internet-facing fleet needs `ingress`).
   */
  plaintextPublicService?: boolean;
}

/**
 * How the pods of a multi-node NVLink plan get their IMEX channel (`CoreWeaveOptions.imex`). A const object, not a
 * bare string union: Pulumi's component analyzer reads this shape as an enum and refuses unions.
 */
export const ImexMode = { Node: "node", Dra: "dra" } as const;
export type ImexMode = (typeof ImexMode)[keyof typeof ImexMode];

export const COREWEAVE_DEFAULTS = {
  ...WORKLOAD_DEFAULTS,
  /** https://docs.coreweave.com/products/storage/distributed-file-storage/create-volumes (read 2026-11-25). */
  storageClassName: "shared-vast",
  /** https://docs.coreweave.com/products/storage/object-storage/using-object-storage/manage-objects (read 2026-11-25). */
  objectEndpoint: "http://cwlota.com",
  /** Node IMEX, as CoreWeave's non-DRA GB200 manifests (DRA IMEX needs CoreWeave to enable it); see `CoreWeaveOptions.imex`. */
  imex: DEFAULT_IMEX,
};

/**
 * Label namespaces CKS keeps for itself: customers may add Node labels "but never in the *.coreweave.cloud or
 * *.coreweave.com namespaces. CKS rejects attempts to do so" (Workload Scheduling on CKS, User-provided labels,
 * https://docs.coreweave.com/products/cks/clusters/scheduling/workload-scheduling, read 2026-12-01). A key's prefix
 * (before `/`) is reserved when it is one of these domains or a subdomain of one.
 */
export const RESERVED_LABEL_DOMAINS = ["coreweave.cloud", "coreweave.com"] as const;

/** The reserved domain a label key's prefix falls in, or undefined. */
export function reservedLabelDomain(key: string): string | undefined {
  const slash = key.indexOf("/");
  if (slash < 0) return undefined;
  const prefix = key.slice(0, slash).toLowerCase();
  return RESERVED_LABEL_DOMAINS.find((d) => prefix === d || prefix.endsWith(`.${d}`));
}

/** Every option and its type: a typo or a wrong type in an option bag is a SpecError, not a silently ignored setting or a crash. */
export const COREWEAVE_OPTION_FIELDS = {
  provider: field.resource,
  nodePoolName: field.string,
  nodeLabels: field.stringMap,
  storageClassName: field.string,
  objectStorage: field.bag<ObjectStorageOptions>({ endpoint: field.string, accessKeyId: field.input, secretAccessKey: field.input }),
  imex: field.choice(Object.values(ImexMode)),
  ingress: field.bag<CoreWeaveIngressOptions>(INGRESS_FIELDS),
  plaintextPublicService: field.boolean,
  ...WORKLOAD_OPTION_FIELDS,
} as const satisfies FieldKinds<CoreWeaveOptions>;

/**
 * Checks that need the plan and the CoreWeave options together (throws SpecError before any resource exists); returns
 * the notes they add to the plan.
 */
export function checkCoreWeaveOptions(plan: Readonly<Plan>, options: CoreWeaveOptions | undefined): string[] {
  checkOptionBag(options, "coreweave", COREWEAVE_OPTION_FIELDS);
  const o = options ?? {};
  if (o.nodePoolName !== undefined && !DNS_LABEL.test(o.nodePoolName)) {
    throw new SpecError("coreweave.nodePoolName", `'${o.nodePoolName}' is not a DNS-1123 label`, "lower-case letters, digits and '-', at most 63 characters, e.g. 'llm-train'");
  }
  for (const key of Object.keys(o.nodeLabels ?? {})) {
    const domain = reservedLabelDomain(key);
    if (domain) {
      throw new SpecError(`coreweave.nodeLabels.${key}`, `'${key}' is in the *.${domain} namespace, which CKS keeps for its own Node labels and rejects on a Node Pool`, "use a key under your own prefix, e.g. 'example.com/team' or 'team'");
    }
  }
  checkWorkloadOptions(plan, o, "coreweave", DEFAULT_TRAINING_IMAGE);
  const os = o.objectStorage;
  if (os && (os.accessKeyId === undefined) !== (os.secretAccessKey === undefined)) {
    throw new SpecError("coreweave.objectStorage", "an access key id needs its secret key and the other way round", "give both accessKeyId and secretAccessKey, or neither");
  }
  if (os?.endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(os.endpoint)) {
    throw new SpecError("coreweave.objectStorage.endpoint", `'${os.endpoint}' is not an http(s) URL`, `e.g. '${COREWEAVE_DEFAULTS.objectEndpoint}'`);
  }
  if (o.imex !== undefined && !needsImexChannel(plan)) {
    throw new SpecError("coreweave.imex", `applies to training on a multi-node NVLink instance type (gb200-4x); this plan is ${plan.workload} on ${plan.instanceType}`, "leave coreweave.imex out");
  }
  const ingressNotes = checkIngressOptions(plan, o.ingress, o.plaintextPublicService, o.loadBalancerSourceRanges);
  return [...ingressNotes, ...computeDomainNotes(plan, o), ...spotNotes(plan, o.kueue), ...(o.kueue === true && plan.workload === "training" ? [cksKueueConfigNote()] : [])];
}
