// The function bundles themselves: each one, as synthesized for Lambda (ESM, minified, @aws-sdk
// external), must load in a plain Node process and export `handler`. The local host runs the
// TypeScript sources, so nothing else would notice a bundle that only fails on AWS.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { REPO_ROOT } from '../../infra/cdk/constructs/csms-function.js';
import { ENV, FUNCTIONS, type FunctionName } from '../../infra/topology.js';
import { synthesize } from './synth.js';

// Inside the repository so that the bundles resolve @aws-sdk/* from its node_modules, as the
// Lambda runtime provides them; cdk.out/ is git-ignored and the folder is removed on exit.
const synthesized = synthesize({ outdirParent: join(REPO_ROOT, 'cdk.out') });
const { assembly } = synthesized;
const { statelessTemplate } = synthesized;

function bundleOf(name: FunctionName): string {
  const functions = statelessTemplate.findResources('AWS::Lambda::Function', {
    Properties: { Description: FUNCTIONS[name].description },
  });
  const [fn] = Object.values(functions) as { Properties: { Code: { S3Key: string } } }[];
  assert.ok(fn, `function ${name}`);
  // The asset is staged as asset.{hash} and uploaded as {hash}.zip.
  const hash = fn.Properties.Code.S3Key.replace(/\.zip$/, '');
  return join(assembly.directory, `asset.${hash}`, 'index.mjs');
}

describe('function bundles', () => {
  for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
    test(`${name}: an ES module with a source map that loads and exports handler, with tracing off and on`, () => {
      const bundle = bundleOf(name);
      assert.ok(existsSync(bundle), bundle);
      assert.ok(existsSync(`${bundle}.map`), 'source map next to the bundle');
      const probe =
        `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)});` +
        `if (typeof m.handler !== 'function') { console.error('handler is ' + typeof m.handler); process.exit(2); }`;
      // Tracing on (the `tracing` option): the lazily imported Powertools Tracer is in the bundle.
      for (const tracing of [
        {},
        { POWERTOOLS_TRACE_ENABLED: 'true', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' },
      ]) {
        const result = spawnSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', probe], {
          encoding: 'utf8',
          timeout: 30_000,
          env: {
            ...tracing,
            PATH: process.env.PATH,
            AWS_REGION: 'us-east-1',
            AWS_ACCESS_KEY_ID: 'test',
            AWS_SECRET_ACCESS_KEY: 'test',
            [ENV.tableName]: 'csms-test',
            [ENV.eventBusName]: 'csms-test',
            [ENV.connectionsUrl]: 'https://example.execute-api.us-east-1.amazonaws.com/ocpp',
            [ENV.admitUnknownStations]: 'false',
            [ENV.heartbeatIntervalSeconds]: '300',
            [ENV.cursorSecret]: 'a-cursor-secret-of-the-test-deployment-0123456789',
          },
        });
        assert.equal(
          result.status,
          0,
          `${name} bundle failed to load (${JSON.stringify(tracing)}):\n${result.stderr}`,
        );
      }
    });
  }
});

describe('validator chunks (issue 14)', () => {
  const assetDir = (name: FunctionName) => join(bundleOf(name), '..');
  const validatorChunks = (name: FunctionName) =>
    existsSync(join(assetDir(name), 'chunks'))
      ? readdirSync(join(assetDir(name), 'chunks')).filter((f) => /^validators-.*\.mjs$/.test(f))
      : [];

  test('the message function: one chunk per OCPP version, none of them in index.mjs', () => {
    assert.equal(validatorChunks('message').length, 3);
    const index = readFileSync(bundleOf('message'), 'utf8');
    // The generated validators name each schema by its title; the handler file has none of them.
    assert.ok(!index.includes('"title":"BootNotificationRequest"'), 'no validator inside index.mjs');
    for (const chunk of validatorChunks('message')) {
      assert.ok(index.includes(`./chunks/${chunk}`), `${chunk} is imported lazily by the handler`);
    }
  });

  test('authorizer: no validator chunk at all', () => {
    assert.deepEqual(validatorChunks('authorizer'), []);
  });
});

describe('dashboard asset', () => {
  test('synth builds the web app offline into the asset the deployment uploads', () => {
    const deployment = Object.values(statelessTemplate.findResources('Custom::CDKBucketDeployment'))[0] as {
      Properties: { SourceObjectKeys: string[] };
    };
    const found = deployment.Properties.SourceObjectKeys.map((key) =>
      join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`),
    ).filter((dir) => existsSync(join(dir, 'index.html')));
    assert.equal(found.length, 1, 'one source is the built app');
    const html = readFileSync(join(found[0]!, 'index.html'), 'utf8');
    assert.match(html, /<script type="module"[^>]+src="\/assets\/index-[\w-]+\.js"/);
  });
});
