/**
 * The registry of certificates the station CA issued (shared/pki): what the authorizer asks when a
 * station presents a client certificate (security profile 3: `status(stationId, serial)`), what
 * the API lists and revokes, and what the renewal check reads.
 *
 * | item                    | pk                  | sk       | gsi1pk / gsi1sk                                   |
 * |-------------------------|---------------------|----------|---------------------------------------------------|
 * | issued certificate      | ISSUED#{stationId}  | {serial} | CERTRENEW / {notAfter}#{stationId}#{serial}       |
 *
 * The index keys exist only while the certificate is ACTIVE and its renewal was not asked for
 * yet: the renewal check reads exactly the certificates that may need it, oldest expiry first.
 * Serial numbers are hex, lower case, without leading zeros. Certificates are public data; no
 * private key of anyone is ever here.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetInOrder, isConditionalCheckFailed, queryAll, type TableRef } from './table.js';

export type IssuedStatus = 'ACTIVE' | 'REVOKED';

export interface IssuedCertificateItem {
  readonly stationId: string;
  readonly serialNumber: string;
  /** 2.x ChargingStationCertificate; 1.6 ChargePointCertificate. */
  readonly certificateType: string;
  readonly subject: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly fingerprint: string;
  /** Leaf first, then the CA: what CertificateSigned delivers. */
  readonly chainPem: string;
  readonly status: IssuedStatus;
  readonly issuedAt: string;
  readonly revokedAt?: string;
  /** When the renewal check asked the station for a new CSR (TriggerMessage). */
  readonly renewalRequestedAt?: string;
}

const RENEWAL_INDEX = 'CERTRENEW';
/** The station CA's own certificate when the table keeps it (the KMS CA, shared/pki/kms.ts): public. */
export const CA_CERTIFICATE_KEY = { pk: 'PKI#CA', sk: 'CERT' } as const;
const pk = (stationId: string) => `ISSUED#${stationId}`;
/** Hex serial as stored: lower case, no leading zeros. */
export const normalizeSerial = (hex: string) =>
  hex
    .trim()
    .toLowerCase()
    .replace(/^0+(?=.)/, '');
const renewalSk = (c: Pick<IssuedCertificateItem, 'notAfter' | 'stationId' | 'serialNumber'>) =>
  `${c.notAfter}#${c.stationId}#${c.serialNumber}`;

const strip = ({ pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ...rest }: Record<string, unknown>) =>
  rest as unknown as IssuedCertificateItem;

export class IssuedCertificateStore {
  constructor(private readonly t: TableRef) {}

  async put(item: Omit<IssuedCertificateItem, 'status'>): Promise<void> {
    const serialNumber = normalizeSerial(item.serialNumber);
    const stored = { ...item, serialNumber, status: 'ACTIVE' as const };
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: {
          pk: pk(item.stationId),
          sk: serialNumber,
          gsi1pk: RENEWAL_INDEX,
          gsi1sk: renewalSk(stored),
          ...stored,
        },
        // Serials are random (128 bits): a clash is a bug, never silently overwritten.
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(stationId: string, serialHex: string): Promise<IssuedCertificateItem | undefined> {
    const out = await this.t.db.send(
      new GetCommand({
        TableName: this.t.tableName,
        Key: { pk: pk(stationId), sk: normalizeSerial(serialHex) },
        ConsistentRead: true,
      }),
    );
    return out.Item ? strip(out.Item) : undefined;
  }

  /** The CA certificate kept in the table (the KMS CA), a trust anchor of profile-3 stations. */
  async caCertificatePem(): Promise<string | undefined> {
    const out = await this.t.db.send(
      new GetCommand({ TableName: this.t.tableName, Key: CA_CERTIFICATE_KEY }),
    );
    const pem: unknown = out.Item?.pem;
    return typeof pem === 'string' ? pem : undefined;
  }

  /** ACTIVE or REVOKED for a certificate this CA issued to this station; undefined otherwise. */
  async status(stationId: string, serialHex: string): Promise<IssuedStatus | undefined> {
    return (await this.get(stationId, serialHex))?.status;
  }

  /** The station's issued certificates, newest expiry last. */
  async list(stationId: string): Promise<IssuedCertificateItem[]> {
    const items = await queryAll(this.t, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk(stationId) },
      ConsistentRead: true,
    });
    return items.map(strip).sort((a, b) => a.notAfter.localeCompare(b.notAfter));
  }

  /** 'revoked', or why not: 'unknown' (never issued to this station), 'already' (revoked before). */
  async revoke(stationId: string, serialHex: string, now: Date): Promise<'revoked' | 'unknown' | 'already'> {
    try {
      await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.tableName,
          Key: { pk: pk(stationId), sk: normalizeSerial(serialHex) },
          UpdateExpression: 'SET #status = :revoked, revokedAt = :now REMOVE gsi1pk, gsi1sk',
          ConditionExpression: 'attribute_exists(pk) AND #status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':revoked': 'REVOKED',
            ':active': 'ACTIVE',
            ':now': now.toISOString(),
          },
        }),
      );
      return 'revoked';
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      return (await this.get(stationId, serialHex)) ? 'already' : 'unknown';
    }
  }

  /** ACTIVE certificates whose renewal was not asked for and that expire before `before`. */
  async dueForRenewal(before: Date, limit: number): Promise<IssuedCertificateItem[]> {
    // One page of at most `limit` keys, oldest expiry first; the next run reads the rest.
    const out = await this.t.db.send(
      new QueryCommand({
        TableName: this.t.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p AND gsi1sk < :before',
        ExpressionAttributeValues: { ':p': RENEWAL_INDEX, ':before': before.toISOString() },
        Limit: limit,
      }),
    );
    const keys = out.Items ?? [];
    const items = await batchGetInOrder<Record<string, unknown>>(
      this.t,
      keys.slice(0, limit).map((k) => ({ pk: String(k.pk), sk: String(k.sk) })),
    );
    return items.map(strip).filter((c) => c.status === 'ACTIVE' && c.renewalRequestedAt === undefined);
  }

  /** The renewal was asked for: the certificate leaves the renewal index. */
  async markRenewalRequested(stationId: string, serialHex: string, now: Date): Promise<void> {
    await this.t.db.send(
      new UpdateCommand({
        TableName: this.t.tableName,
        Key: { pk: pk(stationId), sk: normalizeSerial(serialHex) },
        UpdateExpression: 'SET renewalRequestedAt = :now REMOVE gsi1pk, gsi1sk',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':now': now.toISOString() },
      }),
    );
  }
}
