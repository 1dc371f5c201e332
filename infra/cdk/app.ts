// CDK entry (cdk.json: `npx tsx infra/cdk/app.ts`). Options come from context, e.g.
//   npx cdk synth -c admitUnknownStations=true -c heartbeatIntervalSeconds=240
//   npx cdk deploy --all -c domainName=ocpp.example.com -c certificateArn=arn:aws:acm:us-east-1:...
// (see infra/cdk/config.ts for every option and its default).
import { createCsmsApp } from './csms-app.js';

createCsmsApp().app.synth();
