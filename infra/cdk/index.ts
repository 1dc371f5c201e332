/**
 * The CDK constructs of the CSMS, for other CDK apps (`import { OcppCsms } from
 * 'ocpp-serverless-csms/cdk'`): see docs/deploy.md and examples/embed-app.
 */
export { OcppCsms, stackNamesOf, COST_TAGS, APPLICATION_TAG_VALUE, type OcppCsmsProps } from './ocpp-csms.js';
export { StatefulStack, type StatefulStackProps } from './stateful-stack.js';
export { StatelessStack, serviceNameOf, type StatelessStackProps } from './stateless-stack.js';
export {
  CONTEXT_KEYS,
  DEFAULT_OPTIONS,
  CsmsOptionsError,
  optionsFromContext,
  resolveOptions,
  type CsmsOptions,
  type CustomDomain,
  type HostedZoneRef,
  type LogLevel,
  type Throttle,
  type ConcurrencyFunction,
} from './config.js';
export { CsmsOperations, ALARM_THRESHOLDS, type CsmsOperationsProps } from './constructs/operations.js';
export { StationGateway, type StationGatewayProps } from './constructs/station-gateway.js';
export { CsmsHttpApi, type CsmsHttpApiProps } from './constructs/http-api.js';
export { CommandSweep, type CommandSweepProps } from './constructs/command-sweep.js';
export { CsmsTable, importCsmsTable, type CsmsTableProps } from './constructs/table.js';
export { CsmsEvents, type CsmsEventsProps } from './constructs/events.js';
