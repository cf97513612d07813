/**
 * The cloud compilers, loaded only when a component needs one. Each compiler imports its cloud's Pulumi SDK, and the
 * SDKs are optional peer dependencies (an AWS-only program installs `@pulumi/aws`, not 300 MB of Google, Azure and
 * Kubernetes SDKs), so importing `gpu-cluster` must load none of them: the spec, the planner, the estimate and the
 * CLI's `estimate` / `compare` / `catalog` run with no cloud SDK installed. A component asks for its compiler by
 * cloud and orchestrator; a missing SDK is a SpecError naming the package and the `npm install` command, thrown in
 * the constructor before anything is registered.
 *
 * Loading is synchronous (`require`), because the component validates and compiles in its constructor. Under a
 * bundler or test runner that cannot `require` TypeScript sources (vitest), the compilers are registered up front
 * with `registerCompiler` instead (test/helpers/register-compilers.ts).
 */
import type { Cloud } from "../catalog/types.js";
import type { CloudCompiler } from "../clouds/types.js";
import { SpecError } from "../spec/errors.js";
import type { Orchestrator } from "../spec/types.js";

/** Where one compiler lives and which Pulumi SDKs it loads (its module's imports, transitively). */
export interface CompilerSource {
  /** The compiler's module, relative to this file (the same path in lib/ and in dist/lib/). */
  module: string;
  /** The compiler's export name in that module. */
  exportName: string;
  /** The optional peer dependencies the module requires at load time. */
  sdks: readonly string[];
}

/**
 * One compiler per cloud and orchestrator. (Validation rejects VMs on CoreWeave, which runs GPU nodes only under
 * Kubernetes.) The SDK lists are what each module loads; test/package.test.ts checks them against a real install.
 */
export const COMPILER_SOURCES: Record<Orchestrator, Record<Cloud, CompilerSource>> = {
  vm: {
    aws: { module: "../clouds/aws/index.js", exportName: "awsCompiler", sdks: ["@pulumi/aws", "@pulumi/tls"] },
    gcp: { module: "../clouds/gcp/index.js", exportName: "gcpCompiler", sdks: ["@pulumi/gcp", "@pulumi/tls"] },
    azure: { module: "../clouds/azure/index.js", exportName: "azureCompiler", sdks: ["@pulumi/azure-native", "@pulumi/tls"] },
    coreweave: { module: "../clouds/coreweave/index.js", exportName: "coreweaveCompiler", sdks: ["@pulumi/kubernetes"] },
  },
  kubernetes: {
    aws: { module: "../clouds/aws/eks/index.js", exportName: "eksCompiler", sdks: ["@pulumi/aws", "@pulumi/kubernetes"] },
    gcp: { module: "../clouds/gcp/gke/index.js", exportName: "gkeCompiler", sdks: ["@pulumi/gcp", "@pulumi/kubernetes", "@pulumi/random"] },
    azure: { module: "../clouds/azure/aks/index.js", exportName: "aksCompiler", sdks: ["@pulumi/azure-native", "@pulumi/kubernetes"] },
    coreweave: { module: "../clouds/coreweave/index.js", exportName: "coreweaveCompiler", sdks: ["@pulumi/kubernetes"] },
  },
};

const registered = new Map<string, CloudCompiler<unknown>>();
const key = (orchestrator: Orchestrator, cloud: Cloud): string => `${orchestrator}:${cloud}`;

/** Make a compiler available without `require` (test runners, bundlers). Loading it still checks its SDKs. */
export function registerCompiler(orchestrator: Orchestrator, cloud: Cloud, compiler: CloudCompiler<unknown>): void {
  registered.set(key(orchestrator, cloud), compiler);
}

/** Resolve a package from this library's own location, as its compilers will. Replaceable in tests. */
export type PackageResolver = (name: string) => void;
const resolveFromHere: PackageResolver = (name) => {
  require.resolve(name);
};

/** The version range this package asks for, from its own package.json (`npm install` then picks a compatible one). */
function peerRange(sdk: string): string | undefined {
  try {
    const manifest = require("gpu-cluster/package.json") as { peerDependencies?: Record<string, string> };
    return manifest.peerDependencies?.[sdk];
  } catch {
    return undefined;
  }
}

/**
 * The SDKs a compiler needs that are not installed, as a SpecError naming them and the command that installs them;
 * undefined when all are there.
 */
export function missingSdkError(orchestrator: Orchestrator, cloud: Cloud, resolve: PackageResolver = resolveFromHere): SpecError | undefined {
  const missing = COMPILER_SOURCES[orchestrator][cloud].sdks.filter((sdk) => {
    try {
      resolve(sdk);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return undefined;
  const what = orchestrator === "kubernetes" && cloud !== "coreweave" ? `cloud '${cloud}' with orchestrator 'kubernetes'` : `cloud '${cloud}'`;
  const install = missing.map((sdk) => {
    const range = peerRange(sdk);
    return range ? `'${sdk}@${range}'` : sdk;
  });
  return new SpecError(
    "cloud",
    missing.length === 1
      ? `${what} needs the Pulumi SDK ${missing[0]}, which is not installed (gpu-cluster installs only the SDKs a program uses)`
      : `${what} needs the Pulumi SDKs ${missing.slice(0, -1).join(", ")} and ${missing.at(-1)}, which are not installed (gpu-cluster installs only the SDKs a program uses)`,
    `run npm install ${install.join(" ")} in the program's folder`,
  );
}

/** The compiler for a plan's cloud and orchestrator, loading its module (and its cloud's SDK) on first use. */
export function loadCompiler(orchestrator: Orchestrator, cloud: Cloud): CloudCompiler<unknown> {
  const missing = missingSdkError(orchestrator, cloud);
  if (missing) throw missing;
  const known = registered.get(key(orchestrator, cloud));
  if (known) return known;
  const source = COMPILER_SOURCES[orchestrator][cloud];
  const compiler = (require(source.module) as Record<string, CloudCompiler<unknown>>)[source.exportName];
  if (!compiler) throw new Error(`gpu-cluster: ${source.module} has no export '${source.exportName}'`);
  registered.set(key(orchestrator, cloud), compiler);
  return compiler;
}
