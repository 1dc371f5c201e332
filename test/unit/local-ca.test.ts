/**
 * The local station CA (shared/pki/local.ts) as `npm start` keeps it: created on first start in
 * `<dataDir>/pki` (ca.pem; ca-key.pem readable by the owner only), the same CA after a restart,
 * and what GET /v1/certificates/ca serves is ca.pem (the wss:// listener's trust anchor).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { startLocalHost, PKI_DIR } from '../../infra/local/host.js';
import { CA_CERT_FILE, CA_KEY_FILE } from '../../shared/pki/local.js';

test('npm start: the CA is created in the data dir on first start and kept across restarts', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'csms-ca-'));
  try {
    const first = await startLocalHost({ port: 0, dataDir, quiet: true });
    const certFile = join(dataDir, PKI_DIR, CA_CERT_FILE);
    const keyFile = join(dataDir, PKI_DIR, CA_KEY_FILE);
    let served: string;
    try {
      const pem = await readFile(certFile, 'utf8');
      assert.ok(new X509Certificate(pem).ca);
      assert.equal((await stat(keyFile)).mode & 0o777, 0o600, 'the CA key is readable by its owner only');
      const res = await fetch(`${first.httpUrl}/v1/certificates/ca`, {
        headers: { authorization: `Bearer ${first.apiToken}` },
      });
      served = await res.text();
      assert.equal(served, new X509Certificate(pem).toString());
      assert.ok(!served.includes('PRIVATE KEY'));
    } finally {
      await first.close();
    }
    const second = await startLocalHost({ port: 0, dataDir, quiet: true });
    try {
      const res = await fetch(`${second.httpUrl}/v1/certificates/ca`, {
        headers: { authorization: `Bearer ${second.apiToken}` },
      });
      assert.equal(await res.text(), served, 'the same CA after a restart');
    } finally {
      await second.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
