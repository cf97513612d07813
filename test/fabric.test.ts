import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { catalog, CLOUDS, planCluster, planFleet } from "gpu-cluster";
import { nodeInterfaces } from "../lib/clouds/aws/launch-template.js";
import { fabricSides, gkeNetworks } from "../lib/fabric/index.js";
import { run, privateEndpoint } from "./helpers/offline.js";

/** Every catalog instance type with an inter-node fabric, planned as a 2-node (or one-rack) training cluster. */
const fabricTypes = CLOUDS.flatMap((cloud) =>
  catalog
    .instances(cloud)
    // A type the compilers never build (InstanceFacts.notBuilt: Arm64 hosts, AMD GPUs) is refused before any fabric.
    .filter((i) => i.fabric !== "none" && i.regions.length > 0 && !i.notBuilt)
    .map((i) => {
      const nodes = i.limits?.nodeMultiple ?? 2;
      // A contract price keeps types without a public on-demand price (p5e, a4) in the test.
      const region = i.regions[0]!;
      // A3 Ultra / A4 are sold through reservations only.
      const reservation = cloud === "gcp" ? { reservationId: "r", zone: `${region}-a` } : {};
      const plan = planCluster({ cloud, region, gpu: { instanceType: i.instanceType, nodes }, contractUsdPerHour: 1, ...reservation });
      return [`${cloud} ${i.instanceType}`, plan] as const;
    }),
);

describe("the fabric, node side and workload side, from one place", () => {
  it("covers every fabric instance type of the catalog", () => {
    expect(fabricTypes.length).toBeGreaterThanOrEqual(20);
  });

  it.each(fabricTypes)("%s: the node gets every fabric NIC and the workload is told to expect them all", (_name, plan) => {
    const { node, env, pod } = fabricSides(plan, plan.cloud === "coreweave" ? "kubernetes" : "vm");
    expect(node.nics).toBe(plan.instance.fabricNics);
    expect(node.kind).toBe(plan.instance.fabric);
    expect(Object.keys(env).length).toBeGreaterThan(0);
    const expected = env.GPU_CLUSTER_EXPECTED_EFA ?? env.GPU_CLUSTER_EXPECTED_IB ?? env.GPU_CLUSTER_EXPECTED_FABRIC_NICS;
    if (plan.cloud !== "coreweave") expect(Number(expected)).toBe(node.nics);
    if (plan.cloud === "coreweave") expect(pod?.resources).toEqual({ "rdma/ib": "1" });
  });

  it.each(fabricTypes.filter(([, p]) => p.cloud === "aws"))("%s: pods request exactly the EFA interfaces the launch template attaches", (_name, plan) => {
    const attached = nodeInterfaces(plan, "sg").filter((ni) => ni.interfaceType === "efa" || ni.interfaceType === "efa-only").length;
    const pod = fabricSides(plan, "kubernetes").pod!;
    expect(Number(pod.resources["vpc.amazonaws.com/efa"])).toBe(attached);
    expect(attached).toBe(plan.instance.fabricNics);
    expect(pod.capabilities).toEqual(["IPC_LOCK"]);
  });

  it.each(fabricTypes.filter(([, p]) => p.cloud === "azure" || p.cloud === "coreweave"))("%s: pods get the node's InfiniBand HCAs", (_name, plan) => {
    const pod = fabricSides(plan, "kubernetes").pod!;
    expect({ resources: pod.resources, capabilities: pod.capabilities }).toEqual({ resources: { "rdma/ib": "1" }, capabilities: ["IPC_LOCK"] });
  });

  it.each(fabricTypes.filter(([, p]) => p.cloud === "gcp"))("%s on GKE: the training pod gets one interface per GPU NIC network of the node pool, and the datapath pieces for them", async (_name, plan) => {
    // Node side and pod side as compiled: the GKE node pool and the component's training Job.
    const result = await run(
      () =>
        new gpu.TrainingCluster("fab", privateEndpoint({
          cloud: "gcp",
          region: plan.region,
          orchestrator: "kubernetes",
          gpu: { instanceType: plan.instanceType, nodes: plan.nodeCount },
          contractUsdPerHour: 1,
          ...(plan.reservationId ? { reservationId: plan.reservationId, zone: plan.zone } : {}),
        } as gpu.TrainingClusterArgs)),
    );
    expect(result.error).toBeUndefined();
    const additional = result.resources.find((r) => r.name === "fab-gpu-nodes")!.inputs.networkConfig.additionalNodeNetworkConfigs;
    const pod = result.resources.find((r) => r.name === "fab-job")!.inputs.spec.template;
    const interfaces: { interfaceName: string; network: string }[] = JSON.parse(pod.metadata.annotations["networking.gke.io/interfaces"]);
    expect(interfaces[0]).toEqual({ interfaceName: "eth0", network: "default" });
    const fabricNetworks = gkeNetworks(plan).filter((n) => n.role === "fabric");
    // Every GPU NIC the node has is one pod interface: the node pool has them (after any extra host gVNIC) ...
    expect(additional).toHaveLength(gkeNetworks(plan).length);
    expect(fabricNetworks).toHaveLength(plan.instance.fabricNics);
    // ... and the pod attaches each one.
    expect(interfaces.slice(1).map((i) => i.network)).toEqual(fabricNetworks.map((n) => n.name));
    const main = pod.spec.containers[0];
    const env = Object.fromEntries(main.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env.GPU_CLUSTER_EXPECTED_FABRIC_NICS).toBe(String(plan.instance.fabricNics));
    if (plan.fabric.kind === "rdma") {
      expect(main.command[2]).toContain("set_nccl_env.sh");
    } else {
      // TCPX / TCPXO: the receive-datapath manager gets every GPU of the node.
      const sidecar = pod.spec.initContainers[0];
      const devices = pod.metadata.annotations[`devices.gke.io/container.${sidecar.name}`] as string;
      expect(devices.match(/\/dev\/nvidia\d+$/gm)).toHaveLength(plan.gpusPerNode);
    }
  });

  it("gives nothing fabric-related to a cluster that opted out, or to an inference replica", () => {
    const optedOut = planCluster({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", nodes: 2 }, fabric: "none" });
    expect(fabricSides(optedOut, "kubernetes")).toEqual({ node: { kind: "none", nics: 0, gbps: 0 }, env: {} });
    expect(nodeInterfaces(optedOut, "sg")).toHaveLength(1);
    const replica = planFleet({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 8 }, replicas: { min: 1, max: 2 } });
    const sides = fabricSides(replica, "kubernetes");
    expect(sides.pod).toBeUndefined();
    expect(sides.env).toEqual({ NCCL_SOCKET_IFNAME: "eth0", NCCL_IB_DISABLE: "1" });
  });
});
