import { Duration, Names, Stack, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { CfnDistribution } from 'aws-cdk-lib/aws-cloudfront';
import {
  AllowedMethods,
  CfnTrustStore,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  OriginProtocolPolicy,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  OriginSslPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { AaaaRecord, ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { CloudFrontTarget } from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { ORIGIN_SECRET_HEADER, VIEWER_HEADERS } from '../../topology.js';
import type { CustomDomain, StationClientCertificates } from '../config.js';
import { STATION_PATH_PREFIX, stationPathRewriteCode } from './station-path-rewrite.js';

/** WebSocket handshake headers API Gateway needs (RFC 6455 §4.1; the subprotocol is the OCPP version). */
export const WEBSOCKET_HEADERS = [
  'Sec-WebSocket-Key',
  'Sec-WebSocket-Version',
  'Sec-WebSocket-Protocol',
  'Sec-WebSocket-Extensions',
] as const;

/**
 * The station's own address and source port (`198.51.100.10:46532`), which CloudFront adds when an
 * origin request policy names it: behind CloudFront, API Gateway's sourceIp is CloudFront's.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/adding-cloudfront-headers.html
 */
export const VIEWER_ADDRESS_HEADER = 'CloudFront-Viewer-Address';

/**
 * The client certificate headers forwarded with viewer mTLS (security profile 3): whether one was
 * presented, the leaf itself (URL-encoded PEM, origin requests only) and its serial. The
 * authorizer checks the PEM itself; an origin request policy names at most 10 headers.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/viewer-mtls-headers.html
 */
export const VIEWER_CERT_HEADERS = [
  VIEWER_HEADERS.certPresent,
  VIEWER_HEADERS.certPem,
  VIEWER_HEADERS.certSerialNumber,
] as const;

/** Status codes CloudFront caches for 10 s by default when the origin does not say otherwise. */
const CACHEABLE_ERROR_CODES = [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504] as const;

export interface StationFrontDoorProps {
  /** Domain of the WebSocket API (`{apiId}.execute-api.{region}.amazonaws.com`), the origin. */
  readonly originDomainName: string;
  /**
   * Value of the ORIGIN_SECRET_HEADER header CloudFront adds to every origin request. Pass a
   * dynamic reference (`SecretValue.unsafeUnwrap()`), never a literal, so it stays out of the template.
   */
  readonly originSecret: string;
  /**
   * Serve stations on a custom domain (TLS 1.2 minimum) rather than the distribution's own name.
   * @default - the `*.cloudfront.net` name only
   */
  readonly customDomain?: CustomDomain;
  /**
   * ARN of a CLOUDFRONT-scoped WAFv2 web ACL to attach.
   * @default - no web ACL
   */
  readonly webAclArn?: string;
  /**
   * Viewer mTLS in optional mode (docs/adr/0015-station-client-certificates.md): a trust store
   * made from this CA bundle in S3; the client certificate headers go to the origin.
   * @default - no viewer mTLS
   */
  readonly trustStoreBundle?: StationClientCertificates['trustStoreBundle'];
}

/**
 * CloudFront in front of the WebSocket API: terminates TLS for `wss://{host}/ocpp/{stationId}`,
 * rewrites the path to the stage with a CloudFront Function, and adds the origin secret header
 * that the authorizer requires (so the raw execute-api URL is useless on its own).
 */
export class StationFrontDoor extends Construct {
  public readonly distribution: Distribution;
  public readonly pathRewrite: CloudFrontFunction;
  public readonly cachePolicy: CachePolicy;
  public readonly originRequestPolicy: OriginRequestPolicy;
  /** With `trustStoreBundle` only. */
  public readonly trustStore?: CfnTrustStore;
  /** Host name stations connect to: the custom domain if any, else the distribution's. */
  public readonly stationHost: string;
  /** `wss://{stationHost}/ocpp/`: append the station identity. */
  public readonly stationUrlPrefix: string;

  constructor(scope: Construct, id: string, props: StationFrontDoorProps) {
    super(scope, id);

    this.pathRewrite = new CloudFrontFunction(this, 'PathRewrite', {
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Rewrites /ocpp/{stationId} to the WebSocket API stage, identity in the query string',
      code: FunctionCode.fromInline(stationPathRewriteCode()),
    });

    // Authorization (HTTP Basic, security profiles 1 and 2) cannot go in an origin request policy
    // (CloudFront answers 400), and a policy whose TTLs are all 0 (CACHING_DISABLED) may not name
    // headers either. So: Authorization and the query string in the cache key, default TTL 0, max 1 s.
    // Nothing is cached in practice: a 101 upgrade never is, and API Gateway errors carry no max-age.
    this.cachePolicy = new CachePolicy(this, 'CachePolicy', {
      comment: 'CSMS stations: forward Authorization, cache nothing',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: CacheHeaderBehavior.allowList('Authorization'),
      queryStringBehavior: CacheQueryStringBehavior.all(),
      cookieBehavior: CacheCookieBehavior.none(),
    });

    // Not Host: API Gateway finds the API by its own host name, which CloudFront sends by default.
    this.originRequestPolicy = new OriginRequestPolicy(this, 'OriginRequestPolicy', {
      // Policy names are per account, not per region (CDK's default name has no region in it).
      originRequestPolicyName: `${Names.uniqueId(this)}-Origin-${Stack.of(this).region}`,
      comment:
        'CSMS stations: WebSocket handshake headers, viewer address, protocol, certificate, query string',
      headerBehavior: OriginRequestHeaderBehavior.allowList(
        ...WEBSOCKET_HEADERS,
        VIEWER_ADDRESS_HEADER,
        // https for every station (HTTPS_ONLY): security profile 2 requires it (A00.FR.312).
        VIEWER_HEADERS.forwardedProto,
        ...(props.trustStoreBundle ? VIEWER_CERT_HEADERS : []),
      ),
      queryStringBehavior: OriginRequestQueryStringBehavior.all(),
      cookieBehavior: OriginRequestCookieBehavior.none(),
    });

    const { customDomain } = props;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'CSMS station endpoint: wss://host/ocpp/{stationId}',
      defaultBehavior: {
        origin: new HttpOrigin(props.originDomainName, {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          customHeaders: { [ORIGIN_SECRET_HEADER]: props.originSecret },
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: this.cachePolicy,
        originRequestPolicy: this.originRequestPolicy,
        compress: false,
        functionAssociations: [{ function: this.pathRewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      // A station retrying after a refused connection must reach the authorizer again at once.
      errorResponses: CACHEABLE_ERROR_CODES.map((httpStatus) => ({ httpStatus, ttl: Duration.seconds(0) })),
      ...(customDomain
        ? {
            domainNames: [customDomain.domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', customDomain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
    });

    if (props.trustStoreBundle) this.trustStore = this.enableViewerMtls(props.trustStoreBundle);

    if (customDomain?.hostedZone) {
      const zone = HostedZone.fromHostedZoneAttributes(this, 'Zone', customDomain.hostedZone);
      const target = RecordTarget.fromAlias(new CloudFrontTarget(this.distribution));
      const recordName = customDomain.domainName;
      new ARecord(this, 'AliasA', { zone, recordName, target });
      new AaaaRecord(this, 'AliasAaaa', { zone, recordName, target });
    }

    this.stationHost = customDomain?.domainName ?? this.distribution.distributionDomainName;
    this.stationUrlPrefix = `wss://${this.stationHost}${STATION_PATH_PREFIX}`;

    this.acknowledgeNagFindings(props);
  }

  /**
   * Viewer mTLS, optional mode: CloudFront verifies a certificate a station presents against the
   * trust store (chain and validity; an invalid one fails the TLS handshake) and lets stations
   * without one through (profiles 1 and 2 share the endpoint). The authorizer then holds each
   * station to its profile: revocation and CN = identity are its checks (CloudFront knows neither).
   * aws-cdk-lib 2.276 has no L2 property for it: the L1 resource and a property override.
   */
  private enableViewerMtls(bundle: StationClientCertificates['trustStoreBundle']): CfnTrustStore {
    const trustStore = new CfnTrustStore(this, 'ClientCaTrustStore', {
      name: `${Names.uniqueResourceName(this, { maxLength: 40 })}-stations`,
      caCertificatesBundleSource: {
        caCertificatesBundleS3Location: { bucket: bundle.bucket, key: bundle.key, region: bundle.region },
      },
    });
    const cfn = this.distribution.node.defaultChild as CfnDistribution;
    cfn.addPropertyOverride('DistributionConfig.ViewerMtlsConfig', {
      Mode: 'optional',
      TrustStoreConfig: {
        TrustStoreId: trustStore.attrId,
        // Stations whose TLS stack picks a certificate by the CAs the server names.
        AdvertiseTrustStoreCaNames: true,
        IgnoreCertificateExpiry: false,
      },
    });
    return trustStore;
  }

  private acknowledgeNagFindings(props: StationFrontDoorProps): void {
    const nag = Validations.of(this.distribution);
    nag.acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Charging stations connect from wherever they are installed; the operator, not the CSMS, ' +
          'knows which countries to allow. Every connection is authenticated by the $connect authorizer.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'Every request that passes the path rewrite reaches API Gateway, whose WebSocket stage ' +
          'writes an access log line per connect, message and disconnect (source IP, route, ' +
          'connection id, status, including authorizer refusals); CloudFront standard logs would ' +
          'need an S3 bucket and only duplicate that.',
      },
    );
    if (!props.webAclArn) {
      nag.acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'A web ACL costs a fixed monthly fee against a pay-per-use product and its managed rules ' +
          'target HTTP request bodies, not WebSocket frames; stations are authenticated by the ' +
          '$connect authorizer. Pass webAclArn (context) to attach one.',
      });
    }
    if (!props.customDomain) {
      nag.acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose ' +
          'security policy cannot be changed. Pass domainName and certificateArn (context) to get TLS 1.2 minimum.',
      });
    }
  }
}
