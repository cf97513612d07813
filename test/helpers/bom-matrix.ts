/**
 * The cases test/bill-of-materials.test.ts holds to their bill: every example project and a spec matrix (cloud ×
 * orchestrator × workload × pricing, plus internet-facing, air-gapped, existing-cluster, Lustre, EFS and block-storage
 * variants). test/tools/compiled-snapshot.tool.ts dumps what the same cases compile to, so a refactor of a compiler can
 * be shown to build exactly what it built before.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as gpu from "gpu-cluster";
import { privateEndpoint } from "./offline.js";
import { OFFLINE_SUBSCRIPTION_ID } from "../../lib/clouds/azure/offline-invokes.js";

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG5vLW9uZS1ob2xkcy10aGUtcHJpdmF0ZS1rZXktMDAw no-login-placeholder";

/** Every example project (a folder with a Pulumi.yaml), so a new example is held to its bill too. */
export const EXAMPLES_DIR = path.join(__dirname, "..", "..", "examples");
export const EXAMPLES = fs.readdirSync(EXAMPLES_DIR).filter((name) => fs.existsSync(path.join(EXAMPLES_DIR, name, "Pulumi.yaml"))).sort();

const SOURCES = ["203.0.113.0/24"];

/** Per cloud: a small training GPU, a fleet GPU, a region, and the pricing models those are sold under here. */
const CLOUDS = {
  aws: { region: "us-east-1", training: { instanceType: "p5.48xlarge", nodes: 2 }, fleet: { model: "L4" }, trainingPricing: ["on-demand", "capacity-block"], fleetPricing: ["on-demand"] },
  gcp: { region: "us-central1", training: { instanceType: "a3-highgpu-8g", nodes: 2 }, fleet: { model: "L4" }, trainingPricing: ["on-demand", "spot"], fleetPricing: ["on-demand", "spot"] },
  azure: { region: "eastus", training: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 }, fleet: { instanceType: "Standard_NC24ads_A100_v4" }, trainingPricing: ["on-demand", "reserved-1y"], fleetPricing: ["on-demand"] },
  coreweave: { region: "US-EAST-04", training: { instanceType: "gd-8xh100ib-i128", nodes: 2 }, fleet: { model: "L40S", count: 8 }, trainingPricing: ["on-demand", "spot"], fleetPricing: ["on-demand"] },
} as const;

/** GCP VMs with GPUDirect-TCPX (a3-highgpu-8g) need an image with Google's TCPX kernel: the option check refuses the default. */
const TCPX_IMAGE = { gcp: { image: "projects/my-project/global/images/family/a3high-tcpx" } };

/** What each pricing model needs besides its name. */
const PRICING_EXTRA: Record<string, object> = { "capacity-block": { reservationId: "cr-0123456789abcdef0", zone: "us-east-1a" } };

export interface Case {
  name: string;
  program: () => unknown;
}

/** The option bag a component needs on each target (the internet-facing fleets' TLS and client ranges). */
function options(cloud: keyof typeof CLOUDS, orchestrator: "vm" | "kubernetes", scheme: string | undefined): Record<string, unknown> {
  const open = scheme === "internet-facing";
  switch (cloud) {
    case "aws":
      return {
        aws: {
          ...(open ? { certificateArn: "arn:aws:acm:us-east-1:000000000000:certificate/offline" } : {}),
          ...(open ? (orchestrator === "kubernetes" ? { eks: { loadBalancerSourceRanges: SOURCES } } : { allowedSourceRanges: SOURCES }) : {}),
        },
      };
    case "gcp":
      // Both orchestrators serve the internet over HTTPS with the certificate, to the client ranges (Cloud Armor).
      return open ? { gcp: { sslCertificates: ["projects/p/global/sslCertificates/offline"], allowedSourceRanges: SOURCES } } : {};
    case "azure": {
      // An internet-facing fleet's Application Gateway: its Key Vault certificate and the clients it admits.
      const tls = open ? { tlsCertificateSecretId: "https://offline.vault.azure.net/secrets/cert", tlsKeyVaultId: `/subscriptions/${OFFLINE_SUBSCRIPTION_ID}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/offline` } : {};
      if (orchestrator === "vm") return { azure: { sshPublicKey: SSH_KEY, ...tls, ...(open ? { allowedSourceRanges: SOURCES } : {}) } };
      return open ? { azure: { ...tls, aks: { loadBalancerSourceRanges: SOURCES } } } : {};
    }
    case "coreweave":
      // HTTPS through the cluster's Traefik ingress (its address is the cluster's, so no public-ip item of ours).
      return open ? { coreweave: { loadBalancerSourceRanges: SOURCES, ingress: { orgId: "cw0000", clusterName: "inference" } } } : {};
  }
}

/**
 * The component name of a matrix case: its id, except on GKE, where a new cluster's auto-named system pool
 * (`<name>-system-nodes-<7 random>`) must fit GKE's 40 characters, so the name has at most 19 (lib/clouds/gcp/names.ts
 * maxGkeComponentName); the case id (the snapshot's file name) stays.
 */
function componentName(cloud: keyof typeof CLOUDS, orchestrator: "vm" | "kubernetes", id: string): string {
  if (cloud !== "gcp" || orchestrator !== "kubernetes") return id;
  return id.replace("on-demand-", "od-").replace("internet-facing", "inet").replace("internal", "int");
}

export function matrix(): Case[] {
  const cases: Case[] = [];
  for (const cloud of Object.keys(CLOUDS) as (keyof typeof CLOUDS)[]) {
    const c = CLOUDS[cloud];
    for (const orchestrator of cloud === "coreweave" ? (["kubernetes"] as const) : (["vm", "kubernetes"] as const)) {
      for (const workload of ["training", "inference"] as const) {
        for (const pricing of workload === "training" ? c.trainingPricing : c.fleetPricing) {
          for (const scheme of workload === "inference" ? (["internal", "internet-facing"] as const) : ([undefined] as const)) {
            // Every cloud and orchestrator builds internet-facing fleets now (GKE: a Gateway, Azure: an Application Gateway).
            const name = `${cloud}-${orchestrator === "vm" ? "vm" : "k8s"}-${workload[0]}-${pricing}${scheme ? `-${scheme}` : ""}`;
            const spec = privateEndpoint({
              cloud,
              region: c.region,
              orchestrator,
              pricing,
              ...PRICING_EXTRA[pricing],
              ...options(cloud, orchestrator, scheme),
              ...(cloud === "gcp" && orchestrator === "vm" && workload === "training" ? TCPX_IMAGE : {}),
              ...(workload === "training"
                ? { gpu: c.training, storage: cloud === "azure" ? [] : [{ kind: "object", capacityTiB: 1 }] }
                : { gpu: c.fleet, replicas: { min: 1, max: 3 }, loadBalancer: scheme }),
            }) as any;
            const component = componentName(cloud, orchestrator, name);
            cases.push({ name, program: () => (workload === "training" ? new gpu.TrainingCluster(component, spec) : new gpu.InferenceFleet(component, spec)) });
          }
        }
      }
    }
  }
  cases.push({ name: "aws-vm-air-gapped", program: () => new gpu.TrainingCluster("aws-vm-air-gapped", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, egress: { natGateway: false } } as any) });
  cases.push({
    // 1.32: past standard support (2026-03-23), still in extended support (to 2027-03-23) on the pricing day, so the
    // case keeps the extended-support line (lib/clouds/aws/eks/support-calendar.ts; review session 28, F4).
    name: "aws-eks-old-version",
    program: () => new gpu.TrainingCluster("aws-eks-old", privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, aws: { rootVolumeGiB: 400, eks: { kubernetesVersion: "1.32" } } }) as any),
  });
  // Joining an existing cluster: no control plane, system pool or network of the component's own.
  const EXISTING = {
    aws: { cloud: "aws", region: "us-east-1", aws: { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], eks: { clusterName: "shared" } } },
    gcp: { cloud: "gcp", region: "us-central1", gcp: { gke: { clusterName: "shared" } } },
    azure: { cloud: "azure", region: "eastus", azure: { aks: { clusterName: "shared", resourceGroupName: "shared-rg" } } },
  } as const;
  for (const [cloud, args] of Object.entries(EXISTING)) {
    const fleetGpu = cloud === "azure" ? { model: "A100-80GB" } : { model: "L4" };
    cases.push({ name: `${cloud}-k8s-existing-fleet`, program: () => new gpu.InferenceFleet(`join-${cloud}`, { ...args, orchestrator: "kubernetes", gpu: fleetGpu, replicas: { min: 1, max: 2 } } as any) });
  }
  // GKE with Managed Lustre: the VM path's instance (and its unbilled peering) and a claim, billed as the VM path bills it.
  cases.push({
    name: "gcp-gke-lustre",
    program: () =>
      new gpu.TrainingCluster("gcp-gke-lustre", privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, storage: [{ kind: "lustre", capacityTiB: 36, mountPath: "/lustre" }, { kind: "object", capacityTiB: 1 }] }) as any),
  });
  // A GCP VM fleet's secret model-server env values: one Secret Manager secret (and version) each, on the bill.
  cases.push({
    name: "gcp-vm-fleet-secret-env",
    program: () =>
      new gpu.InferenceFleet("gcp-vm-secret-env", { cloud: "gcp", region: "us-central1", gpu: { model: "L4" }, replicas: { min: 1, max: 2 }, gcp: { modelServer: { env: { HF_TOKEN: pulumi.secret("hf_offline"), API_KEY: pulumi.secret("k"), LOG_LEVEL: "INFO" } } } } as any),
  });
  // An internet-facing VM fleet in the user's VPC: the ALB takes an address in each of the three public subnets given.
  cases.push({
    name: "aws-vm-existing-vpc-internet-facing",
    program: () =>
      new gpu.InferenceFleet("aws-vm-own-vpc", {
        cloud: "aws", region: "us-east-1", gpu: { model: "L4" }, replicas: { min: 1, max: 2 }, loadBalancer: "internet-facing",
        aws: { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], publicSubnetIds: ["subnet-p1", "subnet-p2", "subnet-p3"], certificateArn: "arn:aws:acm:us-east-1:000000000000:certificate/offline", allowedSourceRanges: SOURCES },
      } as any),
  });
  // Fleets at replicas.min 0 (on AKS and GKE KEDA scales the pods from zero; VM fleets refuse 0, lib/planner/offering.ts):
  // the group is built with its disk and the GPU metrics agent, which the bill carries at count 0.
  const KEDA = { keda: { prometheusUrl: "http://prometheus.monitoring:9090", query: "sum(rate(gateway_requests_total[2m]))" } };
  const zero = { replicas: { min: 0, max: 2 } };
  cases.push({
    name: "azure-aks-fleet-min0",
    program: () => new gpu.InferenceFleet("azure-aks-min0", privateEndpoint({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { instanceType: "Standard_NC24ads_A100_v4" }, ...zero, azure: { aks: KEDA } }) as any),
  });
  cases.push({
    name: "gcp-gke-fleet-min0",
    program: () => new gpu.InferenceFleet("gcp-gke-min0", privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { model: "L4" }, ...zero, gcp: { gke: KEDA } }) as any),
  });
  // CoreWeave's plain-HTTP opt-out: the fleet's own public LoadBalancer Service, and its address on the bill.
  cases.push({
    name: "coreweave-k8s-plaintext-public",
    program: () =>
      new gpu.InferenceFleet("coreweave-k8s-plaintext-public", {
        cloud: "coreweave", region: CLOUDS.coreweave.region, gpu: CLOUDS.coreweave.fleet, replicas: { min: 1, max: 3 }, loadBalancer: "internet-facing",
        coreweave: { loadBalancerSourceRanges: SOURCES, plaintextPublicService: true },
      } as any),
  });
  cases.push({
    name: "aws-vm-efs",
    program: () => new gpu.TrainingCluster("aws-vm-efs", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "/home" }] } as any),
  });
  // Block storage (VM targets only; the Kubernetes targets refuse it): one data volume of the entry's size and the
  // cloud's disk type on every GPU node, compared with the bill's block storage item.
  for (const cloud of ["aws", "gcp", "azure"] as const) {
    const name = `${cloud}-vm-block`;
    // AWS VMs mount the instance store at /scratch, so the entry lives at /data and keeps the name it had there
    // (lib/spec/storage-identity.ts VM_SCRATCH_MOUNTS; review session 28, F1).
    const mount = cloud === "aws" ? { mountPath: "/data", name: "scratch" } : { mountPath: "/scratch" };
    const spec = { cloud, region: CLOUDS[cloud].region, gpu: CLOUDS[cloud].training, storage: [{ kind: "block", capacityTiB: 1, ...mount }], ...options(cloud, "vm", undefined), ...(cloud === "gcp" ? TCPX_IMAGE : {}) };
    cases.push({ name, program: () => new gpu.TrainingCluster(name, spec as any) });
  }
  return cases;
}
