/**
 * Which station CA this process uses, from its configuration (no `if (local)` in a handler): a
 * KMS key on AWS, a directory or memory on the local host, none when nothing is configured (then
 * SignCertificate is answered Rejected, A02.FR.12, and GET /v1/certificates/ca answers 404).
 */
import type { Config } from '../aws/config.js';
import type { TableRef } from '../store/table.js';
import type { AuthorityOptions, StationCa } from './authority.js';
import type { KmsLike } from './kms.js';

export const CA_NAME = 'CN=CSMS Charging Station CA';

export function authorityOptions(config: Pick<Config, 'certificates'>, clock: () => Date): AuthorityOptions {
  return {
    caName: CA_NAME,
    organization: config.certificates.organization,
    validityDays: config.certificates.validityDays,
    clock,
  };
}

/**
 * A lazily built CA (the KMS client, the files, the key are touched on first use only): station
 * functions that never see a SignCertificate pay nothing for it.
 */
export function lazyStationCa(
  config: Pick<Config, 'stationCa' | 'certificates'>,
  deps: { readonly table: TableRef; readonly kms: () => KmsLike; readonly clock: () => Date },
): StationCa | undefined {
  const ca = config.stationCa;
  if (!ca) return undefined;
  const options = authorityOptions(config, deps.clock);
  let built: Promise<StationCa> | undefined;
  const get = (): Promise<StationCa> => {
    // Loaded on first use (issue 14): the X.509 library and the KMS signer stay out of the
    // functions' import time; a separate chunk in the bundle (infra/bundling.ts splits).
    built ??= (async (): Promise<StationCa> => {
      if (ca.kind === 'kms') {
        const [{ SigningAuthority }, { KmsSigner, TableCertificateStore }] = await Promise.all([
          import('./authority.js'),
          import('./kms.js'),
        ]);
        return new SigningAuthority(
          new KmsSigner(deps.kms(), ca.keyId),
          new TableCertificateStore(deps.table),
          options,
        );
      }
      const { fileAuthority, memoryAuthority } = await import('./local.js');
      return ca.kind === 'dir' ? fileAuthority(ca.dir, options) : memoryAuthority(options);
    })();
    built.catch(() => (built = undefined));
    return built;
  };
  return {
    caCertificatesPem: async () => (await get()).caCertificatesPem(),
    issue: async (request) => (await get()).issue(request),
  };
}
