/** Boot flow decision (1.6 §4.2, 2.0.1 B01/B02/B03), version-neutral. */
import type { RegistrationStatus, StationItem } from '../store/stations.js';

/** While Pending or Rejected the station retries its BootNotification after this many seconds. */
export const PENDING_RETRY_SECONDS = 60;
export const REJECTED_RETRY_SECONDS = 300;

export function decideRegistration(station: StationItem): RegistrationStatus {
  if (!station.enabled) return 'Rejected'; // B03: the CSMS does not accept this station
  if (!station.provisioned) return 'Pending'; // admitted for onboarding, not yet provisioned (B02)
  return 'Accepted';
}

/**
 * The interval field of BootNotification.conf: the heartbeat interval when Accepted
 * (B01.FR.04; below API Gateway's 10-minute idle timeout), else when to retry the boot (B02.FR.08).
 */
export function bootInterval(status: RegistrationStatus, heartbeatIntervalSeconds: number): number {
  if (status === 'Accepted') return heartbeatIntervalSeconds;
  return status === 'Pending' ? PENDING_RETRY_SECONDS : REJECTED_RETRY_SECONDS;
}
