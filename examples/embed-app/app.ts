// An app of your own that embeds the CSMS: two stages side by side, plus a resource of yours
// that uses the CSMS's event bus. In your project: `npm install ocpp-serverless-csms aws-cdk-lib
// constructs`, then `npx cdk deploy --all --app "npx tsx app.ts"`.
import { App, Duration, Stack, Stage } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { OcppCsms } from 'ocpp-serverless-csms/cdk';

const app = new App();
const env = {
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: process.env.CDK_DEFAULT_REGION ?? 'eu-west-1',
};

// One CDK Stage per environment; the `stage` prop keeps their AWS names apart (stack names
// Charging-staging-Stateful, Charging-prod-Stateful, ..., buses csms-staging and csms-prod).
// Staging shares the account-wide API Gateway logging role that production sets.
new OcppCsms(new Stage(app, 'Staging'), 'Charging', {
  env,
  stage: 'staging',
  admitUnknownStations: true,
  configureApiGatewayLogsRole: false,
});
const prodStage = new Stage(app, 'Production');
const production = new OcppCsms(prodStage, 'Charging', {
  env,
  stage: 'prod',
  heartbeatIntervalSeconds: 240,
  alarmEmail: 'ops@example.com',
  reservedConcurrency: { message: 200 },
  tags: { CostCenter: 'charging' },
});

// Your own consumer of the domain events (see docs/events.md): finished sessions into a queue.
const billing = new Stack(prodStage, 'Billing', { env, stackName: 'Billing-prod' });
const sessions = new Queue(billing, 'FinishedSessions', {
  encryption: QueueEncryption.SQS_MANAGED,
  enforceSSL: true,
  retentionPeriod: Duration.days(14),
});
new Rule(billing, 'TransactionEnded', {
  eventBus: production.stateful.eventBus,
  eventPattern: { source: ['csms'], detailType: ['transaction.ended.v1'] },
  targets: [new SqsQueue(sessions)],
});

app.synth();
