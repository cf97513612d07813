/** Shape of a cloud's simulated data-source answers (see lib/clouds/<cloud>/offline-invokes.ts). */
export type OfflineInvokes = Record<string, (inputs: Record<string, any>, region: string) => Record<string, any>>;

/**
 * Outputs a provider computes (an address, an email, a mount point), simulated per
 * resource type token for the offline preview: `(name, inputs) => outputs`.
 */
export type OfflineOutputs = Record<string, (name: string, inputs: Record<string, any>) => Record<string, any>>;
