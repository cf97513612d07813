/**
 * The Python and YAML examples (examples/other-languages) run through the Pulumi plugin, which no test here can start
 * (no Pulumi CLI). Their args are read from the files as written and priced with the same pure functions the component
 * runs, so an arg the library now refuses (FSx's 4.5 TiB, which is no FSx size) or a price the README states wrongly
 * fails here instead of at the user's first `pulumi preview`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { formatUsd } from "../lib/cost/money.js";

// js-yaml comes with @pulumi/pulumi (which parses Pulumi.yaml with it) and has no bundled types.
const { load } = require("js-yaml") as { load: (text: string) => unknown };

const EXAMPLES = path.join(__dirname, "..", "examples");

/** The enums a Python program names as `gpu.<Enum>.<MEMBER>`, by their TypeScript const objects. */
const ENUMS: Record<string, Record<string, string>> = {
  Cloud: gpu.Cloud, GpuModel: gpu.GpuModel, StorageKind: gpu.StorageKind, BudgetAction: gpu.BudgetAction, PricingModel: gpu.PricingModel,
};

/**
 * The value of a Python expression of the kind the example writes: keyword calls of `...Args` classes (objects, with
 * Pulumi's snake_case names turned back into the schema's camelCase), lists, strings, numbers (with `_` separators)
 * and enum members (Pulumi's Python SDK names a member in upper snake case: `CoreWeave` → `CORE_WEAVE`). Anything else
 * throws, so a construct this reader does not know fails the test rather than being skipped.
 */
function pythonValue(text: string): unknown {
  const src = text.trim();
  let at = 0;
  const skip = () => { while (/\s/.test(src[at] ?? "")) at++; };
  const value = (): unknown => {
    skip();
    const rest = src.slice(at);
    let m: RegExpExecArray | null;
    if ((m = /^"([^"]*)"/.exec(rest))) { at += m[0].length; return m[1]; }
    if ((m = /^\d[\d_]*(\.\d+)?/.exec(rest))) { at += m[0].length; return Number(m[0].replace(/_/g, "")); }
    if ((m = /^gpu\.(\w+)\.(\w+)/.exec(rest))) {
      at += m[0].length;
      const members = ENUMS[m[1]!];
      const key = members && Object.keys(members).find((k) => k.replace(/_/g, "").toUpperCase() === m![2]!.replace(/_/g, ""));
      if (!members || !key) throw new Error(`unknown enum member gpu.${m[1]}.${m[2]}`);
      return members[key];
    }
    if ((m = /^gpu\.\w+Args\(/.exec(rest))) { at += m[0].length; return kwargs(")"); }
    if (rest.startsWith("[")) {
      at++;
      const items: unknown[] = [];
      for (skip(); src[at] !== "]"; skip()) { items.push(value()); skip(); if (src[at] === ",") at++; skip(); }
      at++;
      return items;
    }
    throw new Error(`cannot read Python at: ${rest.slice(0, 40)}`);
  };
  const kwargs = (close: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (skip(); src[at] !== close; skip()) {
      const m = /^(\w+)\s*=/.exec(src.slice(at));
      if (!m) throw new Error(`expected key=value at: ${src.slice(at, at + 40)}`);
      at += m[0].length;
      out[m[1]!.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value();
      skip();
      if (src[at] === ",") at++;
    }
    at++;
    return out;
  };
  const result = value();
  skip();
  if (at !== src.length) throw new Error(`unread Python: ${src.slice(at, at + 40)}`);
  return result;
}

describe("the Python example (examples/other-languages/python-h100-training)", () => {
  const dir = path.join(EXAMPLES, "other-languages", "python-h100-training");
  const program = fs.readFileSync(path.join(dir, "__main__.py"), "utf8");
  const call = /gpu\.TrainingCluster\(\s*"(\w+)",([\s\S]*?)\n\)\n/.exec(program);
  const args = pythonValue(`gpu.TrainingClusterArgs(${call![2]})`) as gpu.ClusterSpec;

  it("passes args the library accepts, the same as the TypeScript quickstart's (index.ts)", () => {
    expect(call![1]).toBe("quickstart");
    expect(args).toEqual({
      cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 32 },
      // FSx for Lustre PERSISTENT_2 sizes: 1.2, 2.4, then multiples of 2.4 TiB (4.5 was refused by planCluster).
      storage: [{ kind: "lustre", capacityTiB: 4.8, mountPath: "/data" }],
      egress: { internetTiBPerMonth: 5 }, budget: { monthlyUsd: 200_000, onExceed: "fail" },
    });
    expect(() => gpu.planCluster(args)).not.toThrow();
  });

  it("states in its README the monthly figure its args price at", () => {
    const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
    const stated = /prices at (\$[\d,]+\.\d\d) a month/.exec(readme)?.[1];
    const monthly = gpu.estimateCost(args).monthlyUsd;
    expect(stated).toBe(formatUsd(monthly));
    // 4 × p5.48xlarge × 730 h × $55.04 = $160,716.80 is the bulk of it; the rest are the cluster's other lines.
    expect(monthly).toBeGreaterThan(160_716.8);
    expect(readme).toContain(`${args.storage![0]!.capacityTiB} TiB of FSx for Lustre`);
  });
});

describe("the YAML example (examples/other-languages/yaml-l4-inference)", () => {
  const program = load(fs.readFileSync(path.join(EXAMPLES, "other-languages", "yaml-l4-inference", "Pulumi.yaml"), "utf8")) as {
    resources: Record<string, { properties: gpu.FleetSpec & { aws?: Record<string, unknown> } }>;
  };
  const { aws, ...spec } = program.resources.serve!.properties;

  it("prices as the TypeScript fleet it mirrors (examples/aws-l4-inference), options included", () => {
    const readme = fs.readFileSync(path.join(EXAMPLES, "aws-l4-inference", "README.md"), "utf8");
    const estimate = gpu.estimateCost(spec, aws);
    expect(estimate.instanceType).toBe("g6.xlarge");
    // The TypeScript example's README states its bill (npm run examples:readme writes it); the YAML program must agree.
    expect(readme).toContain(formatUsd(estimate.monthlyUsd));
    expect(readme).toContain(formatUsd(estimate.worstCaseMonthlyUsd));
  });
});
