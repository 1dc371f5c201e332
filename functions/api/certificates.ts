/**
 * Station certificates (issue 11): the station CA's certificate, the certificates of a station
 * (issued by this CSMS's CA, installed through InstallCertificate / CertificateSigned, reported by
 * GetInstalledCertificateIds), and revocation of an issued one. The profile-3 authorizer refuses a
 * revoked certificate (shared/store/issued-certificates.ts status).
 */
import { z } from 'zod';
import type { CertificateItem } from '../../shared/store/certificates.js';
import type { IssuedCertificateItem } from '../../shared/store/issued-certificates.js';
import { normalizeSerial } from '../../shared/store/issued-certificates.js';
import { ConflictError, NotFoundError } from './errors.js';
import { noContent, operation, type ApiResult } from './http.js';

export const StationCertificateView = z
  .object({
    serialNumber: z.string().describe('Hex, lower case, no leading zeros'),
    certificateType: z
      .string()
      .describe('ChargingStationCertificate / ChargePointCertificate, or the type installed / reported'),
    subject: z.string().optional().describe('Unknown for certificates only reported by hash'),
    notBefore: z.string().optional(),
    notAfter: z.string().optional(),
    status: z.enum(['ACTIVE', 'REVOKED', 'EXPIRED']),
    source: z
      .enum(['issued', 'installed', 'reported'])
      .describe(
        "issued: signed by this CSMS's station CA; installed: sent by InstallCertificate / CertificateSigned and accepted; reported: listed by GetInstalledCertificateIds",
      ),
    fingerprint: z.string().optional().describe('SHA-256 of the DER certificate, hex'),
  })
  .meta({ id: 'StationCertificate' });

export const StationCertificateList = z
  .object({ items: z.array(StationCertificateView) })
  .meta({ id: 'StationCertificateList' });

type View = z.infer<typeof StationCertificateView>;

const PEM_TYPE = 'application/x-pem-file';

export const getCaCertificates = operation({
  id: 'getCaCertificates',
  summary: 'The station CA certificate(s), PEM: what a station installs to verify its certificate chain',
  description:
    'Install it on a station as its CSMS-side root for client certificates (2.0.1 A02.FR.06). 404 when no station CA is configured.',
  produces: PEM_TYPE,
  responses: { 200: z.string().describe('One or more PEM certificates') },
  async handle(_input, deps): Promise<ApiResult> {
    if (!deps.ca) throw new NotFoundError('No station certificate authority is configured');
    const pems = await deps.ca.caCertificatesPem();
    return { status: 200, text: pems.join(''), headers: { 'content-type': PEM_TYPE } };
  },
});

function issuedView(c: IssuedCertificateItem, now: Date): View {
  const expired = Date.parse(c.notAfter) <= now.getTime();
  return {
    serialNumber: c.serialNumber,
    certificateType: c.certificateType,
    subject: c.subject,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    status: c.status === 'REVOKED' ? 'REVOKED' : expired ? 'EXPIRED' : 'ACTIVE',
    source: 'issued',
    fingerprint: c.fingerprint,
  };
}

function storedView(c: CertificateItem, now: Date): View | undefined {
  const serial = c.serialNumber ?? c.hashData?.serialNumber;
  if (serial === undefined) return undefined;
  const expired = c.validTo !== undefined && Date.parse(c.validTo) <= now.getTime();
  return {
    serialNumber: normalizeSerial(serial),
    certificateType: c.certificateType ?? 'unknown',
    ...(c.subject !== undefined ? { subject: c.subject } : {}),
    ...(c.validTo !== undefined ? { notAfter: c.validTo } : {}),
    status: expired ? 'EXPIRED' : 'ACTIVE',
    source: c.kind === 'reported' ? 'reported' : 'installed',
    ...(c.fingerprint !== undefined ? { fingerprint: c.fingerprint } : {}),
  };
}

const StationParams = z.object({ id: z.string() });

export const listStationCertificates = operation({
  id: 'listStationCertificates',
  summary: "The station's certificates: issued by the station CA, installed, and reported by the station",
  params: StationParams,
  responses: { 200: StationCertificateList },
  async handle({ params }, deps) {
    const now = deps.clock();
    const [station, issued, stored] = await Promise.all([
      deps.store.stations.get(params.id),
      deps.store.issuedCertificates.list(params.id),
      deps.store.certificates.list(params.id),
    ]);
    if (!station) throw new NotFoundError(`No station ${params.id}`);
    const items: View[] = issued.map((c) => issuedView(c, now));
    const ours = new Set(items.map((c) => c.serialNumber));
    for (const c of stored) {
      const view = storedView(c, now);
      // A delivered CertificateSigned of our own CA is the issued entry already.
      if (view && !(c.kind === 'signed' && ours.has(view.serialNumber))) items.push(view);
    }
    return { status: 200, body: { items } };
  },
});

export const revokeStationCertificate = operation({
  id: 'revokeStationCertificate',
  summary: 'Revoke a certificate the station CA issued: the station can no longer log in with it (profile 3)',
  params: z.object({ id: z.string(), serialNumber: z.string().regex(/^[0-9A-Fa-f]{1,40}$/) }),
  responses: { 204: null },
  conflicts: 'The certificate is revoked already.',
  async handle({ params }, deps) {
    const outcome = await deps.store.issuedCertificates.revoke(params.id, params.serialNumber, deps.clock());
    if (outcome === 'unknown') {
      throw new NotFoundError(`No certificate ${params.serialNumber} issued to station ${params.id}`);
    }
    if (outcome === 'already')
      throw new ConflictError(`Certificate ${params.serialNumber} is revoked already`);
    deps.log.info('Station certificate revoked', { stationId: params.id, serialNumber: params.serialNumber });
    return noContent;
  },
});
