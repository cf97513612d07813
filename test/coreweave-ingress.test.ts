/**
 * An internet-facing CoreWeave fleet is served over HTTPS by the cluster's Traefik (`coreweave.ingress`,
 * lib/clouds/coreweave/ingress.ts), as CoreWeave's reference architecture serves vLLM
 * (coreweave/reference-architecture@8d7a23a5 inference/basic/templates/ingress.yaml: class `traefik`,
 * `cert-manager.io/cluster-issuer: letsencrypt-prod`, host `<name>.<orgID>-<clusterName>.coreweave.app`, a `tls` block
 * with `<name>-tls`; values.yaml `service.public: false`). Client ranges become a Traefik IPAllowList Middleware
 * (`traefik.io/v1alpha1`, `spec.ipAllowList.sourceRange`, https://doc.traefik.io/traefik/middlewares/http/ipallowlist/)
 * that the Ingress names as `<namespace>-<name>@kubernetescrd` (Traefik's Ingress annotations reference,
 * https://doc.traefik.io/traefik/reference/routing-configuration/kubernetes/ingress/). Without the option the fleet
 * would be plain HTTP on a public IP: a SpecError, unless `coreweave.plaintextPublicService` keeps that on purpose,
 * in which case the Service is exactly what main@9a6a04e built (/tmp/snap-base coreweave-k8s-i-on-demand-internet-facing.json).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { checkCoreWeaveOptions, type CoreWeaveOptions } from "../lib/clouds/coreweave/options.js";
import { one, ofType, run, withUrl } from "./helpers/offline.js";

const K = {
  service: "kubernetes:core/v1:Service",
  ingress: "kubernetes:networking.k8s.io/v1:Ingress",
  middleware: "kubernetes:traefik.io/v1alpha1:Middleware",
  netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
};
const SOURCES = ["203.0.113.0/24", "198.51.100.7/32"];
const CLUSTER = { orgId: "cw0000", clusterName: "inference" };
const spec: gpu.FleetSpec = { cloud: "coreweave", region: "US-EAST-04", gpu: { model: "L40S", count: 8 }, replicas: { min: 1, max: 2 }, loadBalancer: "internet-facing" };

function fleet(name: string, coreweave: CoreWeaveOptions) {
  return () => new gpu.InferenceFleet(name, { ...spec, coreweave } as gpu.InferenceFleetArgs);
}


/** The plan's option notes, as the component and `validate` make them. */
function notes(coreweave: CoreWeaveOptions, name = "llm"): string[] {
  const plan = gpu.planFleet(spec);
  plan.name = name;
  return checkCoreWeaveOptions(plan, coreweave);
}

describe("CoreWeave internet-facing fleet behind the cluster's Traefik (coreweave.ingress)", () => {
  it("an Ingress of class traefik for <fleet>.<orgId>-<clusterName>.coreweave.app, TLS from letsencrypt-prod into <fleet>-tls, on Traefik's TLS entry point only", async () => {
    const { result, url } = await withUrl(fleet("llm", { loadBalancerSourceRanges: SOURCES, ingress: CLUSTER }));
    expect(result.error).toBeUndefined();
    const ingress = one(result, K.ingress).inputs;
    expect(ingress.metadata).toMatchObject({ name: "llm", namespace: "llm" });
    expect(ingress.metadata.annotations).toEqual({
      "cert-manager.io/cluster-issuer": "letsencrypt-prod",
      "traefik.ingress.kubernetes.io/router.entrypoints": "websecure",
      "traefik.ingress.kubernetes.io/router.tls": "true",
      "traefik.ingress.kubernetes.io/router.middlewares": "llm-llm-clients@kubernetescrd",
    });
    // Awaited (no pulumi.com/skipAwait): the provider waits for Traefik's status (pulumi-kubernetes await/ingress.go @0012b9d2).
    expect(ingress.metadata.annotations["pulumi.com/skipAwait"]).toBeUndefined();
    expect(ingress.spec).toEqual({
      ingressClassName: "traefik",
      rules: [{ host: "llm.cw0000-inference.coreweave.app", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "llm", port: { number: 8000 } } } }] } }],
      tls: [{ hosts: ["llm.cw0000-inference.coreweave.app"], secretName: "llm-tls" }],
    });
    expect(url).toBe("https://llm.cw0000-inference.coreweave.app");
  });

  it("the fleet's Service stays private: ClusterIP, no CKS public annotation, no source ranges or external traffic policy", async () => {
    const result = await run(fleet("llm", { loadBalancerSourceRanges: SOURCES, ingress: CLUSTER }));
    const svc = one(result, K.service).inputs;
    expect(svc.spec).toEqual({
      type: "ClusterIP",
      selector: { "app.kubernetes.io/name": "llm", "gpu-cluster/name": "llm" },
      ports: [{ name: "http", port: 8000, targetPort: 8000, protocol: "TCP" }],
    });
    expect(svc.metadata.annotations).toEqual({ "pulumi.com/skipAwait": "true" });
  });

  it("the client ranges are a Traefik IPAllowList Middleware beside the Ingress, named by it", async () => {
    const result = await run(fleet("llm", { loadBalancerSourceRanges: SOURCES, ingress: CLUSTER }));
    const mw = one(result, K.middleware).inputs;
    expect(mw).toEqual({
      apiVersion: "traefik.io/v1alpha1",
      kind: "Middleware",
      metadata: { name: "llm-clients", namespace: "llm", labels: { "app.kubernetes.io/managed-by": "gpu-cluster", "gpu-cluster/name": "llm" } },
      spec: { ipAllowList: { sourceRange: ["203.0.113.0/24", "198.51.100.7/32"] } },
    });
    // Traefik names a CRD middleware `<namespace>-<name>` in the kubernetescrd provider.
    expect(one(result, K.ingress).inputs.metadata.annotations["traefik.ingress.kubernetes.io/router.middlewares"]).toBe(`${mw.metadata.namespace}-${mw.metadata.name}@kubernetescrd`);
  });

  it("a host of the user's own, another IngressClass and ClusterIssuer, in a namespace of the user's", async () => {
    const { result, url } = await withUrl(
      fleet("llm", { namespace: "serving", loadBalancerSourceRanges: ["0.0.0.0/0"], ingress: { host: "llm.example.com", className: "traefik-public", clusterIssuer: "corp-acme" } }),
    );
    expect(result.error).toBeUndefined();
    const ingress = one(result, K.ingress).inputs;
    expect(ingress.spec.ingressClassName).toBe("traefik-public");
    expect(ingress.spec.rules[0].host).toBe("llm.example.com");
    expect(ingress.spec.tls).toEqual([{ hosts: ["llm.example.com"], secretName: "llm-tls" }]);
    expect(ingress.metadata.annotations["cert-manager.io/cluster-issuer"]).toBe("corp-acme");
    expect(ingress.metadata.annotations["traefik.ingress.kubernetes.io/router.middlewares"]).toBe("serving-llm-clients@kubernetescrd");
    expect(url).toBe("https://llm.example.com");
  });

  it("without coreweave.ingress an internet-facing fleet is a SpecError naming it, before anything is created", async () => {
    const result = await run(fleet("llm", { loadBalancerSourceRanges: SOURCES }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "coreweave.ingress" });
    const error = result.error as Error & { hint: string };
    expect(error.message).toContain("plain HTTP on a public IP");
    expect(error.message).toContain("prompts, completions and any API key would cross the internet in clear");
    expect(error.hint).toContain("coreweave: { ingress: { orgId: 'cw0000', clusterName: 'inference' } }");
    expect(error.hint).toContain("coreweave.plaintextPublicService: true");
    expect(result.resources).toEqual([]);
  });

  it("the opt-out (plaintextPublicService) builds exactly main's public LoadBalancer Service, no Ingress, and says it is plain HTTP", async () => {
    const { result, url } = await withUrl(fleet("llm", { loadBalancerSourceRanges: SOURCES, plaintextPublicService: true }));
    expect(result.error).toBeUndefined();
    // As /tmp/snap-base coreweave-k8s-i-on-demand-internet-facing.json (main@9a6a04e) has it, for this fleet's names.
    expect(one(result, K.service).inputs).toEqual({
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "llm",
        namespace: "llm",
        labels: { "app.kubernetes.io/managed-by": "gpu-cluster", "gpu-cluster/name": "llm" },
        annotations: { "pulumi.com/skipAwait": "true", "service.beta.kubernetes.io/coreweave-load-balancer-type": "public" },
      },
      spec: {
        type: "LoadBalancer",
        selector: { "app.kubernetes.io/name": "llm", "gpu-cluster/name": "llm" },
        ports: [{ name: "http", port: 8000, targetPort: 8000, protocol: "TCP" }],
        externalTrafficPolicy: "Local",
        loadBalancerSourceRanges: SOURCES,
      },
    });
    expect(ofType(result, K.ingress)).toEqual([]);
    expect(ofType(result, K.middleware)).toEqual([]);
    expect(url).toBe("http://llm.llm.svc.cluster.local:8000");
    expect(notes({ loadBalancerSourceRanges: SOURCES, plaintextPublicService: true })).toContain(
      "coreweave.plaintextPublicService: the fleet serves plain HTTP on a public IP (a CKS public LoadBalancer Service); prompts, completions and any API key cross the internet in clear. Give coreweave.ingress to serve HTTPS instead.",
    );
  });

  it("the plan note names the host, the class, the issuer, what the cluster must run, the 10-minute wait and whose address it is", () => {
    const [note] = notes({ loadBalancerSourceRanges: SOURCES, ingress: CLUSTER });
    expect(note).toContain("https://llm.cw0000-inference.coreweave.app");
    expect(note).toContain("IngressClass 'traefik'");
    expect(note).toContain("ClusterIssuer 'letsencrypt-prod'");
    expect(note).toContain("coreweave/traefik; coreweave/cert-manager with cert-issuers.enabled=true");
    expect(note).toContain("fails `up` after 10 minutes without a controller");
    expect(note).toContain("Traefik's LoadBalancer Service and its public address are the cluster's, not this fleet's");
    expect(note).toContain("IPAllowList middleware: Traefik must see the client's address");
  });
});

describe("coreweave.ingress and plaintextPublicService are checked before anything is built", () => {
  const internal: gpu.FleetSpec = { ...spec, loadBalancer: "internal" };
  const cases: [string, CoreWeaveOptions, string, RegExp, gpu.FleetSpec][] = [
    ["on an internal fleet", { ingress: CLUSTER }, "coreweave.ingress", /an internal fleet/, internal],
    ["with both the host and the cluster's names", { loadBalancerSourceRanges: SOURCES, ingress: { ...CLUSTER, host: "llm.example.com" } }, "coreweave.ingress.host", /name the host one way/, spec],
    ["without clusterName", { loadBalancerSourceRanges: SOURCES, ingress: { orgId: "cw0000" } }, "coreweave.ingress.clusterName", /is required/, spec],
    ["with a URL for a host", { loadBalancerSourceRanges: SOURCES, ingress: { host: "https://llm.example.com" } }, "coreweave.ingress.host", /not a lower-case DNS name/, spec],
    ["with a wildcard host", { loadBalancerSourceRanges: SOURCES, ingress: { host: "*.example.com" } }, "coreweave.ingress.host", /not a lower-case DNS name/, spec],
    ["with an orgId that is not a label", { loadBalancerSourceRanges: SOURCES, ingress: { orgId: "CW_0", clusterName: "inference" } }, "coreweave.ingress.orgId", /DNS-1123 label/, spec],
    ["with an unknown key", { loadBalancerSourceRanges: SOURCES, ingress: { ...CLUSTER, issuer: "x" } as never }, "coreweave.ingress.issuer", /./, spec],
    ["with the plain-HTTP opt-out too", { loadBalancerSourceRanges: SOURCES, ingress: CLUSTER, plaintextPublicService: true }, "coreweave.plaintextPublicService", /cannot be set with coreweave.ingress/, spec],
    ["opt-out on an internal fleet", { plaintextPublicService: true }, "coreweave.plaintextPublicService", /internet-facing fleet only/, internal],
    ["opt-out set to false", { loadBalancerSourceRanges: SOURCES, plaintextPublicService: false }, "coreweave.ingress", /plain HTTP/, spec],
  ];
  for (const [what, coreweave, path, message, s] of cases) {
    it(`refuses coreweave.ingress / plaintextPublicService ${what} (${path})`, () => {
      const plan = gpu.planFleet(s);
      let error: unknown;
      try {
        checkCoreWeaveOptions(plan, coreweave);
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ name: "SpecError", path });
      expect((error as Error).message).toMatch(message);
    });
  }
});

describe("the bill of an internet-facing CoreWeave fleet says whose public address it is", () => {
  it("behind the ingress: no public-ip item and no network line ($13,140.00 a month: 1 × gd-8xl40s-i128 at $18 × 730 h); the opt-out adds the $4 address", () => {
    const https = gpu.estimateCost(spec, { loadBalancerSourceRanges: SOURCES, ingress: CLUSTER });
    expect(https.billOfMaterials).toEqual([{ kind: "gpu-nodes", instanceType: "gd-8xl40s-i128", count: 1, maxCount: 2 }]);
    expect(https.lines.filter((l) => l.category === "network")).toEqual([]);
    expect(https.monthlyUsd).toBe(13_140);
    expect(https.notes).toContain(
      "traffic: CoreWeave bills no NAT gateway, load balancer usage or data transfer (egress is free), so the egress traffic figures add nothing to this estimate; the internet-facing fleet is served by the cluster's Traefik ingress, whose public address is the cluster's, not billed here",
    );
    const plain = gpu.estimateCost(spec, { loadBalancerSourceRanges: SOURCES, plaintextPublicService: true });
    expect(plain.billOfMaterials).toContainEqual({ kind: "public-ip", count: 1, what: "the LoadBalancer Service's public IP" });
    expect(plain.monthlyUsd).toBe(13_144);
    expect(plain.notes.join("\n")).toContain("the internet-facing LoadBalancer Service is billed for its public IPv4 address only (4 USD a month, its own line)");
  });

  it("the NetworkPolicy still admits the server port from any in-cluster source (Traefik's pods), the only way in behind a ClusterIP Service", async () => {
    const result = await run(fleet("llm", { loadBalancerSourceRanges: SOURCES, ingress: CLUSTER }));
    const ingressPolicy = ofType(result, K.netpol).find((p) => p.inputs.metadata.name === "llm-ingress")!.inputs;
    expect(ingressPolicy.spec.ingress).toEqual([{ ports: [{ port: 8000, protocol: "TCP" }] }]);
  });
});
