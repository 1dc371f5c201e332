/**
 * Certificate renewal before expiry (issue 11 item 5; 2.0.1 A02 "triggered by the CSMS", 1.6
 * security A02 via ExtendedTriggerMessage): certificates the station CA issued that expire within
 * the renewal lead time (CSMS_CERTIFICATE_RENEWAL_DAYS) get one TriggerMessage
 * SignChargingStationCertificate (2.x) / ExtendedTriggerMessage SignChargePointCertificate (1.6)
 * through the command path; the station answers with a new SignCertificate. Run by the minute
 * sweep. Once per certificate: the idempotency key is its serial, and the certificate leaves the
 * renewal index once asked for. A certificate the station already has a later one for is not renewed.
 */
import type { Log } from '../aws/observability.js';
import { commandProtocol } from '../calls/actions.js';
import type { CommandService } from '../calls/types.js';
import type { Store } from '../store/index.js';

export interface RenewalDeps {
  readonly commands: Pick<CommandService, 'submit'>;
  readonly store: Pick<Store, 'issuedCertificates' | 'stations'>;
  readonly log: Log;
  readonly renewalDays: number;
}

export const renewalKey = (serialNumber: string) => `certificate-renewal:${serialNumber}`;

export async function requestRenewals(deps: RenewalDeps, now: Date, limit = 100): Promise<number> {
  const { store } = deps;
  const horizon = new Date(now.getTime() + deps.renewalDays * 86_400_000);
  const due = await store.issuedCertificates.dueForRenewal(horizon, limit);
  let requested = 0;
  for (const certificate of due) {
    const { stationId, serialNumber } = certificate;
    try {
      const newer = (await store.issuedCertificates.list(stationId)).some(
        (c) => c.status === 'ACTIVE' && c.notAfter > horizon.toISOString(),
      );
      const station = await store.stations.get(stationId);
      const protocol = station && commandProtocol(station);
      if (!newer && protocol) {
        const [action, payload] =
          protocol === 'ocpp1.6'
            ? ['ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' }]
            : ['TriggerMessage', { requestedMessage: 'SignChargingStationCertificate' }];
        await deps.commands.submit(
          { stationId, action, payload, idempotencyKey: renewalKey(serialNumber) },
          now,
        );
        requested++;
        deps.log.info('Certificate renewal requested', {
          stationId,
          serialNumber,
          notAfter: certificate.notAfter,
        });
      }
      // Asked for, superseded, or its station is gone: it leaves the renewal index either way.
      await store.issuedCertificates.markRenewalRequested(stationId, serialNumber, now);
    } catch (error) {
      deps.log.error('Certificate renewal request failed; the next sweep tries again', {
        stationId,
        serialNumber,
        error: error as Error,
      });
    }
  }
  return requested;
}
