import * as pulumi from "@pulumi/pulumi";
/** Run a program under the mock engine and look resources up by type. */
import { runOffline, type OfflineRun, type RecordedResource, type RunOptions } from "../../lib/preview/offline.js";

export async function run(program: () => unknown, options: RunOptions = {}): Promise<OfflineRun> {
  return runOffline(program, options);
}

/** Runs a program that makes one InferenceFleet (returned by `program`), and reads the fleet's endpoint URL. */
export async function withUrl(program: () => unknown): Promise<{ result: OfflineRun; url: string | undefined }> {
  let url: string | undefined;
  const result = await run(() => {
    const fleet = program() as { endpointUrl: pulumi.Output<string> };
    fleet.endpointUrl.apply((u) => (url = u));
  });
  return { result, url };
}

export function ofType(run: OfflineRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

export function one(run: OfflineRun, type: string): RecordedResource {
  const found = ofType(run, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
  return found[0]!;
}

/**
 * The training Job of a Kubernetes training cluster: the one Job that is not the fabric acceptance test
 * (`<name>-nccl-check`, on by default for 2 or more nodes).
 */
export function trainingJob(run: OfflineRun): RecordedResource {
  const found = ofType(run, "kubernetes:batch/v1:Job").filter((r) => !r.name.endsWith("-nccl-check"));
  if (found.length !== 1) throw new Error(`expected one training Job, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
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

/**
 * What the engine receives with each RegisterResource / ReadResource request, which the mock's `newResource`
 * does not see: dependency URNs (explicit dependsOn plus property dependencies), the provider reference and
 * custom timeouts, keyed by resource name.
 */
export interface Registration {
  dependencies: string[];
  provider?: string;
  customTimeouts?: { create: string };
  /** Input paths Pulumi leaves alone after creation. */
  ignoreChanges?: string[];
  /** Pulumi refuses to delete or replace it. */
  protect?: boolean;
  /** A delete removes it from the stack but leaves the cloud resource. */
  retainOnDelete?: boolean;
  /** Input paths whose change replaces the resource. */
  replaceOnChanges?: string[];
  /** A replacement deletes the old resource before creating the new one. */
  deleteBeforeReplace?: boolean;
}

/** Run a program under the mock engine and record every request's options. */
export async function runRecording(
  program: () => unknown,
  options: RunOptions = {},
): Promise<{ result: OfflineRun; registrations: Map<string, Registration>; byType: Map<string, Registration> }> {
  const registrations = new Map<string, Registration>();
  /** The same, keyed `<type>::<name>` (two resources of different types may share a name). */
  const byType = new Map<string, Registration>();
  const result = await run(() => {
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: any, cb: unknown): unknown; readResource(req: any, cb: unknown): unknown };
    const register = monitor.registerResource.bind(monitor);
    const read = monitor.readResource.bind(monitor);
    const record = (req: any) => {
      const timeouts = req.getCustomtimeouts?.();
      const registration: Registration = {
        dependencies: req.getDependenciesList(),
        ...(req.getProvider?.() ? { provider: req.getProvider() } : {}),
        ...(timeouts ? { customTimeouts: { create: timeouts.getCreate() } } : {}),
        ...(req.getIgnorechangesList?.()?.length ? { ignoreChanges: req.getIgnorechangesList() } : {}),
        ...(req.getProtect?.() ? { protect: true } : {}),
        ...(req.getRetainondelete?.() ? { retainOnDelete: true } : {}),
        ...(req.getReplaceonchangesList?.()?.length ? { replaceOnChanges: req.getReplaceonchangesList() } : {}),
        ...(req.getDeletebeforereplace?.() ? { deleteBeforeReplace: true } : {}),
      };
      registrations.set(req.getName(), registration);
      byType.set(`${req.getType()}::${req.getName()}`, registration);
    };
    monitor.registerResource = (req: any, cb: unknown) => (record(req), register(req, cb));
    // Resource `.get` calls are reads: record their dependencies too.
    monitor.readResource = (req: any, cb: unknown) => (record(req), read(req, cb));
    return program();
  }, options);
  return { result, registrations, byType };
}

/** The recorded resource of a type with a given name (throws when absent). */
export function byName(result: OfflineRun, type: string, name: string): RecordedResource {
  const found = ofType(result, type).find((r) => r.name === name);
  if (!found) throw new Error(`no ${type} ${name}`);
  return found;
}

/** The first container of a workload's pod template. */
export function container(resource: RecordedResource) {
  return resource.inputs.spec.template.spec.containers[0];
}

/** A container's env as a record. */
export function envOf(c: { env: { name: string; value: string }[] }): Record<string, string> {
  return Object.fromEntries(c.env.map((e) => [e.name, e.value]));
}

const MANAGED_BAGS: Record<string, string> = { aws: "eks", gcp: "gke", azure: "aks" };

/**
 * The spec with `publicEndpoint: false` in its managed-cluster bag where it creates an EKS, GKE or AKS cluster and
 * does not say how `up` reaches it (the library requires the choice; tests run no `up`, so private is the quiet one).
 */
export function privateEndpoint<T>(args: T): T {
  const spec = args as Record<string, any>;
  const sub = MANAGED_BAGS[spec.cloud];
  if (spec.orchestrator !== "kubernetes" || sub === undefined) return args;
  const bag = spec[spec.cloud]?.[sub] ?? {};
  if (bag.clusterName !== undefined || bag.publicEndpoint !== undefined) return args;
  return { ...spec, [spec.cloud]: { ...spec[spec.cloud], [sub]: { ...bag, publicEndpoint: false } } } as T;
}
