/**
 * The metrics pipelines are built from the bill too (lib/clouds/shared/bill.ts billsGpuMetrics, billsManagedPrometheus):
 * the VM nodes' GPU metrics agent (AWS's CloudWatch agent association, GCP's Ops Agent in the startup script, Azure's
 * Monitoring Metrics Publisher grant) and a created cluster's managed Prometheus (EKS's AMP scraper, GKE's
 * monitoringConfig, AKS's Azure Monitor workspace) exist when the bill carries their item, the one the estimate prices or
 * names, and not otherwise. Each case compiles the component's own plan with its real bill, then with that item removed.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { BomItem } from "../lib/cost/bom/types.js";
import { prepare } from "../lib/components/build.js";
import { run } from "./helpers/offline.js";
import { privateEndpoint } from "./helpers/offline.js";

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG5vLW9uZS1ob2xkcy10aGUtcHJpdmF0ZS1rZXktMDAw no-login-placeholder";

class Host extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Host", name);
  }
}

/** The compiled resources of a training cluster, with its real bill or that bill less the items `drop` picks. */
async function compile(name: string, args: object, drop: (item: BomItem) => boolean = () => false) {
  const prepared = prepare("training", name, args as never);
  const bill = prepared.bill.filter((item) => !drop(item));
  const result = await run(() => prepared.compiler.compileTraining(prepared.plan, prepared.cloudOptions, { name, parent: new Host(name), bill }));
  expect(result.error).toBeUndefined();
  return { result, dropped: prepared.bill.length - bill.length };
}

const isGpuMetrics = (item: BomItem) => "what" in item && /the nodes' GPU metrics/.test(item.what);
const isManagedPrometheus = (item: BomItem) => "what" in item && /managed Prometheus|Managed Service for Prometheus/.test(item.what);

describe("metrics pipelines built from the bill", () => {
  it("AWS VMs: the CloudWatch agent's association with its item, none without", async () => {
    const args = { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } };
    const association = (r: Awaited<ReturnType<typeof run>>) => r.resources.filter((x) => x.type === "aws:ssm/association:Association" && x.name.endsWith("-gpu-metrics")).length;
    expect(association((await compile("aws-m", args)).result)).toBe(1);
    const without = await compile("aws-m", args, isGpuMetrics);
    expect(without.dropped).toBe(1);
    expect(association(without.result)).toBe(0);
  });

  it("GCP VMs: the Ops Agent in the startup script with its item, none without", async () => {
    const args = { cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 } };
    const opsAgent = (r: Awaited<ReturnType<typeof run>>) => String(r.resources.find((x) => x.type === "gcp:compute/instanceTemplate:InstanceTemplate")!.inputs.metadata["startup-script"]).includes("add-google-cloud-ops-agent-repo");
    expect(opsAgent((await compile("gcp-m", args)).result)).toBe(true);
    const without = await compile("gcp-m", args, isGpuMetrics);
    expect(without.dropped).toBe(1);
    expect(opsAgent(without.result)).toBe(false);
  });

  it("Azure VMs: the Monitoring Metrics Publisher grant with the priced samples, none without", async () => {
    const args = { cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 }, azure: { sshPublicKey: SSH_KEY } };
    const publisher = (r: Awaited<ReturnType<typeof run>>) => r.resources.filter((x) => x.type === "azure-native:authorization:RoleAssignment" && String(x.inputs.roleDefinitionId).endsWith("3913510d-42f4-4e42-8a64-420c390055eb")).length;
    expect(publisher((await compile("az-m", args)).result)).toBe(1);
    const without = await compile("az-m", args, isGpuMetrics);
    expect(without.dropped).toBe(1);
    expect(publisher(without.result)).toBe(0);
  });

  it("EKS, GKE, AKS: the created cluster's managed Prometheus with its item, none without", async () => {
    const cases = [
      { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, built: (r: Awaited<ReturnType<typeof run>>) => r.resources.some((x) => x.type === "aws:amp/scraper:Scraper") },
      { cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, built: (r: Awaited<ReturnType<typeof run>>) => r.resources.find((x) => x.type === "gcp:container/cluster:Cluster")!.inputs.monitoringConfig?.managedPrometheus?.enabled === true },
      { cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 }, built: (r: Awaited<ReturnType<typeof run>>) => r.resources.some((x) => x.type === "azure-native:monitor:AzureMonitorWorkspace") },
    ];
    for (const { built, ...spec } of cases) {
      const args = privateEndpoint({ ...spec, orchestrator: "kubernetes" });
      expect(built((await compile(`k-${spec.cloud}`, args)).result), spec.cloud).toBe(true);
      const without = await compile(`k-${spec.cloud}`, args, isManagedPrometheus);
      expect(without.dropped, spec.cloud).toBe(1);
      expect(built(without.result), spec.cloud).toBe(false);
    }
  });
});
