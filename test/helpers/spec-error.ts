/**
 * The SpecError a call throws: the test fails on a return or on any other error, and on a SpecError without a hint
 * (every refusal names the fix).
 */
import { expect } from "vitest";
import { isSpecError, type SpecError } from "../../lib/spec/errors.js";

export function specError(call: () => unknown): SpecError {
  let caught: unknown;
  try {
    call();
  } catch (err) {
    caught = err;
  }
  if (!isSpecError(caught)) throw new Error(`expected a SpecError, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : "a return"}`);
  expect(caught.hint).toMatch(/\S/);
  return caught;
}
