/**
 * Delivers an issued certificate (2.0.1 A02 / 1.6 security A02 step "CertificateSigned"): on
 * `certificate.issued.v1` (topology EVENT_RULES `certificate-delivery`, the calls function), a
 * CertificateSigned CALL with the chain (leaf first) goes through the one command path. It waits
 * until ANSWER_FIRST_MS after the SignCertificate was answered, so the station has its Accepted
 * first. One command per certificate: the idempotency key is the serial number, so a redelivered
 * event sends nothing twice.
 */
import type { Log } from '../aws/observability.js';
import { commandProtocol } from '../calls/actions.js';
import { ANSWER_FIRST_MS, sleep } from '../calls/path.js';
import type { CommandService } from '../calls/types.js';
import type { Store } from '../store/index.js';

export interface DeliveryDeps {
  readonly commands: Pick<CommandService, 'submit'>;
  readonly store: Pick<Store, 'issuedCertificates' | 'stations'>;
  readonly clock: () => Date;
  readonly log: Log;
}

export const certificateSignedKey = (serialNumber: string) => `certificate-signed:${serialNumber}`;

export async function deliverIssuedCertificate(
  deps: DeliveryDeps,
  detail: { readonly stationId: string; readonly serialNumber: string; readonly occurredAt: Date },
): Promise<'submitted' | 'skipped'> {
  const { store } = deps;
  const certificate = await store.issuedCertificates.get(detail.stationId, detail.serialNumber);
  if (certificate?.status !== 'ACTIVE') return 'skipped'; // revoked meanwhile, or not ours
  const station = await store.stations.get(detail.stationId);
  const protocol = station && commandProtocol(station);
  if (!protocol) return 'skipped';
  const wait = detail.occurredAt.getTime() + ANSWER_FIRST_MS - deps.clock().getTime();
  if (wait > 0) await sleep(Math.min(wait, ANSWER_FIRST_MS));
  const payload =
    protocol === 'ocpp1.6'
      ? { certificateChain: certificate.chainPem }
      : // A02.FR.14: the type of the request it answers.
        { certificateChain: certificate.chainPem, certificateType: 'ChargingStationCertificate' };
  const command = await deps.commands.submit(
    {
      stationId: detail.stationId,
      action: 'CertificateSigned',
      payload,
      idempotencyKey: certificateSignedKey(certificate.serialNumber),
    },
    deps.clock(),
  );
  deps.log.info('CertificateSigned submitted', {
    stationId: detail.stationId,
    serialNumber: certificate.serialNumber,
    commandId: command.id,
  });
  return 'submitted';
}
