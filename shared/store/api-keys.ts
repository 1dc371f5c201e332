/** API keys for the HTTP API: only a scrypt hash is stored, looked up by a non-secret id. */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { hashSecret, tokenLookupId, verifySecret } from '../auth/secrets.js';
import { keys } from './keys.js';
import type { TableRef } from './table.js';

/** admin: every route; viewer: reads only (the HTTP API answers 403 to anything else). */
export type ApiKeyRole = 'admin' | 'viewer';

export interface ApiKeyItem {
  readonly lookupId: string;
  readonly name: string;
  /** Absent on keys made before roles existed: admin. */
  readonly role?: ApiKeyRole;
  readonly hash: string;
  readonly createdAt: string;
}

export class ApiKeyStore {
  constructor(private readonly t: TableRef) {}

  /** Stores (or replaces) the hash of `token` under `name`. */
  async put(token: string, name: string, now: Date, role: ApiKeyRole = 'admin'): Promise<void> {
    const lookupId = tokenLookupId(token);
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: {
          ...keys.apiKey(lookupId),
          lookupId,
          name,
          role,
          hash: await hashSecret(token),
          createdAt: now.toISOString(),
        },
      }),
    );
  }

  /** The key's name when `token` is a valid API key, else undefined. */
  async verify(token: string): Promise<string | undefined> {
    return (await this.verifyKey(token))?.name;
  }

  /** The key's name and role when `token` is a valid API key, else undefined. */
  async verifyKey(token: string): Promise<{ name: string; role: ApiKeyRole } | undefined> {
    const out = await this.t.db.send(
      new GetCommand({ TableName: this.t.tableName, Key: keys.apiKey(tokenLookupId(token)) }),
    );
    const item = out.Item as ApiKeyItem | undefined;
    if (!item) return undefined;
    if (!(await verifySecret(token, item.hash))) return undefined;
    return { name: item.name, role: item.role ?? 'admin' };
  }
}
