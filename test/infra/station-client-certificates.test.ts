// Security profile 3 on AWS (docs/adr/0015-station-client-certificates.md): CloudFront viewer
// mTLS in optional mode with a trust store, the client certificate headers forwarded to the
// origin, the authorizer's trust anchors and what it may read.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { CsmsOptionsError, resolveOptions } from '../../infra/cdk/config.js';
import { ENV, FUNCTIONS } from '../../infra/topology.js';
import { createTestCa } from '../support/pki.js';
import { logicalIdOf, resourcesOfType, synthesize } from './synth.js';

const ca = await createTestCa();
const bundle = { bucket: 'csms-pki', key: 'stations/ca-bundle.pem', region: 'eu-west-1' };
const { statelessTemplate: template } = synthesize({
  skipBundling: true,
  context: { stationClientCertificates: JSON.stringify({ trustStoreBundle: bundle, caPem: ca.certPem }) },
});

describe('viewer mTLS for security profile 3', () => {
  test('a trust store from the CA bundle in S3, and the distribution in optional mode with it', () => {
    template.hasResourceProperties('AWS::CloudFront::TrustStore', {
      CaCertificatesBundleSource: {
        CaCertificatesBundleS3Location: { Bucket: bundle.bucket, Key: bundle.key, Region: bundle.region },
      },
    });
    const trustStoreId = logicalIdOf(template, 'AWS::CloudFront::TrustStore');
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        ViewerMtlsConfig: {
          // optional: profile 1/2 stations (no certificate) share the endpoint; a presented
          // certificate that does not chain to the trust store fails at the edge.
          Mode: 'optional',
          TrustStoreConfig: {
            TrustStoreId: { 'Fn::GetAtt': [trustStoreId, 'Id'] },
            AdvertiseTrustStoreCaNames: true,
            IgnoreCertificateExpiry: false,
          },
        },
      }),
    });
  });

  test('the origin gets the certificate headers and the protocol (at most 10 headers)', () => {
    const policy = Object.values(resourcesOfType(template, 'AWS::CloudFront::OriginRequestPolicy'))[0]!;
    const headers = (policy.Properties.OriginRequestPolicyConfig as { HeadersConfig: { Headers: string[] } })
      .HeadersConfig.Headers;
    for (const name of [
      'CloudFront-Viewer-Cert-Present',
      'CloudFront-Viewer-Cert-Pem',
      'CloudFront-Viewer-Cert-Serial-Number',
      'CloudFront-Forwarded-Proto',
      'CloudFront-Viewer-Address',
    ]) {
      assert.ok(headers.includes(name), name);
    }
    assert.ok(headers.length <= 10, `${headers.length} headers`);
  });

  test('the authorizer has the CA certificates as trust anchors; no other function does', () => {
    for (const [id, fn] of Object.entries(resourcesOfType(template, 'AWS::Lambda::Function'))) {
      const variables = (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
        ?.Variables;
      if (!variables?.[ENV.tableName]) continue; // not a CSMS function
      const isAuthorizer = fn.Properties.Description === FUNCTIONS.authorizer.description;
      assert.equal(variables[ENV.clientCaPem], isAuthorizer ? ca.certPem : undefined, id);
    }
  });

  test('the authorizer reads the table (station item, certificate registry) and counts failed logins in it', () => {
    const authorizer = logicalIdOf(template, 'AWS::Lambda::Function', {
      Description: FUNCTIONS.authorizer.description,
    });
    const fn = resourcesOfType(template, 'AWS::Lambda::Function')[authorizer]!;
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const actions = Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap(
        (p) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement,
      )
      .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    for (const action of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem']) {
      assert.ok(actions.includes(action), action);
    }
    // No S3, no CloudFront API: the trust anchors come in the environment.
    assert.ok(!actions.some((a) => a.startsWith('s3:') || a.startsWith('cloudfront:')), actions.join());
  });

  test('without the option there is no trust store and no certificate header', () => {
    const { statelessTemplate } = synthesize({ skipBundling: true });
    assert.deepEqual(resourcesOfType(statelessTemplate, 'AWS::CloudFront::TrustStore'), {});
    assert.doesNotMatch(JSON.stringify(statelessTemplate.toJSON()), /ViewerMtlsConfig|Viewer-Cert/);
  });

  test('bad options are refused at synth', () => {
    assert.throws(
      () => resolveOptions({ stationClientCertificates: { trustStoreBundle: bundle, caPem: 'nope' } }),
      CsmsOptionsError,
    );
    assert.throws(
      () =>
        resolveOptions({
          stationClientCertificates: { trustStoreBundle: bundle, caPem: ca.certPem.repeat(6) },
        }),
      /over 3000 bytes/,
    );
  });
});
