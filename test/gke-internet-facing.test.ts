/**
 * The internet-facing GKE fleet, served over HTTPS by a GKE Gateway (lib/clouds/gcp/gke/gateway.ts): the Gateway of
 * class `gke-l7-global-external-managed` with one HTTPS listener on 443 and the user's certificate, an HTTPRoute to
 * the fleet's Service, the health check on vLLM's /health, the Cloud Armor allow-list and TLS policy the VM path
 * attaches (one builder: lib/clouds/gcp/load-balancer.ts), the Gateway API on the cluster, the refusals, and the bill.
 *
 * Sources, read 2026-11-30: https://cloud.google.com/kubernetes-engine/docs/how-to/deploying-gateways (Gateway API on
 * a Standard cluster, Gateway and HTTPRoute, a reserved address by name);
 * https://cloud.google.com/kubernetes-engine/docs/how-to/secure-gateway (`networking.gke.io/pre-shared-certs`, SSL
 * policy, Cloud Armor); https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources
 * (HealthCheckPolicy, GCPBackendPolicy, GCPGatewayPolicy; a proxy-only subnet for the regional classes only);
 * https://cloud.google.com/kubernetes-engine/docs/how-to/gatewayclass-capabilities (the class);
 * https://cloud.google.com/load-balancing/pricing (global forwarding rule, data processed).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import type { OfflineRun } from "../lib/preview/offline.js";
import { one, ofType, run, privateEndpoint, withUrl } from "./helpers/offline.js";

const K = {
  gateway: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
  route: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
  health: "kubernetes:networking.gke.io/v1:HealthCheckPolicy",
  backend: "kubernetes:networking.gke.io/v1:GCPBackendPolicy",
  gatewayPolicy: "kubernetes:networking.gke.io/v1:GCPGatewayPolicy",
  service: "kubernetes:core/v1:Service",
  cluster: "gcp:container/cluster:Cluster",
  address: "gcp:compute/globalAddress:GlobalAddress",
  internalAddress: "gcp:compute/address:Address",
  armor: "gcp:compute/securityPolicy:SecurityPolicy",
  ssl: "gcp:compute/sSLPolicy:SSLPolicy",
  vmHealth: "gcp:compute/healthCheck:HealthCheck",
  vmBackend: "gcp:compute/backendService:BackendService",
};

const CERT = "projects/p/global/sslCertificates/api-example-com";
const RANGES = ["203.0.113.0/24", "198.51.100.0/24"];
const TLS: gpu.GcpOptions = { sslCertificates: [CERT], allowedSourceRanges: RANGES };

const base = { cloud: "gcp" as const, region: "us-central1", gpu: { model: "L4" }, replicas: { min: 2, max: 6 }, loadBalancer: "internet-facing" as const };

function gkeFleet(name: string, gcp: gpu.GcpOptions | undefined = TLS, extra: Partial<gpu.InferenceFleetArgs> = {}) {
  return () => new gpu.InferenceFleet(name, privateEndpoint({ ...base, orchestrator: "kubernetes", ...(gcp ? { gcp } : {}), ...extra } as gpu.InferenceFleetArgs));
}


describe("internet-facing GKE fleet: a Gateway serving HTTPS", () => {
  it("a gke-l7-global-external-managed Gateway with one HTTPS listener on 443 holding the certificate, on a reserved global address that is the endpoint", async () => {
    const { result, url } = await withUrl(gkeFleet("edge"));
    expect(result.error).toBeUndefined();
    const gateway = one(result, K.gateway).inputs;
    const address = one(result, K.address);
    expect(address.inputs).toMatchObject({ addressType: "EXTERNAL", ipVersion: "IPV4" });
    expect(gateway.metadata.namespace).toBe(one(result, K.service).inputs.metadata.namespace);
    expect(gateway.spec).toEqual({
      gatewayClassName: "gke-l7-global-external-managed",
      listeners: [{ name: "https", protocol: "HTTPS", port: 443, tls: { mode: "Terminate", options: { "networking.gke.io/pre-shared-certs": "api-example-com" } }, allowedRoutes: { namespaces: { from: "Same" } } }],
      addresses: [{ type: "NamedAddress", value: address.outputs.name }],
    });
    // The endpoint is HTTPS on the Gateway's address (no port: 443), not the in-cluster name nor an internal address.
    expect(url).toBe(`https://${address.outputs.address}`);
    expect(url).toBe("https://203.0.113.12");
    expect(ofType(result, K.internalAddress)).toEqual([]);
  });

  it("takes each certificate by name, from an id, a self link or a bare name (pre-shared-certs names certificates, comma-separated)", async () => {
    const certs = [CERT, "https://www.googleapis.com/compute/v1/projects/p/global/sslCertificates/www-example-com", "apex-example-com"];
    const result = await run(gkeFleet("certs", { ...TLS, sslCertificates: certs }));
    expect(result.error).toBeUndefined();
    expect(one(result, K.gateway).inputs.spec.listeners[0].tls.options["networking.gke.io/pre-shared-certs"]).toBe("api-example-com,www-example-com,apex-example-com");
  });

  it("an HTTPRoute sends every request to the fleet's Service, a ClusterIP Service on the server's port (the load balancer reaches the pods through GKE's NEGs)", async () => {
    const result = await run(gkeFleet("route"));
    const svc = one(result, K.service).inputs;
    expect(svc.spec.type).toBe("ClusterIP");
    expect(svc.spec.loadBalancerSourceRanges).toBeUndefined();
    expect(svc.spec.externalTrafficPolicy).toBeUndefined();
    const gateway = one(result, K.gateway).inputs;
    const route = one(result, K.route).inputs;
    expect(route.metadata.namespace).toBe(svc.metadata.namespace);
    expect(route.spec).toEqual({
      parentRefs: [{ name: gateway.metadata.name, sectionName: "https" }],
      rules: [{ backendRefs: [{ name: svc.metadata.name, port: 8000 }] }],
    });
    expect(svc.spec.ports).toEqual([expect.objectContaining({ port: 8000, targetPort: 8000 })]);
  });

  it("the load balancer's health check probes vLLM's /health on the server's port, with the VM fleet's timing", async () => {
    const gke = await run(gkeFleet("hc"));
    const vm = await run(() => new gpu.InferenceFleet("hcvm", { ...base, orchestrator: "vm", gcp: TLS } as gpu.InferenceFleetArgs));
    expect(vm.error).toBeUndefined();
    const svc = one(gke, K.service).inputs;
    const policy = one(gke, K.health).inputs;
    expect(policy.metadata.namespace).toBe(svc.metadata.namespace);
    expect(policy.spec).toEqual({
      // No `port`: the serving port by default (portSpecification USE_SERVING_PORT); the CRD refuses `port` with it
      // (GoogleCloudPlatform/gke-gateway-api healthcheck_types.go @983ac3d, CEL rule "port and portName must be unset
      // for portSpecification being USE_SERVING_PORT (which is the default)", read 2026-11-30).
      default: { checkIntervalSec: 15, timeoutSec: 5, healthyThreshold: 2, unhealthyThreshold: 3, config: { type: "HTTP", httpHealthCheck: { requestPath: "/health" } } },
      targetRef: { group: "", kind: "Service", name: svc.metadata.name },
    });
    // The serving port is the model server's: the Service's target port.
    expect(svc.spec.ports[0].targetPort ?? svc.spec.ports[0].port).toBe(8000);
    // vLLM keeps idle connections longer than Google's proxies keep theirs to a backend (600 s, fixed), so the proxy
    // never reuses a connection the server closed (vLLM's default is 5 s): a sporadic 502 otherwise.
    const server = one(gke, "kubernetes:apps/v1:Deployment").inputs.spec.template.spec.containers[0];
    expect(server.env).toContainEqual({ name: "VLLM_HTTP_TIMEOUT_KEEP_ALIVE", value: "620" });
    // Only Google's Front Ends and health checkers (and the namespace's own pods) reach the server: a client inside the
    // VPC cannot go around the Gateway's Cloud Armor (https://cloud.google.com/load-balancing/docs/firewall-rules).
    const policies = gke.resources.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && r.name === "hc-netpol");
    expect(policies).toHaveLength(1);
    expect(policies[0]!.inputs.spec.ingress).toEqual([
      { ports: [{ protocol: "TCP", port: 8000 }], from: [{ ipBlock: { cidr: "35.191.0.0/16" } }, { ipBlock: { cidr: "130.211.0.0/22" } }, { podSelector: {} }] },
    ]);
    const vmCheck = one(vm, K.vmHealth).inputs;
    expect(vmCheck.httpHealthCheck).toMatchObject({ port: 8000, requestPath: "/health" });
    for (const key of ["checkIntervalSec", "timeoutSec", "healthyThreshold", "unhealthyThreshold"]) expect(policy.spec.default[key], key).toBe(vmCheck[key]);
  });

  it("the backend carries the VM fleet's Cloud Armor allow-list (same rules from one builder), its 300 s timeout and its drain", async () => {
    const gke = await run(gkeFleet("armor"));
    const vm = await run(() => new gpu.InferenceFleet("armor", { ...base, orchestrator: "vm", gcp: TLS } as gpu.InferenceFleetArgs));
    const armor = one(gke, K.armor);
    // Allow the two ranges, deny every other client with 403: the VM fleet's policy, rule for rule.
    expect(armor.inputs.rules).toEqual([
      { priority: 1000, action: "allow", match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: RANGES } }, description: "gcp.allowedSourceRanges" },
      { priority: 2147483647, action: "deny(403)", match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } }, description: "every other client" },
    ]);
    expect(armor.inputs).toEqual(one(vm, K.armor).inputs);
    const svc = one(gke, K.service).inputs;
    const backend = one(gke, K.backend).inputs;
    expect(backend.metadata.namespace).toBe(svc.metadata.namespace);
    expect(backend.spec).toEqual({
      default: { securityPolicy: armor.outputs.name, timeoutSec: 300, connectionDraining: { drainingTimeoutSec: 300 } },
      targetRef: { group: "", kind: "Service", name: svc.metadata.name },
    });
    const vmBackend = one(vm, K.vmBackend).inputs;
    expect([backend.spec.default.timeoutSec, backend.spec.default.connectionDraining.drainingTimeoutSec]).toEqual([vmBackend.timeoutSec, vmBackend.connectionDrainingTimeoutSec]);
  });

  it("the Gateway speaks the VM fleet's TLS: Google's MODERN profile from TLS 1.2, attached by a GCPGatewayPolicy", async () => {
    const result = await run(gkeFleet("tls"));
    const ssl = one(result, K.ssl);
    expect(ssl.inputs).toMatchObject({ profile: "MODERN", minTlsVersion: "TLS_1_2" });
    const gateway = one(result, K.gateway).inputs;
    expect(one(result, K.gatewayPolicy).inputs.spec).toEqual({
      default: { sslPolicy: ssl.outputs.name },
      targetRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: gateway.metadata.name },
    });
  });

  it("every new GKE cluster has the Gateway API's standard channel on (container.Cluster gatewayApiConfig), whatever it runs", async () => {
    const edge = await run(gkeFleet("gw"));
    expect(one(edge, K.cluster).inputs.gatewayApiConfig).toEqual({ channel: "CHANNEL_STANDARD" });
    const inside = await run(gkeFleet("gwi", {}, { loadBalancer: "internal" }));
    expect(inside.error).toBeUndefined();
    expect(one(inside, K.cluster).inputs.gatewayApiConfig).toEqual({ channel: "CHANNEL_STANDARD" });
    // An internal fleet stays an internal passthrough load balancer: no Gateway, no Cloud Armor, no global address.
    expect(one(inside, K.service).inputs.spec.type).toBe("LoadBalancer");
    expect([ofType(inside, K.gateway), ofType(inside, K.armor), ofType(inside, K.address)]).toEqual([[], [], []]);
  });

  it("an existing cluster: the Gateway is built there, and the plan says the cluster must have the Gateway API on", async () => {
    const result = await run(gkeFleet("join", { ...TLS, gke: { clusterName: "shared" } }));
    expect(result.error).toBeUndefined();
    expect(ofType(result, K.cluster)).toEqual([]);
    expect(one(result, K.gateway).inputs.spec.gatewayClassName).toBe("gke-l7-global-external-managed");
    expect(result.costEvents[0]!.plan.notes.join("\n")).toContain(
      "GKE: the internet-facing fleet is a Gateway of class gke-l7-global-external-managed, which needs the Gateway API on the existing cluster shared (gcloud container clusters update shared --gateway-api=standard)",
    );
  });
});

describe("internet-facing GKE fleet: refusals, before anything is built", () => {
  const cases: [string, gpu.GcpOptions | undefined, string, RegExp][] = [
    ["no certificate", { allowedSourceRanges: RANGES }, "gcp.sslCertificates", /an internet-facing fleet serves HTTPS only, and needs its certificate/],
    ["no certificate nor ranges", {}, "gcp.sslCertificates", /needs its certificate/],
    ["no client ranges", { sslCertificates: [CERT] }, "gcp.allowedSourceRanges", /needs the client ranges it admits/],
    ["regional certificate", { ...TLS, sslCertificates: ["projects/p/regions/us-central1/sslCertificates/c"] }, "gcp.sslCertificates", /is a regional certificate; the internet-facing fleet's global load balancer takes global ones/],
    ["passthrough ranges", { ...TLS, gke: { loadBalancerSourceRanges: RANGES } }, "gcp.gke.loadBalancerSourceRanges", /an internet-facing GKE fleet is served by a Gateway, whose clients Cloud Armor admits/],
    ["bad range", { ...TLS, allowedSourceRanges: ["203.0.113.0"] }, "gcp.allowedSourceRanges", /is not an IPv4 CIDR/],
  ];
  for (const [label, gcp, path, message] of cases) {
    it(`${label}: ${path}`, async () => {
      const result = await run(gkeFleet("bad", gcp));
      expect(result.error).toMatchObject({ name: "SpecError", path });
      expect((result.error as Error).message).toMatch(message);
      expect(result.resources).toEqual([]);
    });
  }

  it("an internal GKE fleet refuses a certificate and Cloud Armor ranges (its passthrough load balancer has neither)", async () => {
    const cert = await run(gkeFleet("ic", { sslCertificates: [CERT] }, { loadBalancer: "internal" }));
    expect(cert.error).toMatchObject({ name: "SpecError", path: "gcp.sslCertificates" });
    expect((cert.error as Error).message).toContain("only an internet-facing GKE fleet's Gateway takes a certificate");
    const ranges = await run(gkeFleet("ir", { allowedSourceRanges: RANGES }, { loadBalancer: "internal" }));
    expect(ranges.error).toMatchObject({ name: "SpecError", path: "gcp.allowedSourceRanges" });
    expect([cert.resources, ranges.resources]).toEqual([[], []]);
  });
});

describe("internet-facing GKE fleet: the bill carries what is built", () => {
  const line = (r: OfflineRun, re: RegExp) => {
    const found = r.costEvents[0]!.estimate.lines.filter((l) => re.test(l.description));
    expect(found, String(re)).toHaveLength(1);
    return found[0]!;
  };

  it("the global forwarding rule and the data it processes, priced as the VM fleet's, to the cent; its Cloud Armor policy and rules priced, as on the VM path", async () => {
    const gke = await run(gkeFleet("bill"));
    const vm = await run(() => new gpu.InferenceFleet("billvm", { ...base, orchestrator: "vm", gcp: TLS } as gpu.InferenceFleetArgs));
    // Hand-computed from https://cloud.google.com/load-balancing/pricing (first 5 global forwarding rules $0.025/h;
    // data processed $0.008/GiB): 730 h × $0.025 = $18.25; at replicas.min 2 × the default 100 GiB a replica a month,
    // 200 GiB × $0.008 = $1.60.
    const rule = line(gke, /^internet-facing global Application Load Balancer \(1\), 730 h$/);
    expect([rule.quantity, rule.unitPriceUsd, rule.monthlyUsd]).toEqual([730, 0.025, 18.25]);
    const data = line(gke, /^load balancer data processed: 200 GiB served a month$/);
    expect([data.quantity, data.unitPriceUsd, data.monthlyUsd]).toEqual([200, 0.008, 1.6]);
    // The same two lines as the VM fleet's internet endpoint (one item builder, lib/cost/bom/gcp-vm.ts externalAlbItems).
    for (const re of [/global Application Load Balancer/, /load balancer data processed/, /^internet egress/]) {
      expect(line(gke, re).monthlyUsd).toBe(line(vm, re).monthlyUsd);
    }
    // The responses it serves leave as Premium Tier internet egress (lib/cost/estimate.ts egressLines): the same 200 GiB
    // in the catalog's first tier, 200 × $0.12 = $24.00.
    const egress = line(gke, /^internet egress 0–1 TiB tier \(200 GiB served by the internet-facing load balancer\)$/);
    expect([egress.quantity, egress.unitPriceUsd, egress.monthlyUsd]).toEqual([200, 0.12, 24]);
    expect(gke.costEvents[0]!.estimate.lines.some((l) => /passthrough/.test(l.description))).toBe(false);
    // Cloud Armor Standard (GCP_FEES, the Cloud Billing Catalog's SKUs as recorded 2026-09-28): 1 policy × $5, and
    // 2 rules (one allow rule for the 2 ranges, the default deny rule) × $1, on both paths; its requests named.
    for (const fleet of [gke, vm]) {
      expect(line(fleet, /^Cloud Armor Standard policy \(1\)/).monthlyUsd).toBe(5);
      expect(line(fleet, /^Cloud Armor Standard rules \(2\), the default rule counted$/).monthlyUsd).toBe(2);
      expect(fleet.costEvents[0]!.estimate.notes.join("\n")).toContain("not priced: requests evaluated by the internet-facing load balancer's Cloud Armor policy");
    }
  });

  it("with the traffic stated: 1 TiB served a month is 1,024 GiB × $0.008 = $8.19", async () => {
    const gke = await run(gkeFleet("billed", TLS, { egress: { servedTiBPerMonth: 1 } } as Partial<gpu.InferenceFleetArgs>));
    expect(gke.error).toBeUndefined();
    const data = line(gke, /^load balancer data processed: 1024 GiB served a month$/);
    expect(data.monthlyUsd).toBe(8.19);
  });
});
