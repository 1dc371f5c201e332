import { App, Validations, type AppProps, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { optionsFromContext, validateOptions, type CsmsOptions } from './config.js';
import { StatefulStack } from './stateful-stack.js';
import { StatelessStack } from './stateless-stack.js';

export const STACK_NAMES = { stateful: 'Csms-Stateful', stateless: 'Csms-Stateless' } as const;

/**
 * Feature flags the stacks are written against. They are defaults: context from cdk.json or the
 * command line wins, so tests that build the app in-process see the same values as `cdk synth`.
 */
export const FEATURE_FLAGS = {
  // Table and bus reach the stateless stack as CloudFormation exports (Fn::ImportValue); said
  // explicitly so a CDK upgrade cannot switch the mechanism under a deployed app.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
  // A secret may only reach a template through an explicit unsafeUnwrap (a dynamic reference here).
  '@aws-cdk/core:checkSecretUsage': true,
} as const;

export interface CsmsAppProps extends AppProps {
  /**
   * Deployment options. Given here they win over CDK context (tests use this).
   * @default - read from CDK context, see config.ts
   */
  readonly options?: CsmsOptions;
  /**
   * Where to deploy.
   * @default - CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION when set, else environment-agnostic
   */
  readonly env?: Environment;
}

export interface CsmsApp {
  readonly app: App;
  readonly options: CsmsOptions;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

function defaultEnv(): Environment | undefined {
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  if (!account && !region) return undefined;
  return { ...(account ? { account } : {}), ...(region ? { region } : {}) };
}

/** Builds the CSMS app (both stacks, cdk-nag AwsSolutions checks) without synthesizing it. */
export function createCsmsApp(props: CsmsAppProps = {}): CsmsApp {
  const { options: given, env: givenEnv, context, ...appProps } = props;
  const app = new App({ ...appProps, context: { ...FEATURE_FLAGS, ...context } });
  const options = given ? validateOptions(given) : optionsFromContext((key) => app.node.tryGetContext(key));
  const env = givenEnv ?? defaultEnv();
  const stackProps = env ? { env } : {};

  const stateful = new StatefulStack(app, STACK_NAMES.stateful, {
    ...stackProps,
    description: 'CSMS (OCPP): DynamoDB table, EventBridge bus and archive',
    eventBusName: options.eventBusName,
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
  });
  const stateless = new StatelessStack(app, STACK_NAMES.stateless, {
    ...stackProps,
    description: 'CSMS (OCPP): station gateway (CloudFront + WebSocket API), HTTP API, functions',
    table: stateful.table.table,
    eventBus: stateful.events.bus,
    options,
    webhooks: {
      targetRole: stateful.events.webhooks.targetRole,
      deadLetterQueue: stateful.events.webhooks.deadLetterQueue,
      archiveArn: stateful.events.archive.archiveArn,
    },
  });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, options, stateful, stateless };
}
