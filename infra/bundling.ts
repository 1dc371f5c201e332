/**
 * How every Lambda function is bundled: the one definition the CDK construct
 * (infra/cdk/constructs/csms-function.ts) and the benchmark (bench/coldstart) both build with, so
 * that the bundle sizes and cold starts the benchmark reports are those of what is deployed.
 *
 * ESM with code splitting (issue 14): the handler is `index.mjs`; what it imports lazily lands in
 * `chunks/`. The OCPP validators are such imports (shared/ocpp/validation.ts), one chunk per
 * version, loaded on the first message of that version: a 1.6 connection never loads the 2.0.1
 * and 2.1 validators, and the functions that validate nothing (authorizer, connect, disconnect,
 * sweep) never load any.
 */
import { createRequire } from 'node:module';
import type * as Esbuild from 'esbuild';
import type { BuildOptions, BuildResult } from 'esbuild';

/** Runtime of every function (infra/cdk FUNCTION_RUNTIME); the bundles target the same Node. */
export const BUNDLE_TARGET = 'node22';

/** The handler file in the asset; Lambda's handler setting is `index.handler`. */
export const BUNDLE_ENTRY_FILE = 'index.mjs';

/**
 * ESM bundles of CommonJS dependencies call `require` for Node built-ins; ESM has none, so every
 * output file defines one first (the aliased import cannot collide with the bundle's own names).
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __csmsCreateRequire } from 'node:module'; " +
  'const require = __csmsCreateRequire(import.meta.url);';

export interface BundleVariant {
  /**
   * Whether the AWS SDK v3 is bundled (tree-shaken, one module graph) or left to the runtime
   * (nodejs22.x provides it; the benchmark's comparison).
   * @default 'bundled'
   */
  readonly sdk?: 'external' | 'bundled';
}

/**
 * The SDK is bundled (issue 14): importing the message bundle and the 1.6 validators took 0.117 s
 * of CPU instead of 0.244 s with the runtime's SDK resolved from node_modules (median of 7 paired
 * runs, ratio 0.48), for ~290 KB more code.
 */
export function bundleOptions(entry: string, outdir: string, variant: BundleVariant = {}): BuildOptions {
  return {
    entryPoints: { index: entry },
    bundle: true,
    platform: 'node',
    target: BUNDLE_TARGET,
    format: 'esm',
    splitting: true,
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    // Source maps next to each file (without the sources) but no --enable-source-maps: with the
    // SDK inside, Node reading the maps at import cost 13 % more CPU (0.113 s against 0.098 s,
    // 7 paired runs). A stack trace in the logs names bundle positions (index.mjs:1:2345); the
    // .map files of the deployed asset resolve them (docs/adr/0016-cost-and-cold-start.md).
    sourcemap: true,
    sourcesContent: false,
    external: variant.sdk === 'external' ? ['@aws-sdk/*'] : [],
    logLevel: 'warning',
    metafile: true,
    legalComments: 'none',
  };
}

/** Bundles a function into `outdir` (synchronously, as CDK's local bundling requires). */
export function bundleFunctionSync(entry: string, outdir: string, variant: BundleVariant = {}): BuildResult {
  const esbuild = loadEsbuild();
  return esbuild.buildSync(bundleOptions(entry, outdir, variant));
}

function loadEsbuild(): typeof Esbuild {
  try {
    return createRequire(import.meta.url)('esbuild') as typeof Esbuild;
  } catch (error) {
    throw new Error(
      'Bundling the CSMS functions needs esbuild: npm install --save-dev esbuild (in the CDK app)',
      { cause: error },
    );
  }
}
