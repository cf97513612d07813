/**
 * The component provider: how Python, Go, .NET, Java and YAML programs use TrainingCluster and InferenceFleet.
 *
 * `pulumi package add <this package's source>` reads PulumiPlugin.yaml (runtime: nodejs), installs the package (its
 * `prepare` script builds dist/) and launches it as a plugin. Pulumi's Node.js host requires the package's `main`
 * (dist/lib/index.js), finds the ComponentResource classes it exports and serves them with `componentProviderHost`;
 * the host's analyzer reads their schema (inputs, outputs, enums, descriptions) from the TypeScript sources and the
 * tsconfig.json beside PulumiPlugin.yaml, and every language's SDK is generated from that schema. This module names
 * the same components and serves them the same way when run directly (`node dist/lib/provider/index.js`), and gives
 * the schema to tests (test/analyzer.test.ts) and to anyone who wants to read it.
 *
 * Sources: https://www.pulumi.com/docs/iac/guides/building-extending/packages/source-based-plugin/ and
 * https://www.pulumi.com/docs/reference/pulumiplugin-yaml/ (read 2026-11-30); @pulumi/pulumi 3.248.0
 * cmd/run-plugin/run.js and provider/experimental/provider.js.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ComponentProvider, componentProviderHost } from "@pulumi/pulumi/provider/experimental/index.js";
import { InferenceFleet } from "../components/inference-fleet.js";
import { TrainingCluster } from "../components/training-cluster.js";

/** The package name, which Pulumi uses as the schema's package name and the components' type prefix. */
export const PROVIDER_NAME = "gpu-cluster";

/** The components other languages get, typed `gpu-cluster:index:<class name>`. */
export const COMPONENTS = [TrainingCluster, InferenceFleet];

/** The package's root: the folder holding its package.json, tsconfig.json and PulumiPlugin.yaml. */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name === PROVIDER_NAME) return dir;
    if (path.dirname(dir) === dir) throw new Error(`gpu-cluster: no package.json named '${PROVIDER_NAME}' above ${from}`);
  }
}

/** The Pulumi package schema of the components, as `pulumi package add` generates the SDKs from it. */
export async function componentSchema(): Promise<PulumiPackageSchema> {
  const provider = new ComponentProvider({ name: PROVIDER_NAME, dirname: packageRoot(), components: COMPONENTS });
  return JSON.parse(await provider.getSchema()) as PulumiPackageSchema;
}

/** Serve the components to the Pulumi engine (what the plugin host does with the package's exports). */
export function serve(): Promise<void> {
  return componentProviderHost({ name: PROVIDER_NAME, dirname: packageRoot(), components: COMPONENTS });
}

/** A schema property as the analyzer writes it. */
export interface SchemaProperty {
  type?: string;
  $ref?: string;
  description?: string;
  items?: SchemaProperty;
  additionalProperties?: SchemaProperty;
  plain?: boolean;
}

/** The parts of a Pulumi package schema the components produce. */
export interface PulumiPackageSchema {
  name: string;
  version: string;
  description?: string;
  resources: Record<string, {
    isComponent: boolean;
    description?: string;
    inputProperties: Record<string, SchemaProperty>;
    requiredInputs: string[];
    properties: Record<string, SchemaProperty>;
    required: string[];
  }>;
  types: Record<string, { type: string; enum?: { name: string; value: string | number; description?: string }[]; properties?: Record<string, SchemaProperty> }>;
  dependencies: { name: string; version?: string }[];
}

if (typeof module !== "undefined" && require.main === module) {
  serve().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
