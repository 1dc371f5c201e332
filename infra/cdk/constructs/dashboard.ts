/**
 * The operator dashboard on AWS: the built web app (web/) in a private S3 bucket behind a
 * CloudFront distribution with origin access control, the HTTP API on the same distribution under
 * `/v1/*` (same origin: no CORS, no preflights), and a Cognito user pool with hosted login
 * (authorization code + PKCE, app client without secret) whose access tokens the api function
 * accepts beside API keys. Groups: `admin` (everything) and `viewer` (reads only).
 *
 * One construct, wired in the stateless stack by a few lines, so that it can move as a whole.
 * The app is built at synth time by local bundling (Vite, ~1 s, offline); the deployment
 * (BucketDeployment) uploads it with a config.json that tells the app where to log in.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  AssetHashType,
  CfnOutput,
  DefaultStackSynthesizer,
  DockerImage,
  Duration,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
} from 'aws-cdk-lib';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  OAuthScope,
  UserPool,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { ENV } from '../../topology.js';
import { acknowledgeWildcardResource } from '../nag.js';
import { REPO_ROOT } from './csms-function.js';
import type { CsmsHttpApi } from './http-api.js';

export interface DashboardProps {
  /** The HTTP API the app calls (served under /v1/* of the dashboard's distribution). */
  readonly httpApi: CsmsHttpApi;
  /**
   * Prefix of the Cognito hosted login domain (`<prefix>.auth.<region>.amazoncognito.com`); unique
   * per region across AWS.
   * @default `csms-<account id>`
   */
  readonly domainPrefix?: string;
}

/** Cognito groups; the api function maps them to roles (functions/api/principals.ts). */
export const DASHBOARD_GROUPS = ['admin', 'viewer'] as const;

/** Builds web/ into `outputDir` with the repository's Vite (npm run build:web does the same into web/dist). */
function buildWebApp(outputDir: string): boolean {
  execFileSync(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'web/vite.config.ts',
      '--outDir',
      outputDir,
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return true;
}

export class Dashboard extends Construct {
  public readonly bucket: Bucket;
  public readonly distribution: Distribution;
  public readonly userPool: UserPool;
  public readonly userPoolClient: UserPoolClient;
  public readonly domain: UserPoolDomain;
  public readonly deployment: BucketDeployment;
  /** `https://<distribution domain>/` */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Only the build output lives here; the deployment puts it back.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    // The API behind the same distribution: nothing cached (the API says no-store), every header
    // but Host to the origin; Authorization and If-None-Match must be in the cache key to reach it.
    const apiCachePolicy = new CachePolicy(this, 'ApiCachePolicy', {
      comment: 'CSMS HTTP API: forward Authorization and If-None-Match, cache nothing',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: CacheHeaderBehavior.allowList('Authorization', 'If-None-Match'),
      queryStringBehavior: CacheQueryStringBehavior.all(),
      cookieBehavior: CacheCookieBehavior.none(),
    });
    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
    });
    const apiDomain = `${props.httpApi.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'CSMS operator dashboard',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: securityHeaders,
      },
      additionalBehaviors: {
        '/v1/*': {
          origin: new HttpOrigin(apiDomain, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: apiCachePolicy,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}/`;

    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false, // operators are invited by an admin (README: aws cognito-idp admin-create-user)
      signInAliases: { username: true, email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN, // users are not rebuilt by a redeploy
    });
    for (const group of DASHBOARD_GROUPS) {
      new CfnUserPoolGroup(this, `Group-${group}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
        description: group === 'admin' ? 'Everything' : 'Read-only: the API refuses writes with 403',
      });
    }
    this.domain = this.userPool.addDomain('HostedLogin', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? `csms-${stack.account}` },
    });
    this.userPoolClient = this.userPool.addClient('Dashboard', {
      generateSecret: false, // a browser app: authorization code with PKCE
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [this.url],
        logoutUrls: [this.url],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    // The api function verifies this pool's access tokens for this client (aws-jwt-verify).
    props.httpApi.handler.function.addEnvironment(ENV.cognitoUserPoolId, this.userPool.userPoolId);
    props.httpApi.handler.function.addEnvironment(ENV.cognitoClientId, this.userPoolClient.userPoolClientId);

    this.deployment = new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      sources: [
        Source.asset(join(REPO_ROOT, 'web'), {
          exclude: ['dist', 'node_modules'],
          // The output decides the hash: the app also bundles shared/ code from outside web/.
          assetHashType: AssetHashType.OUTPUT,
          bundling: {
            image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22'),
            local: { tryBundle: (outputDir) => buildWebApp(outputDir) },
          },
        }),
        Source.jsonData('config.json', {
          auth: 'cognito',
          cognitoDomain: this.domain.baseUrl(),
          clientId: this.userPoolClient.userPoolClientId,
        }),
      ],
      memoryLimit: 256,
    });

    new CfnOutput(this, 'DashboardUrl', { description: 'The operator dashboard', value: this.url });
    new CfnOutput(this, 'UserPoolId', {
      description: 'Cognito user pool of the dashboard (README: create the first admin user)',
      value: this.userPool.userPoolId,
    });
    this.acknowledgeNagFindings();
  }

  private acknowledgeNagFindings(): void {
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Operators work from wherever they are; access to the dashboard is controlled by login (Cognito) ' +
          'and the API authenticates every request, not by the country of the viewer.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'Static files and an API that authenticates every request; a web ACL is a fixed monthly fee a ' +
          'small operator need not pay. Attach one with the distribution if wanted.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'Access logs of the static files add cost and tell little; every API request through this ' +
          'distribution is in the HTTP API stage access log.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate, whose security policy cannot be changed; a custom ' +
          'domain with its certificate raises the minimum to TLS 1.2.',
      },
    );
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the build of the web app, which any visitor gets anyway; CloudFront (origin ' +
        'access control) is its only reader and the deployment its only writer.',
    });
    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is a per-deployment policy choice of the operator; enable it on the pool (optional or ' +
          'required) where the operators need it.',
      },
      {
        id: 'AwsSolutions-COG3',
        reason:
          'Advanced security (threat protection) is billed per active user per month; small operators can ' +
          'enable it on the pool when they want it.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason:
          'The Plus feature plan is billed per active user per month; the default plan already covers ' +
          'hosted login with the authorization code grant and PKCE.',
      },
    );
    // BucketDeployment's own function (one per stack, CDK's code): it copies the asset into the bucket.
    const deployer = Stack.of(this)
      .node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'))
      .at(0);
    const deployerRole = deployer?.node.tryFindChild('ServiceRole');
    const deployerFunction = deployer?.node.tryFindChild('Resource');
    if (deployerRole && deployerFunction) {
      const reason =
        "CDK's BucketDeployment function: it reads the staged asset and replaces the site's objects, with " +
        'the grants CDK gives it (its managed basic-execution policy, wildcards within the two buckets), and ' +
        'the runtime CDK pins for it.';
      Validations.of(deployerFunction).acknowledge({ id: 'AwsSolutions-L1', reason });
      Validations.of(deployerRole).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason,
        },
        ...[
          'Action::s3:GetObject*',
          'Action::s3:GetBucket*',
          'Action::s3:List*',
          'Action::s3:DeleteObject*',
          'Action::s3:Abort*',
          'Resource::*',
        ].map((finding) => ({ id: `AwsSolutions-IAM5[${finding}]`, reason })),
      );
      acknowledgeWildcardResource(deployerRole, `${this.bucket.bucketArn}/*`, reason);
      // The bootstrap assets bucket, as cdk-nag renders it for this stack's environment.
      const stack = Stack.of(this);
      const qualifier =
        (this.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ??
        DefaultStackSynthesizer.DEFAULT_QUALIFIER;
      const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
      const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
      // The partition is a token, unless the stack's environment is concrete (then it reads `aws`).
      for (const partition of ['<AWS::Partition>', 'aws']) {
        Validations.of(deployerRole).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:${partition}:s3:::cdk-${qualifier}-assets-${account}-${region}/*]`,
          reason,
        });
      }
    }
  }
}
