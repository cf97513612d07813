/**
 * Refreshed prices: `gpu-cluster catalog refresh` writes price rows read from
 * the clouds' public price APIs to `<dir>/<cloud>.json`; the catalog lays them
 * over the shipped tables at load. The directory is `GPU_CLUSTER_PRICES_DIR`,
 * else `~/.gpu-cluster/prices` (a user directory: `npm ci` wipes node_modules,
 * so a refresh written beside this module would vanish). A maintainer's reviewed
 * refresh committed to `data/refreshed` beside this module is read for a cloud
 * the user directory has no file for.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PRICING_MODELS, type Cloud, type InstancePrice } from "./types.js";

export const PRICES_DIR_ENV = "GPU_CLUSTER_PRICES_DIR";

export function refreshedPricesDir(): string {
  return process.env[PRICES_DIR_ENV] || path.join(os.homedir(), ".gpu-cluster", "prices");
}

/** Refreshed tables shipped in the package (reviewed, committed), read when the user directory has none. */
const SHIPPED_REFRESHED_DIR = path.join(__dirname, "data", "refreshed");

export function refreshedPricesFile(cloud: Cloud, dir = refreshedPricesDir()): string {
  return path.join(dir, `${cloud}.json`);
}

function isPriceRow(row: unknown, cloud: Cloud): row is InstancePrice {
  const r = row as InstancePrice;
  return (
    typeof r === "object" &&
    r !== null &&
    r.cloud === cloud &&
    typeof r.instanceType === "string" &&
    typeof r.region === "string" &&
    (PRICING_MODELS as readonly string[]).includes(r.pricing) &&
    typeof r.usdPerHour === "number" &&
    Number.isFinite(r.usdPerHour) &&
    r.usdPerHour > 0 &&
    typeof r.source === "string" &&
    /^\d{4}-\d{2}-\d{2}$/.test(r.asOf)
  );
}

/** The refreshed rows of one cloud (empty when none were written). Malformed rows are ignored, never guessed at. */
export function loadRefreshedPrices(cloud: Cloud, dir?: string): InstancePrice[] {
  let file = refreshedPricesFile(cloud, dir ?? refreshedPricesDir());
  if (!fs.existsSync(file) && dir === undefined) file = refreshedPricesFile(cloud, SHIPPED_REFRESHED_DIR);
  if (!fs.existsSync(file)) return [];
  const rows: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  return Array.isArray(rows) ? rows.filter((r): r is InstancePrice => isPriceRow(r, cloud)) : [];
}
