/**
 * The EKS Kubernetes release calendar: when each minor version leaves standard support (extended support is billed
 * from then: lib/cost/bom/aws-eks.ts) and when it leaves extended support (no cluster can be created or kept on it:
 * ./options.ts refuses it).
 */

/**
 * End of standard support of EKS minor versions; a cluster on a version past it is billed extended support. 1.29 to
 * 1.34: AWS's own release calendar, the "Amazon EKS Kubernetes release calendar" table of
 * https://github.com/awsdocs/amazon-eks-user-guide/blob/013856044148d6eeed4723027a45aa2180536bcb/latest/ug/versioning/kubernetes-versions.adoc
 * (the source of https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html; 14 months of standard
 * support; every date below agrees with it). 1.28 (left that table) and 1.35 (not yet in that copy): the calendar as
 * tabulated in https://endoflife.date/amazon-eks (read 2026-02-14), a third party, as no stored first-party copy lists
 * them (searched 2026-12-01: the code index's exact search for '|March 27, 2027' and '|November 26, 2024' finds none).
 */
export const EKS_STANDARD_SUPPORT_ENDS: Record<string, string> = {
  "1.28": "2024-11-26",
  "1.29": "2025-03-23",
  "1.30": "2025-07-23",
  "1.31": "2025-11-26",
  "1.32": "2026-03-23",
  "1.33": "2026-07-29",
  "1.34": "2026-12-02",
  "1.35": "2027-03-27",
};

/**
 * The date standard support of `version` ended, when it has ended by `today` (ISO date); undefined for a version in
 * standard support or undefined. A version older than the calendar ended long ago.
 */
export function eksStandardSupportEnded(version: string | undefined, today: string): string | undefined {
  if (version === undefined) return undefined;
  const listed = EKS_STANDARD_SUPPORT_ENDS[version];
  if (listed !== undefined) return listed <= today ? listed : undefined;
  const oldest = Object.keys(EKS_STANDARD_SUPPORT_ENDS)[0]!;
  const [major, minor] = version.split(".").map(Number);
  const [oMajor, oMinor] = oldest.split(".").map(Number);
  const older = major! < oMajor! || (major === oMajor && minor! < oMinor!);
  return older ? `before ${EKS_STANDARD_SUPPORT_ENDS[oldest]}` : undefined;
}

/**
 * End of extended support of EKS minor versions: the day EKS stops creating clusters on the version and starts
 * upgrading existing control planes off it ("On the end of extended support date, you can no longer create new Amazon
 * EKS clusters with the unsupported version"). 1.29 to 1.34: the "End of extended support" column of the same calendar
 * (awsdocs/amazon-eks-user-guide@013856044148d6eeed4723027a45aa2180536bcb latest/ug/versioning/kubernetes-versions.adoc).
 * 1.28 and 1.35: their standard-support end plus the 12 months of extended support that page states for every version
 * ("it enters extended support for the next 12 months").
 */
export const EKS_EXTENDED_SUPPORT_ENDS: Record<string, string> = {
  "1.28": "2025-11-26",
  "1.29": "2026-03-23",
  "1.30": "2026-07-23",
  "1.31": "2026-11-26",
  "1.32": "2027-03-23",
  "1.33": "2027-07-29",
  "1.34": "2027-12-02",
  "1.35": "2028-03-27",
};

/**
 * The date extended support of `version` ended, when it has ended by `today` (ISO date): the version can no longer be
 * created or kept. A version older than the calendar ended long ago; one newer than it (not yet released) has not.
 */
export function eksExtendedSupportEnded(version: string, today: string): string | undefined {
  const listed = EKS_EXTENDED_SUPPORT_ENDS[version];
  if (listed !== undefined) return listed <= today ? listed : undefined;
  return olderThanCalendar(version, EKS_EXTENDED_SUPPORT_ENDS) ? `before ${Object.values(EKS_EXTENDED_SUPPORT_ENDS)[0]}` : undefined;
}

function olderThanCalendar(version: string, calendar: Record<string, string>): boolean {
  const [major, minor] = version.split(".").map(Number);
  const [oMajor, oMinor] = Object.keys(calendar)[0]!.split(".").map(Number);
  return major! < oMajor! || (major === oMajor && minor! < oMinor!);
}
