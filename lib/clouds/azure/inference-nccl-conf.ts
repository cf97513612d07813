/**
 * The HPC image's NCCL configuration, for the model server of an Azure VM fleet. NCCL reads /etc/nccl.conf, and on
 * some sizes the HPC image writes its topology there. A container does not see the host's copy, so on those sizes the
 * server container mounts it read-only, as the fabric gate's container does (lib/clouds/shared/fabric-gate.ts
 * azureGatePeers), with /opt/microsoft, where the files it names live.
 *
 * Source: Azure/azhpc-images @8e9d055f (2026-07-29, read 2026-12-01).
 * - `sku-customizations.service` runs components/setup_sku_customizations.sh's per-size script at each boot (and
 *   empties /etc/nccl.conf at shutdown). It maps the size from IMDS to a family:
 *   - `standard_nc96ads_a100_v4` → ncv4;
 *   - `standard_nd*v4` → ndv4;
 *   - `standard_nd96is*_h[1-2]00_v5` → ndv5.
 * - ncv4.sh writes NCCL_TOPO_FILE and NCCL_GRAPH_FILE (/opt/microsoft/ncv4/*.xml, symlinks to
 *   /opt/microsoft/ncv4-*.xml), with NCCL_IGNORE_CPU_AFFINITY=1. ndv4.sh and ndv5.sh write their NCCL_TOPO_FILE the
 *   same way.
 * - No other size of the catalog gets a file: NC24ads A100 v4 and NC40ads H100 v5 match no case, ncv5 (NC80adis) and
 *   ndv6 (GB200) write none, and MI300X is not an NVIDIA size.
 * Only the default (pinned HPC) image is known to write it. Under `azure.image` the server mounts nothing: a bind of a
 * file the image never writes would keep the server from starting.
 */
import type { Plan } from "../../planner/types.js";
import type { HostFiles } from "../shared/model-server.js";
import type { AzureOptions } from "./options.js";
import { SKU_CUSTOMIZATIONS } from "./gate-peers.js";

/** The VM sizes whose HPC image customization writes /etc/nccl.conf, matched as setup_sku_customizations.sh matches them. */
const WRITES_NCCL_CONF: readonly RegExp[] = [/^standard_nc96ads_a100_v4$/, /^standard_nd.*v4$/, /^standard_nd96is.*_h[1-2]00_v5$/];

/** The host files the model server mounts on this size and image: the NCCL configuration and its topology files, or none. */
export function inferenceNcclConf(plan: Pick<Plan, "instanceType">, options: Pick<AzureOptions, "image"> | undefined): HostFiles | undefined {
  if (options?.image !== undefined) return undefined;
  const size = plan.instanceType.toLowerCase();
  if (!WRITES_NCCL_CONF.some((pattern) => pattern.test(size))) return undefined;
  return { paths: ["/etc/nccl.conf", "/opt/microsoft"], writtenBy: [`${SKU_CUSTOMIZATIONS}.service`] };
}
