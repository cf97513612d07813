/** Run a program under the mock engine and look resources up by type. */
import { runOffline, type OfflineRun, type RecordedResource } from "../../lib/preview/offline.js";

export async function run(program: () => unknown): Promise<OfflineRun> {
  return runOffline(program);
}

export function ofType(run: OfflineRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

export function one(run: OfflineRun, type: string): RecordedResource {
  const found = ofType(run, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
  return found[0]!;
}

export const T = {
  training: "gpu-cluster:index:TrainingCluster",
  fleet: "gpu-cluster:index:InferenceFleet",
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  pg: "aws:ec2/placementGroup:PlacementGroup",
  lt: "aws:ec2/launchTemplate:LaunchTemplate",
  asg: "aws:autoscaling/group:Group",
  policy: "aws:autoscaling/policy:Policy",
  fsx: "aws:fsx/lustreFileSystem:LustreFileSystem",
  dra: "aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation",
  efs: "aws:efs/fileSystem:FileSystem",
  bucket: "aws:s3/bucket:Bucket",
  publicBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  nat: "aws:ec2/natGateway:NatGateway",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  tg: "aws:lb/targetGroup:TargetGroup",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
};
