/**
 * Every Pulumi language: the schema Pulumi's component analyzer (@pulumi/pulumi/provider/experimental) reads from the
 * TypeScript sources, which `pulumi package add` turns into Python, Go, .NET, Java and YAML SDKs. The analyzer refuses
 * what a schema cannot hold (unions of shapes, intersections, anonymous object types), so this test fails the day an
 * arg or output it cannot read is added. It reads the real sources through the provider entry (lib/provider).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { componentSchema, type PulumiPackageSchema, type SchemaProperty } from "../lib/provider/index.js";

// js-yaml comes with @pulumi/pulumi (which parses Pulumi.yaml with it) and has no bundled types.
const { load } = require("js-yaml") as { load: (text: string) => unknown };

let schema: PulumiPackageSchema;
beforeAll(async () => {
  schema = await componentSchema();
}, 240_000);

const COMMON_INPUTS = [
  "name", "cloud", "region", "gpu", "orchestrator", "fabric", "storage", "egress", "pricing", "contractUsdPerHour",
  "hoursPerMonth", "budget", "zone", "reservationId", "aws", "gcp", "azure", "coreweave",
];
const EXPECTED = {
  "gpu-cluster:index:TrainingCluster": {
    inputs: COMMON_INPUTS,
    required: ["cloud", "gpu", "region"],
    outputs: ["plan", "costEstimate", "nodeGroupId", "networkId", "subnetIds", "securityGroupId", "placementGroupName", "storage", "nodeCounts", "ncclBusBandwidthGBps", "ncclTransport", "ncclBusBandwidthFloorGBps", "ncclCrossRackBusBandwidthGBps", "ncclCrossRackBusBandwidthFloorGBps", "capacityBlockPricing"],
  },
  "gpu-cluster:index:InferenceFleet": {
    inputs: [...COMMON_INPUTS, "replicas", "loadBalancer", "port", "healthCheckPath"],
    required: ["cloud", "gpu", "region", "replicas"],
    outputs: ["plan", "costEstimate", "nodeGroupId", "networkId", "subnetIds", "securityGroupId", "endpointUrl", "storage", "nodeCounts", "capacityBlockPricing"],
  },
};

describe("the component schema", () => {
  it("names the package and holds exactly the two components", () => {
    expect(schema.name).toBe("gpu-cluster");
    expect(schema.version).toBe("0.1.0");
    expect(Object.keys(schema.resources).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))("%s: every input and output, each described", (type, want) => {
    const resource = schema.resources[type]!;
    expect(resource.isComponent).toBe(true);
    expect(resource.description).toMatch(/\w{4,}/);
    expect(Object.keys(resource.inputProperties).sort()).toEqual([...want.inputs].sort());
    expect([...resource.requiredInputs].sort()).toEqual(want.required);
    expect(Object.keys(resource.properties).sort()).toEqual([...want.outputs].sort());
    for (const [name, property] of [...Object.entries(resource.inputProperties), ...Object.entries(resource.properties)]) {
      expect(property.description, `${type} ${name}`).toMatch(/\w{4,}/);
    }
  });

  it("reads the string unions as enums, which TypeScript still takes as plain strings", () => {
    const fleet = schema.resources["gpu-cluster:index:InferenceFleet"]!;
    expect(fleet.inputProperties.loadBalancer!.$ref).toBe("#/types/gpu-cluster:index:LoadBalancerScheme");
    expect(schema.types["gpu-cluster:index:LoadBalancerScheme"]!.enum).toEqual([
      { name: "Internal", value: "internal" },
      { name: "InternetFacing", value: "internet-facing" },
    ]);
    expect(fleet.inputProperties.cloud!.$ref).toBe("#/types/gpu-cluster:index:Cloud");
    expect(schema.types["gpu-cluster:index:Cloud"]!.enum!.map((m) => m.value)).toEqual(["aws", "gcp", "azure", "coreweave"]);
    expect(schema.types["gpu-cluster:index:PricingModel"]!.enum!.map((m) => m.value)).toEqual([
      "on-demand", "spot", "reserved-1y", "reserved-3y", "capacity-block", "flex-start",
    ]);
    // CoreWeave's IMEX mode (an option-bag field): the analyzer refuses a bare string union, so it is an enum too.
    expect(schema.types["gpu-cluster:index:ImexMode"]!.enum!.map((m) => m.value)).toEqual(["node", "dra"]);
    expect(schema.types["gpu-cluster:index:GpuModel"]!.enum!.find((m) => m.value === "A100-80GB")!.name).toBe("A100_80GB");
    const budget = schema.types["gpu-cluster:index:BudgetSpec"]!.properties!;
    expect(budget.onExceed!.$ref).toBe("#/types/gpu-cluster:index:BudgetAction");
    const gke = schema.types["gpu-cluster:index:GkeOptions"]!.properties!;
    expect(gke.releaseChannel!.$ref).toBe("#/types/gpu-cluster:index:GkeReleaseChannel");
  });

  it("takes the spec as plain values (validated in the constructor) and the cluster provider as a Kubernetes resource", () => {
    const cluster = schema.resources["gpu-cluster:index:TrainingCluster"]!;
    expect(cluster.inputProperties.gpu).toMatchObject({ $ref: "#/types/gpu-cluster:index:GpuSpec", plain: true });
    const coreweave = schema.types["gpu-cluster:index:CoreWeaveOptions"]!.properties!;
    // A reference into the Kubernetes package's schema. (The analyzer of @pulumi/pulumi 3.248.0 writes a provider as
    // `#/resources/kubernetes`, not `#/provider`; the Python and YAML examples leave `provider` to its default.)
    expect(coreweave.provider!.$ref).toMatch(/^\/kubernetes\/v4\.34\.2\/schema\.json#\//);
    expect(schema.dependencies).toEqual([{ name: "kubernetes", version: "4.34.2" }]);
  });
});

/** Check a YAML value against a schema property the way Pulumi YAML would bind it: names, enum values, required keys. */
function checkValue(value: unknown, property: SchemaProperty, where: string): void {
  if (property.$ref?.startsWith("#/types/")) {
    const type = schema.types[property.$ref.slice("#/types/".length)];
    expect(type, `${where}: ${property.$ref}`).toBeDefined();
    if (type!.enum) {
      expect(type!.enum.map((m) => m.value), where).toContain(value);
      return;
    }
    expect(typeof value, where).toBe("object");
    const object = value as Record<string, unknown>;
    for (const [key, inner] of Object.entries(object)) {
      expect(Object.keys(type!.properties!), `${where}.${key}`).toContain(key);
      checkValue(inner, type!.properties![key]!, `${where}.${key}`);
    }
    return;
  }
  if (property.type === "array") {
    expect(Array.isArray(value), where).toBe(true);
    (value as unknown[]).forEach((item, i) => checkValue(item, property.items!, `${where}[${i}]`));
    return;
  }
  if (property.type === "object") {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) checkValue(inner, property.additionalProperties!, `${where}.${key}`);
    return;
  }
  const kind = property.type === "integer" ? "number" : property.type;
  expect(typeof value, where).toBe(kind);
}

describe("the YAML example", () => {
  const file = path.join(__dirname, "..", "examples", "other-languages", "yaml-l4-inference", "Pulumi.yaml");
  const program = load(fs.readFileSync(file, "utf8")) as {
    packages: Record<string, string>;
    resources: Record<string, { type: string; properties: Record<string, unknown> }>;
    outputs: Record<string, string>;
  };

  it("adds this repository as the gpu-cluster package", () => {
    expect(fs.existsSync(path.join(path.dirname(file), program.packages["gpu-cluster"]!, "PulumiPlugin.yaml"))).toBe(true);
  });

  it("gives every component property a name, value and enum member the schema has, and every required input", () => {
    const resources = Object.entries(program.resources);
    expect(resources.map(([, r]) => r.type)).toEqual(["gpu-cluster:InferenceFleet"]);
    for (const [name, resource] of resources) {
      const component = schema.resources[resource.type.replace(/^gpu-cluster:/, "gpu-cluster:index:")]!;
      for (const required of component.requiredInputs) expect(Object.keys(resource.properties), `${name} needs ${required}`).toContain(required);
      for (const [key, value] of Object.entries(resource.properties)) {
        expect(Object.keys(component.inputProperties), `${name}.${key}`).toContain(key);
        checkValue(value, component.inputProperties[key]!, `${name}.${key}`);
      }
    }
  });

  it("reads outputs the component has", () => {
    const fleet = schema.resources["gpu-cluster:index:InferenceFleet"]!;
    for (const expression of Object.values(program.outputs)) {
      const [, output, field] = /^\$\{serve\.(\w+)(?:\.(\w+))?\}$/.exec(expression)!;
      expect(Object.keys(fleet.properties)).toContain(output);
      if (field) {
        const type = schema.types[fleet.properties[output!]!.$ref!.slice("#/types/".length)]!;
        expect(Object.keys(type.properties!), expression).toContain(field);
      }
    }
  });
});
