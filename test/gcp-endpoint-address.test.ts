/**
 * A GCP VM fleet's endpoint is on a reserved address, as the GKE path's (gke/target.ts, gke/gateway.ts): a forwarding
 * rule's IPAddress, portRange and target type are fixed at creation, so adding gcp.sslCertificates to an internal fleet
 * (port 80 → 443, another proxy type) replaces the rule, and an ephemeral address would move with it. A reserved
 * address outlives the rule (https://cloud.google.com/vpc/docs/reserve-static-internal-ip-address); the internal one is
 * SHARED_LOADBALANCER_VIP so the :443 rule can take it while the :80 rule still holds it (Google's Terraform sample
 * "Internal HTTPS load balancer with HTTP-to-HTTPS redirect" shares one such address between its :80 and :443 rules).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { byName, one, ofType, run } from "./helpers/offline.js";

const base = { cloud: "gcp" as const, region: "us-central1", gpu: { model: "L4" as const }, replicas: { min: 1, max: 3 } };
const CERT = { sslCertificates: ["projects/p/regions/us-central1/sslCertificates/serve"] };

describe("GCP VM fleet endpoint address", () => {
  it("internal: the rule takes a reserved SHARED_LOADBALANCER_VIP address in the host subnet, the same with and without TLS", async () => {
    for (const gcp of [{}, CERT]) {
      let url: string | undefined;
      const result = await run(() => {
        const fleet = new gpu.InferenceFleet("serve", { ...base, gcp });
        fleet.endpointUrl.apply((u) => (url = u));
      });
      expect(result.error).toBeUndefined();
      const address = byName(result, "gcp:compute/address:Address", "serve-lb-address").inputs;
      expect(address).toMatchObject({ region: "us-central1", addressType: "INTERNAL", purpose: "SHARED_LOADBALANCER_VIP", subnetwork: "serve-subnet-id" });
      const rule = one(result, "gcp:compute/forwardingRule:ForwardingRule").inputs;
      expect(rule.ipAddress).toBe("10.0.255.249");
      expect(rule.portRange).toBe(gcp === CERT ? "443" : "80");
      expect(url).toBe(gcp === CERT ? "https://10.0.255.249" : "http://10.0.255.249");
    }
  });

  it("internet-facing: a reserved global IPv4 address on the global rule", async () => {
    const result = await run(() => new gpu.InferenceFleet("pub", { ...base, loadBalancer: "internet-facing", gcp: { sslCertificates: ["projects/p/global/sslCertificates/serve"], allowedSourceRanges: ["203.0.113.0/24"] } }));
    expect(result.error).toBeUndefined();
    expect(byName(result, "gcp:compute/globalAddress:GlobalAddress", "pub-lb-address").inputs).toMatchObject({ addressType: "EXTERNAL", ipVersion: "IPV4" });
    expect(one(result, "gcp:compute/globalForwardingRule:GlobalForwardingRule").inputs).toMatchObject({ ipAddress: "203.0.113.12", portRange: "443" });
    expect(result.costEvents[0]!.plan.notes.join("\n")).toMatch(/GCP endpoint: the load balancer's global external address is reserved.*gets a new forwarding rule on a new address once, at its next `up`/s);
  });

  it("training clusters and GKE fleets get no such note or address", async () => {
    const train = await run(() => new gpu.TrainingCluster("t", { cloud: "gcp", region: "us-central1", gpu: { model: "L4", count: 1 } }));
    expect(train.error).toBeUndefined();
    expect(ofType(train, "gcp:compute/address:Address")).toHaveLength(0);
    expect(train.costEvents[0]!.plan.notes.join("\n")).not.toMatch(/GCP endpoint/);
  });
});
