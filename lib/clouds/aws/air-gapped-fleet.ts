/**
 * What an AWS VM inference fleet without a NAT gateway (`egress.natGateway: false`) can serve (review session 28, F3).
 * Its VPC reaches AWS APIs only, through the interface endpoints ./endpoints.ts builds (ECR's ecr.api and ecr.dkr with
 * the S3 gateway among them: https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html). The default
 * model server's image is on Docker Hub and its weights on huggingface.co, neither of which is reachable, so such a fleet
 * would start, fail its load balancer health checks after the grace period, and be replaced forever. Its image must
 * then come from the account's own ECR registry in the plan's region, and its weights from a path inside that image.
 */
import type { Plan } from "../../planner/types.js";
import { SpecError } from "../../spec/errors.js";
import { shellQuote } from "../shared/bootstrap.js";
import { modelServerArgs, type ModelServerOptions } from "../shared/model-server.js";

/**
 * The registry host of a private ECR image in `region` (`<12-digit account>.dkr.ecr.<region>.amazonaws.com/<repository>`,
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html), or undefined for any other image.
 */
export function ecrRegistry(image: string, region: string): string | undefined {
  const host = image.split("/")[0]!;
  return /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/.test(host) && host.split(".")[3] === region && image.includes("/") ? host : undefined;
}

/** The value of `--model` (or `--model=`) in the server's args, or undefined. */
function modelArg(args: readonly string[]): string | undefined {
  const at = args.indexOf("--model");
  if (at >= 0) return args[at + 1];
  return args.find((a) => a.startsWith("--model="))?.slice("--model=".length);
}

/** Throws a SpecError on `egress.natGateway` when an air-gapped AWS VM fleet's server needs the internet. */
export function checkAirGappedFleet(plan: Readonly<Plan>, o: ModelServerOptions | undefined): void {
  if (plan.egress.natGateway || plan.workload !== "inference" || plan.orchestrator !== "vm") return;
  const { image, args } = modelServerArgs(plan as Plan, o);
  const model = modelArg(args);
  const needs = [
    ...(ecrRegistry(image, plan.region) ? [] : [`its image '${image}' from outside the account's ECR registry in ${plan.region}`]),
    ...(model?.startsWith("/") ? [] : [`its model ${model === undefined ? "(no --model in aws.modelServer.args)" : `'${model}'`} from huggingface.co`]),
  ];
  if (needs.length === 0) return;
  throw new SpecError(
    "egress.natGateway",
    `is false, and the fleet's model server would pull ${needs.join(" and ")}, which the VPC endpoints do not reach: no replica could start`,
    `keep the NAT gateway, or push the server image with the weights inside it to ECR and set aws.modelServer.image: '<account>.dkr.ecr.${plan.region}.amazonaws.com/<repository>:<tag>' and aws.modelServer.model: '/<path of the weights in the image>'`,
  );
}

/**
 * Lines the launcher runs before each `docker run` of a private ECR image: Docker logs in to the registry with the
 * node role's ECR read grant (an authorization token lasts 12 hours, so once at boot is not enough:
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry_auth.html). None for any other image.
 */
export function ecrLoginLines(image: string, region: string): string[] {
  const registry = ecrRegistry(image, region);
  if (registry === undefined) return [];
  return [`aws ecr get-login-password --region ${region} | docker login --username AWS --password-stdin ${shellQuote(registry)} >/dev/null`];
}
