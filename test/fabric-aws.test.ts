/**
 * AWS fabric facts per instance type, each against its source (read 2026-11-30):
 * - environment: aws-ofi-nccl doc/efa-env-var.md at 2daf7d30 (2026-08-21): FI_EFA_FORK_SAFE not needed (the plugin
 *   sets it, src/platform-aws.cpp); FI_EFA_USE_DEVICE_RDMA only on instances whose EFA does RDMA read (p4/p5 and
 *   later), libfabric aborting with it elsewhere.
 * - interfaces: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html (no EFA-only primary;
 *   EFA-only on every additional card), terraform-aws-eks modules/eks-managed-node-group/main.tf at bef29c4d (card 0
 *   `efa` at device 0, the others `efa-only` at device 1).
 * - P6-B300: https://github.com/aws/aws-parallelcluster/issues/7143 (2025-12-06, AWS engineering): 17 network cards,
 *   card 0 ENA only (NetworkCardIndex=0 DeviceIndex=0 InterfaceType=interface), cards 1-16 EFA (DeviceIndex=0
 *   InterfaceType=efa-only); the EC2 guide above puts the efa-only interface of each further card at device index 0.
 *   Its environment: aws-ofi-nccl src/platform-aws.cpp at 2daf7d30 has a p6-b300 entry (GPUDirect RDMA required, RDMA
 *   protocol, the plugin setting its own NCCL tunables), so FI_EFA_USE_DEVICE_RDMA=1 as on p5en and p6-b200.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { planCluster } from "gpu-cluster";
import { nodeInterfaces } from "../lib/clouds/aws/launch-template.js";
import { fabricSides } from "../lib/fabric/index.js";
import { run, privateEndpoint } from "./helpers/offline.js";

const plan = (instanceType: string) => planCluster({ cloud: "aws", region: "us-west-2", gpu: { instanceType, nodes: 2 }, contractUsdPerHour: 1 });

describe("EFA environment per instance type", () => {
  it.each([
    ["p4d.24xlarge", "1", "4"],
    ["p5.48xlarge", "1", "32"],
    ["p5e.48xlarge", "1", "32"],
    ["p5en.48xlarge", "1", "16"],
    ["p6-b200.48xlarge", "1", "8"],
    ["p6-b300.48xlarge", "1", "16"],
    ["g5.12xlarge", undefined, "1"],
    ["g5.48xlarge", undefined, "1"],
    ["g6.12xlarge", undefined, "1"],
    ["g6e.12xlarge", undefined, "1"],
    ["g6e.48xlarge", undefined, "4"],
  ])("%s: FI_EFA_USE_DEVICE_RDMA=%s, %s EFA expected, no FI_EFA_FORK_SAFE", (instanceType, rdma, efa) => {
    for (const platform of ["vm", "kubernetes"] as const) {
      const { env } = fabricSides(plan(instanceType), platform);
      expect(env).toEqual({
        FI_PROVIDER: "efa",
        ...(rdma ? { FI_EFA_USE_DEVICE_RDMA: rdma } : {}),
        NCCL_NET: "AWS Libfabric",
        NCCL_SOCKET_IFNAME: "^docker,lo,veth",
        NCCL_DEBUG: "WARN",
        GPU_CLUSTER_EXPECTED_EFA: efa,
      });
    }
  });
});

describe("EFA interfaces per network card", () => {
  it.each([
    ["p5.48xlarge", 32],
    ["p5en.48xlarge", 16],
    ["p6-b200.48xlarge", 8],
    ["p4d.24xlarge", 4],
    ["g6e.48xlarge", 4],
  ])("%s: card 0 ENA+EFA at device 0, cards 1..%i efa-only at device 1", (instanceType, cards) => {
    const nics = nodeInterfaces(plan(instanceType), "sg");
    expect(nics.map((n) => [n.networkCardIndex, n.deviceIndex, n.interfaceType])).toEqual([
      [0, 0, "efa"],
      ...Array.from({ length: cards - 1 }, (_, i) => [i + 1, 1, "efa-only"]),
    ]);
  });

  it("p6-b300.48xlarge (card 0 ENA only): 17 interfaces, card 0 an ENA `interface` at device 0, cards 1..16 efa-only at device 0", () => {
    const nics = nodeInterfaces(plan("p6-b300.48xlarge"), "sg");
    expect(nics).toHaveLength(17);
    expect(nics.map((n) => [n.networkCardIndex, n.deviceIndex, n.interfaceType])).toEqual([
      [0, 0, "interface"],
      ...Array.from({ length: 16 }, (_, i) => [i + 1, 0, "efa-only"]),
    ]);
    for (const n of nics) expect(n).toMatchObject({ securityGroups: ["sg"], deleteOnTermination: "true", associatePublicIpAddress: "false" });
  });

  it("g5.48xlarge (one network card): a single ENA+EFA interface", () => {
    expect(nodeInterfaces(plan("g5.48xlarge"), "sg").map((n) => [n.networkCardIndex, n.deviceIndex, n.interfaceType])).toEqual([[0, 0, "efa"]]);
  });
});

describe("EKS: an existing cluster is told the vpc-cni version efa-only interfaces need", () => {
  it("p5en on an existing cluster: a plan note naming vpc-cni v1.18.4", async () => {
    let cluster: gpu.TrainingCluster | undefined;
    const result = await run(() => {
      cluster = new gpu.TrainingCluster(
        "old",
        privateEndpoint({
          cloud: "aws",
          region: "us-east-1",
          orchestrator: "kubernetes",
          gpu: { instanceType: "p5en.48xlarge", nodes: 2 },
          aws: { vpcId: "vpc-123", subnetIds: ["subnet-a"], eks: { clusterName: "shared" } },
        } as gpu.TrainingClusterArgs),
      );
    });
    expect(result.error).toBeUndefined();
    const p = await new Promise<gpu.Plan>((done) => cluster!.plan.apply(done));
    expect(p.notes.join("\n")).toContain("existing EKS cluster 'shared': the GPU nodes' extra network cards get efa-only interfaces, which its vpc-cni add-on handles from v1.18.4 on");
  });

  it("p6-b300 (every EFA efa-only) gets the note; g6e.12xlarge (one `efa` interface, no efa-only) does not", async () => {
    const notes = async (instanceType: string): Promise<string> => {
      let cluster: gpu.TrainingCluster | undefined;
      const result = await run(() => {
        cluster = new gpu.TrainingCluster(
          "old",
          privateEndpoint({
            cloud: "aws",
            region: "us-east-1",
            orchestrator: "kubernetes",
            gpu: { instanceType, nodes: 2 },
            aws: { vpcId: "vpc-123", subnetIds: ["subnet-a"], eks: { clusterName: "shared" } },
          } as gpu.TrainingClusterArgs),
        );
      });
      expect(result.error).toBeUndefined();
      const p = await new Promise<gpu.Plan>((done) => cluster!.plan.apply(done));
      return p.notes.join("\n");
    };
    expect(await notes("p6-b300.48xlarge")).toContain("efa-only interfaces, which its vpc-cni add-on handles from v1.18.4 on");
    expect(await notes("g6e.12xlarge")).not.toContain("efa-only");
  });
});
