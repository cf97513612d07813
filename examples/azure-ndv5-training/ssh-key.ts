import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

/**
 * The admin SSH public key: `pulumi config set sshPublicKey "$(cat ~/.ssh/id_ed25519.pub)"`,
 * else your ~/.ssh/id_ed25519.pub or id_rsa.pub. Without any, a key nobody holds the private
 * half of is used so the offline plan still runs: the nodes then accept no SSH login at all.
 */
export function sshPublicKey(): string {
  const configured = new pulumi.Config().get("sshPublicKey");
  if (configured) return configured;
  for (const file of ["id_ed25519.pub", "id_rsa.pub"]) {
    const p = path.join(os.homedir(), ".ssh", file);
    if (fs.existsSync(p)) return fs.readFileSync(p, "utf8").trim();
  }
  return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG5vLW9uZS1ob2xkcy10aGUtcHJpdmF0ZS1rZXktMDAw no-login-placeholder";
}
