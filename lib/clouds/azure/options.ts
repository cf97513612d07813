/** Azure-only knobs of the components, and their synchronous checks. */
import type * as pulumi from "@pulumi/pulumi";
import type { Plan } from "../../planner/types.js";
import { fleetNodes } from "../../planner/packing.js";
import { reservationAccessNote } from "./aks/reservation-scope.js";
import { SpecError } from "../../spec/errors.js";
import { cidrsOverlap } from "../shared/cidr.js";
import { checkModelServerOptions, MODEL_SERVER_FIELDS, type ModelServerOptions } from "../shared/model-server.js";
import { checkOptionBag, field, type FieldKinds } from "../shared/option-fields.js";
import { checkAddressSpace } from "./address-space.js";
import { checkDataDiskLuns } from "./names.js";
import { featureNote } from "./features.js";
import { netappSnapshotNote } from "./storage-rules.js";
import { AKS_OPTION_FIELDS, checkAksOptions, VM_ONLY_AZURE_KEYS, type AksOptions } from "./aks/options.js";
import { hasClusterSsh } from "../../cost/bom/azure-vm.js";
import { fabricGate } from "../shared/fabric-gate.js";
import { azureGpuMetricsOn, AZURE_GPU_METRICS, GPU_METRICS_NAMESPACE } from "./gpu-metrics.js";
import { checkGpuMetricsOption } from "../shared/gpu-metrics.js";
import { checkAppGatewayOptions, servesInternet } from "./app-gateway-options.js";

/** A Marketplace image, as the scale set's `imageReference` takes it. */
export interface AzureImage {
  publisher: string;
  offer: string;
  sku: string;
  /**
   * Image version, `Major.Minor.Build` (e.g. `22.04.2026072901`). Required whenever `image` is given; `latest` is
   * refused, because a VM the scale set repairs or adds later would boot a newer image than its peers. The default
   * image's version is {@link AZURE_HPC_IMAGE_VERSION}.
   */
  version?: string;
}

export interface AzureOptions {
  /**
   * Put everything in this existing resource group (it must be in the plan's region).
   * Default: the component creates `${name}-rg`.
   */
  resourceGroupName?: pulumi.Input<string>;
  /**
   * Address space of the VNet the component creates, an IPv4 CIDR from /8 to /20.
   * It must not overlap 172.16.0.0/16, which Azure reserves for the RDMA network of ND VMs.
   * Default `10.0.0.0/16`.
   */
  vnetAddressSpace?: string;
  /**
   * Required with `orchestrator: "vm"` (not accepted with `"kubernetes"`: AKS nodes are reached with
   * `kubectl debug node/...`). The OpenSSH public key (`ssh-rsa ...`, `ssh-ed25519 ...` or `ecdsa-sha2-...`) of the
   * admin user. Password login is disabled, so this key is the only way in (from inside the VNet).
   */
  sshPublicKey?: string;
  /** Linux admin user name. Default `azureuser`. */
  adminUsername?: string;
  /**
   * Training VMs: the fabric gate, a two-node NCCL all-reduce on the scale set's first two VMs (a CustomScript
   * extension in the NGC PyTorch container) that fails `pulumi up` below the VM size's floor (lib/fabric/floors.ts),
   * with the figure, the floor and the likely causes. Default: on for a training cluster of 2 or more nodes with a NAT
   * gateway; off without one (`egress.natGateway: false`: the nodes cannot pull the check image), where `true` is
   * refused; `false` skips it.
   */
  acceptanceTest?: boolean;
  /**
   * VMs: per-GPU metrics in Azure Monitor. Each node runs Telegraf 1.39.3 (InfluxData's signed apt repository,
   * under systemd) reading `nvidia-smi` every 60 s: utilization (percent), memory used and total (MiB), temperature
   * (degrees C) and power draw (W) per GPU, published as custom metrics of the scale set (namespace
   * `Telegraf/nvidia_smi`, dimensions host, index, uuid) with the nodes' identity, which gets "Monitoring Metrics
   * Publisher" on the scale set only. Billed per sample ingested (the estimate names the volume). Default: on with a
   * NAT gateway; off without one (`egress.natGateway: false`: the nodes reach neither the package repository nor
   * Azure Monitor), where `true` is refused; `false` turns it off (no Telegraf, no role). Not accepted on AKS, where
   * DCGM's metrics go to Azure Monitor managed Prometheus.
   */
  gpuMetrics?: boolean;
  /**
   * Node image. Default: the Microsoft Ubuntu 22.04 HPC image, pinned (`microsoft-dsvm:ubuntu-hpc:2204:`
   * {@link AZURE_HPC_IMAGE_VERSION}, Gen2) with the Mellanox OFED InfiniBand stack, the NVIDIA driver, NCCL and its RDMA
   * plugin. To move to a newer release, pass it whole with its version, e.g. `{ publisher: "microsoft-dsvm", offer:
   * "ubuntu-hpc", sku: "2204", version: "22.04.<YYYYMMDDNN>" }` (`az vm image list --publisher microsoft-dsvm --offer
   * ubuntu-hpc --sku 2204 --all` lists them); VMs take it when reimaged (upgrade policy Manual).
   */
  image?: AzureImage;
  /**
   * OS disk size, GiB (encrypted at host). VMs: Premium SSD, default 256. AKS GPU nodes, per size
   * (lib/clouds/azure/aks/os-disk.ts): ephemeral on the temp disk where the size allows it (ND H100/H200 v5, NC H100 v5,
   * NV A10 v5; default 1024 where the temp disk is larger, else left to AKS (the whole temp disk); at most the temp disk
   * and 2040), else Premium SSD, default 512.
   */
  osDiskGiB?: number;
  /**
   * Spot only: the most to pay per VM-hour, USD. Default -1: pay up to the on-demand price,
   * so VMs are evicted only when Azure needs the capacity back, never on price.
   */
  spotMaxPriceUsdPerHour?: number;
  /** Shell appended to the node bootstrap (cloud-init custom data), after the fabric environment. Default none. */
  customData?: string;
  /**
   * Inference: the model server each replica runs (vLLM in Docker under systemd; image, model, args, env). Default
   * `vllm/vllm-openai:v0.11.0` serving `Qwen/Qwen3-8B` on the fleet's port. An `env` value given as a Pulumi secret
   * is refused: custom data is not a secret store, so fetch the token from Key Vault in `customData` with the scale set's identity.
   */
  modelServer?: ModelServerOptions;
  /**
   * Inference: new client connections per replica per minute (the load balancer's SYN count divided by the replicas,
   * averaged over 5 minutes) above which the autoscaler adds a replica. Default 30: a new request every 2 s per
   * replica, a starting point for an 8B-class model on one GPU with one connection per request. Clients that keep
   * their connections alive blind this signal (many requests, no new connection), so with them set it to the new
   * connections they do open, or serve on AKS with `aks.keda` (scaling on vLLM's queue). An internet-facing fleet
   * counts its Application Gateway's requests per replica instead (`TotalRequests`: the gateway keeps its connections
   * to the balancer alive), with the same threshold.
   */
  scaleOutConnectionsPerMinute?: number;
  /**
   * Inference: the same, averaged over 15 minutes, below which the autoscaler may remove a replica. Default 6. A
   * replica is removed only when the replicas also send little (under 256 KiB per replica per minute over 15 minutes,
   * the scale set's `Network Out Total`), so a fleet streaming to keep-alive clients is never shrunk under load.
   */
  scaleInConnectionsPerMinute?: number;
  /** Tags added to every resource. Default none (the component always adds `gpu-cluster:name`). */
  tags?: Record<string, string>;
  /**
   * Inference: the clients admitted. An internal fleet: CIDRs admitted to the model port besides the component's own
   * VNet (a Standard load balancer passes the client's address through; the model server has no TLS or auth of its
   * own), for clients in peered VNets or behind a VPN / ExpressRoute; default none (the VNet only). An internet-facing
   * VM fleet: required, the CIDRs its Application Gateway's subnet admits on 443 (`['0.0.0.0/0']` opens it to
   * everyone, on purpose only).
   */
  allowedSourceRanges?: string[];
  /**
   * An internet-facing fleet (VM or AKS): required, the Key Vault secret id of the TLS certificate (a PFX: a Key Vault
   * certificate's secret), e.g. `https://my-vault.vault.azure.net/secrets/my-cert`. Versionless, the Application
   * Gateway picks up a renewed certificate within four hours. The vault must use the Azure RBAC permission model and
   * admit the gateway (public access, or "trusted Microsoft services"). Default none.
   */
  tlsCertificateSecretId?: string;
  /**
   * With `tlsCertificateSecretId`: required, the resource id of the vault that holds it
   * (`/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>`). The gateway's identity
   * gets "Key Vault Secrets User" on that one secret, so the deployer needs the right to assign roles there. Default none.
   */
  tlsKeyVaultId?: string;
  /**
   * An internet-facing fleet on an existing AKS cluster: required, a subnet (resource id) in the cluster's VNet for the
   * Application Gateway alone (Microsoft recommends a /24), whose NSG admits GatewayManager on 65200-65535 and your
   * clients on 443. With a VNet the component creates, it carves this subnet itself and this is refused. Default none.
   */
  appGatewaySubnetId?: string;
  /**
   * `orchestrator: "kubernetes"` only: the AKS cluster (new, or an existing one by name), the in-cluster provider,
   * Kueue, and the workload (namespace, image, command, env, ...). Default: a new private cluster and the defaults of
   * each field. With it, `sshPublicKey`, `adminUsername`, `image`, `customData`, `scaleOutConnectionsPerMinute`,
   * `scaleInConnectionsPerMinute` and `allowedSourceRanges` (VM settings) are rejected; `osDiskGiB`, `spotMaxPriceUsdPerHour`,
   * `vnetAddressSpace`, `resourceGroupName` and `tags` apply to the cluster and its GPU node pool.
   */
  aks?: AksOptions;
  /**
   * Before the nodes are created, read the subscription features they need (Microsoft.Compute/EncryptionAtHost, and
   * Microsoft.ContainerService/AKSInfinibandSupport for an AKS InfiniBand pool) and stop `preview`/`up` with the
   * one-time `az feature register` commands when one is not Registered. Needs read access to the subscription's
   * feature registrations (Reader on the subscription has it); set `false` when the deploy identity lacks it and the
   * features are registered. Default `true`.
   */
  checkSubscriptionFeatures?: boolean;
}

/** Why a secret model-server env value is refused on Azure VMs, and what to do instead. */
const AZURE_SECRET_REFUSAL =
  "custom data, the only boot input of a scale set, is not a secret store (it is kept with the scale set model and on every VM's disk), and an inference fleet gets no Key Vault of its own (only training clusters get one, for their SSH key): keep the token in your Key Vault, grant the fleet's identity 'Key Vault Secrets User', and read it in azure.customData; or serve on AKS, where env secrets become a Kubernetes Secret";

/**
 * Whether an Azure VM plan runs the fabric gate: asked for, or by default where the nodes can pull the check image (a
 * NAT gateway: the node subnet has no default outbound access, lib/clouds/azure/network.ts). One rule for the compiler
 * (training.ts) and the notes.
 */
export function azureGateOn(plan: Pick<Plan, "egress">, options: AzureOptions | undefined): boolean {
  return options?.acceptanceTest === true || (options?.acceptanceTest === undefined && plan.egress.natGateway);
}

/**
 * The pinned release of the default image, so every VM of a scale set, including one Azure repairs or a scale-out adds
 * months later, boots the same NVIDIA driver, OFED and NCCL as its peers (`latest` would give a new VM whatever
 * Microsoft published last). Versions are `22.04.<YYYYMMDDNN>`, the release date and a counter. The pin is the release
 * Microsoft's own image repository names:
 * - Tag: Azure/azhpc-images tags each release `ubuntu-hpc-<YYYYMMDD[NN]>`. ubuntu-hpc-2026072901 (on 67a1b094,
 *   2026-07-17) is the newest tag of the snapshot (master at 8e9d055f, 2026-07-29, read 2026-12-01, 102 tags).
 * - Ubuntu 22.04: that release cycle built it. "Fix U22 metadata" (2a91d1c9, 2026-07-16) corrects versions.json's
 *   Ubuntu 22.04 rows the week before the tag.
 * - Version string: a tag maps to the Marketplace version by its date and counter. The tag ubuntu-hpc-20240430 is the
 *   22.04.2024043001 that Microsoft's Azure/cyclecloud-slurm-workspace names as the first release with PMIx
 *   (specs/default/cluster-init/scripts/21-pmix.sh, file version 50eea424, read 2026-12-01). In Azure/azhpc-images#396
 *   (2025-02-25) a user reads 22.04.2024102301, the tag ubuntu-hpc-20241023, as "23rd Oct 2024", and the maintainer's
 *   reply points to `az vm image list` for the list. A ten-digit tag already carries its counter.
 * - Not used: 22.04.2026082801 is newer. Only a third-party Azure Batch deployment guide (written after 2026-09-27,
 *   found 2026-12-01) names it, as the ubuntu-hpc 2204 image in Batch's supported-image catalog. A release after
 *   2026-07-29 would postdate the snapshot, so the missing tag proves nothing either way. It stays a candidate to
 *   check and pass as `azure.image`.
 * Microsoft publishes no version list outside the Marketplace API, which this library cannot query offline (and
 * azure-native has no read of an image version to check it at `up`). So every VM plan carries the one-line check,
 * `az vm image show --urn microsoft-dsvm:ubuntu-hpc:2204:<version> -l <region>`, and how to override it
 * (`azure.image`): imageNote.
 *
 * Shelf life: Microsoft keeps each version of its Data Science VM images available to CLI and ARM deployments for
 * 12 months, then withdraws it (MicrosoftDocs/azure-docs articles/machine-learning/data-science-virtual-machine/
 * release-notes.md, ms.date 2024-05-21, read 2026-12-01; the HPC image shares the microsoft-dsvm publisher, so this is
 * indicative, not a promise for it). A scale set keeps running on a withdrawn version, but every VM it creates needs
 * the version to exist: a scale-out, or an automatic repair (automaticRepairsPolicy, repair action Replace:
 * lib/clouds/shared/vm-health.ts), fails once it is gone. And after a bump (this constant in a library upgrade, or a
 * new `azure.image`), the scale set's model changes but its VMs do not (upgrade policy Manual): a repaired or added VM
 * boots the new image while its peers keep the old one (another driver, OFED and NCCL in one job). So bump well
 * inside the year, and reimage every VM after a bump, between runs (`az vmss update-instances -g <resource group>
 * -n <scale set> --instance-ids '*'`). The plan note says both (imageNote).
 *
 * To bump: `az vm image list --publisher microsoft-dsvm --offer ubuntu-hpc --sku 2204 --all --query "[].version"`,
 * pick the newest, read its azhpc-images release (tag and versions.json) for the driver, NCCL and DOCA it carries,
 * change this constant and the test that names it (test/azure-compile.test.ts). Existing scale sets get the new model
 * in place; their VMs take it when reimaged.
 */
export const AZURE_HPC_IMAGE_VERSION = "22.04.2026072901";

/** The Microsoft HPC image for Ubuntu 22.04, Gen2 (https://github.com/Azure/azhpc-images README, read 2026-11-25), pinned. */
export const DEFAULT_IMAGE: Required<AzureImage> = { publisher: "microsoft-dsvm", offer: "ubuntu-hpc", sku: "2204", version: AZURE_HPC_IMAGE_VERSION };

/** A Marketplace image version: `Major.Minor.Build`, numbers only (never `latest`). */
const IMAGE_VERSION = /^\d+\.\d+\.\d+$/;

/**
 * The image the scale set boots: `azure.image` as given, or the pinned HPC image. One rule for the scale set and the
 * fabric gate's run tag. Throws a SpecError for an image without a concrete version (checked with the options too).
 */
export function nodeImage(options: Pick<AzureOptions, "image"> | undefined): Required<AzureImage> {
  const image = options?.image;
  if (image === undefined) return DEFAULT_IMAGE;
  if (!image.publisher || !image.offer || !image.sku) {
    throw new SpecError("azure.image", "needs publisher, offer, sku and version", `e.g. { publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2204', version: '${AZURE_HPC_IMAGE_VERSION}' }`);
  }
  if (image.version === undefined || !IMAGE_VERSION.test(image.version)) {
    throw new SpecError(
      "azure.image.version",
      image.version === undefined ? "is missing" : `'${image.version}' is not a concrete Major.Minor.Build version`,
      `name one (az vm image list --publisher ${image.publisher} --offer ${image.offer} --sku ${image.sku} --all); with 'latest' or none, a VM the scale set repairs or adds later would boot a newer image than its peers`,
    );
  }
  return { publisher: image.publisher, offer: image.offer, sku: image.sku, version: image.version };
}

/** Azure reserves this range for the InfiniBand/RDMA network of ND-series VMs. */
export const RDMA_RESERVED_CIDR = "172.16.0.0/16";

export const AZURE_DEFAULTS = {
  vnetAddressSpace: "10.0.0.0/16",
  adminUsername: "azureuser",
  spotMaxPriceUsdPerHour: -1,
  scaleOutConnectionsPerMinute: 30,
  scaleInConnectionsPerMinute: 6,
};

// Names Azure refuses for a Linux admin user.
const RESERVED_USERNAMES = ["root", "admin", "administrator", "user", "guest", "test", "sys", "support", "adm", "owner"];
const CAPACITY_RESERVATION_GROUP = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/capacityReservationGroups\/[^/]+$/i;

function checkRate(value: number | undefined, path: string): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw new SpecError(path, `${value} is not a positive number of connections per replica per minute`, "e.g. 30");
}

/** Every option and its type: a typo or a wrong type in an option bag is a SpecError, not a silently ignored setting or a crash. */
export const AZURE_OPTION_FIELDS = {
  resourceGroupName: field.input,
  vnetAddressSpace: field.string,
  sshPublicKey: field.string,
  adminUsername: field.string,
  acceptanceTest: field.boolean,
  gpuMetrics: field.boolean,
  image: field.bag<AzureImage>({ publisher: field.string, offer: field.string, sku: field.string, version: field.string }),
  osDiskGiB: field.number,
  spotMaxPriceUsdPerHour: field.number,
  customData: field.string,
  modelServer: field.bag(MODEL_SERVER_FIELDS),
  scaleOutConnectionsPerMinute: field.number,
  scaleInConnectionsPerMinute: field.number,
  tags: field.stringMap,
  allowedSourceRanges: field.stringList,
  tlsCertificateSecretId: field.string,
  tlsKeyVaultId: field.string,
  appGatewaySubnetId: field.string,
  aks: field.bag(AKS_OPTION_FIELDS),
  checkSubscriptionFeatures: field.boolean,
} as const satisfies FieldKinds<AzureOptions>;

/**
 * What a Managed Lustre plan needs before anything is built. A way out for the file system's management traffic (a NAT
 * gateway: its subnet has no default outbound access). And a zone: Azure Managed Lustre is created in one availability zone, and its clients belong in that zone: across zones every
 * read and write pays the inter-zone latency ("ensure Lustre clients and AMLFS are in the same region and Availability
 * Zone", https://learn.microsoft.com/azure/azure-managed-lustre/troubleshoot-performance). A scale set without `zones`
 * is regional (its VMs land in no particular zone), so a plan with Lustre must pin the zone both are placed in: the
 * file system's zone then comes from the spec only, never from a lookup or a default that could differ later.
 */
export function checkLustrePlan(plan: Plan): void {
  const i = plan.storage.findIndex((s) => s.kind === "lustre");
  if (i < 0) return;
  if (!plan.egress.natGateway) {
    // https://learn.microsoft.com/azure/azure-managed-lustre/amlfs-prerequisites: outbound to the AzureCloud service tag.
    throw new SpecError(
      "egress.natGateway",
      `storage[${i}] is Azure Managed Lustre, which needs outbound access to Azure cloud services (the AzureCloud service tag) for its management, and without a NAT gateway its private subnet has no way out`,
      "remove natGateway: false (the NAT gateway is priced in the estimate), or use kind 'nfs' (Azure NetApp Files) instead",
    );
  }
  const second = plan.storage.findIndex((s, j) => j > i && s.kind === "lustre");
  if (second >= 0) {
    // https://learn.microsoft.com/azure/azure-managed-lustre/amlfs-prerequisites: each file system needs its own subnet.
    throw new SpecError(`storage[${second}].kind`, "a second Azure Managed Lustre file system: each needs a subnet of its own, and the component carves one", "use one lustre entry (one file system, sized for both), or nfs for the other");
  }
  if (plan.zone !== undefined) return;
  throw new SpecError(
    "zone",
    `storage[${i}] is Azure Managed Lustre, which lives in one availability zone, and the nodes must run in that zone too`,
    `set zone to a zone of ${plan.region} that offers ${plan.instanceType} (\`az vm list-skus -l ${plan.region} --size ${plan.instanceType} --zone\`), e.g. zone: '1'; a file system created before this check is in zone '1', so keep '1' for it`,
  );
}

/** What an Azure plan (VMs or AKS) tells the user beyond the core's notes. */
export function azurePlanNotes(plan: Plan, options: AzureOptions | undefined): string[] {
  // A guarded NetApp volume's snapshots (storage.ts): stated, not priced.
  const snapshots = plan.storage.filter((s) => s.kind === "nfs" && s.deletionProtection).map(netappSnapshotNote);
  return [featureNote(plan, options?.checkSubscriptionFeatures !== false), capacityNote(plan), ...imageNote(plan, options), ...snapshots, ...blockStorageNote(plan), ...hostfileNote(plan), ...gateNotes(plan, options), ...gpuMetricsNotes(plan, options)];
}

/**
 * The VM node image: which release, and the one command that says whether the region offers it. The library cannot ask
 * (azure-native has no read of a Marketplace image version, and `plan` runs offline), and the default pin follows from
 * Microsoft's release tag by the tag's naming, not from a read of the Marketplace (AZURE_HPC_IMAGE_VERSION), so the user
 * checks it once before `up`.
 */
function imageNote(plan: Plan, options: AzureOptions | undefined): string[] {
  if (plan.orchestrator !== "vm") return [];
  const image = nodeImage(options);
  const urn = `${image.publisher}:${image.offer}:${image.sku}:${image.version}`;
  const source = options?.image === undefined ? "the library's pin (AZURE_HPC_IMAGE_VERSION)" : "azure.image";
  return [
    `node image: ${urn}, from ${source}. Check that ${plan.region} offers it before \`up\`: \`az vm image show --urn ${urn} -l ${plan.region}\`; ` +
      `if it is not found, pick a listed version (\`az vm image list --publisher ${image.publisher} --offer ${image.offer} --sku ${image.sku} --all -l ${plan.region} --query "[].version"\`) ` +
      `and pass it whole as azure.image: { publisher: '${image.publisher}', offer: '${image.offer}', sku: '${image.sku}', version: '<version>' }. ` +
      "Microsoft keeps each image version about 12 months (the Data Science VM family's rule); once it is withdrawn, a scale-out or an automatic repair of the scale set fails, so move to a newer version well before. " +
      "After any change of image (azure.image, or a library upgrade that moves its pin) the running VMs keep the old one while repaired or added VMs boot the new one: " +
      "between runs, reimage them all with `az vmss update-instances -g <resource group> -n <scale set> --instance-ids '*'` (rebuilds every OS disk and restarts the VMs)",
  ];
}

/** Where the VM nodes' GPU metrics appear and when, or why they are off without a NAT gateway (lib/clouds/azure/gpu-metrics.ts). */
function gpuMetricsNotes(plan: Plan, options: AzureOptions | undefined): string[] {
  if (plan.orchestrator !== "vm" || options?.gpuMetrics === false) return [];
  if (!azureGpuMetricsOn(plan, options)) {
    return [
      "GPU metrics: off, as the node subnet has no NAT gateway (egress.natGateway: false) and no default outbound access, so the nodes reach neither " +
        "InfluxData's package repository nor Azure Monitor's metrics endpoint (<region>.monitoring.azure.com); keep the NAT gateway to have them, or read `nvidia-smi` on the nodes",
    ];
  }
  return [
    `GPU metrics: in Azure Monitor on the scale set (Metrics, namespace ${GPU_METRICS_NAMESPACE}: ${AZURE_GPU_METRICS.join(", ")}; ` +
      "split by host and index), from a few minutes after `up` completes (the nodes' right to publish is granted once the scale set exists); azure.gpuMetrics: false turns them off",
  ];
}

/**
 * The VM fabric gate's notes: off without a NAT gateway (and why), and how to run it on a cluster grown from one node
 * (its instance 0 keeps the model it was built with: upgrade policy Manual, lib/clouds/azure/gate-peers.ts).
 */
function gateNotes(plan: Plan, options: AzureOptions | undefined): string[] {
  if (plan.orchestrator !== "vm" || !fabricGate(plan, "vm") || options?.acceptanceTest === false) return [];
  if (!azureGateOn(plan, options)) {
    return [
      "fabric gate: off, as the node subnet has no NAT gateway (egress.natGateway: false) and no default outbound access, so the nodes cannot pull the check image " +
        "(nvcr.io); measure the fabric yourself with an image from your own registry, or keep the NAT gateway to have `up` check it",
    ];
  }
  return [
    "fabric gate: runs once, on instances 0 and 1 of the scale set, when they are created together. On a cluster grown from one node, instance 0 predates the check " +
      "(the scale set's upgrade policy is Manual), so the new instance 1 reports 'gate not run' and `up` gets no figure; to run it then: " +
      "`az vmss reimage -g <resource group> -n <scale set> --instance-ids 0 1` (this rebuilds both VMs' OS disks)",
  ];
}

/**
 * The VM hostfile lists the scale set's members from Azure Resource Manager (lib/clouds/azure/cluster-ssh.ts), which is
 * on the internet: a node subnet without a NAT gateway (no default outbound access) cannot reach it.
 */
function hostfileNote(plan: Plan): string[] {
  if (!hasClusterSsh(plan)) return [];
  if (plan.egress.natGateway) {
    // The read role is on the scale set itself, so it can only be granted once the scale set exists (training.ts).
    return ["hostfile: /etc/gpu-cluster/hostfile appears on the nodes within minutes after `up` completes (their read of the scale set's members is granted once the scale set exists, and refreshed every minute)"];
  }
  return [
    "hostfile: the nodes list their scale set's members from Azure Resource Manager (management.azure.com, on the internet), which a node subnet without a NAT gateway cannot reach, " +
      "so /etc/gpu-cluster/hostfile stays empty; the cluster SSH key still arrives (Key Vault, through the subnet's service endpoint). " +
      "Keep the NAT gateway, or write the hostfile yourself from `az vmss nic list -g <resource group> --vmss-name <scale set>`",
  ];
}

/** Block storage on Azure VMs is a per-VM data disk that dies with its VM (lib/clouds/azure/storage.ts `dataDisks`). */
function blockStorageNote(plan: Plan): string[] {
  const block = plan.storage.filter((s) => s.kind === "block");
  if (plan.orchestrator !== "vm" || block.length === 0) return [];
  return [
    `block storage (${block.map((s) => s.name).join(", ")}) is one data disk per VM of the scale set, deleted with its VM (a repair, a scale-in, a reimage): ` +
      "scratch space, not deletion-protected; keep checkpoints on nfs, lustre or object storage",
  ];
}

/**
 * How a cluster ends up with fewer GPU nodes than planned although `up` succeeded, how to see it, and what to try.
 * Spot VMs are evicted and, with eviction policy Delete, removed from the scale set (its capacity drops); an autoscaled
 * fleet's scale-out can find no capacity. (A create that cannot allocate every VM fails `up` instead.)
 */
export function capacityNote(plan: Plan): string {
  const aks = plan.orchestrator === "kubernetes";
  const peak = plan.workload === "inference" ? fleetNodes(plan).max : plan.nodeCount;
  const how = [
    ...(plan.pricing === "spot" ? ["evicted spot VMs are deleted, so the pool shrinks"] : []),
    ...(plan.workload === "inference" ? [`a scale-out towards ${peak} finds no ${plan.instanceType} capacity`] : []),
    "a VM is repaired or deallocated by the host",
  ];
  const check = aks
    ? "`kubectl get nodes -l gpu-cluster/pool` (Ready nodes) or `az aks nodepool show ... --query count`"
    : "`az vmss list-instances -g <resource group> -n <scale set> --query \"length([?provisioningState=='Succeeded'])\"`";
  // Capacity reservations need singlePlacementGroup false, which InfiniBand cannot use (offering.ts).
  const reserve = [
    ...(plan.pricing === "spot" ? ["use on-demand instead of spot"] : []),
    plan.fabric.kind === "infiniband"
      ? "ask Microsoft to hold capacity in the region (InfiniBand's single placement group cannot use a capacity reservation)"
      : "hold the capacity with a capacity reservation (reservationId)",
  ].join(", or ");
  return (
    `GPU capacity: the ${aks ? "pool" : "scale set"} can run fewer than the planned ${peak} × ${plan.instanceType} without \`up\` failing (${how.join("; ")}). ` +
    `Check the ready count after \`up\`: ${check}. If it is short: check the regional vCPU quota of the family (\`az vm list-usage -l ${plan.region} -o table\`), ` +
    `try another region (\`gpu-cluster compare\`), or ${reserve}.`
  );
}

/**
 * Checks that need the plan and the Azure options together (throws SpecError); returns the notes they add to the plan
 * (`azurePlanNotes` are the ones every Azure plan carries).
 */
export function checkAzureOptions(plan: Readonly<Plan>, options: AzureOptions | undefined): string[] {
  checkOptionBag(options, "azure", AZURE_OPTION_FIELDS);
  const o = options ?? {};
  checkAksOptions(plan, o.aks, o.vnetAddressSpace, o.osDiskGiB);
  checkModelServerOptions(plan, o.modelServer, "azure.modelServer", AZURE_SECRET_REFUSAL);
  const aks = plan.orchestrator === "kubernetes";
  if (!aks) checkDataDiskLuns(plan.storage);
  if (aks) {
    for (const key of VM_ONLY_AZURE_KEYS) {
      if (o[key] !== undefined) {
        throw new SpecError(
          `azure.${key}`,
          "applies to orchestrator 'vm' only",
          key === "allowedSourceRanges" ? "on AKS the clients of an internet-facing fleet are azure.aks.loadBalancerSourceRanges; an internal AKS fleet admits its VNet only" : "AKS nodes run AKS's Ubuntu node image, are reached with `kubectl debug node/...`, and the fleet scales with its HorizontalPodAutoscaler; remove it",
        );
      }
    }
  }
  // The shared rule (VMs only; not forced on without egress). Its "off" note is gpuMetricsNotes' below.
  checkGpuMetricsOption(plan, o.gpuMetrics, "azure.gpuMetrics", "Telegraf (from InfluxData's package repository)");
  if (o.acceptanceTest !== undefined && aks) throw new SpecError("azure.acceptanceTest", "is the VM fabric gate; on AKS the check is a Job", "set azure.aks.acceptanceTest instead");
  if (o.acceptanceTest === true && (plan.workload !== "training" || plan.nodeCount < 2)) {
    throw new SpecError("azure.acceptanceTest", "measures the fabric between two nodes of a training cluster", "use it on a training cluster of 2 or more nodes, or leave it out");
  }
  if (o.acceptanceTest === true && !plan.egress.natGateway) {
    throw new SpecError(
      "azure.acceptanceTest",
      "needs the check image (nvcr.io) on the nodes, and with egress.natGateway: false the node subnet has no way out (no default outbound access)",
      "remove egress.natGateway: false (the NAT gateway is priced in the estimate), or leave acceptanceTest out (the gate is then off)",
    );
  }
  if (!aks && (o.sshPublicKey === undefined || o.sshPublicKey.trim() === "")) {
    throw new SpecError(
      "azure.sshPublicKey",
      "is required: the nodes accept SSH keys only, never passwords",
      "pass your OpenSSH public key, e.g. azure: { sshPublicKey: fs.readFileSync(`${os.homedir()}/.ssh/id_ed25519.pub`, 'utf8') }",
    );
  }
  if (o.sshPublicKey !== undefined && !/^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+/.test(o.sshPublicKey.trim())) {
    throw new SpecError("azure.sshPublicKey", "is not an OpenSSH public key", "it starts with 'ssh-rsa ', 'ssh-ed25519 ' or 'ecdsa-sha2-' (the .pub file, never the private key)");
  }
  if (o.adminUsername !== undefined) {
    if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(o.adminUsername)) {
      throw new SpecError("azure.adminUsername", `'${o.adminUsername}' is not a Linux user name`, "lower-case letters, digits, '_' and '-', at most 32 characters, e.g. 'azureuser'");
    }
    if (RESERVED_USERNAMES.includes(o.adminUsername)) {
      throw new SpecError("azure.adminUsername", `'${o.adminUsername}' is reserved by Azure`, "e.g. 'azureuser'");
    }
  }
  if (o.vnetAddressSpace !== undefined) {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(o.vnetAddressSpace);
    const prefix = m ? Number(m[5]) : NaN;
    if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || !(prefix >= 8 && prefix <= 20)) {
      throw new SpecError("azure.vnetAddressSpace", `'${o.vnetAddressSpace}' is not an IPv4 CIDR from /8 to /20`, "e.g. '10.0.0.0/16'");
    }
    if (cidrsOverlap(o.vnetAddressSpace, RDMA_RESERVED_CIDR)) {
      throw new SpecError(
        "azure.vnetAddressSpace",
        `'${o.vnetAddressSpace}' overlaps ${RDMA_RESERVED_CIDR}, which Azure reserves for the InfiniBand/RDMA network of ND VMs`,
        "use a range outside 172.16.0.0/16, e.g. '10.0.0.0/16'",
      );
    }
  }
  // The component's own VNet (not an existing AKS cluster's) must hold the nodes and the Lustre subnet.
  const existingCluster = aks && o.aks?.clusterName !== undefined;
  checkAddressSpace(plan, existingCluster ? undefined : (o.vnetAddressSpace ?? AZURE_DEFAULTS.vnetAddressSpace), { newCluster: aks && !existingCluster });
  if (o.osDiskGiB !== undefined && !(Number.isInteger(o.osDiskGiB) && o.osDiskGiB >= (aks ? 30 : 64) && o.osDiskGiB <= (aks ? 2048 : 4095))) {
    if (aks) throw new SpecError("azure.osDiskGiB", `${o.osDiskGiB} is not a whole number of GiB from 30 to 2048`, "the AKS node OS disk; e.g. 256");
    throw new SpecError("azure.osDiskGiB", `${o.osDiskGiB} is not a whole number of GiB from 64 to 4095`, "the HPC image needs at least 64 GiB; e.g. 256");
  }
  if (o.spotMaxPriceUsdPerHour !== undefined) {
    if (plan.pricing !== "spot") {
      throw new SpecError("azure.spotMaxPriceUsdPerHour", `applies to spot VMs, but pricing is '${plan.pricing}'`, "remove it, or set pricing: 'spot'");
    }
    if (!(o.spotMaxPriceUsdPerHour === -1 || o.spotMaxPriceUsdPerHour > 0)) {
      throw new SpecError("azure.spotMaxPriceUsdPerHour", `${o.spotMaxPriceUsdPerHour} is neither -1 nor a positive USD amount`, "-1 pays up to the on-demand price (evicted for capacity only)");
    }
  }
  nodeImage(o);
  // An internet-facing fleet is served HTTPS by an Application Gateway (./app-gateway.ts): its certificate, vault,
  // subnet and client allow list are checked here.
  const gatewayNotes = checkAppGatewayOptions(plan, o);
  for (const range of o.allowedSourceRanges ?? []) {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(range)) throw new SpecError("azure.allowedSourceRanges", `'${range}' is not an IPv4 CIDR`, "e.g. '203.0.113.0/24'");
  }
  checkRate(o.scaleOutConnectionsPerMinute, "azure.scaleOutConnectionsPerMinute");
  checkRate(o.scaleInConnectionsPerMinute, "azure.scaleInConnectionsPerMinute");
  const out = o.scaleOutConnectionsPerMinute ?? AZURE_DEFAULTS.scaleOutConnectionsPerMinute;
  const inn = o.scaleInConnectionsPerMinute ?? AZURE_DEFAULTS.scaleInConnectionsPerMinute;
  if (inn >= out) {
    throw new SpecError("azure.scaleInConnectionsPerMinute", `${inn} is not below the scale-out threshold ${out}`, "keep a gap so the fleet does not flap, e.g. 6 and 30");
  }
  const scaleNote = servesInternet(plan)
    ? `Azure internet-facing VM fleet: scales on the requests its Application Gateway serves per replica (TotalRequests): out above ${out} a minute, in below ${inn} only while the replicas also send under 256 KiB a minute each ` +
      "(azure.scaleOutConnectionsPerMinute and azure.scaleInConnectionsPerMinute count gateway requests here). For scaling on vLLM's waiting requests, serve on AKS with azure.aks.keda"
    : `Azure VM fleet: scales on new client connections per replica (the load balancer's SYN count): out above ${out} a minute, in below ${inn} only while the replicas also send under 256 KiB a minute each; ` +
      "a Standard load balancer publishes no request metric, and clients that keep connections alive open no new ones (they blind the SYN signal), so tune azure.scaleOutConnectionsPerMinute to the connections they open. " +
      "For scaling on vLLM's waiting requests, serve on AKS with azure.aks.keda";
  const notes = [...(!aks && plan.workload === "inference" ? [scaleNote] : []), ...gatewayNotes];
  checkLustrePlan(plan);
  if (plan.reservationId !== undefined) {
    if (!CAPACITY_RESERVATION_GROUP.test(plan.reservationId)) {
      throw new SpecError(
        "reservationId",
        `'${plan.reservationId}' is not an Azure capacity reservation group id`,
        "e.g. '/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Compute/capacityReservationGroups/<name>' (Reserved VM Instance discounts need no id)",
      );
    }
    if (aks) notes.push(reservationAccessNote(plan.reservationId, o.aks?.clusterName !== undefined));
  }
  return notes;
}
