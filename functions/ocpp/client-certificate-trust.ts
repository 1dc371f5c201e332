/**
 * Where the authorizer's trust in station client certificates (security profile 3) comes from:
 * the one place to point at the CA and the registry of issued certificates.
 *
 * - Trust anchors: `CSMS_CLIENT_CA_PEM` (PEM text; AWS, set from the deployment's CA) and the PEM
 *   files of `CSMS_CLIENT_CA_FILES` (the local host: `<dataDir>/pki/ca.pem`, the local CA created
 *   on first start, plus `CSMS_TLS_CLIENT_CA`). Files are read when asked (a few KB, cached for a
 *   few seconds), so a CA created after start is trusted without a restart; a missing file is none.
 *   The CSMS's own station CA is an anchor too (`ownCa`), so the certificates it issued are trusted
 *   without configuration: on AWS its certificate as kept in the table (the authorizer reads the
 *   table, it may not use the KMS key), locally the CA in the data dir or in memory.
 * - Status: the registry of issued certificates (shared/store/issued-certificates.ts): REVOKED
 *   refuses; a certificate the registry does not know (another trusted CA's) is decided by its
 *   chain.
 *
 * Tests replace the whole source with `useClientCertificateTrust` (the local host's
 * `clientCertificateTrust` option): the functions run in the host's process.
 */
import { readFile } from 'node:fs/promises';
import type { Config } from '../../shared/aws/config.js';
import type { Store } from '../../shared/store/index.js';
import type { ClientCertificateTrust } from './client-certificate.js';

let override: ClientCertificateTrust | undefined;

/** Replaces the trust of every authorizer in this process (the local host; undefined restores it). */
export function useClientCertificateTrust(trust: ClientCertificateTrust | undefined): void {
  override = trust;
}

const FILE_CACHE_MS = 5_000;

export function clientCertificateTrust(
  config: Config,
  store: Store,
  /** The CSMS's own station CA certificates (shared/pki): its stations are trusted without configuration. */
  ownCa: () => Promise<readonly string[]> = () => Promise.resolve([]),
): ClientCertificateTrust {
  let cached: { at: number; pems: string[] } | undefined;
  const fromConfig: ClientCertificateTrust = {
    async trustAnchorsPem() {
      const now = Date.now();
      if (cached && now - cached.at < FILE_CACHE_MS) return cached.pems;
      const files = await Promise.all(
        config.clientCa.files.map((file) => readFile(file, 'utf8').catch(() => undefined)),
      );
      // A CA that cannot be read now is no anchor (fail closed), asked again after the cache.
      const own = await ownCa().catch(() => []);
      const pems = [config.clientCa.pem, ...files, ...own].filter(
        (p): p is string => p !== undefined && p !== '',
      );
      cached = { at: now, pems };
      return pems;
    },
    status: (stationId, serialHex) => store.issuedCertificates.status(stationId, serialHex),
  };
  // Asked at each use: a test's trust applies to functions loaded before it was set.
  return {
    trustAnchorsPem: () => (override ?? fromConfig).trustAnchorsPem(),
    status: (stationId, serialHex) => (override ?? fromConfig).status(stationId, serialHex),
  };
}
