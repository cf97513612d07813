/**
 * The cluster's SSH key (lib/clouds/shared/cluster-ssh.ts): one ed25519 key per training cluster, made once by the
 * stack and kept in state as a Pulumi secret, so it is the same on every `up` and on every node. Each cloud stores
 * `privateKeyOpenssh` in its secret store for the nodes to fetch; nothing else needs it.
 */
import type * as pulumi from "@pulumi/pulumi";
import { PrivateKey } from "@pulumi/tls";
import type { CompileContext } from "../types.js";

export interface ClusterKey {
  /** The private key in OpenSSH format (a secret). */
  privateKeyOpenssh: pulumi.Output<string>;
  /** The public key, `ssh-ed25519 AAAA…`. */
  publicKeyOpenssh: pulumi.Output<string>;
  resource: PrivateKey;
}

/** The cluster key, named `<name>-ssh-key` (nothing in the name changes in normal use). */
export function clusterKey(ctx: CompileContext): ClusterKey {
  const resource = new PrivateKey(`${ctx.name}-ssh-key`, { algorithm: "ED25519" }, { parent: ctx.parent });
  // The SDK marks the private key outputs secret itself (additionalSecretOutputs in @pulumi/tls PrivateKey).
  return { privateKeyOpenssh: resource.privateKeyOpenssh, publicKeyOpenssh: resource.publicKeyOpenssh, resource };
}
