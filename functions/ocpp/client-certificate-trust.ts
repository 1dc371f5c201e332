/**
 * Where the authorizer's trust in station client certificates (security profile 3) comes from:
 * the one place to point at the CA and the registry of issued certificates.
 *
 * - Trust anchors: `CSMS_CLIENT_CA_PEM` (PEM text; AWS, set from the deployment's CA) and the PEM
 *   files of `CSMS_CLIENT_CA_FILES` (the local host: `<dataDir>/pki/ca.pem`, the local CA created
 *   on first start, plus `CSMS_TLS_CLIENT_CA`). Files are read when asked (a few KB, cached for a
 *   few seconds), so a CA created after start is trusted without a restart; a missing file is none.
 * - Status: the registry of issued certificates (`status(stationId, serialHex)`). Until the
 *   registry exists here it knows no certificate (undefined: neither ACTIVE nor REVOKED), so the
 *   chain to a trusted CA decides. Integration: return the registry's answer from `registryStatus`.
 *
 * Tests replace the whole source with `useClientCertificateTrust` (the local host's
 * `clientCertificateTrust` option): the functions run in the host's process.
 */
import { readFile } from 'node:fs/promises';
import type { Config } from '../../shared/aws/config.js';
import type { Store } from '../../shared/store/index.js';
import type { CertificateStatus, ClientCertificateTrust } from './client-certificate.js';

let override: ClientCertificateTrust | undefined;

/** Replaces the trust of every authorizer in this process (the local host; undefined restores it). */
export function useClientCertificateTrust(trust: ClientCertificateTrust | undefined): void {
  override = trust;
}

const FILE_CACHE_MS = 5_000;

/** The registry's word on a certificate. Integration point for the registry of issued certificates. */
async function registryStatus(
  _store: Store,
  _stationId: string,
  _serialHex: string,
): Promise<CertificateStatus | undefined> {
  return undefined;
}

export function clientCertificateTrust(config: Config, store: Store): ClientCertificateTrust {
  let cached: { at: number; pems: string[] } | undefined;
  const fromConfig: ClientCertificateTrust = {
    async trustAnchorsPem() {
      const now = Date.now();
      if (cached && now - cached.at < FILE_CACHE_MS) return cached.pems;
      const files = await Promise.all(
        config.clientCa.files.map((file) => readFile(file, 'utf8').catch(() => undefined)),
      );
      const pems = [config.clientCa.pem, ...files].filter((p): p is string => p !== undefined && p !== '');
      cached = { at: now, pems };
      return pems;
    },
    status: (stationId, serialHex) => registryStatus(store, stationId, serialHex),
  };
  // Asked at each use: a test's trust applies to functions loaded before it was set.
  return {
    trustAnchorsPem: () => (override ?? fromConfig).trustAnchorsPem(),
    status: (stationId, serialHex) => (override ?? fromConfig).status(stationId, serialHex),
  };
}
