// The station CA on AWS (constructs/station-ca.ts, docs/adr/0014-station-ca.md): a retained KMS
// signing key in the stateful stack, and least privilege: only the message and api functions may
// use it, for kms:Sign and kms:GetPublicKey on that key alone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ENV, FUNCTIONS } from '../../infra/topology.js';
import { STATION_CA_ACTIONS } from '../../infra/cdk/constructs/station-ca.js';
import { logicalIdOf, resourcesOfType, synthesizeDefault, type Resource } from './synth.js';

const { statefulTemplate, statelessTemplate } = synthesizeDefault();

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

/** The KMS statements of the role policies attached to each function's role. */
function kmsStatementsByFunction(): Map<string, Statement[]> {
  const functions = resourcesOfType(statelessTemplate, 'AWS::Lambda::Function');
  const policies = Object.values(resourcesOfType(statelessTemplate, 'AWS::IAM::Policy'));
  const out = new Map<string, Statement[]>();
  for (const [id, fn] of Object.entries(functions)) {
    const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
    const statements = policies
      .filter((p: Resource) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((s) => [s.Action].flat().some((a) => a.startsWith('kms:')));
    out.set(id, statements);
  }
  return out;
}

describe('station CA key', () => {
  test('one ECC_NIST_P256 SIGN_VERIFY key in the stateful stack, retained on delete', () => {
    const keys = Object.values(resourcesOfType(statefulTemplate, 'AWS::KMS::Key'));
    assert.equal(keys.length, 1);
    const key = keys[0] as Resource & { DeletionPolicy?: string; UpdateReplacePolicy?: string };
    assert.equal(key.Properties.KeySpec, 'ECC_NIST_P256');
    assert.equal(key.Properties.KeyUsage, 'SIGN_VERIFY');
    assert.equal(key.DeletionPolicy, 'Retain');
    assert.equal(key.UpdateReplacePolicy, 'Retain');
  });

  test('message and api functions: kms:Sign and kms:GetPublicKey on the CA key only, and its ARN in CSMS_CA_KMS_KEY_ID', () => {
    const byFunction = kmsStatementsByFunction();
    const message = logicalIdOf(statelessTemplate, 'AWS::Lambda::Function', {
      Description: FUNCTIONS.message.description,
    });
    const api = logicalIdOf(statelessTemplate, 'AWS::Lambda::Function', {
      Description: FUNCTIONS.api.description,
    });
    const functions = resourcesOfType(statelessTemplate, 'AWS::Lambda::Function');
    for (const id of [message, api]) {
      const statements = byFunction.get(id) ?? [];
      assert.equal(statements.length, 1, `${id}: one KMS statement`);
      const [statement] = statements;
      assert.deepEqual([statement!.Action].flat().sort(), [...STATION_CA_ACTIONS].sort());
      assert.equal(statement!.Effect, 'Allow');
      const resource = JSON.stringify(statement!.Resource);
      assert.match(resource, /Fn::ImportValue/, 'the stateful stack key, by export');
      assert.doesNotMatch(resource, /\*/);
      const env = (functions[id]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      assert.deepEqual(env[ENV.caKmsKeyId], statement!.Resource);
    }
    for (const [id, statements] of byFunction) {
      if (id === message || id === api) continue;
      assert.equal(statements.length, 0, `${id} has no KMS permission`);
      const env = (
        functions[id]!.Properties.Environment as { Variables?: Record<string, unknown> } | undefined
      )?.Variables;
      assert.equal(env?.[ENV.caKmsKeyId], undefined, `${id} does not know the CA key`);
    }
  });
});
