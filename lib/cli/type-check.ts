/**
 * `plan --type-check`: type-check a TypeScript program as `pulumi preview` would before running it.
 *
 * Pulumi's Node.js runtime (@pulumi/pulumi cmd/run/run.js and tsutils.js, 3.248.0, read 2026-11-30)
 * registers ts-node with type checking unless PULUMI_NODEJS_TRANSPILE_ONLY=true or the tsconfig sets
 * `noCheck`; its compiler is the `typescript` resolved from @pulumi/pulumi's own folder (its vendored
 * 3.8.3 when none is installed); its project is PULUMI_NODEJS_TSCONFIG_PATH or `tsconfig.json` in the
 * program's folder (none: the compiler's defaults). ts-node reports the diagnostics of the files it loads,
 * which are the program's own TypeScript files, not node_modules, ignoring codes 6059, 18002 and 18003.
 * This module does the same with the TypeScript compiler API over the entry file and what it imports.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Diagnostic codes ts-node ignores by default (rootDir, "no inputs", "files list empty"). */
const TS_NODE_IGNORED = new Set([6059, 18002, 18003]);

export interface TypeCheckResult {
  /** False when the check did not run (a JavaScript program, transpile-only): `reason` says why. */
  ran: boolean;
  reason?: string;
  /** Version of the TypeScript used, and where it came from. */
  typescript?: string;
  /** `file:line:col - error TSxxxx: message`, relative to the program's folder. */
  errors: string[];
}

type TypeScript = typeof import("typescript");

/** The TypeScript Pulumi would pick: beside the program's @pulumi/pulumi, else that SDK's vendored copy. */
function pulumiTypeScript(programDir: string): { ts: TypeScript; from: string } {
  const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [programDir, __dirname] }));
  let file: string;
  try {
    file = require.resolve("typescript", { paths: [pulumiDir] });
  } catch {
    file = path.join(pulumiDir, "vendor", "typescript@3.8.3", "typescript.js");
  }
  return { ts: require(file) as TypeScript, from: file };
}

/** Type-check the program whose entry file is `entry`, in `programDir`. */
export function typeCheckProgram(programDir: string, entry: string): TypeCheckResult {
  if (!/\.[cm]?tsx?$/.test(entry)) return { ran: false, reason: "a JavaScript program (pulumi preview does not type-check it either)", errors: [] };
  if (process.env.PULUMI_NODEJS_TRANSPILE_ONLY === "true") return { ran: false, reason: "PULUMI_NODEJS_TRANSPILE_ONLY=true (pulumi preview skips it too)", errors: [] };
  const { ts, from } = pulumiTypeScript(programDir);
  const typescript = `TypeScript ${ts.version} (${from.includes(`${path.sep}vendor${path.sep}`) ? "the version vendored in @pulumi/pulumi" : "installed beside @pulumi/pulumi"})`;
  const tsconfig = path.resolve(programDir, process.env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json");
  let options: import("typescript").CompilerOptions = {};
  if (fs.existsSync(tsconfig)) {
    const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined };
    const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, host);
    if (parsed) options = parsed.options;
    if ((options as { noCheck?: boolean }).noCheck) return { ran: false, reason: `${path.basename(tsconfig)} sets noCheck (pulumi preview skips it too)`, typescript, errors: [] };
  }
  const program = ts.createProgram([entry], { ...options, noEmit: true });
  const own = program.getSourceFiles().filter((f) => !f.isDeclarationFile && !f.fileName.split(/[\\/]/).includes("node_modules"));
  const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...own.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)])];
  const errors = diagnostics
    .filter((d) => d.category === ts.DiagnosticCategory.Error && !TS_NODE_IGNORED.has(d.code))
    .map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      if (!d.file || d.start === undefined) return `error TS${d.code}: ${message}`;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${path.relative(programDir, d.file.fileName)}:${line + 1}:${character + 1} - error TS${d.code}: ${message}`;
    });
  return { ran: true, typescript, errors };
}

/** The error `plan` reports for type errors: what ts-node throws under `pulumi preview`. */
export class TypeCheckError extends Error {
  override readonly name = "TSError";
  constructor(errors: string[]) {
    super(`⨯ Unable to compile TypeScript (pulumi preview would stop here):\n${errors.join("\n")}`);
  }
}
