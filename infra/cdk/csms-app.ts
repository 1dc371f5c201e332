import { App, Validations, type AppProps, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { optionsFromContext, validateOptions, type CsmsOptions } from './config.js';
import { OcppCsms, stackNamesOf } from './ocpp-csms.js';
import type { StatefulStack } from './stateful-stack.js';
import type { StatelessStack } from './stateless-stack.js';

/** Construct id of the repository's deployment; the stack names start with it. */
export const APP_ID = 'Csms';
/** Stack names without a stage (`-c stage=dev` makes them Csms-dev-Stateful / Csms-dev-Stateless). */
export const STACK_NAMES = stackNamesOf(APP_ID, undefined);

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
  readonly csms: OcppCsms;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

function defaultEnv(): Environment | undefined {
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  if (!account && !region) return undefined;
  return { ...(account ? { account } : {}), ...(region ? { region } : {}) };
}

/** Builds the repository's CSMS app (one OcppCsms, cdk-nag AwsSolutions checks) without synthesizing it. */
export function createCsmsApp(props: CsmsAppProps = {}): CsmsApp {
  const { options: given, env: givenEnv, context, ...appProps } = props;
  const app = new App({ ...appProps, context: { ...FEATURE_FLAGS, ...context } });
  const options = given ? validateOptions(given) : optionsFromContext((key) => app.node.tryGetContext(key));
  const env = givenEnv ?? defaultEnv();

  const csms = new OcppCsms(app, APP_ID, { ...options, ...(env ? { env } : {}) });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, options: csms.options, csms, stateful: csms.stateful, stateless: csms.stateless };
}
