/**
 * The one place AWS SDK clients are built. Endpoints come from the SDK's standard variables
 * (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_EVENTBRIDGE, AWS_ENDPOINT_URL_SFN, ...), which the local host sets.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { SQSClient } from '@aws-sdk/client-sqs';
import { traced } from './tracing.js';
import { SFNClient } from '@aws-sdk/client-sfn';
import { KMSClient } from '@aws-sdk/client-kms';

let dynamo: DynamoDBDocumentClient | undefined;
let eventBridge: EventBridgeClient | undefined;
let sqs: SQSClient | undefined;
let sfn: SFNClient | undefined;
let kms: KMSClient | undefined;
const management = new Map<string, ApiGatewayManagementApiClient>();

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  dynamo ??= DynamoDBDocumentClient.from(traced(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return dynamo;
}

export function eventBridgeClient(): EventBridgeClient {
  eventBridge ??= traced(new EventBridgeClient({}));
  return eventBridge;
}

/** Client for the WebSocket API's @connections endpoint (`https://{api}.execute-api.../{stage}`). */
export function connectionsClient(endpoint: string): ApiGatewayManagementApiClient {
  let client = management.get(endpoint);
  if (!client) {
    client = traced(new ApiGatewayManagementApiClient({ endpoint }));
    management.set(endpoint, client);
  }
  return client;
}

export function sqsClient(): SQSClient {
  sqs ??= new SQSClient({});
  return sqs;
}

/** Step Functions (firmware rollouts); locally AWS_ENDPOINT_URL_SFN points at the local host. */
export function sfnClient(): SFNClient {
  sfn ??= new SFNClient({});
  return sfn;
}

/** KMS: the station CA's signing key (shared/pki/kms.ts). */
export function kmsClient(): KMSClient {
  kms ??= traced(new KMSClient({}));
  return kms;
}
