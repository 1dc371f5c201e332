// cdk-nag (v3, AwsSolutions pack) over the whole app: no unacknowledged finding, every
// acknowledgment specific to a resource and explained.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Table, AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { buildApp, synthesizeDefault } from './synth.js';

const { app, stateful, stateless, assembly } = synthesizeDefault();

interface Acknowledgment {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

function acknowledgments(root: IConstruct): Acknowledgment[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  test('no violation, error or warning, is left unacknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    assert.deepEqual(
      report.violations.map(
        (v) =>
          `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      ),
      [],
    );
    assert.equal(report.success, true);
  });

  test('the validation report of the synthesized assembly is empty', () => {
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: unknown[];
    };
    assert.deepEqual(report.pluginReports, []);
  });

  test('no error or warning annotation on either stack', () => {
    for (const stack of [stateful, stateless]) {
      const annotations = Annotations.fromStack(stack);
      assert.deepEqual(annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')), []);
      assert.deepEqual(annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')), []);
      // Nor any other: synth is warning-free.
      assert.deepEqual(annotations.findError('*', Match.anyValue()), []);
      assert.deepEqual(annotations.findWarning('*', Match.anyValue()), []);
    }
  });

  test('every acknowledgment sits on a resource, not the app or a stack, and says why', () => {
    const all = acknowledgments(app);
    assert.ok(all.length > 0);
    for (const { path, id, reason } of all) {
      assert.match(id, /^AwsSolutions-[A-Z]+\d+(\[.+\])?$/, path);
      // stack/construct/resource at least: nothing on the app, a stack or a whole capability
      assert.ok(path.split('/').length >= 3, `${id} acknowledged at ${JSON.stringify(path)}: too broad`);
      assert.ok(reason.trim().length >= 80, `${id} at ${path}: the reason is too short to explain anything`);
    }
  });

  test('the acknowledged rules are exactly the reviewed ones', () => {
    const ids = [...new Set(acknowledgments(app).map((a) => a.id.replace(/\[.*$/, '')))].sort();
    assert.deepEqual(ids, [
      'AwsSolutions-APIG4', // WebSocket routes after $connect; HTTP API routes (the function authenticates)
      'AwsSolutions-CFR1', // no geo restriction: stations are everywhere
      'AwsSolutions-CFR2', // no WAF unless webAclArn is given
      'AwsSolutions-CFR3', // no CloudFront logs: the WebSocket stage access log has every request
      'AwsSolutions-CFR4', // default CloudFront certificate unless a custom domain is given
      'AwsSolutions-COG2', // dashboard users: MFA is the operator's choice
      'AwsSolutions-COG3', // dashboard users: advanced security is billed per user
      'AwsSolutions-COG8', // dashboard users: the Plus plan is billed per user
      'AwsSolutions-IAM4', // the account-wide API Gateway logging role; BucketDeployment's function
      'AwsSolutions-IAM5', // @connections/*; webhook resources by name prefix; CDK's BucketDeployment function
      'AwsSolutions-L1', // nodejs22.x on purpose; CDK's BucketDeployment function
      'AwsSolutions-S1', // dashboard bucket: only the app's build, read by CloudFront alone
      'AwsSolutions-SMG4', // origin secret: no rotation (resolved at deploy time)
      'AwsSolutions-SNS2', // alarm topic: CloudWatch cannot publish to an aws/sns-encrypted topic
      'AwsSolutions-SQS3', // call-deadline queue (its consumer never fails a message), the sweep schedule's DLQ, the webhook DLQs
    ]);
  });

  test('the checks are wired into the app: an unchecked resource fails synth', () => {
    const { app: other, stateless: otherStateless } = buildApp({ skipBundling: true });
    new Table(otherStateless, 'Unchecked', { partitionKey: { name: 'id', type: AttributeType.STRING } });
    assert.throws(() => other.synth(), /AwsSolutions-DDB3/);
  });
});
