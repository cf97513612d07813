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
  /** Monotonic seconds. */
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
  /** How long to keep reading (s), from the first read. */
  deadlineSeconds: number;
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
    if (waited >= poll.deadlineSeconds) throw poll.timeout(waited);
    await clock.sleep(Math.min(poll.intervalSeconds, poll.deadlineSeconds - waited));
  }
}
