import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { headline } from "gpu-cluster";
import { runOffline } from "../lib/preview/offline.js";
import { EXAMPLE_CONFIG } from "../scripts/example-config.js";

const EXAMPLES = path.resolve(__dirname, "..", "examples");
const projects = fs.readdirSync(EXAMPLES).filter((name) => fs.existsSync(path.join(EXAMPLES, name, "Pulumi.yaml")));

describe("examples", () => {
  it("are all here", () => {
    expect(projects.sort()).toEqual([
      "aks-ndv5-training",
      "aws-h100-training",
      "aws-l4-inference",
      "azure-a100-inference",
      "azure-ndv5-training",
      "coreweave-h100-training",
      "coreweave-inference",
      "eks-p5-training",
      "gcp-a3mega-training",
      "gcp-l4-inference",
      "gke-a3mega-training",
    ]);
  });

  it.each(projects)("%s is a complete project whose README shows the cost it prints", async (name) => {
    const dir = path.join(EXAMPLES, name);
    for (const file of ["Pulumi.yaml", "index.ts", "package.json", "README.md"]) expect(fs.existsSync(path.join(dir, file)), file).toBe(true);
    const run = await runOffline(async () => {
      await import(`../examples/${name}/index.ts`);
    }, { config: EXAMPLE_CONFIG });
    expect(run.error).toBeUndefined();
    expect(run.costEvents.length).toBeGreaterThan(0);
    const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
    // Stale after a catalog change? `npm run examples:readme` rewrites the tables.
    for (const event of run.costEvents) expect(readme).toContain(headline(event.estimate));
  });
});
