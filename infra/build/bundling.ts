// How a function's bundle is built, in one place: CDK's NodejsFunction deploys with these settings, and the bundle
// budget check (test/infra/bundle-budgets.test.ts) and `npm run bench` build the very same bundles with esbuild's API.
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every function of the service (folders under functions/), HTTP ones first. */
export const FUNCTION_NAMES = ['contact-access', 'contact-group-access', 'contact-groups', 'contact-relatives', 'docs', 'ingest', 'publish', 'project'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export const BUNDLING = {
  format: 'esm',
  target: 'node22',
  minify: true,
  // Prefer the ESM builds of dependencies: they tree-shake (zod, middy, the SDK).
  mainFields: ['module', 'main'],
  // Some CommonJS dependencies call require() for Node built-ins; an ESM bundle has no require of its own.
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  /**
   * Packages replaced by a small module of ours in every bundle (each module says why): parts of the AWS SDK that a
   * Lambda function never runs but would parse on every cold start.
   */
  alias: {
    '@aws-sdk/credential-provider-node': `${REPO_ROOT}infra/build/aliases/credential-provider-env-only.ts`,
    '@smithy/core/event-streams': `${REPO_ROOT}infra/build/aliases/no-event-streams.ts`,
  },
} as const;

export const entryOf = (name: string) => `${REPO_ROOT}functions/${name}/handler.ts`;

/**
 * The esbuild options CDK derives from the construct's bundling props (infra/constructs/service-function.ts), for a
 * build outside CDK: same format, target, minification, main fields, banner, aliases and linked source map. `entry`: a
 * function's `entryOf(name)`, or another handler built the same way (the benchmark's baseline).
 */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: BUNDLING.format,
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    alias: { ...BUNDLING.alias },
    sourcemap: 'linked',
    sourcesContent: false,
    absWorkingDir: REPO_ROOT,
    logLevel: 'error',
  };
}
