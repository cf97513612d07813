/**
 * The component's S3 buckets (review session 28, F15 and F16): incomplete multipart uploads are aborted after 7 days
 * (their parts are billed until then: https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html),
 * and plain-HTTP requests are refused by a Deny on aws:SecureTransport = false (AWS Config s3-bucket-ssl-requests-only,
 * https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-ssl-requests-only.html).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { byName, run } from "./helpers/offline.js";

const spec = { cloud: "aws" as const, region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, storage: [{ kind: "object" as const, capacityTiB: 10, name: "ckpt" }] };

describe("S3 bucket hygiene", () => {
  it("lifecycle: noncurrent versions expire after 30 days and incomplete multipart uploads are aborted after 7", async () => {
    const result = await run(() => new gpu.TrainingCluster("b", spec as gpu.TrainingClusterArgs));
    expect(result.error).toBeUndefined();
    const bucket = result.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
    expect(byName(result, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `${bucket.name}-lifecycle`).inputs.rules).toEqual([
      { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 } },
      { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
    ]);
  });

  it("a TLS-only bucket policy: Deny s3:* on the bucket and its objects when aws:SecureTransport is false", async () => {
    const result = await run(() => new gpu.TrainingCluster("t", spec as gpu.TrainingClusterArgs));
    expect(result.error).toBeUndefined();
    const policy = byName(result, "aws:s3/bucketPolicy:BucketPolicy", "t-object-ckpt-tls-only").inputs;
    expect(policy.bucket).toBe("t-object-ckpt-id");
    // The offline engine's ARN for the bucket t-object-ckpt.
    const arn = "arn:offline:aws:s3/bucket:Bucket:t-object-ckpt";
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }],
    });
  });
});
