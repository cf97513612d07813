/**
 * FSx for Lustre PERSISTENT_2 SSD throughput tiers beyond the 125 MB/s/TiB row of ./aws.ts, kept apart so the price
 * rows of ./aws.ts can change without touching them. The tiers (250, 500, 1000 MB/s/TiB of storage) and their
 * baseline disk throughput are from the FSx for Lustre user guide
 * (https://docs.aws.amazon.com/fsx/latest/LustreGuide/ssd-storage.html, "File system performance for SSD storage
 * options", read 2026-11-30); the capacity rule (1200 GiB, 2400 GiB, then multiples of 2400 GiB) is the same as the
 * 125 tier's.
 *
 * No price: no us-east-1 figure for these tiers is in any stored copy of the AWS price list or of
 * https://aws.amazon.com/fsx/lustre/pricing/ (the stored page has only its prose), and the Price List API is not
 * reachable from where the catalog was built. Re-searched 2026-11-30: infracost at 95ba4f4 (2026-08-21) has no
 * aws_fsx_lustre_file_system resource (its only FSx for Lustre figure is backup storage, in backup_vault_test.golden);
 * exact searches of the public code index for PERSISTENT_2 find SDK docs and configuration examples, no price dump.
 * Second pass (2026-11-30): infracost's whole history (git log -S 'PERSISTENT_2', 3,183 commits to 95ba4f4) never
 * priced a Lustre file system; the code index's exact search for 'PERSISTENT_2 500' finds lab notes without a rate; a
 * pages search for the tiers' per-GB-month rates finds the stored pricing page's prose, c3x.dev (undated, the 125 tier
 * only) and a third party's 2022-09-03 table of ap-northeast-1 hourly totals (neither us-east-1 nor first-party).
 * So the rows are `usdPerGiBMonth: null`: the tier
 * is built, and a spec that picks it gives its quoted price (`storage[].contractUsdPerGiBMonth`), or validation stops
 * with a SpecError naming that field, rather than the estimate inventing a figure.
 */
import type { StoragePrice } from "../types.js";

const SRC = {
  source:
    "https://docs.aws.amazon.com/fsx/latest/LustreGuide/ssd-storage.html (PERSISTENT-250/500/1000 SSD tiers; undated page); the same tiers in @pulumi/aws 7.48.0 fsx.LustreFileSystem perUnitStorageThroughput ('Valid values for PERSISTENT_2 ... SSD ... are 125, 250, 500, 1000'; published to npm 2026-09-22, the date taken); no public us-east-1 price found (see lib/catalog/data/aws-fsx.ts)",
  asOf: "2026-09-22",
};

/** PERSISTENT_2 SSD at 250, 500 and 1000 MB/s/TiB. */
export const FSX_PERSISTENT_TIERS: StoragePrice[] = [250, 500, 1000].map((mbps) => ({
  cloud: "aws",
  kind: "lustre",
  tier: `persistent-${mbps}`,
  product: `FSx for Lustre PERSISTENT_2 SSD ${mbps} MB/s/TiB`,
  usdPerGiBMonth: null,
  regions: ["*"],
  minCapacityGiB: 1200,
  capacityStepGiB: 2400,
  ...SRC,
}));
