/**
 * What a command's answer changes in the CSMS's picture of the station, stored so the API can show
 * it: configuration (1.6), variables (2.x device model), availability, local list version,
 * charging profiles, reservations, certificates, display messages. Each effect is idempotent (it
 * writes the same items again) and runs only on a schema-valid response. Passwords never reach
 * these stores: the service switches the station's password hash itself.
 */
import type { DomainEvent } from '../events/catalog.js';
import type { OcppProtocol } from '../ocpp/versions.js';
import type { CertificateHashData } from '../store/certificates.js';
import { describePem } from '../store/certificates.js';
import type { ComponentRef, VariableRef } from '../store/device-model.js';
import type { Store } from '../store/index.js';
import { isPasswordVariable } from './actions.js';
import { storableObject } from './json.js';

export interface EffectContext {
  readonly store: Store;
  readonly stationId: string;
  readonly protocol: OcppProtocol;
  readonly commandId: string;
  /** When the answer arrived: the time of every fact written. */
  readonly now: Date;
}

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as unknown[]).map(obj) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;

/** 1.6 §3.8: connectorId 0 is the charge point; connector n is EVSE n with connector 1. */
const evseOf16 = (connectorId: number) =>
  connectorId === 0 ? { evseId: 0, connectorId: 0 } : { evseId: connectorId, connectorId: 1 };

function componentOf(v: unknown): ComponentRef {
  const c = obj(v);
  const evse = obj(c.evse);
  return {
    name: str(c.name) ?? '',
    ...(str(c.instance) !== undefined ? { instance: str(c.instance)! } : {}),
    ...(int(evse.id) !== undefined
      ? {
          evse: {
            id: int(evse.id)!,
            ...(int(evse.connectorId) !== undefined ? { connectorId: int(evse.connectorId)! } : {}),
          },
        }
      : {}),
  };
}

function variableOf(v: unknown): VariableRef {
  const x = obj(v);
  return {
    name: str(x.name) ?? '',
    ...(str(x.instance) !== undefined ? { instance: str(x.instance)! } : {}),
  };
}

const variableKey = (v: Json) =>
  JSON.stringify([componentOf(v.component), variableOf(v.variable), str(v.attributeType) ?? 'Actual']);

function hashDataOf(v: unknown): CertificateHashData {
  const h = obj(v);
  return {
    hashAlgorithm: str(h.hashAlgorithm) ?? '',
    issuerNameHash: str(h.issuerNameHash) ?? '',
    issuerKeyHash: str(h.issuerKeyHash) ?? '',
    serialNumber: str(h.serialNumber) ?? '',
  };
}

/**
 * Applies the effects of a command's valid response. `request` is the payload as stored (passwords
 * redacted). Returns the events the effects are facts of.
 */
export async function applyEffects(
  ctx: EffectContext,
  action: string,
  request: Json,
  response: Json,
): Promise<DomainEvent[]> {
  const { store, stationId, commandId } = ctx;
  const at = ctx.now.toISOString();
  const status = str(response.status);
  const accepted = status === 'Accepted';
  const v16 = ctx.protocol === 'ocpp1.6';
  const events: DomainEvent[] = [];
  const base = { stationId, occurredAt: at };

  switch (action) {
    case 'ChangeConfiguration': {
      // 1.6 §5.3: Accepted, or RebootRequired (applied after a reboot).
      if (!accepted && status !== 'RebootRequired') break;
      const key = str(request.key) ?? '';
      await store.configuration.put(stationId, [
        {
          key,
          // AuthorizationKey is write-only (1.6 security §7.2): its value is never stored.
          ...(key.toLowerCase() === 'authorizationkey' ? {} : { value: str(request.value) ?? '' }),
          ...(status === 'RebootRequired' ? { rebootRequired: true } : {}),
          source: 'ChangeConfiguration',
          at,
          commandId,
        },
      ]);
      break;
    }
    case 'GetConfiguration': {
      await store.configuration.put(stationId, [
        ...arr(response.configurationKey).map((k) => ({
          key: str(k.key) ?? '',
          ...(typeof k.readonly === 'boolean' ? { readonly: k.readonly } : {}),
          ...(str(k.value) !== undefined && String(k.key).toLowerCase() !== 'authorizationkey'
            ? { value: str(k.value)! }
            : {}),
          source: 'GetConfiguration' as const,
          at,
          commandId,
        })),
        ...(Array.isArray(response.unknownKey) ? (response.unknownKey as unknown[]) : [])
          .filter((k): k is string => typeof k === 'string')
          .map((key) => ({ key, unknown: true, source: 'GetConfiguration' as const, at, commandId })),
      ]);
      break;
    }
    case 'SetVariables': {
      // 2.0.1 B05: one result per requested attribute; the value is kept when it was taken.
      const requested = new Map(arr(request.setVariableData).map((d) => [variableKey(d), d]));
      await store.deviceModel.putAttributeResults(
        stationId,
        arr(response.setVariableResult).map((r) => {
          const taken = r.attributeStatus === 'Accepted' || r.attributeStatus === 'RebootRequired';
          const value = str(requested.get(variableKey(r))?.attributeValue);
          return {
            component: componentOf(r.component),
            variable: variableOf(r.variable),
            attributeType: str(r.attributeType) ?? 'Actual',
            status: str(r.attributeStatus) ?? '',
            ...(taken && value !== undefined && !isPasswordVariable(r) ? { value } : {}),
            source: 'SetVariables' as const,
            at,
            commandId,
          };
        }),
      );
      break;
    }
    case 'GetVariables': {
      await store.deviceModel.putAttributeResults(
        stationId,
        arr(response.getVariableResult).map((r) => ({
          component: componentOf(r.component),
          variable: variableOf(r.variable),
          attributeType: str(r.attributeType) ?? 'Actual',
          status: str(r.attributeStatus) ?? '',
          ...(r.attributeStatus === 'Accepted' &&
          str(r.attributeValue) !== undefined &&
          !isPasswordVariable(r)
            ? { value: str(r.attributeValue)! }
            : {}),
          source: 'GetVariables' as const,
          at,
          commandId,
        })),
      );
      break;
    }
    case 'ChangeAvailability': {
      // 1.6 §5.2 / 2.0.1 G03.FR.04: Scheduled means after the running transaction(s).
      if (!accepted && status !== 'Scheduled') break;
      const evse = obj(request.evse);
      const where = v16
        ? evseOf16(int(request.connectorId) ?? 0)
        : { evseId: int(evse.id) ?? 0, connectorId: int(evse.connectorId) ?? 0 };
      const operational = str(v16 ? request.type : request.operationalStatus);
      await store.availability.put(stationId, {
        ...where,
        operationalStatus: operational === 'Inoperative' ? 'Inoperative' : 'Operative',
        scheduled: status === 'Scheduled',
        at,
        commandId,
      });
      break;
    }
    case 'SendLocalList': {
      if (!accepted) break;
      const version = int(v16 ? request.listVersion : request.versionNumber);
      if (version === undefined) break;
      await store.localList.put(stationId, {
        version,
        source: 'SendLocalList',
        ...(str(request.updateType) ? { updateType: str(request.updateType)! } : {}),
        at,
        commandId,
      });
      break;
    }
    case 'GetLocalListVersion': {
      const version = int(v16 ? response.listVersion : response.versionNumber);
      if (version === undefined) break;
      await store.localList.put(stationId, { version, source: 'GetLocalListVersion', at, commandId });
      break;
    }
    case 'SetChargingProfile': {
      if (!accepted) break;
      const profile = obj(v16 ? request.csChargingProfiles : request.chargingProfile);
      const id = int(v16 ? profile.chargingProfileId : profile.id);
      if (id === undefined) break;
      await store.chargingProfiles.put(stationId, {
        id,
        evseId: int(v16 ? request.connectorId : request.evseId) ?? 0,
        stackLevel: int(profile.stackLevel) ?? 0,
        purpose: str(profile.chargingProfilePurpose) ?? '',
        profile: storableObject(profile),
        source: 'SetChargingProfile',
        at,
        commandId,
      });
      break;
    }
    case 'ClearChargingProfile': {
      if (!accepted) break;
      const criteria = v16 ? request : obj(request.chargingProfileCriteria);
      const id = int(v16 ? request.id : request.chargingProfileId);
      const evseId = int(v16 ? request.connectorId : criteria.evseId);
      const purpose = str(criteria.chargingProfilePurpose);
      const stackLevel = int(criteria.stackLevel);
      await store.chargingProfiles.clear(stationId, {
        ...(id !== undefined ? { id } : {}),
        ...(evseId !== undefined ? { evseId } : {}),
        ...(purpose !== undefined ? { purpose } : {}),
        ...(stackLevel !== undefined ? { stackLevel } : {}),
      });
      break;
    }
    case 'ReserveNow': {
      if (!accepted) break;
      const reservationId = int(v16 ? request.reservationId : request.id);
      if (reservationId === undefined) break;
      const idToken = obj(request.idToken);
      const group = obj(request.groupIdToken);
      const evseId = int(v16 ? request.connectorId : request.evseId);
      await store.reservations.put(
        stationId,
        {
          reservationId,
          // 1.6 connectorId 0 / 2.0.1 no evseId: any EVSE of the station.
          ...(evseId !== undefined && evseId !== 0 ? { evseId } : {}),
          ...(str(request.connectorType) ? { connectorType: str(request.connectorType)! } : {}),
          idToken: (v16 ? str(request.idTag) : str(idToken.idToken)) ?? '',
          ...(!v16 && str(idToken.type) ? { idTokenType: str(idToken.type)! } : {}),
          ...((v16 ? str(request.parentIdTag) : str(group.idToken))
            ? { groupIdToken: (v16 ? str(request.parentIdTag) : str(group.idToken))! }
            : {}),
          expiryDateTime: (v16 ? str(request.expiryDate) : str(request.expiryDateTime)) ?? at,
          status: 'active',
          updatedAt: at,
          commandId,
        },
        ctx.now,
      );
      events.push({
        type: 'reservation.status-changed.v1',
        detail: { ...base, reservationId, status: 'active' },
      });
      break;
    }
    case 'CancelReservation': {
      const reservationId = int(request.reservationId);
      if (!accepted || reservationId === undefined) break;
      await store.reservations.setStatus(stationId, reservationId, 'cancelled', ctx.now);
      events.push({
        type: 'reservation.status-changed.v1',
        detail: { ...base, reservationId, status: 'cancelled' },
      });
      break;
    }
    case 'InstallCertificate': {
      if (!accepted) break;
      await store.certificates.putInstalled(stationId, {
        ...(str(request.certificateType) ? { certificateType: str(request.certificateType)! } : {}),
        ...describePem(str(request.certificate) ?? ''),
        at,
        commandId,
      });
      break;
    }
    case 'DeleteCertificate': {
      if (!accepted) break;
      await store.certificates.deleteByHash(stationId, hashDataOf(request.certificateHashData));
      break;
    }
    case 'GetInstalledCertificateIds': {
      // NotFound: the station has no certificate of the requested type(s).
      if (!accepted && status !== 'NotFound') break;
      if (v16) {
        const type = str(request.certificateType) ?? '';
        await store.certificates.replaceReported(
          stationId,
          [type],
          arr(response.certificateHashData).map((h) => ({
            certificateType: type,
            hashData: hashDataOf(h),
            at,
            commandId,
          })),
        );
      } else {
        const types = Array.isArray(request.certificateType)
          ? (request.certificateType as unknown[]).filter((t): t is string => typeof t === 'string')
          : undefined;
        await store.certificates.replaceReported(
          stationId,
          types,
          arr(response.certificateHashDataChain).map((c) => ({
            ...(str(c.certificateType) ? { certificateType: str(c.certificateType)! } : {}),
            hashData: hashDataOf(c.certificateHashData),
            ...(Array.isArray(c.childCertificateHashData)
              ? { childCertificateHashData: arr(c.childCertificateHashData).map(hashDataOf) }
              : {}),
            at,
            commandId,
          })),
        );
      }
      break;
    }
    case 'CertificateSigned': {
      if (!accepted) break;
      await store.certificates.putSigned(stationId, {
        certificateType:
          str(request.certificateType) ?? (v16 ? 'ChargePointCertificate' : 'ChargingStationCertificate'),
        ...describePem(str(request.certificateChain) ?? ''),
        at,
        commandId,
      });
      break;
    }
    case 'SetDisplayMessage': {
      const message = obj(request.message);
      const id = int(message.id);
      if (!accepted || id === undefined) break;
      await store.displayMessages.put(stationId, {
        id,
        message: storableObject(message),
        source: 'SetDisplayMessage',
        at,
      });
      break;
    }
    case 'ClearDisplayMessage': {
      const id = int(request.id);
      if (!accepted || id === undefined) break;
      await store.displayMessages.delete(stationId, id);
      break;
    }
    default:
      break;
  }
  return events;
}

/** Whether the station took the new password the command carried (1.6 / 2.0.1 A01.FR.03). */
export function passwordAccepted(action: string, response: Json): boolean {
  const taken = (s: unknown) => s === 'Accepted' || s === 'RebootRequired';
  if (action === 'ChangeConfiguration') return taken(response.status);
  if (action === 'SetVariables') {
    const result = arr(response.setVariableResult).find(isPasswordVariable);
    return taken(result?.attributeStatus);
  }
  return false;
}
