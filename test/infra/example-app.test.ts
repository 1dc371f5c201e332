// The package as another CDK app sees it: `npm run build` (dist/: JavaScript + .d.ts), the example
// app in examples/embed-app type-checked against the built declarations and synthesized against
// the built JavaScript (bundling skipped: bundles.test.ts covers the bundles).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT } from '../../infra/cdk/constructs/csms-function.js';
import { cdkJsonContext } from './synth.js';

function run(command: string, args: string[], env: Record<string, string> = {}): string {
  const result = spawnSync(command, args, {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 300_000,
  });
  assert.equal(result.status, 0, `${command} ${args.join(' ')}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

interface Artifact {
  readonly type: string;
  readonly properties?: {
    readonly templateFile?: string;
    readonly stackName?: string;
    readonly directoryName?: string;
  };
}

/** stackName → template, through the nested assemblies of CDK Stages. */
function templates(
  dir: string,
): Map<string, { Resources: Record<string, { Type: string; Properties?: any }> }> {
  const found = new Map<string, { Resources: Record<string, { Type: string; Properties?: any }> }>();
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, Artifact>;
  };
  for (const artifact of Object.values(manifest.artifacts)) {
    const { templateFile, stackName, directoryName } = artifact.properties ?? {};
    if (artifact.type === 'aws:cloudformation:stack' && templateFile && stackName) {
      found.set(stackName, JSON.parse(readFileSync(join(dir, templateFile), 'utf8')));
    }
    if (artifact.type === 'cdk:cloud-assembly' && directoryName) {
      for (const [name, template] of templates(join(dir, directoryName))) found.set(name, template);
    }
  }
  return found;
}

describe('the package, embedded by examples/embed-app', () => {
  let outdir: string;
  before(() => {
    outdir = mkdtempSync(join(tmpdir(), 'csms-example-'));
    run('npm', ['run', '--silent', 'build']);
  });
  after(() => rmSync(outdir, { recursive: true, force: true }));

  test('the build emits JavaScript and declarations for the cdk export', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, { types: string; default: string }>;
    };
    const cdk = manifest.exports['./cdk']!;
    assert.ok(existsSync(join(REPO_ROOT, cdk.types)), cdk.types);
    assert.ok(existsSync(join(REPO_ROOT, cdk.default)), cdk.default);
    assert.match(readFileSync(join(REPO_ROOT, cdk.types), 'utf8'), /OcppCsms/);
    assert.ok(existsSync(join(REPO_ROOT, 'dist/infra/cdk/constructs/station-path-rewrite.function.js')));
  });

  test('the example type-checks against the built declarations', () => {
    run(process.execPath, [
      join(REPO_ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      'examples/embed-app/tsconfig.json',
    ]);
  });

  test('the example synthesizes: two stages without a name clash, and a stack of its own on the CSMS bus', () => {
    run(process.execPath, ['--import', 'tsx', 'examples/embed-app/app.ts'], {
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] }),
    });
    const stacks = templates(outdir);
    assert.deepEqual([...stacks.keys()].sort(), [
      'Billing-prod',
      'Charging-prod-Stateful',
      'Charging-prod-Stateless',
      'Charging-staging-Stateful',
      'Charging-staging-Stateless',
    ]);
    const buses = ['Charging-staging-Stateful', 'Charging-prod-Stateful'].map((name) =>
      Object.values(stacks.get(name)!.Resources)
        .filter((r) => r.Type === 'AWS::Events::EventBus')
        .map((r) => r.Properties.Name as string),
    );
    assert.deepEqual(buses, [['csms-staging'], ['csms-prod']]);
    const rule = Object.values(stacks.get('Billing-prod')!.Resources).find(
      (r) => r.Type === 'AWS::Events::Rule',
    );
    assert.match(JSON.stringify(rule?.Properties.EventBusName), /Fn::ImportValue/);
    const prodFunctions = Object.values(stacks.get('Charging-prod-Stateless')!.Resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function',
    );
    assert.ok(prodFunctions.some((f) => f.Properties.ReservedConcurrentExecutions === 200));
    assert.ok(readdirSync(outdir).length > 0);
  });
});
