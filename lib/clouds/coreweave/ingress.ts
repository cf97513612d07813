/**
 * The HTTPS front of an internet-facing CoreWeave fleet (`coreweave.ingress`; the rules and sources are in
 * ./ingress-rules.ts): a networking.k8s.io/v1 Ingress for the cluster's Traefik, and a Traefik IPAllowList Middleware of
 * the client ranges, both in the fleet's namespace beside its private Service.
 *
 * The Ingress follows CoreWeave's reference architecture (coreweave/reference-architecture@8d7a23a5
 * inference/basic/templates/ingress.yaml): `ingressClassName`, the `cert-manager.io/cluster-issuer` annotation (cert-manager's
 * ingress-shim then makes the Certificate and its Secret), one rule for the host with path `/` (Prefix) to the Service,
 * and a `tls` block naming the host and the Secret. Beyond it, for Traefik:
 * - `traefik.ingress.kubernetes.io/router.entrypoints: websecure` and `router.tls: "true"`: the router answers on the
 *   TLS entry point only (`websecure`, the entry point CoreWeave's Traefik serves HTTPS on: the reference
 *   architecture's own IngressRoute, observability/basic/templates/prometheus-ingress.yaml, uses it), so the fleet is
 *   never also served in clear on the `web` entry point. CoreWeave's ClusterIssuers solve DNS01, not HTTP01
 *   (https://docs.coreweave.com/products/cks/clusters/coreweave-charts/cert-manager, read 2026-12-01), so issuance
 *   needs no plain-HTTP route;
 * - `traefik.ingress.kubernetes.io/router.middlewares: <namespace>-<name>@kubernetescrd`: the provider-namespaced
 *   reference by which an Ingress names a Middleware of Traefik's CRD provider (Traefik's Ingress annotations reference,
 *   https://doc.traefik.io/traefik/reference/routing-configuration/kubernetes/ingress/ and the Traefik Hub Ingress
 *   example `apps-middleware1@kubernetescrd`, read 2026-12-01). Same namespace as the Ingress, so Traefik's
 *   `allowCrossNamespace` (off by default in traefik/traefik-helm-chart traefik/values.yaml @00374755) is not needed.
 *
 * The Middleware is `traefik.io/v1alpha1` `Middleware` with `spec.ipAllowList.sourceRange` (Traefik's HTTP IPAllowList
 * middleware, https://doc.traefik.io/traefik/middlewares/http/ipallowlist/, read 2026-12-01): with no `ipStrategy` it
 * matches the request's remote address, so Traefik's own Service must keep client addresses (the plan note says so);
 * a refused client gets 403.
 *
 * Awaited, unlike the workload's objects (SKIP_AWAIT): Pulumi's Kubernetes provider holds an Ingress's create until
 * `.status.loadBalancer.ingress` has an entry and an Endpoints object of each backend Service's name exists (an empty
 * one counts, so a fleet still loading its weights does not hold it), and fails after 10 minutes
 * (pulumi/pulumi-kubernetes provider/pkg/await/ingress.go @0012b9d2 `ingressInitAwaiter.Await`,
 * `DefaultIngressTimeoutMins = 10`; the same three conditions in @pulumi/kubernetes 4.34.2 networking/v1/ingress.d.ts).
 * Traefik writes that status from its own Service when `providers.kubernetesIngress.publishedService` is on (the
 * upstream chart's default, traefik/values.yaml @00374755, which CoreWeave's chart is based on), so a cluster without a
 * Traefik for the class fails `up` rather than leaving a host that answers nothing.
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { Ingress } from "@pulumi/kubernetes/networking/v1";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import type { CoreWeaveNames } from "./names.js";
import { INGRESS_DEFAULTS, ingressHost, type CoreWeaveIngressOptions } from "./ingress-rules.js";

export const TRAEFIK_API = "traefik.io/v1alpha1";
export const CLUSTER_ISSUER_ANNOTATION = "cert-manager.io/cluster-issuer";
export const TRAEFIK_ENTRYPOINTS = "traefik.ingress.kubernetes.io/router.entrypoints";
export const TRAEFIK_ROUTER_TLS = "traefik.ingress.kubernetes.io/router.tls";
export const TRAEFIK_MIDDLEWARES = "traefik.ingress.kubernetes.io/router.middlewares";
/** Traefik's TLS entry point (see above). */
export const TLS_ENTRYPOINT = "websecure";

export interface FleetIngress {
  ingress: Ingress;
  /** The client allow list, when the fleet has client ranges. */
  allowList?: CustomResource;
  /** `https://<host>`: the fleet's endpoint. */
  endpointUrl: string;
}

/** The fleet's `https://<host>` (also the exposure's endpoint, before the Ingress exists). */
export function ingressEndpoint(names: CoreWeaveNames, ingress: CoreWeaveIngressOptions): string {
  return `https://${ingressHost(names.base, ingress)}`;
}

/**
 * The Ingress (and the client allow list) in front of the fleet's Service `names.base` in `namespace`, created after
 * `service`. `sourceRanges`: the fleet's `loadBalancerSourceRanges`.
 */
export function fleetIngress(
  plan: Plan,
  ingress: CoreWeaveIngressOptions,
  sourceRanges: readonly string[] | undefined,
  names: CoreWeaveNames,
  namespace: pulumi.Input<string>,
  service: pulumi.Resource,
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
): FleetIngress {
  const host = ingressHost(names.base, ingress);
  const allowList = sourceRanges?.length
    ? new CustomResource(
        `${ctx.name}-clients`,
        {
          apiVersion: TRAEFIK_API,
          kind: "Middleware",
          metadata: { name: `${names.base}-clients`, namespace, labels: names.labels },
          spec: { ipAllowList: { sourceRange: [...sourceRanges] } },
        },
        opts,
      )
    : undefined;
  const annotations: Record<string, pulumi.Input<string>> = {
    [CLUSTER_ISSUER_ANNOTATION]: ingress.clusterIssuer ?? INGRESS_DEFAULTS.clusterIssuer,
    [TRAEFIK_ENTRYPOINTS]: TLS_ENTRYPOINT,
    [TRAEFIK_ROUTER_TLS]: "true",
    ...(allowList ? { [TRAEFIK_MIDDLEWARES]: pulumi.interpolate`${namespace}-${names.base}-clients@kubernetescrd` } : {}),
  };
  const resource = new Ingress(
    `${ctx.name}-ingress`,
    {
      metadata: { name: names.base, namespace, labels: names.labels, annotations },
      spec: {
        ingressClassName: ingress.className ?? INGRESS_DEFAULTS.className,
        rules: [{ host, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: names.base, port: { number: plan.service!.port } } } }] } }],
        tls: [{ hosts: [host], secretName: `${names.base}-tls` }],
      },
    },
    // The allow list first: Traefik would otherwise route the host for a moment with no filter.
    { ...opts, dependsOn: [service, ...(allowList ? [allowList] : [])] },
  );
  return { ingress: resource, ...(allowList ? { allowList } : {}), endpointUrl: `https://${host}` };
}
