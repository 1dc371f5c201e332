/**
 * Creates an API key for the HTTP API of a deployed CSMS and prints it once (only its scrypt hash
 * is stored). Uses your AWS credentials and region as the AWS CLI would.
 *
 *   npx tsx scripts/create-api-key.ts --table <TableName output of Csms-Stateful> [--name ops] [--role viewer]
 *
 * --role admin (default) may do everything; viewer only reads (the HTTP API answers 403 to writes).
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { generateToken } from '../shared/auth/secrets.js';
import { ApiKeyStore } from '../shared/store/api-keys.js';

const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    name: { type: 'string', default: 'admin' },
    role: { type: 'string', default: 'admin' },
  },
});
if (!values.table || (values.role !== 'admin' && values.role !== 'viewer')) {
  console.error(
    'usage: npx tsx scripts/create-api-key.ts --table <table name> [--name <key name>] [--role admin|viewer]',
  );
  process.exit(2);
}
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const token = generateToken();
await new ApiKeyStore({ db, tableName: values.table }).put(
  token,
  values.name ?? 'admin',
  new Date(),
  values.role,
);
console.log(token);
