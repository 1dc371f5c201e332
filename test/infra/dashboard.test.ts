// The dashboard on AWS (infra/cdk/constructs/dashboard.ts): private bucket read by CloudFront
// through origin access control, the HTTP API on the same distribution, a Cognito user pool with
// hosted login (code + PKCE, no client secret) and the groups, and the api function told which
// pool and client to accept beside API keys.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { ENV, FUNCTIONS } from '../../infra/topology.js';
import { logicalIdOf, resourcesOfType, synthesizeDefault } from './synth.js';

const { statelessTemplate: template } = synthesizeDefault();
const DASHBOARD = { DistributionConfig: Match.objectLike({ Comment: 'CSMS operator dashboard' }) };

describe('dashboard', () => {
  test('the site bucket is private: every public access blocked, TLS only, no website hosting', () => {
    const buckets = Object.values(resourcesOfType(template, 'AWS::S3::Bucket'));
    assert.equal(buckets.length, 1);
    const bucket = buckets[0]!;
    assert.deepEqual(bucket.Properties.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    assert.equal(bucket.Properties.WebsiteConfiguration, undefined);
    const policy = JSON.stringify(resourcesOfType(template, 'AWS::S3::BucketPolicy'));
    assert.match(policy, /"aws:SecureTransport":"false"/);
    assert.doesNotMatch(policy, /"Principal":"\*"[^}]*"Effect":"Allow"/);
  });

  test('CloudFront reads the bucket through origin access control, and only that distribution may', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
      }),
    });
    const distribution = logicalIdOf(template, 'AWS::CloudFront::Distribution', DASHBOARD);
    const config = resourcesOfType(template, 'AWS::CloudFront::Distribution')[distribution]!.Properties
      .DistributionConfig as { Origins: { S3OriginConfig?: unknown; OriginAccessControlId?: unknown }[] };
    const s3Origin = config.Origins.find((o) => o.S3OriginConfig !== undefined);
    assert.ok(s3Origin?.OriginAccessControlId, 'the S3 origin signs with the OAC');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: {
              StringEquals: {
                'AWS:SourceArn': Match.objectLike({
                  'Fn::Join': Match.arrayWith([Match.arrayWith([{ Ref: distribution }])]),
                }),
              },
            },
          }),
        ]),
      },
    });
  });

  test('the HTTP API is served under /v1/* of the same distribution, uncached, with Authorization forwarded', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Comment: 'CSMS operator dashboard',
        DefaultRootObject: 'index.html',
        CacheBehaviors: [
          Match.objectLike({
            PathPattern: '/v1/*',
            ViewerProtocolPolicy: 'https-only',
            AllowedMethods: Match.arrayWith(['PUT', 'PATCH', 'POST', 'DELETE']),
          }),
        ],
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        DefaultTTL: 0,
        MinTTL: 0,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Authorization', 'If-None-Match'] },
        }),
      }),
    });
  });

  test('a Cognito user pool without self sign-up, hosted login, and groups admin and viewer', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    const groups = Object.values(resourcesOfType(template, 'AWS::Cognito::UserPoolGroup')).map(
      (g) => g.Properties.GroupName,
    );
    assert.deepEqual(groups.sort(), ['admin', 'viewer']);
  });

  test('the app client: authorization code grant only (PKCE), no secret, redirects to the dashboard', () => {
    const distribution = logicalIdOf(template, 'AWS::CloudFront::Distribution', DASHBOARD);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }, '/']] }],
    });
  });

  test('the api function accepts the pool’s tokens for that client beside API keys', () => {
    const api = logicalIdOf(template, 'AWS::Lambda::Function', { Description: FUNCTIONS.api.description });
    const variables = (
      resourcesOfType(template, 'AWS::Lambda::Function')[api]!.Properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    const pool = logicalIdOf(template, 'AWS::Cognito::UserPool');
    const client = logicalIdOf(template, 'AWS::Cognito::UserPoolClient');
    assert.deepEqual(variables[ENV.cognitoUserPoolId], { Ref: pool });
    assert.deepEqual(variables[ENV.cognitoClientId], { Ref: client });
    // API keys still work: the function keeps its table (where the key hashes are).
    assert.ok(variables[ENV.tableName]);
  });

  test('the deployment uploads the app and a config.json naming the hosted login and the client', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DistributionPaths: ['/index.html', '/config.json'],
    });
    const deployment = Object.values(resourcesOfType(template, 'Custom::CDKBucketDeployment'))[0]!;
    assert.equal((deployment.Properties.SourceObjectKeys as unknown[]).length, 2, 'the app and config.json');
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    // config.json is filled in at deploy time with the hosted login domain and the app client id.
    assert.ok(
      markers.includes(JSON.stringify({ Ref: logicalIdOf(template, 'AWS::Cognito::UserPoolDomain') })),
    );
    assert.ok(
      markers.includes(JSON.stringify({ Ref: logicalIdOf(template, 'AWS::Cognito::UserPoolClient') })),
    );
    template.hasOutput('*', { Description: 'The operator dashboard' });
  });
});
