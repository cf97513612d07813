/**
 * Fees of the billable things a target builds besides GPU capacity, storage and egress: public addresses, load
 * balancer usage, NAT data processing of inbound traffic, cross-zone transfer, Cloud NAT per VM, node OS disks, EKS
 * extended support, EFS requests. Each figure with where it was read and that source's own date. The bill
 * of materials (lib/cost/bom) says how many of each a target builds; the estimate multiplies.
 *
 * A figure the clouds do not publish (or that was not found) is left out and the estimate says so, never guessed.
 */
import type { Cloud, Sourced } from "../types.js";

/**
 * The region whose list prices the fee rows below are. Elsewhere the same figures are applied, and the estimate says
 * so in a note: regional figures for these fees were not found in a dated public source.
 */
export const FEE_REFERENCE_REGION: Record<Cloud, string | undefined> = { aws: "us-east-1", gcp: "us-central1", azure: "eastus", coreweave: undefined };

/** One unit price. */
export interface Fee extends Sourced {
  /** USD per `unit`. */
  usd: number;
  /** What one unit is, e.g. `address-hour`, `GiB`, `LCU-hour`. */
  unit: string;
}

/** A disk billed by its size: per GiB-month (AWS gp3, GCP PD / Hyperdisk capacity). */
export interface PerGiBDiskFee extends Sourced {
  kind: "per-GiB";
  /** USD per GiB-month. */
  usdPerGiBMonth: number;
  product: string;
}

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

const AWS_ELB: Sourced = {
  source:
    "https://aws.amazon.com/elasticloadbalancing/pricing/ (ALB $0.008 per LCU-hour, NLB $0.006 per NLCU-hour, US East; 1 LCU = 1 GB processed per hour for EC2 / IP targets), figures as tabulated in https://awsnegotiations.com/elastic-load-balancer-cost.html (published May 2026)",
  asOf: "2026-05-01",
};

const AWS_CROSS_AZ: Sourced = {
  source:
    "https://aws.amazon.com/ec2/pricing/on-demand/ (Data Transfer within the same AWS Region: across Availability Zones $0.01/GB in each direction); a NAT gateway in another zone than the node adds it (https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-pricing.html)",
  asOf: "2024-02-01",
};

/** AWS fees, us-east-1 list prices (the catalog's AWS regions are US and eu-west-1; the figures below are the same in the US regions). */
export const AWS_FEES = {
  publicIpv4: { usd: 0.005, unit: "address-hour", ...AWS_IPV4 } satisfies Fee,
  /** ALB capacity unit; with EC2 targets the processed-bytes dimension is 1 GB per LCU-hour. */
  albLcu: { usd: 0.008, unit: "LCU-hour", ...AWS_ELB } satisfies Fee,
  /** NLB capacity unit; 1 GB processed per NLCU-hour for TCP and TLS. */
  nlbNlcu: { usd: 0.006, unit: "NLCU-hour", ...AWS_ELB } satisfies Fee,
  /** Charged on each side: out of one zone and into the other. */
  crossZonePerGiBEachWay: { usd: 0.01, unit: "GiB", ...AWS_CROSS_AZ } satisfies Fee,
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
  efsElasticRead: {
    usd: 0.03,
    unit: "GiB",
    source: "https://aws.amazon.com/efs/pricing/ (Elastic Throughput: reads $0.03/GB, writes $0.06/GB, us-east-1), as tabulated in https://www.factualminds.com/blog/amazon-efs-pricing-throughput-modes-storage-classes/ (us-east-1, June 2026)",
    asOf: "2026-06-01",
  } satisfies Fee,
  efsElasticWrite: {
    usd: 0.06,
    unit: "GiB",
    source: "https://aws.amazon.com/efs/pricing/ (Elastic Throughput: reads $0.03/GB, writes $0.06/GB, us-east-1), as tabulated in https://www.factualminds.com/blog/amazon-efs-pricing-throughput-modes-storage-classes/ (us-east-1, June 2026)",
    asOf: "2026-06-01",
  } satisfies Fee,
  /** AWS Backup warm storage of EFS recovery points, per GB-month. */
  efsBackupWarm: {
    usd: 0.05,
    unit: "GiB-month",
    source: "https://aws.amazon.com/backup/pricing/ (Amazon EFS backup warm storage $0.05/GB-month, us-east-1), as tabulated in https://www.factualminds.com/blog/aws-backup-pricing-vaults-cross-region-restores/ (published 2026-06-13)",
    asOf: "2026-06-13",
  } satisfies Fee,
} as const;

const CLOUD_NAT: Sourced = {
  source:
    "https://cloud.google.com/nat/pricing (undated page: Public NAT $0.0014 per VM-hour for up to 32 VM instances, $0.044 per hour from 33 on; $0.045 per GiB processed, inbound and outbound; $0.005 per hour for each external IP address the gateway uses); the $0.0014 per VM and $0.045 per GiB also in https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator/blob/master/pricing.yml compute.network.nat (generated 2025-03-06), whose date this takes",
  asOf: "2025-03-06",
};

const GCP_LB: Sourced = {
  source:
    "https://cloud.google.com/load-balancing/pricing (forwarding rules: first 5 $0.025/hour; inbound and outbound data processed by the load balancer $0.008/GiB each), as transcribed 2026-09-20 in https://raw.githubusercontent.com/api-evangelist/google-cloud-load-balancing/refs/heads/main/plans/google-cloud-load-balancing-plans-pricing.yml",
  asOf: "2026-09-20",
};

/** GCP fees. */
export const GCP_FEES = {
  /** Cloud NAT: per VM served, per hour, up to the cap. */
  cloudNatPerVmHour: { usd: 0.0014, unit: "VM-hour", ...CLOUD_NAT } satisfies Fee,
  /** The gateway's hourly charge from `cloudNatCapVms` VMs on. */
  cloudNatCapPerHour: { usd: 0.044, unit: "gateway-hour", ...CLOUD_NAT } satisfies Fee,
  cloudNatCapVms: 32,
  cloudNatDataPerGiB: { usd: 0.045, unit: "GiB", ...CLOUD_NAT } satisfies Fee,
  cloudNatIp: { usd: 0.005, unit: "address-hour", ...CLOUD_NAT } satisfies Fee,
  /**
   * Ports per VM Cloud NAT reserves with the default static allocation (minPortsPerVm 64) and addresses' usable ports
   * (64,512): one address serves 1,008 VMs (https://cloud.google.com/nat/docs/ports-and-addresses).
   */
  cloudNatVmsPerIp: 1008,
  /** Load balancer data processed, inbound plus outbound, per GiB. */
  lbDataPerGiB: { usd: 0.008, unit: "GiB", ...GCP_LB } satisfies Fee,
} as const;

/** Azure fees, eastus. */
export const AZURE_FEES = {
  /** Standard SKU static public IPv4 address. */
  publicIp: {
    usd: 0.005,
    unit: "address-hour",
    source: "https://azure.microsoft.com/pricing/details/ip-addresses/ (Standard static IPv4, regional), figure as restated in https://c3x.dev/resources/azure/azurerm_public_ip",
    asOf: "2026-11-25",
  } satisfies Fee,
  /** Standard Load Balancer data processed. */
  lbDataPerGiB: {
    usd: 0.005,
    unit: "GiB",
    source: "https://azure.microsoft.com/pricing/details/load-balancer/ (Standard: $0.005 per GB processed), figure as restated in https://c3x.dev/resources/azure/azurerm_lb",
    asOf: "2026-11-25",
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
      source: "https://aws.amazon.com/ebs/pricing/ (gp3 $0.08/GB-month us-east-1; the 3,000 IOPS / 125 MB/s baseline the compilers use is free), as read in https://taourl.com/read-2670558.html (May 2025)",
      asOf: "2025-05-12",
    },
  },
  gcp: {
    "pd-balanced": {
      kind: "per-GiB",
      product: "Persistent Disk pd-balanced",
      usdPerGiBMonth: 0.1,
      source: "https://raw.githubusercontent.com/Cyclenerd/google-cloud-pricing-cost-calculator/master/pricing.yml (pd-balanced capacity, us-central1, generated 2025-03-06)",
      asOf: "2025-03-06",
    },
    "pd-ssd": {
      kind: "per-GiB",
      product: "Persistent Disk pd-ssd",
      usdPerGiBMonth: 0.17,
      source: "https://raw.githubusercontent.com/Cyclenerd/google-cloud-pricing-cost-calculator/master/pricing.yml (pd-ssd capacity, us-central1, generated 2025-03-06)",
      asOf: "2025-03-06",
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
      ],
      source:
        "https://prices.azure.com/api/retail/prices (eastus, 'Premium SSD Managed Disks', meters 'P10/P15/P20/P30/P40 LRS Disk', Consumption; P15 $38.012142 as queried 2026-09-20 and recorded in a public repository; P10 $19.71, P20 $73.22, P30 $135.17 as in the catalog's Premium SSD row); eastus list price, applied to all regions",
      asOf: "2026-09-20",
    },
  },
};
