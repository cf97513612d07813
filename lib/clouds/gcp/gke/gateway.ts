/**
 * The internet-facing GKE fleet's HTTPS endpoint: a Gateway of class `gke-l7-global-external-managed`, for which GKE's
 * Gateway controller builds a global external Application Load Balancer (the product the VM fleet's internet endpoint
 * is, lib/clouds/gcp/inference.ts), with
 * - one HTTPS listener on 443 terminating TLS with `gcp.sslCertificates` (the listener's
 *   `networking.gke.io/pre-shared-certs` option, by certificate name) and the MODERN / TLS 1.2 policy (GCPGatewayPolicy);
 * - a reserved global address (`addresses: NamedAddress`), so the endpoint and the DNS record for the certificate's
 *   name stay the same when the Gateway is recreated;
 * - an HTTPRoute sending every request to the fleet's Service (a ClusterIP Service: the load balancer reaches the pods
 *   directly through the network endpoint groups GKE makes for a Service a Gateway routes to);
 * - a HealthCheckPolicy probing the model server's health path on its serving port (no `port`: the CRD's CEL rule at
 *   healthcheck_types.go @983ac3d refuses `port` unless portSpecification is USE_FIXED_PORT), with the VM fleet's timing;
 * - a GCPBackendPolicy attaching the Cloud Armor allow-list of `gcp.allowedSourceRanges` (the VM fleet's policy, from
 *   one builder: ../load-balancer.ts), the VM fleet's 300 s backend timeout and its connection draining.
 *
 * Sources, read 2026-11-30: https://cloud.google.com/kubernetes-engine/docs/how-to/deploying-gateways (Gateway,
 * HTTPRoute, `addresses` with a reserved global address by name);
 * https://cloud.google.com/kubernetes-engine/docs/how-to/secure-gateway (listener `tls.options`
 * `networking.gke.io/pre-shared-certs` with Compute Engine SSL certificates, or a Certificate Manager map through the
 * Gateway's `networking.gke.io/certmap` annotation; SSL policy and Cloud Armor through policies);
 * https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources (HealthCheckPolicy, GCPBackendPolicy
 * `securityPolicy` / `timeoutSec` / `connectionDraining`, GCPGatewayPolicy `sslPolicy`: each in the namespace of its
 * target); https://cloud.google.com/kubernetes-engine/docs/how-to/gatewayclass-capabilities (the class). The policies'
 * fields as GoogleCloudPlatform/gke-gateway-api defines them (apis/networking/v1/gcpbackendpolicy_types.go @44aa2e60,
 * gcpgatewaypolicy_types.go @930ee9fb, healthcheck_types.go @cc17d267).
 *
 * Why pre-shared certificates and not a certificate map: `gcp.sslCertificates` already names Compute Engine SSL
 * certificates (compute.SSLCertificate / ManagedSslCertificate), which the VM fleet's HTTPS proxy takes; Google
 * documents them for this class through `pre-shared-certs`, so the one option means the same resource on both
 * orchestrators. A Certificate Manager map is another resource, and would be another option.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import type { Plan } from "../../../planner/types.js";
import { DRAIN_SECONDS } from "../../shared/model-server.js";
import type { CompileContext } from "../../types.js";
import type { WorkloadNames } from "../../kubernetes/names.js";
import { afterApis } from "../apis.js";
import { BACKEND_TIMEOUT_SEC, cloudArmorClientPolicy, HEALTH_CHECK_TIMING, modernTlsPolicy } from "../load-balancer.js";
import type { GcpOptions } from "../options.js";
import { GKE_GATEWAY_CLASS } from "./options.js";

export const GATEWAY_API = "gateway.networking.k8s.io/v1";
/** The API of GKE's Gateway policies (HealthCheckPolicy, GCPBackendPolicy, GCPGatewayPolicy). */
export const GKE_POLICY_API = "networking.gke.io/v1";
/** The Gateway's listener option naming its Compute Engine SSL certificates, comma-separated. */
export const PRE_SHARED_CERTS = "networking.gke.io/pre-shared-certs";
/** The listener (and the port) of the internet endpoint: HTTPS only, as the VM fleet's. */
export const HTTPS_LISTENER = { name: "https", protocol: "HTTPS", port: 443 } as const;

/**
 * A certificate's name, as `pre-shared-certs` takes it, from what `gcp.sslCertificates` holds: an id
 * (`projects/p/global/sslCertificates/name`), a self link (the same behind `https://…/compute/v1/`) or a bare name.
 * The certificate must be global and in the cluster's project: the option names no project.
 */
export function certificateName(cert: string): string {
  return cert.replace(/\/+$/, "").split("/").pop()!;
}

export interface GkeGateway {
  gateway: CustomResource;
  route: CustomResource;
  healthCheck: CustomResource;
  backendPolicy: CustomResource;
  gatewayPolicy: CustomResource;
  address: compute.GlobalAddress;
  securityPolicy: compute.SecurityPolicy;
  /** `https://<address>`: the fleet's endpoint. */
  endpointUrl: pulumi.Output<string>;
}

/** The Gateway, its route and policies in the fleet's namespace, and the Google Cloud resources they name. */
export function gkeGateway(plan: Plan, options: GcpOptions, names: WorkloadNames, namespace: pulumi.Input<string>, ctx: CompileContext, opts: pulumi.CustomResourceOptions): GkeGateway {
  const service = plan.service!;
  const computeOpts = afterApis(ctx, { parent: ctx.parent }, "compute");
  const address = new compute.GlobalAddress(
    `${ctx.name}-gateway-address`,
    { addressType: "EXTERNAL", ipVersion: "IPV4", description: `gpu-cluster ${ctx.name}: internet endpoint of the inference fleet (its GKE Gateway)` },
    computeOpts,
  );
  const securityPolicy = cloudArmorClientPolicy(ctx, options.allowedSourceRanges ?? [], computeOpts);
  const tls = modernTlsPolicy(ctx.name, computeOpts);
  const certificates = pulumi.all(options.sslCertificates ?? []).apply((certs) => certs.map(certificateName).join(","));
  const metadata = { name: names.base, namespace, labels: names.labels };
  const serviceRef = { group: "", kind: "Service", name: names.base };

  const gateway = new CustomResource(
    `${ctx.name}-gateway`,
    {
      apiVersion: GATEWAY_API,
      kind: "Gateway",
      metadata,
      spec: {
        gatewayClassName: GKE_GATEWAY_CLASS,
        listeners: [{ ...HTTPS_LISTENER, tls: { mode: "Terminate", options: { [PRE_SHARED_CERTS]: certificates } }, allowedRoutes: { namespaces: { from: "Same" } } }],
        addresses: [{ type: "NamedAddress", value: address.name }],
      },
    },
    opts,
  );
  const route = new CustomResource(
    `${ctx.name}-route`,
    {
      apiVersion: GATEWAY_API,
      kind: "HTTPRoute",
      metadata,
      spec: {
        parentRefs: [{ name: names.base, sectionName: HTTPS_LISTENER.name }],
        rules: [{ backendRefs: [{ name: names.base, port: service.port }] }],
      },
    },
    opts,
  );
  const healthCheck = new CustomResource(
    `${ctx.name}-gateway-health`,
    {
      apiVersion: GKE_POLICY_API,
      kind: "HealthCheckPolicy",
      metadata,
      spec: {
        default: { ...HEALTH_CHECK_TIMING, config: { type: "HTTP", httpHealthCheck: { requestPath: service.healthCheckPath } } },
        targetRef: serviceRef,
      },
    },
    opts,
  );
  const backendPolicy = new CustomResource(
    `${ctx.name}-gateway-backend`,
    {
      apiVersion: GKE_POLICY_API,
      kind: "GCPBackendPolicy",
      metadata,
      spec: {
        default: { securityPolicy: securityPolicy.name, timeoutSec: BACKEND_TIMEOUT_SEC, connectionDraining: { drainingTimeoutSec: DRAIN_SECONDS } },
        targetRef: serviceRef,
      },
    },
    opts,
  );
  const gatewayPolicy = new CustomResource(
    `${ctx.name}-gateway-tls`,
    {
      apiVersion: GKE_POLICY_API,
      kind: "GCPGatewayPolicy",
      metadata,
      spec: { default: { sslPolicy: tls.name }, targetRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: names.base } },
    },
    opts,
  );
  return { gateway, route, healthCheck, backendPolicy, gatewayPolicy, address, securityPolicy, endpointUrl: pulumi.interpolate`https://${address.address}` };
}
