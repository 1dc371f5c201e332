/**
 * The AWS station CA (shared/pki/kms.ts): certificates signed through KMS Sign verify against the
 * CA certificate that the same KMS key self-signed, kept once in the table (dynalite).
 *
 * The KMS client is a fake: its `send` answers GetPublicKey and Sign in-process with a real
 * node:crypto P-256 key (real ECDSA signatures, DER as KMS returns them). This is not storage, so
 * a fake client is the right stand-in; the table is the real local DynamoDB.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, X509Certificate } from 'node:crypto';
import { GetPublicKeyCommand, SignCommand } from '@aws-sdk/client-kms';
import { SigningAuthority } from '../../shared/pki/authority.js';
import { derToP1363, KmsSigner, TableCertificateStore, type KmsLike } from '../../shared/pki/kms.js';
import { startDynamo, ensureTable } from '../../infra/local/dynamodb.js';
import { makeCsr } from '../support/csr.js';

function fakeKms(keyId: string): KmsLike & { calls: string[] } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const calls: string[] = [];
  const send = async (command: unknown) => {
    if (command instanceof GetPublicKeyCommand) {
      assert.equal(command.input.KeyId, keyId);
      calls.push('GetPublicKey');
      return {
        KeyId: keyId,
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        PublicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
      };
    }
    if (command instanceof SignCommand) {
      const { KeyId, Message, MessageType, SigningAlgorithm } = command.input;
      assert.equal(KeyId, keyId);
      assert.equal(SigningAlgorithm, 'ECDSA_SHA_256');
      assert.equal(MessageType, 'RAW');
      calls.push('Sign');
      return { KeyId, Signature: new Uint8Array(sign('sha256', Buffer.from(Message!), privateKey)) };
    }
    throw new Error(`unexpected command ${(command as object).constructor.name}`);
  };
  return { send: send as KmsLike['send'], calls };
}

test('KMS CA: the CA certificate is self-signed by the KMS key, stored once, and issued chains verify against it', async () => {
  const dynamo = await startDynamo();
  try {
    await ensureTable(dynamo.client, 'pki');
    const table = { db: dynamo.documentClient, tableName: 'pki' };
    const keyArn = 'arn:aws:kms:eu-west-1:111122223333:key/ca';
    const kms = fakeKms(keyArn);
    const options = {
      caName: 'CN=CSMS Charging Station CA',
      organization: 'Acme',
      validityDays: 365,
      clock: () => new Date(),
    };
    const ca = new SigningAuthority(new KmsSigner(kms, keyArn), new TableCertificateStore(table), options);
    const [caPem] = await ca.caCertificatesPem();
    const root = new X509Certificate(caPem!);
    assert.ok(root.ca && root.verify(root.publicKey));
    assert.equal(root.subject, 'CN=CSMS Charging Station CA\nO=Acme');

    const csr = await makeCsr('CN=CS-KMS, O=Acme');
    const issued = await ca.issue({
      csrPem: csr.pem,
      stationId: 'CS-KMS',
      certificateType: 'ChargingStationCertificate',
    });
    const leaf = new X509Certificate(issued.chainPem);
    assert.ok(leaf.verify(root.publicKey), 'signed by the KMS key');
    assert.ok(leaf.publicKey.export({ format: 'der', type: 'spki' }).equals(csr.publicKeySpki));

    // Another process (a cold start) finds the same CA certificate in the table, signs nothing new for it.
    const before = kms.calls.filter((c) => c === 'Sign').length;
    const again = new SigningAuthority(new KmsSigner(kms, keyArn), new TableCertificateStore(table), options);
    assert.deepEqual(await again.caCertificatesPem(), [caPem]);
    assert.equal(kms.calls.filter((c) => c === 'Sign').length, before);
    // The key is not in the table: only the public certificate.
    const scan = JSON.stringify(
      await table.db.send(new (await import('@aws-sdk/lib-dynamodb')).ScanCommand({ TableName: 'pki' })),
    );
    assert.ok(!scan.includes('PRIVATE KEY'));
  } finally {
    await dynamo.close();
  }
});

test('KMS CA: concurrent first uses agree on one CA certificate (conditional write)', async () => {
  const dynamo = await startDynamo();
  try {
    await ensureTable(dynamo.client, 'pki2');
    const table = { db: dynamo.documentClient, tableName: 'pki2' };
    const kms = fakeKms('k');
    const options = { caName: 'CN=CA', organization: undefined, validityDays: 1, clock: () => new Date() };
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        new SigningAuthority(
          new KmsSigner(kms, 'k'),
          new TableCertificateStore(table),
          options,
        ).caCertificatesPem(),
      ),
    );
    assert.equal(new Set(results.map((r) => r[0])).size, 1);
  } finally {
    await dynamo.close();
  }
});

test('derToP1363: DER ECDSA signatures with short and padded integers become 64 bytes', () => {
  const der = Uint8Array.from([0x30, 0x08, 0x02, 0x02, 0x00, 0x81, 0x02, 0x02, 0x01, 0x02]);
  const out = new Uint8Array(derToP1363(der));
  assert.equal(out.length, 64);
  assert.equal(out[31], 0x81);
  assert.equal(out[62], 0x01);
  assert.equal(out[63], 0x02);
  assert.throws(() => derToP1363(Uint8Array.from([0x31, 0x00])));
});
