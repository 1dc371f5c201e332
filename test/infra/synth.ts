// Synthesizes the CDK app in-process, offline, the way `cdk synth` does (same context from cdk.json).
// Each test file runs in its own process and synthesizes once (synthesizeDefault).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { CsmsOptions } from '../../infra/cdk/config.js';
import { createCsmsApp, type CsmsApp } from '../../infra/cdk/csms-app.js';
import { REPO_ROOT } from '../../infra/cdk/constructs/csms-function.js';

export interface Synthesized extends CsmsApp {
  readonly assembly: CloudAssembly;
  readonly statefulTemplate: Template;
  readonly statelessTemplate: Template;
}

export interface SynthOptions {
  readonly options?: CsmsOptions;
  /** Extra context (it wins over cdk.json's). */
  readonly context?: Record<string, unknown>;
  /** Skip esbuild (placeholder assets): for tests that only look at options. @default false */
  readonly skipBundling?: boolean;
  /** Parent folder of the (temporary, removed on exit) cloud assembly. @default the OS temp folder */
  readonly outdirParent?: string;
}

/** The `context` of cdk.json, which the CLI hands to the app. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

const outdirs: string[] = [];
process.once('exit', () => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh app, not synthesized yet. */
export function buildApp(synthOptions: SynthOptions = {}): CsmsApp {
  const parent = synthOptions.outdirParent ?? tmpdir();
  mkdirSync(parent, { recursive: true });
  const outdir = mkdtempSync(join(parent, 'csms-cdk-test-'));
  outdirs.push(outdir);
  return createCsmsApp({
    outdir,
    context: {
      ...cdkJsonContext(),
      ...(synthOptions.skipBundling ? { 'aws:cdk:bundling-stacks': [] } : {}),
      ...synthOptions.context,
    },
    ...(synthOptions.options ? { options: synthOptions.options } : {}),
  });
}

/** A fresh app, synthesized (cdk-nag runs during synth and throws on any unacknowledged error). */
export function synthesize(synthOptions: SynthOptions = {}): Synthesized {
  const csms = buildApp(synthOptions);
  const assembly = csms.app.synth();
  return {
    ...csms,
    assembly,
    statefulTemplate: Template.fromStack(csms.stateful),
    statelessTemplate: Template.fromStack(csms.stateless),
  };
}

let shared: Synthesized | undefined;

/**
 * The app with default options, synthesized once per test file. Bundling is skipped (template
 * assertions do not look inside the code); bundles.test.ts builds and loads the real bundles.
 */
export function synthesizeDefault(): Synthesized {
  shared ??= synthesize({ skipBundling: true });
  return shared;
}

/** Resources of one type in a template, by logical id. */
export function resourcesOfType(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

export interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DependsOn?: string[];
}

/** The logical id of the only resource of `type` whose properties match, for Ref assertions. */
export function logicalIdOf(template: Template, type: string, props: Record<string, unknown> = {}): string {
  const ids = Object.keys(template.findResources(type, { Properties: props }));
  if (ids.length !== 1) throw new Error(`expected one ${type} matching, found ${ids.length}`);
  return ids[0]!;
}

/**
 * The CSMS's own functions: every AWS::Lambda::Function but those CDK adds for itself (the
 * dashboard's BucketDeployment and the bucket's auto-delete provider).
 */
export function csmsFunctions(template: Template): Record<string, Resource> {
  return Object.fromEntries(
    Object.entries(resourcesOfType(template, 'AWS::Lambda::Function')).filter(
      ([id]) => !id.startsWith('CustomCDKBucketDeployment') && !id.startsWith('CustomS3AutoDeleteObjects'),
    ),
  );
}
