/**
 * The primitive checks every entry point runs on user input (the spec, sizing inputs, compare's options, CLI
 * flags): each one either returns the value with the type it promises or throws a SpecError naming the field,
 * what is wrong and the fix. They accept any value at all: null-prototype objects, symbols, prototype-named
 * strings such as "constructor", sparse arrays. Nothing here converts a value it has not checked, so no
 * message can itself throw.
 */
import { SpecError, choicesHint } from "./errors.js";

/**
 * A short, safe description of any value for an error message. `String(value)` throws on symbols and on
 * objects without a prototype, and `${value}` calls a user's `toString`; this does neither.
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value === "" ? "an empty string" : `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
    case "number":
      return Object.is(value, -0) ? "-0" : `${value}`;
    case "bigint":
      return `${value}n (a bigint)`;
    case "boolean":
    case "undefined":
      return `${value}`;
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
    default:
      if (value === null) return "null";
      return Array.isArray(value) ? "a list" : "an object";
  }
}

/** A plain object (null prototype allowed), not a list. */
export function requireObject(value: unknown, path: string, hint = "give an object with the documented fields"): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SpecError(path, value === undefined ? "is required" : `must be an object, got ${describeValue(value)}`, hint);
  }
  return value as Record<string, unknown>;
}

/**
 * A list without holes: `[a, , b]` and `new Array(3)` have elements that are not there at all, which `map` and
 * `forEach` skip silently, so a hole would vanish from the plan instead of being reported.
 */
export function requireList(value: unknown, path: string, hint: string): unknown[] {
  if (!Array.isArray(value)) throw new SpecError(path, value === undefined ? "is required" : `must be a list, got ${describeValue(value)}`, hint);
  for (let i = 0; i < value.length; i++) {
    if (!(i in value)) throw new SpecError(`${path}[${i}]`, "is missing (a hole in the list, e.g. two commas in a row)", "remove the extra comma");
  }
  return value;
}

/** One of `choices` (compared as strings with `includes`, so "constructor" or "__proto__" never matches a table key). */
export function requireChoice<T extends string>(
  value: unknown,
  path: string,
  choices: readonly T[],
  hint: (v: string) => string = (v) => choicesHint(v, choices),
): T {
  if (typeof value !== "string") {
    throw new SpecError(path, value === undefined ? "is required" : `must be a string, got ${describeValue(value)}`, `valid: ${choices.map((c) => `'${c}'`).join(", ")}`);
  }
  if (!(choices as readonly string[]).includes(value)) throw new SpecError(path, `'${value}' is not valid`, hint(value));
  return value as T;
}

/** A non-empty string. */
export function requireString(value: unknown, path: string, hint: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new SpecError(path, value === undefined ? "is required" : `must be a non-empty string, got ${describeValue(value)}`, hint);
  }
  return value;
}

/** A non-empty string, or undefined. */
export function optionalString(value: unknown, path: string, hint = "give a non-empty string, or leave it out"): string | undefined {
  return value === undefined ? undefined : requireString(value, path, hint);
}

export function requireBoolean(value: unknown, path: string): boolean {
  if (typeof value !== "boolean") throw new SpecError(path, `must be true or false, got ${describeValue(value)}`, "use true or false (not a string)");
  return value;
}

/** Bounds of a number; each limit a caller sets carries its unit and reason where it is declared. */
export interface NumberRange {
  min?: number;
  exclusiveMin?: boolean;
  max?: number;
  exclusiveMax?: boolean;
}

/** A finite number within `range`. NaN, ±Infinity, numeric strings and bigints are refused. */
export function requireNumber(value: unknown, path: string, range: NumberRange): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new SpecError(path, value === undefined ? "is required" : `must be a finite number, got ${describeValue(value)}`, describeRange(range));
  }
  const { min, max, exclusiveMin, exclusiveMax } = range;
  if (min !== undefined && (exclusiveMin ? value <= min : value < min)) {
    throw new SpecError(path, `${describeValue(value)} is too small`, describeRange(range));
  }
  if (max !== undefined && (exclusiveMax ? value >= max : value > max)) throw new SpecError(path, `${value} is too large`, describeRange(range));
  return value;
}

export function optionalNumber(value: unknown, path: string, range: NumberRange): number | undefined {
  return value === undefined ? undefined : requireNumber(value, path, range);
}

/** A whole number from `min` to `max`. */
export function requireInteger(value: unknown, path: string, min: number, max?: number): number {
  const range: NumberRange = max === undefined ? { min } : { min, max };
  const n = requireNumber(value, path, range);
  if (!Number.isInteger(n)) throw new SpecError(path, `${n} is not a whole number`, `use ${Math.floor(n)} or ${Math.ceil(n)}`);
  return n;
}

export function optionalInteger(value: unknown, path: string, min: number, max?: number): number | undefined {
  return value === undefined ? undefined : requireInteger(value, path, min, max);
}

/** "use a number at least 1 and at most 744", as the hint of a number check. */
export function describeRange({ min, max, exclusiveMin, exclusiveMax }: NumberRange): string {
  const low = min === undefined ? "" : exclusiveMin ? `greater than ${min}` : `at least ${min}`;
  const high = max === undefined ? "" : exclusiveMax ? `below ${max}` : `at most ${max}`;
  return ["use a number", [low, high].filter(Boolean).join(" and ")].filter(Boolean).join(" ");
}
