/**
 * The shape of the per-cloud option bags (`aws`, `gcp.gke`, `coreweave.keda`, ...), declared once per bag and
 * checked before any option is read: an unknown key, a number where a string goes, an array where an object goes
 * or a hole in a list is a SpecError naming the field, never a TypeError deep in a check or a compiler.
 *
 * The meaning of each value (a CIDR, a DNS label, a range) stays in the bag's own checks, which can then rely on
 * the types the interface promises.
 */
import { describeValue as describe } from "../../spec/checks.js";
import { SpecError, rejectUnknownKeys } from "../../spec/errors.js";

/** What one option holds. */
export type FieldKind =
  | { readonly type: "string" }
  /** A string, or a Pulumi Output / Promise of one (`pulumi.Input<string>`), known only at deployment. */
  | { readonly type: "input" }
  | { readonly type: "choice"; readonly choices: readonly string[] }
  | { readonly type: "string-list" }
  /** A list of `pulumi.Input<string>`. */
  | { readonly type: "input-list" }
  /** A finite number (ranges are the bag's own checks). */
  | { readonly type: "number" }
  | { readonly type: "boolean" }
  /** String keys to string values: tags, labels, environment variables. */
  | { readonly type: "string-map" }
  /** String keys to `pulumi.Input<string>` values: environment variables, where a secret is an Output. */
  | { readonly type: "input-map" }
  /** A nested bag of known fields, or (without `fields`) an opaque object such as a Kubernetes Provider resource. */
  | { readonly type: "object"; readonly fields?: FieldKinds<object> };

/** One FieldKind for every key of an options interface (the compiler checks that none is missing or extra). */
export type FieldKinds<T> = { readonly [K in keyof Required<T>]: FieldKind };

/** Constructors for field kinds, so a bag's declaration reads as a table. */
export const field = {
  string: { type: "string" },
  input: { type: "input" },
  stringList: { type: "string-list" },
  inputList: { type: "input-list" },
  number: { type: "number" },
  boolean: { type: "boolean" },
  stringMap: { type: "string-map" },
  inputMap: { type: "input-map" },
  /** An object the library passes on without looking inside (a Provider resource). */
  resource: { type: "object" },
  choice: (choices: readonly string[]): FieldKind => ({ type: "choice", choices }),
  bag: <T>(fields: FieldKinds<T>): FieldKind => ({ type: "object", fields }),
} as const satisfies Record<string, FieldKind | ((...args: never[]) => FieldKind)>;

/** The keys of a bag, for callers that list or filter them. */
export function optionKeys<T>(fields: FieldKinds<T>): (keyof T & string)[] {
  return Object.keys(fields) as (keyof T & string)[];
}

/** A plain object: not null, not an array, not a function (a null prototype is fine). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `pulumi.Input<string>`: a string, an Output (Pulumi's own marker, as `Output.isInstance` reads it) or a Promise. */
function isStringInput(value: unknown): boolean {
  if (typeof value === "string") return true;
  if (typeof value !== "object" || value === null) return false;
  return (value as { __pulumiOutput?: unknown }).__pulumiOutput === true || typeof (value as { then?: unknown }).then === "function";
}

/** A list whose every element passes `element` (`what` names one element); a hole (`['a', , 'b']`) is reported as one. */
function checkList(value: unknown, path: string, element: (v: unknown) => boolean, what: string): void {
  if (!Array.isArray(value)) throw new SpecError(path, `must be a list, each element ${what}, got ${describe(value)}`, `e.g. ${path.split(".").pop()}: ['...']`);
  for (let i = 0; i < value.length; i++) {
    if (!(i in value)) throw new SpecError(`${path}[${i}]`, "is missing (a hole in the list, e.g. two commas in a row)", "remove the extra comma");
    if (!element(value[i])) throw new SpecError(`${path}[${i}]`, `must be ${what}, got ${describe(value[i])}`, "remove it, or give a string");
  }
}

function checkField(value: unknown, path: string, kind: FieldKind): void {
  switch (kind.type) {
    case "string":
      if (typeof value !== "string") throw new SpecError(path, `must be a string, got ${describe(value)}`, "give the value as a string");
      return;
    case "input":
      if (!isStringInput(value)) throw new SpecError(path, `must be a string (or a Pulumi Output of one), got ${describe(value)}`, "give the value as a string, or wire it from another resource's output");
      return;
    case "choice":
      if (typeof value !== "string" || !kind.choices.includes(value)) {
        throw new SpecError(path, `${typeof value === "string" ? `'${value}'` : describe(value)} is not valid`, `valid: ${kind.choices.map((c) => `'${c}'`).join(", ")}`);
      }
      return;
    case "string-list":
      checkList(value, path, (v) => typeof v === "string", "a string");
      return;
    case "input-list":
      checkList(value, path, isStringInput, "a string (or a Pulumi Output of one)");
      return;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) throw new SpecError(path, `must be a finite number, got ${describe(value)}`, "give a number, e.g. 200");
      return;
    case "boolean":
      if (typeof value !== "boolean") throw new SpecError(path, `must be true or false, got ${describe(value)}`, "give true or false");
      return;
    case "string-map":
      if (!isPlainObject(value)) throw new SpecError(path, `must be an object of strings, got ${describe(value)}`, "e.g. { team: 'ml-infra' }");
      for (const [key, v] of Object.entries(value)) {
        if (typeof v !== "string") throw new SpecError(`${path}.${key}`, `must be a string, got ${describe(v)}`, `e.g. '${key}-value'`);
      }
      return;
    case "input-map":
      if (!isPlainObject(value)) throw new SpecError(path, `must be an object of strings, got ${describe(value)}`, "e.g. { HF_HOME: '/cache' }");
      for (const [key, v] of Object.entries(value)) {
        if (!isStringInput(v)) throw new SpecError(`${path}.${key}`, `must be a string or a Pulumi secret / Output of one, got ${describe(v)}`, "e.g. '1', or pulumi.secret('...') for a token");
      }
      return;
    case "object":
      if (!isPlainObject(value)) throw new SpecError(path, `must be an object, got ${describe(value)}`, kind.fields ? `valid keys: ${Object.keys(kind.fields).join(", ")}` : "pass the resource object");
      if (kind.fields) checkOptionBag(value, path, kind.fields);
      return;
  }
}

/**
 * Check an option bag's shape against its declaration: an object (or undefined: every bag is optional), no
 * unknown key, every given value of its declared type, nested bags likewise. Throws SpecError naming the field.
 */
export function checkOptionBag<T>(value: unknown, at: string, fields: FieldKinds<T>): void {
  if (value === undefined) return;
  if (!isPlainObject(value)) {
    throw new SpecError(at, `must be an object, got ${describe(value)}`, `an object of the documented keys (${Object.keys(fields).slice(0, 4).join(", ")}, ...)`);
  }
  rejectUnknownKeys(value, at, Object.keys(fields));
  for (const [key, kind] of Object.entries(fields) as [string, FieldKind][]) {
    const v = value[key];
    if (v !== undefined) checkField(v, `${at}.${key}`, kind);
  }
}
