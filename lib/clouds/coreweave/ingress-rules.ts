/**
 * The TLS front of an internet-facing CoreWeave fleet, as rules (no Pulumi here: the option check and the bill read
 * them): the `coreweave.ingress` option, the host it names, and what the plan says the cluster must run.
 *
 * Why an Ingress and not the public LoadBalancer Service: a CKS public LoadBalancer forwards TCP as it comes, and the
 * model server speaks plain HTTP, so prompts, completions and bearer keys would cross the internet in clear. CoreWeave's
 * own reference architecture serves vLLM through an Ingress of class `traefik`, with a cert-manager certificate from the
 * `letsencrypt-prod` ClusterIssuer for `<release>.<orgID>-<clusterName>.coreweave.app` and a `tls` block, and keeps the
 * vLLM Service private (coreweave/reference-architecture@8d7a23a5 inference/basic/templates/ingress.yaml, values.yaml
 * `service.public: false`, README "you can use `https` because cert-manager was installed"). CKS provides the pieces
 * as charts the cluster operator installs, not by default: `coreweave/traefik`, whose LoadBalancer Service carries a
 * wildcard `service.beta.kubernetes.io/external-hostname: '*'` that CKS suffixes with the cluster's domain, so every
 * `*.<orgID>-<clusterName>.coreweave.app` host reaches Traefik
 * (https://docs.coreweave.com/products/cks/clusters/coreweave-charts/traefik, read 2026-12-01); and
 * `coreweave/cert-manager`, whose `cert-issuers` subchart (off by default) creates the Let's Encrypt production and
 * staging ClusterIssuers with a DNS01 solver backed by CoreWeave's webhook at acme.coreweave.com
 * (https://docs.coreweave.com/products/cks/clusters/coreweave-charts/cert-manager; "cert-manager is not installed by
 * default on CKS clusters", https://docs.coreweave.com/support/networking/articles/is-cert-manager-available-or-do-i-need-to-install-it,
 * both read 2026-12-01). The reference architecture installs both the same way (observability/basic/README.md:
 * `helm install traefik coreweave/traefik`, then cert-manager with `cert-issuers.enabled=true`).
 */
import type { Plan } from "../../planner/types.js";
import { SpecError } from "../../spec/errors.js";
import { uniqueDnsLabel } from "../../spec/dns.js";
import { field, type FieldKinds } from "../shared/option-fields.js";

/**
 * Where an internet-facing CoreWeave fleet is served over HTTPS (`coreweave.ingress`). Name the host either by the
 * cluster (`orgId` and `clusterName`: `<fleet>.<orgId>-<clusterName>.coreweave.app`, the zone CKS points at the
 * cluster's Traefik) or in full (`host`), not both.
 */
export interface CoreWeaveIngressOptions {
  /**
   * The CoreWeave organization ID (e.g. `cw0000`, shown in the CoreWeave Console). With `clusterName`, the fleet's host
   * is `<fleet name>.<orgId>-<clusterName>.coreweave.app`. Default none.
   */
  orgId?: string;
  /** The CKS cluster's name (e.g. `inference`), given with `orgId`. Default none. */
  clusterName?: string;
  /**
   * The fleet's host name in full (e.g. `llm.example.com`), instead of `orgId` and `clusterName`. Its DNS record must
   * point at the cluster's Traefik, and `clusterIssuer` must be able to issue for it. Default none.
   */
  host?: string;
  /** The IngressClass of the cluster's Traefik controller. Default `traefik` (the class CoreWeave's Traefik chart and reference architecture use). */
  className?: string;
  /**
   * The cert-manager ClusterIssuer that issues the host's certificate (the Ingress's `cert-manager.io/cluster-issuer`
   * annotation). Default `letsencrypt-prod` (made by CoreWeave's cert-manager chart with `cert-issuers.enabled=true`).
   */
  clusterIssuer?: string;
}

export const INGRESS_DEFAULTS = { className: "traefik", clusterIssuer: "letsencrypt-prod" } as const;

/** The zone CKS serves its clusters' external host names in (docs: Create a public DNS name; the reference architecture's hosts). */
export const COREWEAVE_APP_ZONE = "coreweave.app";

export const INGRESS_FIELDS = {
  orgId: field.string,
  clusterName: field.string,
  host: field.string,
  className: field.string,
  clusterIssuer: field.string,
} as const satisfies FieldKinds<CoreWeaveIngressOptions>;

const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A DNS name of two or more labels, lower case, at most 253 characters (no wildcard: the certificate names one host). */
const HOST = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/;
/** An object name (IngressClass, ClusterIssuer): a DNS-1123 subdomain. */
const OBJECT_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The fleet's host: `host` as given, else `<base>.<orgId>-<clusterName>.coreweave.app` (`base`: the fleet's DNS label). */
export function ingressHost(base: string, ingress: CoreWeaveIngressOptions): string {
  return ingress.host ?? `${base}.${ingress.orgId}-${ingress.clusterName}.${COREWEAVE_APP_ZONE}`;
}

/** The fleet's name as its Kubernetes objects carry it (lib/clouds/kubernetes/names.ts workloadNames), for the plan note. */
function fleetLabel(plan: Readonly<Plan>): string {
  return plan.name !== undefined ? uniqueDnsLabel(plan.name, 40) : "<fleet name>";
}

const HOW_TO_FIX =
  "serve it over HTTPS through the cluster's Traefik ingress: coreweave: { ingress: { orgId: 'cw0000', clusterName: 'inference' } } " +
  "(or { host: 'llm.example.com' }), with CoreWeave's coreweave/traefik and coreweave/cert-manager charts installed; " +
  "or set coreweave.plaintextPublicService: true to keep a plain-HTTP public LoadBalancer on purpose";

/**
 * Checks `ingress` and `plaintextPublicService` against the plan (throws SpecError before anything is created) and
 * returns the plan notes: what the cluster must run for the Ingress, or the plain-HTTP warning of the opt-out.
 */
export function checkIngressOptions(plan: Readonly<Plan>, ingress: CoreWeaveIngressOptions | undefined, plaintext: boolean | undefined, sourceRanges: readonly string[] | undefined): string[] {
  const internet = plan.workload === "inference" && plan.service?.loadBalancer === "internet-facing";
  if (ingress !== undefined && !internet) {
    throw new SpecError("coreweave.ingress", `serves an internet-facing fleet; this plan is ${plan.workload === "inference" ? "an internal fleet (in-cluster clients only)" : "a training cluster"}`, "leave coreweave.ingress out, or set loadBalancer: 'internet-facing'");
  }
  if (plaintext === true && !internet) {
    throw new SpecError("coreweave.plaintextPublicService", "applies to an internet-facing fleet only", "leave it out");
  }
  if (!internet) return [];
  if (ingress !== undefined && plaintext === true) {
    throw new SpecError("coreweave.plaintextPublicService", "cannot be set with coreweave.ingress: the fleet is either served over HTTPS by the ingress or over plain HTTP by a public LoadBalancer", "leave plaintextPublicService out to serve HTTPS");
  }
  if (ingress === undefined) {
    if (plaintext === true) {
      return [
        "coreweave.plaintextPublicService: the fleet serves plain HTTP on a public IP (a CKS public LoadBalancer Service); prompts, completions and any API key cross the internet in clear. Give coreweave.ingress to serve HTTPS instead.",
      ];
    }
    throw new SpecError(
      "coreweave.ingress",
      "is required for an internet-facing CoreWeave fleet: without it the fleet would serve plain HTTP on a public IP, so prompts, completions and any API key would cross the internet in clear (the model server has no TLS of its own)",
      HOW_TO_FIX,
    );
  }
  checkIngressFields(ingress);
  const host = ingressHost(fleetLabel(plan), ingress);
  const className = ingress.className ?? INGRESS_DEFAULTS.className;
  const issuer = ingress.clusterIssuer ?? INGRESS_DEFAULTS.clusterIssuer;
  const ranges = sourceRanges?.length ? ` Client ranges (${sourceRanges.join(", ")}) are a Traefik IPAllowList middleware: Traefik must see the client's address (its own Service with externalTrafficPolicy: Local), or it refuses every request (403).` : "";
  return [
    `coreweave.ingress: the fleet is served at https://${host} by the cluster's Traefik (IngressClass '${className}') with a certificate from the cert-manager ClusterIssuer '${issuer}'; its Service stays private (ClusterIP). ` +
      "The cluster must run both, as CoreWeave's reference architecture installs them (coreweave/traefik; coreweave/cert-manager with cert-issuers.enabled=true). " +
      "Pulumi waits for Traefik to publish the Ingress's address and fails `up` after 10 minutes without a controller. " +
      `Traefik's LoadBalancer Service and its public address are the cluster's, not this fleet's, so the bill carries no address for it.${ranges}`,
  ];
}

/** The values of a given `ingress` bag (its types were checked with the bag, INGRESS_FIELDS). */
function checkIngressFields(ingress: CoreWeaveIngressOptions): void {
  const byCluster = ingress.orgId !== undefined || ingress.clusterName !== undefined;
  if (ingress.host !== undefined && byCluster) {
    throw new SpecError("coreweave.ingress.host", "is given with orgId / clusterName: name the host one way", "either host: 'llm.example.com', or orgId and clusterName (the cluster's coreweave.app zone)");
  }
  if (ingress.host === undefined && (ingress.orgId === undefined || ingress.clusterName === undefined)) {
    throw new SpecError(
      `coreweave.ingress.${ingress.orgId === undefined ? "orgId" : "clusterName"}`,
      "is required to name the fleet's host under the cluster's coreweave.app zone (<fleet>.<orgId>-<clusterName>.coreweave.app)",
      "give both orgId and clusterName, e.g. { orgId: 'cw0000', clusterName: 'inference' }, or host: 'llm.example.com'",
    );
  }
  if (ingress.host !== undefined && !HOST.test(ingress.host)) {
    throw new SpecError("coreweave.ingress.host", `'${ingress.host}' is not a lower-case DNS name of two or more labels`, "e.g. 'llm.example.com' (no scheme, port, path or wildcard)");
  }
  if (ingress.host === undefined) {
    for (const key of ["orgId", "clusterName"] as const) {
      if (!LABEL.test(ingress[key]!)) throw new SpecError(`coreweave.ingress.${key}`, `'${ingress[key]}' is not a DNS-1123 label`, "lower-case letters, digits and '-', e.g. 'cw0000' / 'inference'");
    }
    const zoneLabel = `${ingress.orgId}-${ingress.clusterName}`;
    if (zoneLabel.length > 63) {
      throw new SpecError("coreweave.ingress.clusterName", `'${zoneLabel}' (orgId-clusterName) is ${zoneLabel.length} characters, more than a DNS label's 63`, "use the cluster's real name; CKS names its zone <orgId>-<clusterName>");
    }
  }
  for (const key of ["className", "clusterIssuer"] as const) {
    const value = ingress[key];
    if (value !== undefined && !OBJECT_NAME.test(value)) throw new SpecError(`coreweave.ingress.${key}`, `'${value}' is not a Kubernetes object name`, `e.g. '${INGRESS_DEFAULTS[key]}'`);
  }
}
