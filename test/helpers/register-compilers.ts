// vitest runs the TypeScript sources, which Node's `require` cannot load, so the lazy compiler loader
// (lib/components/compilers.ts) is handed every compiler up front. The loader still checks each compiler's SDKs,
// and the built package's real `require` path is exercised by test/package.test.ts.
import { eksCompiler } from "../../lib/clouds/aws/eks/index.js";
import { awsCompiler } from "../../lib/clouds/aws/index.js";
import { aksCompiler } from "../../lib/clouds/azure/aks/index.js";
import { azureCompiler } from "../../lib/clouds/azure/index.js";
import { coreweaveCompiler } from "../../lib/clouds/coreweave/index.js";
import { gkeCompiler } from "../../lib/clouds/gcp/gke/index.js";
import { gcpCompiler } from "../../lib/clouds/gcp/index.js";
import type { CloudCompiler } from "../../lib/clouds/types.js";
import { registerCompiler } from "../../lib/components/compilers.js";

const any = (c: unknown) => c as CloudCompiler<unknown>;
registerCompiler("vm", "aws", any(awsCompiler));
registerCompiler("vm", "gcp", any(gcpCompiler));
registerCompiler("vm", "azure", any(azureCompiler));
registerCompiler("vm", "coreweave", any(coreweaveCompiler));
registerCompiler("kubernetes", "aws", any(eksCompiler));
registerCompiler("kubernetes", "gcp", any(gkeCompiler));
registerCompiler("kubernetes", "azure", any(aksCompiler));
registerCompiler("kubernetes", "coreweave", any(coreweaveCompiler));
