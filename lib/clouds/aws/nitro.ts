/**
 * The AWS Nitro System version of each GPU instance family the catalog lists with EFA, as the EC2 instance types guide
 * gives it in the "Hypervisor" column of its accelerated computing "Instance family summary"
 * (https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html, undated page, read 2026-12-01 through a stored copy).
 * FSx for Lustre takes EFA clients on Nitro v4 or later only (storage-rules.ts, LUSTRE_EFA_MIN_NITRO).
 */
export const NITRO_VERSION_BY_FAMILY: Readonly<Record<string, number>> = {
  g5: 3,
  g6: 4,
  g6e: 4,
  p4d: 3,
  p4de: 3,
  p5: 4,
  p5e: 4,
  p5en: 5,
  "p6-b200": 6,
  "p6-b300": 6,
  "p6e-gb200": 5,
};

/** The instance type's family (`p5en.48xlarge` → `p5en`). */
export function instanceFamily(instanceType: string): string {
  return instanceType.split(".")[0]!;
}

/** The Nitro version of the instance type, or undefined when the table above has no sourced figure for its family. */
export function nitroVersion(instanceType: string): number | undefined {
  return NITRO_VERSION_BY_FAMILY[instanceFamily(instanceType)];
}
