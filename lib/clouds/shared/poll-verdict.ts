/**
 * A bounded wait for a value something else publishes, for reads that run inside `pulumi up` (a VM fabric gate's
 * verdict written by the nodes). Cloud-neutral: the cloud supplies one read, this loop supplies the bound.
 *
 * Why a loop and not a resource's own waiter: a resource is done when its API call is, long before a check that runs
 * on the nodes after their boot (e.g. an SSM association's status is `Success` with no target registered yet). The loop
 * reads the published value itself until it holds an answer or the deadline passes.
 */

/** The clock the wait uses: the real one in a program, a fake in tests. */
export interface PollClock {
  /** Seconds since the Unix epoch (wall-clock: a published value may carry the epoch time it was written at). */
  now(): number;
  /** Pause for `seconds`. */
  sleep(seconds: number): Promise<void>;
}

/** The wall clock. */
export const REAL_CLOCK: PollClock = {
  now: () => Date.now() / 1000,
  sleep: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
};

export interface VerdictPoll<T> {
  /** One read: the answer, or undefined while there is none yet. Throws to end the wait with a failure. */
  read(): Promise<T | undefined>;
  /**
   * How long to keep reading (s), from the first read. A function is asked again after every read, so a value read
   * can shorten the wait (e.g. a "pending" written long ago: its own time bounds the wait, not this `up`'s start).
   */
  deadlineSeconds: number | (() => number);
  /** The pause between reads (s). */
  intervalSeconds: number;
  /** The error the wait ends with when the deadline passes without an answer. */
  timeout(waitedSeconds: number): Error;
}

/**
 * Reads until `read` gives an answer (returned) or throws (rethrown), and throws `timeout` once `deadlineSeconds`
 * have passed with neither. The last read happens at or after the deadline, so a verdict published just in time counts.
 */
export async function pollVerdict<T>(poll: VerdictPoll<T>, clock: PollClock = REAL_CLOCK): Promise<T> {
  const start = clock.now();
  for (;;) {
    const answer = await poll.read();
    if (answer !== undefined) return answer;
    const waited = clock.now() - start;
    const deadline = typeof poll.deadlineSeconds === "function" ? poll.deadlineSeconds() : poll.deadlineSeconds;
    if (waited >= deadline) throw poll.timeout(waited);
    await clock.sleep(Math.min(poll.intervalSeconds, deadline - waited));
  }
}
