/**
 * The station CA on AWS (docs/adr/0014-station-ca.md): the CA key is a KMS asymmetric key
 * (ECC_NIST_P256, SIGN_VERIFY); its private half never leaves KMS. The CSMS builds each
 * certificate and has KMS sign its TBS part (ECDSA_SHA_256). The CA certificate is
 * self-signed the same way on first use and kept in the table (item `PKI#CA` / `CERT`, written
 * once with a condition so that concurrent first uses agree): it is public, the key is not there.
 */
import { createHash } from 'node:crypto';
import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TableRef } from '../store/table.js';
import { CA_CERTIFICATE_KEY } from '../store/issued-certificates.js';
import type { CaCertificateStore, CaSigner } from './authority.js';

/** What the signer needs of a KMS client (tests replace `send`). */
export type KmsLike = Pick<KMSClient, 'send'>;

/** An ECDSA signature from DER (what KMS returns) to r || s of 32 bytes each (what WebCrypto uses). */
export function derToP1363(der: Uint8Array, size = 32): ArrayBuffer {
  // SEQUENCE { INTEGER r, INTEGER s }, short or long form lengths.
  let i = 0;
  const expect = (tag: number) => {
    if (der[i++] !== tag) throw new Error('not a DER ECDSA signature');
    let len = der[i++]!;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let k = 0; k < n; k++) len = (len << 8) | der[i++]!;
    }
    return len;
  };
  expect(0x30);
  const out = new Uint8Array(size * 2);
  for (const offset of [0, size]) {
    const len = expect(0x02);
    let int = der.subarray(i, i + len);
    i += len;
    while (int.length > size && int[0] === 0) int = int.subarray(1);
    if (int.length > size) throw new Error('ECDSA integer too long');
    out.set(int, offset + size - int.length);
  }
  return out.buffer;
}

/** KMS Sign takes RAW messages of up to 4096 bytes. */
const KMS_RAW_LIMIT = 4096;

export class KmsSigner implements CaSigner {
  #spki: Promise<ArrayBuffer> | undefined;

  constructor(
    private readonly kms: KmsLike,
    private readonly keyId: string,
  ) {}

  publicKeySpki(): Promise<ArrayBuffer> {
    this.#spki ??= this.kms.send(new GetPublicKeyCommand({ KeyId: this.keyId })).then((out) => {
      if (!out.PublicKey) throw new Error('KMS GetPublicKey returned no key');
      if (out.KeySpec !== undefined && out.KeySpec !== 'ECC_NIST_P256') {
        throw new Error(`the CA key must be ECC_NIST_P256, not ${out.KeySpec}`);
      }
      return new Uint8Array(out.PublicKey).slice().buffer;
    });
    this.#spki.catch(() => (this.#spki = undefined));
    return this.#spki;
  }

  async sign(data: ArrayBuffer): Promise<ArrayBuffer> {
    // KMS hashes messages of up to 4 KB itself (a certificate's TBS part is far smaller); a larger
    // one is hashed here and signed as a DIGEST.
    const raw = data.byteLength <= KMS_RAW_LIMIT;
    const out = await this.kms.send(
      new SignCommand({
        KeyId: this.keyId,
        Message: raw ? new Uint8Array(data) : createHash('sha256').update(Buffer.from(data)).digest(),
        MessageType: raw ? 'RAW' : 'DIGEST',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    if (!out.Signature) throw new Error('KMS Sign returned no signature');
    return derToP1363(out.Signature);
  }
}

const CA_KEY = CA_CERTIFICATE_KEY;

/** The CA certificate in the table: public data, written once. */
export class TableCertificateStore implements CaCertificateStore {
  constructor(private readonly t: TableRef) {}

  async get(): Promise<string | undefined> {
    const out = await this.t.db.send(
      new GetCommand({ TableName: this.t.tableName, Key: CA_KEY, ConsistentRead: true }),
    );
    const pem: unknown = out.Item?.pem;
    return typeof pem === 'string' ? pem : undefined;
  }

  async putIfAbsent(pem: string): Promise<string> {
    try {
      await this.t.db.send(
        new PutCommand({
          TableName: this.t.tableName,
          Item: { ...CA_KEY, pem, createdAt: new Date().toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return pem;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      return (await this.get()) ?? pem;
    }
  }
}
