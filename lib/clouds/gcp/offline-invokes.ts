/**
 * Simulated answers of the gcp data sources the compiler calls, for the
 * offline preview (there is no cloud to ask). Keyed by invoke token.
 *
 * By default the simulation says every zone of a region is UP and offers every
 * machine type, so the offline preview picks `<region>-a`; a real preview asks
 * Compute Engine. {@link simulateGcpZones} makes it answer what a real region
 * often says instead: a type offered in some zones only, a zone that is DOWN.
 * The answers follow their filters as Compute Engine does (`status` on zones,
 * `name = "..."` on machine types).
 */
import * as catalog from "../../catalog/index.js";
import type { OfflineInvokes, OfflineOutputs } from "../../preview/invokes.js";

const OFFLINE_PROJECT = "offline-project";

function zonesOf(region: string): string[] {
  return ["a", "b", "c", "f"].map((letter) => `${region}-${letter}`);
}

/** What the simulated Compute Engine says about zones, beyond "all UP, every type everywhere". */
export interface GcpZoneSimulation {
  /** Zones whose status is DOWN: `getZones({ status: "UP" })` leaves them out. */
  down?: string[];
  /** Machine type → the only zones that offer it (`getMachineTypes` in any other zone lists none). */
  offeredIn?: Record<string, string[]>;
}

let simulation: GcpZoneSimulation = {};

/** Answer the zone lookups from `world` until the returned function restores the default. */
export function simulateGcpZones(world: GcpZoneSimulation): () => void {
  const previous = simulation;
  simulation = world;
  return () => void (simulation = previous);
}

/** The zones a `getZones` call returns: the region's, filtered by `status` as Compute Engine filters them. */
function zonesWithStatus(region: string, status: unknown): string[] {
  const down = new Set(simulation.down ?? []);
  const all = zonesOf(region);
  if (status === "UP") return all.filter((z) => !down.has(z));
  if (status === "DOWN") return all.filter((z) => down.has(z));
  return all;
}

/** The `offset`-th address of a CIDR block (`10.15.16.0/29`, 2 → `10.15.16.2`). */
function hostAddress(cidr: unknown, offset: number): string {
  const base = typeof cidr === "string" ? cidr.split("/")[0]!.split(".").map(Number) : [10, 0, 0, 0];
  return [...base.slice(0, 3), base[3]! + offset].join(".");
}

/** The machine type a `name = "..."` filter asks for. */
function filteredName(filter: unknown): string | undefined {
  return typeof filter === "string" ? /name\s*=\s*"?([a-z0-9-]+)"?/.exec(filter)?.[1] : undefined;
}

export const gcpOfflineInvokes: OfflineInvokes = {
  "gcp:organizations/getProject:getProject": (inputs) => ({
    ...inputs,
    id: `projects/${OFFLINE_PROJECT}`,
    projectId: OFFLINE_PROJECT,
    name: OFFLINE_PROJECT,
    number: "000000000000",
  }),
  "gcp:compute/getZones:getZones": (inputs, region) => {
    const r = typeof inputs.region === "string" ? inputs.region : region;
    return { ...inputs, id: `projects/${OFFLINE_PROJECT}/regions/${r}`, project: OFFLINE_PROJECT, names: zonesWithStatus(r, inputs.status) };
  },
  // An existing GKE cluster (gcp.gke.clusterName): what the compiler reads to reach it.
  "gcp:container/getCluster:getCluster": (inputs) => ({
    ...inputs,
    id: `projects/${OFFLINE_PROJECT}/locations/${inputs.location}/clusters/${inputs.name}`,
    endpoint: "10.0.0.2",
    masterAuths: [{ clusterCaCertificate: "b2ZmbGluZS1wcmV2aWV3", clientCertificate: "", clientKey: "", clientCertificateConfigs: [] }],
    network: `projects/${OFFLINE_PROJECT}/global/networks/${inputs.name}-net`,
    subnetwork: `projects/${OFFLINE_PROJECT}/regions/${inputs.location}/subnetworks/${inputs.name}-subnet`,
    enableMultiNetworking: true,
    datapathProvider: "ADVANCED_DATAPATH",
  }),
  "gcp:compute/getMachineTypes:getMachineTypes": (inputs) => {
    const name = filteredName(inputs.filter);
    const offered = name === undefined || simulation.offeredIn?.[name] === undefined || simulation.offeredIn[name]!.includes(String(inputs.zone));
    const facts = name && offered ? catalog.instance("gcp", name) : undefined;
    const machineTypes = facts
      ? [
          {
            name: facts.instanceType,
            description: `${facts.vcpus} vCPUs, ${facts.memoryGiB} GB RAM, ${facts.gpuCount} ${facts.gpuModel}`,
            guestCpus: facts.vcpus,
            memoryMb: facts.memoryGiB * 1024,
            isSharedCpus: false,
            maximumPersistentDisks: 128,
            maximumPersistentDisksSizeGb: 263168,
            accelerators: [],
            bundledLocalSsds: [],
            deprecateds: [],
            selfLink: `offline/${inputs.zone}/machineTypes/${facts.instanceType}`,
          },
        ]
      : [];
    return { ...inputs, id: `${inputs.zone}/machineTypes`, project: OFFLINE_PROJECT, machineTypes };
  },
};

/** Outputs the gcp provider computes, simulated so interpolations (mount sources, URLs) read well offline. */
/** Google's service agents by API (https://cloud.google.com/iam/docs/service-agents), for ServiceIdentity. */
const SERVICE_AGENT_DOMAINS: Record<string, string> = { "container.googleapis.com": "container-engine-robot.iam.gserviceaccount.com" };

export const gcpOfflineOutputs: OfflineOutputs = {
  "gcp:projects/serviceIdentity:ServiceIdentity": (_name, inputs) => {
    const email = `service-000000000000@${SERVICE_AGENT_DOMAINS[inputs.service] ?? "gcp-sa-offline.iam.gserviceaccount.com"}`;
    return { email, member: `serviceAccount:${email}` };
  },
  "gcp:serviceaccount/account:Account": (name, inputs) => ({
    email: `${inputs.accountId ?? name}@${OFFLINE_PROJECT}.iam.gserviceaccount.com`,
    member: `serviceAccount:${inputs.accountId ?? name}@${OFFLINE_PROJECT}.iam.gserviceaccount.com`,
    // A service account's unique id: 21 digits (the nodes' custom role id carries it, cluster-ssh.ts).
    uniqueId: "100000000000000000001",
  }),
  "gcp:filestore/instance:Instance": (_name, inputs) => ({
    // Filestore takes the first usable address of its reserved range.
    networks: (inputs.networks ?? []).map((n: Record<string, unknown>) => ({ ...n, ipAddresses: [hostAddress(n.reservedIpRange, 2)] })),
  }),
  "gcp:lustre/instance:Instance": (_name, inputs) => ({ mountPoint: `10.15.0.2@tcp:/${inputs.filesystem ?? "lfs0"}` }),
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": (_name, inputs) => ({ ipAddress: inputs.ipAddress ?? "203.0.113.10" }),
  "gcp:compute/forwardingRule:ForwardingRule": (_name, inputs) => ({ ipAddress: inputs.ipAddress ?? "10.0.255.250" }),
  // A reserved INTERNAL address without `address`: Compute Engine picks a free one in the subnet (the host subnet, 10.0.0.0/16 by default).
  "gcp:compute/address:Address": (_name, inputs) => ({ address: inputs.address ?? (inputs.addressType === "INTERNAL" ? "10.0.255.249" : "203.0.113.11") }),
  // A reserved global external address (an internet-facing GKE fleet's Gateway): Google picks one from its pool.
  "gcp:compute/globalAddress:GlobalAddress": (_name, inputs) => ({ address: inputs.address ?? "203.0.113.12" }),
  "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": (name) => ({ instanceGroup: `offline/instanceGroups/${name}` }),
  "gcp:compute/instanceGroupManager:InstanceGroupManager": (name) => ({ instanceGroup: `offline/instanceGroups/${name}` }),
  "gcp:compute/instanceTemplate:InstanceTemplate": (name) => ({ selfLinkUnique: `offline/instanceTemplates/${name}?uniqueId=1` }),
};
