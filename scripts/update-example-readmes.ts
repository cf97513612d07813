/**
 * Refresh the cost table each example's README shows (`npm run examples:readme`),
 * after a catalog change or a refresh: runs every example offline and replaces
 * the fenced block that holds the plan's verdict with the new output.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { TYPE_CHECK_NOTE, renderRun } from "../lib/cli/report.js";
import { runOffline } from "../lib/preview/offline.js";
import { PRICING_DATE_ENV } from "../lib/cost/pricing-date.js";
import { EXAMPLE_CONFIG, EXAMPLES_PRICING_DATE } from "./example-config.js";

const EXAMPLES = path.resolve(__dirname, "..", "examples");

/** The part of the text report a README shows: from the first cost headline to the verdict. */
export function costSection(report: string): string {
  // The type-check caveat is about `plan`, not the example: the README shows the cost and the verdict.
  const lines = report.split("\n").filter((l) => l !== TYPE_CHECK_NOTE);
  const start = lines.findIndex((l) => / \$[\d,.]+\/month/.test(l) && !l.startsWith(" "));
  return lines.slice(Math.max(0, start)).join("\n").trimEnd();
}

async function main(): Promise<void> {
  process.env[PRICING_DATE_ENV] ??= EXAMPLES_PRICING_DATE;
  for (const name of fs.readdirSync(EXAMPLES).sort()) {
    const dir = path.join(EXAMPLES, name);
    const readme = path.join(dir, "README.md");
    if (!fs.existsSync(path.join(dir, "Pulumi.yaml")) || !fs.existsSync(readme)) continue;
    const run = await runOffline(dir, { config: EXAMPLE_CONFIG });
    const section = costSection(renderRun(run, `examples/${name}`, "text"));
    const text = fs.readFileSync(readme, "utf8");
    const updated = text.replace(/```\n(?:(?!```)[\s\S])*?Verdict:[^\n]*\n```/, () => "```\n" + section + "\n```");
    if (updated === text && !text.includes(section)) {
      console.warn(`${name}: no fenced block with a verdict to replace`);
      continue;
    }
    fs.writeFileSync(readme, updated);
    console.log(`${name}: ${section.split("\n")[0]}`);
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
