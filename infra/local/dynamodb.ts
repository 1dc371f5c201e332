/**
 * DynamoDB for the local host: dynalite in this process, on loopback, persisted in a LevelDB
 * folder (or in memory), with the one table created from the topology definition.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import dynalite from 'dynalite';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../topology.js';

export interface LocalDynamoOptions {
  /** LevelDB folder; in memory when undefined. */
  readonly path?: string | undefined;
  /** 0 (default) picks a free port. */
  readonly port?: number | undefined;
}

export interface LocalDynamo {
  readonly port: number;
  readonly endpoint: string;
  /** Clients of the host itself (the functions build their own from the environment). */
  readonly client: DynamoDBClient;
  readonly documentClient: DynamoDBDocumentClient;
  close(): Promise<void>;
}

/** The data folder is open in another process (LevelDB allows one). */
export class DataDirLockedError extends Error {
  constructor(readonly path: string) {
    super(
      `The DynamoDB data in ${path} is in use by another process (is another \`npm start\` running on this data dir?). ` +
        'Stop it, or use another data dir (CSMS_DATA_DIR).',
    );
    this.name = 'DataDirLockedError';
  }
}

export async function startDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  if (options.path !== undefined) {
    await mkdir(options.path, { recursive: true });
    // dynalite opens LevelDB lazily and crashes the process on a lock conflict (an unhandled
    // stream error); open it once first to report the conflict in words.
    await assertUnlocked(options.path);
  }
  const server = dynalite({
    ...(options.path !== undefined ? { path: options.path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    port,
    endpoint,
    client,
    documentClient,
    close: async () => {
      client.destroy();
      await closeServer(server);
    },
  };
}

/** Creates the topology table when missing and waits until it is ACTIVE. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const existing = await describe(client, tableName);
  if (existing) {
    assertMatchesTopology(existing, tableName);
  } else {
    const keyNames = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
    for (const index of TABLE.indexes) keyNames.add(index.partitionKey).add(index.sortKey);
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...keyNames].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: TABLE.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: index.projection },
        })),
      }),
    );
  }
  for (let attempt = 0; ; attempt++) {
    const table = await describe(client, tableName);
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (attempt >= 200) {
      // dynalite persists CREATING when the process stopped during creation, and never moves on.
      throw new Error(
        `The local DynamoDB table ${tableName} is stuck in status ${table?.TableStatus ?? 'unknown'}. ` +
          `${DELETE_DATA_DIR}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

const DELETE_DATA_DIR =
  'Stop the host, delete the data dir (CSMS_DATA_DIR, default .data; its stations and API token go with it) and start again.';

/** dynalite cannot add an index to an existing table: an old data dir must be recreated. */
function assertMatchesTopology(table: TableDescription, tableName: string): void {
  const problems: string[] = [];
  const keyOf = (schema: TableDescription['KeySchema'], type: 'HASH' | 'RANGE'): string | undefined =>
    schema?.find((k) => k.KeyType === type)?.AttributeName;
  if (
    keyOf(table.KeySchema, 'HASH') !== TABLE.partitionKey ||
    keyOf(table.KeySchema, 'RANGE') !== TABLE.sortKey
  ) {
    problems.push(`its key is not (${TABLE.partitionKey}, ${TABLE.sortKey})`);
  }
  for (const index of TABLE.indexes) {
    const found = table.GlobalSecondaryIndexes?.find((i) => i.IndexName === index.name);
    if (!found) {
      problems.push(`it has no index ${index.name}`);
    } else if (
      keyOf(found.KeySchema, 'HASH') !== index.partitionKey ||
      keyOf(found.KeySchema, 'RANGE') !== index.sortKey ||
      found.Projection?.ProjectionType !== index.projection
    ) {
      problems.push(`its index ${index.name} differs from infra/topology.ts`);
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `The local DynamoDB table ${tableName} was created by an older version: ${problems.join('; ')}. ` +
        `dynalite cannot change an existing table. ${DELETE_DATA_DIR}`,
    );
  }
}

interface LevelLike {
  open(): Promise<void>;
  close(): Promise<void>;
}

/** Opens (and closes) the LevelDB folder with dynalite's own `level` to detect a lock held elsewhere. */
async function assertUnlocked(path: string): Promise<void> {
  const requireFromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const { Level } = requireFromDynalite('level') as { Level: new (path: string) => LevelLike };
  const db = new Level(path);
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') throw new DataDirLockedError(path);
    throw error;
  }
  await db.close();
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
