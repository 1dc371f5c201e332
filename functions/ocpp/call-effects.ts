/**
 * What an answered CSMS-initiated call changes in stored state when the effect is the same in
 * every OCPP version (the call modules of functions/ocpp/<version>/calls/ map their version's
 * fields onto these and keep what differs): an installed charging profile, a reservation, the
 * local list version, an installed certificate. Each takes only the store port it writes.
 */
import { safeInt, storableObject } from '../../shared/calls/json.js';
import type { CallContext } from '../../shared/calls/spec.js';
import type { DomainEvent } from '../../shared/events/catalog.js';
import { describePem } from '../../shared/store/certificates.js';
import type { LocalListItem } from '../../shared/store/local-list.js';
import type { ReservationItem } from '../../shared/store/reservations.js';

const ACCEPTED = 'Accepted';

/**
 * An accepted SetChargingProfile (1.6 §5.16, 2.0.1 K01): the profile is stored under its EVSE
 * (1.6 connector N is EVSE N; 0: the station). Installing the same id again replaces it
 * (K01.FR.05), so this may run twice.
 */
export async function recordInstalledProfile(
  { store, stationId, commandId, now }: CallContext<'chargingProfiles'>,
  status: string,
  installed: {
    readonly id: unknown;
    readonly evseId: unknown;
    readonly profile: { readonly stackLevel: unknown; readonly chargingProfilePurpose: string };
  },
): Promise<readonly DomainEvent[]> {
  const id = safeInt(installed.id);
  if (status !== ACCEPTED || id === undefined) return [];
  const { profile } = installed;
  await store.chargingProfiles.put(stationId, {
    id,
    evseId: safeInt(installed.evseId) ?? 0,
    stackLevel: safeInt(profile.stackLevel) ?? 0,
    purpose: profile.chargingProfilePurpose,
    profile: storableObject({ ...profile }),
    source: 'SetChargingProfile',
    at: now.toISOString(),
    commandId,
  });
  return [];
}

/** The reservation as each version's ReserveNow names it (EVSE 0 or none: any EVSE). */
export type ReservedFor = Pick<
  ReservationItem,
  'idToken' | 'idTokenType' | 'groupIdToken' | 'connectorType' | 'expiryDateTime'
> & { readonly reservationId: unknown; readonly evseId: unknown };

/**
 * An accepted ReserveNow (1.6 §5.13, 2.0.1 H01): the reservation is stored active, and
 * reservation.status-changed.v1 says so.
 */
export async function recordReservation(
  { store, stationId, commandId, now }: CallContext<'reservations'>,
  status: string,
  reserved: ReservedFor,
): Promise<readonly DomainEvent[]> {
  const reservationId = safeInt(reserved.reservationId);
  if (status !== ACCEPTED || reservationId === undefined) return [];
  const at = now.toISOString();
  const evseId = safeInt(reserved.evseId);
  const { idToken, idTokenType, groupIdToken, connectorType, expiryDateTime } = reserved;
  await store.reservations.put(
    stationId,
    {
      reservationId,
      ...(evseId !== undefined && evseId !== 0 ? { evseId } : {}),
      ...(connectorType ? { connectorType } : {}),
      idToken,
      ...(idTokenType ? { idTokenType } : {}),
      ...(groupIdToken ? { groupIdToken } : {}),
      expiryDateTime,
      status: 'active',
      updatedAt: at,
      commandId,
    },
    now,
  );
  return [
    {
      type: 'reservation.status-changed.v1',
      detail: { stationId, occurredAt: at, reservationId, status: 'active' },
    },
  ];
}

/** An accepted SendLocalList (1.6 §5.15, 2.0.1 D01): the list version the station now has. */
export async function recordSentLocalList(
  ctx: CallContext<'localList'>,
  status: string,
  sent: { readonly version: unknown; readonly updateType: string },
): Promise<readonly DomainEvent[]> {
  if (status !== ACCEPTED) return [];
  return recordLocalList(ctx, sent.version, { source: 'SendLocalList', updateType: sent.updateType });
}

/** A GetLocalListVersion answer (1.6 §5.10, 2.0.1 D02): the version the station reports. */
export async function recordReportedLocalListVersion(
  ctx: CallContext<'localList'>,
  version: unknown,
): Promise<readonly DomainEvent[]> {
  return recordLocalList(ctx, version, { source: 'GetLocalListVersion' });
}

async function recordLocalList(
  { store, stationId, commandId, now }: CallContext<'localList'>,
  version: unknown,
  from: Pick<LocalListItem, 'source' | 'updateType'>,
): Promise<readonly DomainEvent[]> {
  const listVersion = safeInt(version);
  if (listVersion === undefined) return [];
  await store.localList.put(stationId, { version: listVersion, ...from, at: now.toISOString(), commandId });
  return [];
}

/**
 * An accepted InstallCertificate (1.6 security A02 / 2.0.1 M05): the installed root certificate
 * is stored. The same certificate again replaces it.
 */
export async function recordInstalledCertificate(
  { store, stationId, commandId, now }: CallContext<'certificates'>,
  status: string,
  installed: { readonly certificateType: string; readonly certificate: string },
): Promise<readonly DomainEvent[]> {
  if (status !== ACCEPTED) return [];
  await store.certificates.putInstalled(stationId, {
    certificateType: installed.certificateType,
    ...describePem(installed.certificate),
    at: now.toISOString(),
    commandId,
  });
  return [];
}
