/**
 * The stack configuration `pulumi preview` would give a program, read offline: the project's defaults
 * (Pulumi.yaml `config:`), the stack file (`Pulumi.<stack>.yaml`), then `--config key=value` flags, later
 * sources winning. Format: https://www.pulumi.com/docs/iac/concepts/projects/project-file/ and
 * https://www.pulumi.com/docs/iac/concepts/config/ (read 2026-11-30).
 *
 * Secrets (`key: { secure: <ciphertext> }`) cannot be decrypted offline (no passphrase, no service): the key
 * is set to a placeholder and marked secret, so `config.requireSecret` works and the value never shows.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { SpecError } from "../spec/errors.js";

/** What a secret config value reads as offline. `--config key=value` replaces it. */
export const SECRET_PLACEHOLDER = "offline-secret-placeholder";

export interface StackConfig {
  /** `project:key` (or `provider:key`) → the value as Pulumi hands it to the program (objects as JSON). */
  config: Record<string, string>;
  /** Keys whose value is secret (placeholders for `secure:` values, and flags that replace them). */
  secretKeys: string[];
  /** One line per source read, for the report, e.g. "Pulumi.dev.yaml: 3 keys (1 secret, as a placeholder)". */
  sources: string[];
}

/** `key` with the project's namespace when it has none (`pulumi config set key` writes `project:key`). */
function qualified(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/** A YAML config value as the string Pulumi passes the program: structured values as JSON. */
function configString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function readYaml(file: string): Record<string, unknown> {
  try {
    const doc: unknown = parse(fs.readFileSync(file, "utf8"));
    return doc && typeof doc === "object" ? (doc as Record<string, unknown>) : {};
  } catch (e) {
    throw new SpecError(path.basename(file), `cannot be read as YAML (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`, "fix the file, or plan without it");
  }
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value;
}

/**
 * Read the configuration of `stack` for the program in `dir` (project `project`), with `flags` (`--config`)
 * last. `stack` undefined: the project's defaults and the flags only.
 */
export function readStackConfig(dir: string, project: string, stack: string | undefined, flags: Record<string, string>): StackConfig {
  const config: Record<string, string> = {};
  const secretKeys = new Set<string>();
  const sources: string[] = [];

  // Project defaults: `key: value`, or `key: { type, default }` / `{ value }` declarations.
  const projectFile = path.join(dir, "Pulumi.yaml");
  if (fs.existsSync(projectFile)) {
    const declared = readYaml(projectFile).config;
    if (declared && typeof declared === "object") {
      let count = 0;
      for (const [key, entry] of Object.entries(declared as Record<string, unknown>)) {
        const value = entry !== null && typeof entry === "object" && !Array.isArray(entry) ? ((entry as Record<string, unknown>).value ?? (entry as Record<string, unknown>).default) : entry;
        if (value === undefined || value === null) continue;
        config[qualified(key, project)] = configString(value);
        count++;
      }
      if (count > 0) sources.push(`Pulumi.yaml: ${count} default${count === 1 ? "" : "s"}`);
    }
  }

  if (stack !== undefined) {
    const stackFile = path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) {
      const found = fs.readdirSync(dir).flatMap((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1] ?? []);
      throw new SpecError("--stack", `'${stack}' has no Pulumi.${stack}.yaml in ${dir}`, found.length ? `stacks with a file here: ${found.join(", ")}` : "run `pulumi stack init` and `pulumi config set`, or pass --config key=value");
    }
    const values = readYaml(stackFile).config;
    let count = 0;
    let secrets = 0;
    for (const [key, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
      const name = qualified(key, project);
      if (isSecure(value)) {
        config[name] = SECRET_PLACEHOLDER;
        secretKeys.add(name);
        secrets++;
      } else if (value !== null && value !== undefined) {
        config[name] = configString(value);
      }
      count++;
    }
    sources.push(`Pulumi.${stack}.yaml: ${count} key${count === 1 ? "" : "s"}${secrets ? ` (${secrets} secret${secrets === 1 ? "" : "s"}, as a placeholder: pass --config key=value to give one a value)` : ""}`);
  }

  const flagKeys = Object.keys(flags);
  for (const [key, value] of Object.entries(flags)) config[qualified(key, project)] = value;
  if (flagKeys.length) sources.push(`--config: ${flagKeys.length} key${flagKeys.length === 1 ? "" : "s"}`);
  return { config, secretKeys: [...secretKeys], sources };
}

/** The stacks with a config file in `dir` (`Pulumi.<stack>.yaml`). */
export function stackFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).flatMap((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1] ?? []);
}
