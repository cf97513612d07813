/**
 * The one error type for bad input. It names the field (a dotted path such as
 * `gpu.count` or `storage[1].tier`), what is wrong, and how to fix it, and it is
 * thrown before any cloud resource exists.
 */
export class SpecError extends Error {
  override readonly name = "SpecError";
  /** Dotted path of the offending field, e.g. `gpu.count`. */
  readonly path: string;
  /** What is wrong, in one sentence. */
  readonly problem: string;
  /** How to fix it: the valid choices or the nearest valid value. */
  readonly hint: string;

  constructor(path: string, problem: string, hint: string) {
    super(`${path}: ${problem}${hint ? `; ${hint}` : ""}`);
    this.path = path;
    this.problem = problem;
    this.hint = hint;
  }
}

/** True for a SpecError, also across module copies (checks the name, not the class). */
export function isSpecError(err: unknown): err is SpecError {
  return err instanceof Error && err.name === "SpecError" && typeof (err as SpecError).path === "string";
}

/** The closest candidate to a mistyped word, when it is close enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  // A truncated word ("reserved" for "reserved-1y") is the likeliest slip of all.
  const extended = candidates.find((c) => word.length >= 3 && c.toLowerCase().startsWith(word.toLowerCase()));
  if (extended) return extended;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // A third of the word (at least 2 edits) still reads as a typo; more is a different word.
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** "did you mean 'x'?" or, without a close match, the list of valid choices. */
export function choicesHint(word: string, choices: readonly string[]): string {
  const near = closest(word, choices);
  const list = choices.map((c) => `'${c}'`).join(", ");
  return near ? `did you mean '${near}'? (valid: ${list})` : `valid: ${list}`;
}

/**
 * Throw a SpecError for the first key of `obj` that is not in `allowed` (a typo,
 * usually), naming the nearest valid key. A key set to undefined counts as absent.
 * `path` is the object's own path ("" at the top level, "gpu", "aws", ...).
 */
export function rejectUnknownKeys(obj: object, path: string, allowed: readonly string[]): void {
  for (const [key, value] of Object.entries(obj)) {
    if (!allowed.includes(key) && value !== undefined) {
      throw new SpecError(path ? `${path}.${key}` : key, "is not a known field", choicesHint(key, allowed));
    }
  }
}
