/**
 * The Lustre EFA client: the lines that put LNet on a node's EFA devices before an EFA-enabled FSx file system is
 * mounted. One builder for both AWS node paths: the VM boot script (bootstrap.ts, Ubuntu Deep Learning AMI) and the EKS
 * GPU nodes' user data (eks/lustre-efa.ts, AL2023 NVIDIA AMI). The rules and their sources are in storage-rules.ts.
 */
import { shellQuote } from "../shared/bootstrap.js";
import { LNET_EFA_SELECTION, LUSTRE_EFA_MIN_KERNEL, LUSTRE_EFA_VERSION_FLOORS } from "./storage-rules.js";

/**
 * FSx's Ubuntu repository of Lustre client modules and its signing key
 * (https://docs.aws.amazon.com/eks/latest/userguide/fsx-csi-tuning-efa.html, awsdocs/amazon-eks-user-guide
 * latest/ug/storage/fsx-csi-tuning-efa.adoc @1527dee, read 2026-11-30).
 */
export const FSX_LUSTRE_CLIENT_REPO = {
  key: "https://fsx-lustre-client-repo-public-keys.s3.amazonaws.com/fsx-ubuntu-public-key.asc",
  keyring: "/usr/share/keyrings/fsx-ubuntu-public-key.gpg",
  url: "https://fsx-lustre-client-repo.s3.amazonaws.com/ubuntu",
} as const;

/**
 * Where the node's Lustre client comes from, which decides what the lines check and install first:
 * - `ubuntu`: the Deep Learning AMI's client, which may predate the EFA network driver; the FSx guide supports Ubuntu
 *   clients on kernel 6.8 or later only (checked), and the modules for the running kernel come from FSx's Ubuntu
 *   repository when `kefalnd` is missing (through the NAT gateway).
 * - `al2023`: Amazon Linux 2023's own `lustre-client` package, which the EKS node installs with dnf before these lines
 *   (eks/launch-template.ts lustreClientPart). The FSx guide supports AL2023 clients with no kernel condition
 *   (configure-efa-clients.html, read 2026-11-30); a client without `kefalnd` fails at the modprobe below.
 */
export type LustreClientSource = "ubuntu" | "al2023";

/** What every failure message of these lines starts with. */
const FAILURE_PREFIX = "LNet over EFA for the EFA-enabled FSx file system";

/**
 * Shell lines that configure LNet over EFA, each step calling `fail '<reason>'` (the caller's function, which must stop
 * the node from using the file system over TCP) when it goes wrong. As AWS's EFA Lustre client setup does (the EKS
 * guide's fsx-csi-tuning-efa.html above; configure-efa-clients.html gives the same `lnetctl net add --net efa --if
 * <device> --peer-credits 32`): the driver version floors it enforces (LUSTRE_EFA_VERSION_FLOORS), then the EFA LND
 * (`kefalnd`) bound to the primary interface, TCP on the primary interface,
 * the EFA interfaces (LNET_EFA_SELECTION), peer discovery on, and EFA preferred (UDSP priority 0). Mounts keep the
 * source `<dns>@tcp:/<name>`: discovery moves the traffic to EFA. Idempotent: a node whose LNet already has an EFA
 * interface skips to the final check (every selected device in LNet), so the lines can run at every boot.
 */
export function lustreEfaClientLines(instanceType: string, client: LustreClientSource): string[] {
  const fail = (what: string) => `fail ${shellQuote(`${FAILURE_PREFIX}: ${what}`)}`;
  const apt = "DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q";
  // The node's EFA devices: RDMA devices bound to the `efa` driver, as the FSx guide lists them (configure-efa-clients.html,
  // "View available EFA devices"), so a type that also carries other RDMA devices (p6-b300's ConnectX NICs) does not
  // put those in LNet; in PCI address order (the `device` link of each names its PCI function, e.g. 0000:4f:00.0, whose
  // fixed-width hex sorts as text), not the name order `ls` gives (rdmap113s0 before rdmap79s0): "every fourth" or
  // "every second" device is meant as one per PCIe switch, and devices behind one switch are neighbours on the bus
  // (AWS's setup in the EKS guide takes them in `ls` order, which is PCI order only while the names sort that way).
  // Then the type's selection of them (LNET_EFA_SELECTION).
  const efaDevices =
    `ls -1 /sys/class/infiniband | while read -r d; do [ "$(basename "$(readlink -f "/sys/class/infiniband/$d/device/driver")")" = efa ] && ` +
    `echo "$(basename "$(readlink -f "/sys/class/infiniband/$d/device")") $d"; done | LC_ALL=C sort | awk '{print $2}'`;
  const pick = { "every-fourth": " | awk 'NR % 4 == 1'", "every-second": " | awk 'NR % 2 == 1'", all: "", "first-last": " | sed -n '1p;$p' | uniq" }[LNET_EFA_SELECTION[instanceType] ?? "first-last"];
  const devices = `${efaDevices}${pick}`;
  const ubuntu = [
    `  [ "$(printf '%s\\n' ${LUSTRE_EFA_MIN_KERNEL} "$(uname -r)" | sort -V | head -n1)" = ${LUSTRE_EFA_MIN_KERNEL} ] || ${fail(`the running kernel is older than ${LUSTRE_EFA_MIN_KERNEL}`)}`,
    "  if ! modinfo kefalnd >/dev/null 2>&1; then",
    `    curl -fsSL ${FSX_LUSTRE_CLIENT_REPO.key} | gpg --dearmor --yes -o ${FSX_LUSTRE_CLIENT_REPO.keyring} || ${fail("fetching FSx's Lustre client repository key failed (no NAT gateway?)")}`,
    `    echo "deb [signed-by=${FSX_LUSTRE_CLIENT_REPO.keyring}] ${FSX_LUSTRE_CLIENT_REPO.url} $(. /etc/os-release && echo "$VERSION_CODENAME") main" > /etc/apt/sources.list.d/fsx-lustre-client.list`,
    `    ${apt} update >/dev/null && ${apt} install -y "lustre-client-modules-$(uname -r)" >/dev/null || ${fail("installing lustre-client-modules for the running kernel from FSx's repository failed")}`,
    "  fi",
  ];
  return [
    "if ! lnetctl net show --net efa 2>/dev/null | grep -q '@efa'; then",
    // The primary interface: the one holding the default route (AWS's setup matches `hostname -i` instead, which can
    // print several addresses; the extra network cards carry efa-only interfaces without an address or route).
    `  lnet_if="$(ip -4 route show default | awk '{print $5; exit}')"`,
    `  [ -n "$lnet_if" ] || ${fail("no primary network interface found")}`,
    ...(client === "ubuntu" ? ubuntu : []),
    ...versionFloorLines(instanceType),
    `  modprobe lnet && modprobe kefalnd ipif_name="$lnet_if" && modprobe ksocklnd || ${fail("the Lustre client has no EFA network driver (kefalnd) for the running kernel")}`,
    `  lnetctl lnet configure || ${fail("lnetctl lnet configure failed")}`,
    "  lnetctl net del --net tcp 2>/dev/null",
    `  lnetctl net add --net tcp --if "$lnet_if" || ${fail("adding the TCP network failed")}`,
    `  for dev in $(${devices}); do lnetctl net add --net efa --if "$dev" --peer-credits 32 || ${fail("adding an EFA device to LNet failed")}; done`,
    `  lnetctl set discovery 1 && lnetctl udsp add --src efa --priority 0 || ${fail("turning on discovery and the EFA preference failed")}`,
    `  modprobe lustre || ${fail("loading the lustre module failed")}`,
    "fi",
    // Every device the selection names must be in LNet, not just one: a partial LNet (devices that did not attach)
    // still mounts, at a fraction of the bandwidth, with no error anywhere else.
    `efa_want=$(${devices} | wc -l); efa_up=$(lnetctl net show --net efa 2>/dev/null | grep -c '@efa')`,
    `[ "$efa_want" -ge 1 ] && [ "$efa_up" -ge "$efa_want" ] || fail "${FAILURE_PREFIX}: $efa_up of $efa_want EFA interfaces are up in LNet"`,
  ];
}

/**
 * The version floors AWS's setup enforces (LUSTRE_EFA_VERSION_FLOORS): `modinfo -F version` of the module, cut to its
 * digits and dots (AL2023 reports the EFA driver as e.g. `3.0.0a`), compared with the floor through `sort -V`, as the
 * EKS guide's setup does. A module that reports no version fails too: the floor cannot be shown to hold. Both modules
 * declare one: the EFA driver (the EKS guide's own check reads it), and kefalnd, whose source declares
 * `MODULE_VERSION(DRV_MODULE_VERSION)`, built from EFALND_MAJOR/MINOR/SUBMINOR_VER (lustre/lustre-release
 * lnet/klnds/efalnd/efalnd.c @c9fa81ce and efalnd.h @0c773016: 1.2.0; read 2026-12-01). The message names the version
 * found and the floor.
 */
function versionFloorLines(instanceType: string): string[] {
  const floors = LUSTRE_EFA_VERSION_FLOORS;
  const check = (module: string, floor: string, variable: string, what: string) => [
    `  ${variable}="$(modinfo -F version ${module} 2>/dev/null | sed 's/[^0-9.]//g')"`,
    `  [ -n "$${variable}" ] && [ "$(printf '%s\\n' ${floor} "$${variable}" | sort -V | head -n1)" = ${floor} ] || fail "${FAILURE_PREFIX}: ${what} is version \${${variable}:-unknown}, below the ${floor} floor of AWS's EFA Lustre client setup"`,
  ];
  const p6 = floors.kefalnd.typePrefixes.some((prefix) => instanceType.startsWith(prefix));
  return [
    ...check("efa", floors.efaDriver, "efa_version", "the EFA driver (efa module)"),
    ...(p6 ? check("kefalnd", floors.kefalnd.version, "kefalnd_version", `the Lustre EFA network driver (kefalnd module, floored on ${instanceType})`) : []),
  ];
}
