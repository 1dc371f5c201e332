/**
 * Certificates on a station, as far as the CSMS knows them (1.6 security whitepaper M03-M05 / A02,
 * 2.0.1 M03-M05 / A02): the hash data a GetInstalledCertificateIds reported, the CA certificates
 * an accepted InstallCertificate installed, the certificate chain an accepted CertificateSigned
 * delivered. Items in `CERT#{id}`:
 *
 * | sk                                                  | what                                      |
 * |-----------------------------------------------------|-------------------------------------------|
 * | HASH#{issuerNameHash}#{issuerKeyHash}#{serialNumber} | reported by GetInstalledCertificateIds   |
 * | INSTALLED#{sha256 fingerprint}                      | installed by InstallCertificate           |
 * | SIGNED#{certificateType}                            | the latest CertificateSigned of that type |
 *
 * Hash data is compared case-insensitively (hex), serial numbers without leading zeros.
 */
import { X509Certificate } from 'node:crypto';
import { BatchWriteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TableRef } from './table.js';

export interface CertificateHashData {
  readonly hashAlgorithm: string;
  readonly issuerNameHash: string;
  readonly issuerKeyHash: string;
  readonly serialNumber: string;
}

export interface CertificateItem {
  readonly kind: 'reported' | 'installed' | 'signed';
  /** 1.6 CentralSystemRootCertificate / ManufacturerRootCertificate, 2.0.1 CSMSRootCertificate, V2GCertificateChain, ... */
  readonly certificateType?: string;
  readonly hashData?: CertificateHashData;
  readonly childCertificateHashData?: readonly CertificateHashData[];
  /** From the PEM the CSMS sent, when it could be read. */
  readonly subject?: string;
  readonly serialNumber?: string;
  readonly validTo?: string;
  readonly fingerprint?: string;
  readonly at: string;
  readonly commandId: string;
}

const certPk = (stationId: string) => `CERT#${stationId}`;
const norm = (hex: string) => hex.toLowerCase().replace(/^0+(?=.)/, '');
const hashSk = (h: CertificateHashData) =>
  `HASH#${norm(h.issuerNameHash)}#${norm(h.issuerKeyHash)}#${norm(h.serialNumber)}`;

/** What can be read from the first certificate of a PEM chain (nothing when it cannot be parsed). */
export function describePem(
  pem: string,
): Pick<CertificateItem, 'subject' | 'serialNumber' | 'validTo' | 'fingerprint'> {
  try {
    const cert = new X509Certificate(pem);
    return {
      subject: cert.subject,
      serialNumber: cert.serialNumber.toLowerCase(),
      validTo: new Date(cert.validTo).toISOString(),
      fingerprint: cert.fingerprint256.replaceAll(':', '').toLowerCase(),
    };
  } catch {
    return {};
  }
}

export class CertificateStore {
  constructor(private readonly t: TableRef) {}

  /**
   * Replaces the reported hash data of the given certificate types (all reported ones when
   * `types` is undefined) with `entries`.
   */
  async replaceReported(
    stationId: string,
    types: readonly string[] | undefined,
    entries: readonly Omit<CertificateItem, 'kind'>[],
  ): Promise<void> {
    const stale = (await this.list(stationId)).filter(
      (c) => c.kind === 'reported' && (types === undefined || types.includes(c.certificateType ?? '')),
    );
    await this.delete(
      stationId,
      stale.map((c) => hashSk(c.hashData!)),
    );
    for (const entry of entries) {
      if (!entry.hashData) continue;
      await this.t.db.send(
        new PutCommand({
          TableName: this.t.tableName,
          Item: { pk: certPk(stationId), sk: hashSk(entry.hashData), kind: 'reported', ...entry },
        }),
      );
    }
  }

  async putInstalled(stationId: string, item: Omit<CertificateItem, 'kind'>): Promise<void> {
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: {
          pk: certPk(stationId),
          sk: `INSTALLED#${item.fingerprint ?? item.commandId}`,
          kind: 'installed',
          ...item,
        },
      }),
    );
  }

  async putSigned(stationId: string, item: Omit<CertificateItem, 'kind'>): Promise<void> {
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: {
          pk: certPk(stationId),
          sk: `SIGNED#${item.certificateType ?? 'ChargingStationCertificate'}`,
          kind: 'signed',
          ...item,
        },
      }),
    );
  }

  /** Forgets the certificate with this hash data (reported, or installed with that serial number). */
  async deleteByHash(stationId: string, hash: CertificateHashData): Promise<void> {
    const serial = norm(hash.serialNumber);
    const installed = (await this.list(stationId)).filter(
      (c) => c.kind === 'installed' && c.serialNumber !== undefined && norm(c.serialNumber) === serial,
    );
    await this.delete(stationId, [
      hashSk(hash),
      ...installed.map((c) => `INSTALLED#${c.fingerprint ?? c.commandId}`),
    ]);
  }

  async list(stationId: string): Promise<CertificateItem[]> {
    const out = await this.t.db.send(
      new QueryCommand({
        TableName: this.t.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': certPk(stationId) },
        ConsistentRead: true,
      }),
    );
    return ((out.Items ?? []) as Record<string, unknown>[]).map(
      ({ pk: _pk, sk: _sk, ...rest }) => rest as unknown as CertificateItem,
    );
  }

  private async delete(stationId: string, sks: readonly string[]): Promise<void> {
    for (let i = 0; i < sks.length; i += 25) {
      await this.t.db.send(
        new BatchWriteCommand({
          RequestItems: {
            [this.t.tableName]: sks
              .slice(i, i + 25)
              .map((sk) => ({ DeleteRequest: { Key: { pk: certPk(stationId), sk } } })),
          },
        }),
      );
    }
  }
}
