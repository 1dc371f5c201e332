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
   * Whether the AWS SDK v3 is left to the runtime (nodejs22.x provides it) or bundled.
   * @default 'external'
   */
  readonly sdk?: 'external' | 'bundled';
}

/**
 * The SDK stays external: bundled, the message function's cold start measured the same within
 * the noise (BENCHMARKS.md, cold start: "Total, SDK bundled") while its asset grew by ~350 KiB.
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
    // Source maps next to each file, without the sources, and NODE_OPTIONS=--enable-source-maps
    // (csms-function.ts): stack traces in the logs name the TypeScript files and lines. Measured
    // without it (issue 14): the import of the message bundle took the same CPU within the noise
    // (ratio 0.98 over 9 paired runs), so the mapping stays.
    sourcemap: true,
    sourcesContent: false,
    external: variant.sdk === 'bundled' ? [] : ['@aws-sdk/*'],
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
