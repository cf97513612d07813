/**
 * Runs `program` with `pulumi.log.warn` recorded instead of printed: the warnings a component logs while it builds (and,
 * for outputs that resolve later, within the next 5 s, after which the real `warn` is put back).
 */
import * as pulumi from "@pulumi/pulumi";

export function withWarnings<T>(program: () => T): { value: T; warnings: string[] } {
  const warnings: string[] = [];
  const warn = pulumi.log.warn;
  (pulumi.log as { warn: (msg: string) => Promise<void> }).warn = async (msg: string) => void warnings.push(msg);
  try {
    return { value: program(), warnings };
  } finally {
    setTimeout(() => ((pulumi.log as { warn: typeof warn }).warn = warn), 5000);
  }
}
