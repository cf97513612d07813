/** Shape of a cloud's simulated data-source answers (see lib/clouds/<cloud>/offline-invokes.ts). */
export type OfflineInvokes = Record<string, (inputs: Record<string, any>, region: string) => Record<string, any>>;
