import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  Code,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUNDLE_ENTRY_FILE, bundleFunctionSync } from '../../bundling.js';
import type { FunctionSpec } from '../../topology.js';

/** Name of this package in package.json. */
export const PACKAGE_NAME = 'ocpp-serverless-csms';

/**
 * The package root (the repository, or node_modules/ocpp-serverless-csms in an app that embeds the
 * construct): function entries in topology FUNCTIONS are relative to it. Found by walking up, as
 * this module runs both from infra/cdk/constructs (source) and dist/infra/cdk/constructs (built).
 */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME
    ) {
      return `${dir}/`;
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`no package.json of ${PACKAGE_NAME} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export const REPO_ROOT = packageRoot();

/** Runtime of every function; the bundles target the same Node version (infra/bundling.ts). */
export const FUNCTION_RUNTIME = Runtime.NODEJS_22_X;

/**
 * Lambda's advanced logging controls for a log level: JSON format, the application level, and the
 * system level (WARN drops the START / END / REPORT lines; DEBUG keeps them for a debug stage).
 */
export function loggingConfig(level: CsmsFunctionSettings['logLevel'] = 'WARN'): {
  readonly loggingFormat: LoggingFormat;
  readonly applicationLogLevelV2: ApplicationLogLevel;
  readonly systemLogLevelV2: SystemLogLevel;
} {
  return {
    loggingFormat: LoggingFormat.JSON,
    applicationLogLevelV2: ApplicationLogLevel[level],
    systemLogLevelV2: level === 'DEBUG' ? SystemLogLevel.DEBUG : SystemLogLevel.WARN,
  };
}

/** What every function of one deployment shares: logging, metrics and tracing. */
export interface CsmsFunctionSettings {
  /**
   * Lambda's application log level (JSON format) and POWERTOOLS_LOG_LEVEL; below DEBUG, the
   * system level is WARN (no START / END / REPORT lines). See loggingConfig.
   * @default 'WARN'
   */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /**
   * POWERTOOLS_SERVICE_NAME: the `service` dimension of every Powertools metric and a key of every
   * log line; one per stage so that two stages' metrics and alarms stay apart.
   * @default 'csms'
   */
  readonly serviceName?: string;
  /**
   * X-Ray active tracing (and Powertools Tracer, POWERTOOLS_TRACE_ENABLED).
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * How long the function's logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
}

/** Namespace of the CSMS's own CloudWatch metrics (Powertools Metrics, embedded metric format). */
export const METRICS_NAMESPACE = 'Csms';

export interface CsmsFunctionProps {
  /** The function as topology FUNCTIONS describes it: entry, description, memory, timeout. */
  readonly spec: FunctionSpec;
  /**
   * Environment variables, in addition to the POWERTOOLS_* ones.
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * How long the function's logs are kept (wins over `settings.logRetention`).
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Logging, metrics and tracing settings of the deployment.
   * @default - WARN logs, service `csms`, no tracing, one month of logs
   */
  readonly settings?: CsmsFunctionSettings;
  /**
   * Reserved concurrency (also the function's maximum).
   * @default - none reserved
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * How often Lambda retries a failed asynchronous invocation (0 to 2).
   * @default - Lambda's default, 2
   */
  readonly retryAttempts?: number;
}

/**
 * One Lambda function of the CSMS, bundled from its TypeScript entry with the local esbuild
 * (infra/bundling.ts: ESM, code-split, the same options the benchmark measures), with
 * its own log group and an execution role that may write to that log group and nothing else
 * until the caller grants more.
 */
export class CsmsFunction extends Construct {
  public readonly function: LambdaFunction;
  public readonly role: Role;
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: CsmsFunctionProps) {
    super(scope, id);
    const { spec } = props;
    const settings = props.settings ?? {};

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? settings.logRetention ?? RetentionDays.ONE_MONTH,
      // The stateless stack can be destroyed and redeployed at will; its logs expire anyway.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Instead of the AWSLambdaBasicExecutionRole managed policy (logs:* on every log group).
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of: ${spec.description}`,
    });
    this.logGroup.grantWrite(this.role);

    const entry = join(REPO_ROOT, spec.entry);
    const logLevel = settings.logLevel ?? 'WARN';
    this.function = new LambdaFunction(this, 'Function', {
      code: Code.fromAsset(REPO_ROOT, {
        // Hashed by what is bundled, not by the repository (as NodejsFunction does).
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never used: local bundling (esbuild in this process) either succeeds or throws.
          image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22'),
          // Part of the asset cache key: each function's entry bundles on its own.
          command: ['esbuild', spec.entry],
          local: {
            tryBundle(outputDir: string): boolean {
              bundleFunctionSync(entry, outputDir);
              return true;
            },
          },
        },
      }),
      handler: `${BUNDLE_ENTRY_FILE.replace(/\.mjs$/, '')}.handler`,
      description: spec.description,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      ...loggingConfig(logLevel),
      tracing: settings.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      ...(props.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      ...(props.retryAttempts !== undefined ? { retryAttempts: props.retryAttempts } : {}),
      environment: {
        POWERTOOLS_SERVICE_NAME: settings.serviceName ?? 'csms',
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: logLevel,
        POWERTOOLS_TRACE_ENABLED: String(settings.tracing ?? false),
        ...props.environment,
      },
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'nodejs22.x is chosen on purpose: the bundles target node22 and the code is tested on the ' +
        'Node versions of package.json engines (20.19+, 22.13+); moving to a newer runtime is a ' +
        'deliberate change of FUNCTION_RUNTIME, the esbuild target and engines together.',
    });
  }
}
