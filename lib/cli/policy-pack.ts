/**
 * `gpu-cluster policy-pack init <dir>`: a copy of the policy pack that ships in the package (`policy/`),
 * depending on this version of gpu-cluster, ready for `npm install` and `pulumi preview --policy-pack <dir>`.
 *
 * A copy, not a path into node_modules: Pulumi's policy runner loads a TypeScript pack through ts-node,
 * which does not compile files under node_modules, and picks the TypeScript installed beside the pack's
 * @pulumi/pulumi (vendored 3.8 when there is none), so the pack needs its own folder and dependencies.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { SpecError } from "../spec/errors.js";

/** The files of the pack, as shipped in `policy/`. */
export const POLICY_PACK_FILES = ["PulumiPolicy.yaml", "index.ts", "package.json", "policy-config.json"] as const;

/** The installed gpu-cluster package's root folder (the one with its package.json), from this module. */
export function packageRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string }).name === "gpu-cluster") return dir;
    if (path.dirname(dir) === dir) throw new Error(`gpu-cluster's package.json not found above ${from}`);
  }
}

/** Write the pack into `dir` (created if missing; existing pack files are never overwritten). Returns the files written. */
export function initPolicyPack(dir: string): string[] {
  const root = packageRoot();
  const template = path.join(root, "policy");
  const target = path.resolve(dir);
  const clashes = POLICY_PACK_FILES.filter((f) => fs.existsSync(path.join(target, f)));
  if (clashes.length) throw new SpecError("dir", `${dir} already has ${clashes.join(", ")}`, "choose an empty folder, or remove those files first");
  const version = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version;
  fs.mkdirSync(target, { recursive: true });
  const written: string[] = [];
  for (const file of POLICY_PACK_FILES) {
    let text = fs.readFileSync(path.join(template, file), "utf8");
    if (file === "package.json") {
      const manifest = JSON.parse(text) as { dependencies: Record<string, string> };
      // The repository's pack uses the checkout (file:..); a user's copy uses the release it came from.
      manifest.dependencies["gpu-cluster"] = `^${version}`;
      text = `${JSON.stringify(manifest, null, 2)}\n`;
    }
    fs.writeFileSync(path.join(target, file), text);
    written.push(path.join(target, file));
  }
  return written;
}
