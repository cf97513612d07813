/**
 * Simulated answers of the gcp data sources the compiler calls, for the
 * offline preview (there is no cloud to ask). Keyed by invoke token.
 */
import type { OfflineInvokes } from "../../preview/invokes.js";

export const gcpOfflineInvokes: OfflineInvokes = {};
