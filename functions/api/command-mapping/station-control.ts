/** Station control: Reset, UnlockConnector, ChangeAvailability, TriggerMessage, DataTransfer. */
import type * as v16 from '../../../shared/ocpp/generated/v16/types.js';
import type * as v201 from '../../../shared/ocpp/generated/v201/types.js';
import type { OcppProtocol } from '../../../shared/ocpp/versions.js';
import { is16, refuse, renameFields, versionName, type Outgoing } from './outgoing.js';

export const RESET_TYPES = ['soft', 'hard', 'immediate', 'on-idle'] as const;
export type ResetType = (typeof RESET_TYPES)[number];

export function reset(
  protocol: OcppProtocol,
  input: { type: ResetType; evseId?: number | undefined },
): Outgoing {
  if (is16(protocol)) {
    // 1.6 §5.14, §7.42: Soft stops transactions gracefully and restarts the software; Hard
    // restarts the hardware. Both happen now; 1.6 has no reset that waits for idle.
    if (input.type === 'on-idle')
      refuse('type', 'OCPP 1.6 has no reset on idle: use soft, hard or immediate');
    if (input.evseId !== undefined) {
      refuse('evseId', 'OCPP 1.6 resets the whole Charge Point: leave evseId out');
    }
    const payload = { type: input.type === 'soft' ? 'Soft' : 'Hard' } satisfies v16.ResetRequest;
    return { action: 'Reset', payload };
  }
  // 2.0.1 B11/B12: OnIdle resets once transactions have ended (B12.FR.01/03); Immediate ends them
  // first and resets now (B12.FR.02/04), as 1.6 soft and hard do. evseId resets one EVSE (B11.FR.08).
  const payload = {
    type: input.type === 'on-idle' ? 'OnIdle' : 'Immediate',
    ...(input.evseId !== undefined ? { evseId: input.evseId } : {}),
  } satisfies v201.ResetRequest;
  return { action: 'Reset', payload };
}

export function unlock(
  protocol: OcppProtocol,
  input: { evseId: number; connectorId?: number | undefined },
): Outgoing {
  if (is16(protocol)) {
    // 1.6 §5.18 UnlockConnector: connector N is EVSE N, connector 1.
    if (input.connectorId !== undefined && input.connectorId !== 1) {
      refuse('connectorId', 'In OCPP 1.6 every EVSE has one connector: leave connectorId out (or 1)');
    }
    const payload = { connectorId: input.evseId } satisfies v16.UnlockConnectorRequest;
    return { action: 'UnlockConnector', payload, toField: renameFields({ connectorId: 'evseId' }) };
  }
  // 2.0.1 F05 UnlockConnector: evseId and connectorId, both required.
  const payload = {
    evseId: input.evseId,
    connectorId: input.connectorId ?? 1,
  } satisfies v201.UnlockConnectorRequest;
  return { action: 'UnlockConnector', payload };
}

export function changeAvailability(
  protocol: OcppProtocol,
  input: { operative: boolean; evseId?: number | undefined; connectorId?: number | undefined },
): Outgoing {
  if (input.connectorId !== undefined && input.evseId === undefined) {
    refuse('connectorId', 'connectorId needs evseId (the connector of which EVSE)');
  }
  if (is16(protocol)) {
    // 1.6 §5.2 ChangeAvailability: connectorId 0 is the whole Charge Point, N is EVSE N.
    if (input.connectorId !== undefined && input.connectorId !== 1) {
      refuse('connectorId', 'In OCPP 1.6 every EVSE has one connector: leave connectorId out (or 1)');
    }
    const payload = {
      connectorId: input.evseId ?? 0,
      type: input.operative ? 'Operative' : 'Inoperative',
    } satisfies v16.ChangeAvailabilityRequest;
    return { action: 'ChangeAvailability', payload, toField: renameFields({ connectorId: 'evseId' }) };
  }
  // 2.0.1 G03 (an EVSE or a connector) / G04 (no evse: the whole Charging Station).
  const payload = {
    operationalStatus: input.operative ? 'Operative' : 'Inoperative',
    ...(input.evseId !== undefined
      ? {
          evse: {
            id: input.evseId,
            ...(input.connectorId !== undefined ? { connectorId: input.connectorId } : {}),
          },
        }
      : {}),
  } satisfies v201.ChangeAvailabilityRequest;
  return {
    action: 'ChangeAvailability',
    payload,
    toField: renameFields({
      'evse.id': 'evseId',
      'evse.connectorId': 'connectorId',
      operationalStatus: 'operative',
    }),
  };
}

type Trigger16 = { readonly action: 'TriggerMessage' | 'ExtendedTriggerMessage'; readonly message: string };

/**
 * Neutral trigger names and the message each version asks for. 1.6 §5.17 TriggerMessage
 * (MessageTrigger §7.32); the 1.6 security whitepaper's ExtendedTriggerMessage for the messages
 * it added (LogStatusNotification, SignChargePointCertificate); 2.0.1 F06 TriggerMessage
 * (MessageTriggerEnumType), where GetLog replaced diagnostics (N01).
 */
const TRIGGERS: Readonly<Record<string, { readonly v16?: Trigger16; readonly v2?: string }>> = {
  BootNotification: {
    v16: { action: 'TriggerMessage', message: 'BootNotification' },
    v2: 'BootNotification',
  },
  Heartbeat: { v16: { action: 'TriggerMessage', message: 'Heartbeat' }, v2: 'Heartbeat' },
  MeterValues: { v16: { action: 'TriggerMessage', message: 'MeterValues' }, v2: 'MeterValues' },
  StatusNotification: {
    v16: { action: 'TriggerMessage', message: 'StatusNotification' },
    v2: 'StatusNotification',
  },
  FirmwareStatusNotification: {
    v16: { action: 'TriggerMessage', message: 'FirmwareStatusNotification' },
    v2: 'FirmwareStatusNotification',
  },
  DiagnosticsStatusNotification: {
    v16: { action: 'TriggerMessage', message: 'DiagnosticsStatusNotification' },
    v2: 'LogStatusNotification',
  },
  LogStatusNotification: {
    v16: { action: 'ExtendedTriggerMessage', message: 'LogStatusNotification' },
    v2: 'LogStatusNotification',
  },
  SignCertificate: {
    v16: { action: 'ExtendedTriggerMessage', message: 'SignChargePointCertificate' },
    v2: 'SignChargingStationCertificate',
  },
  TransactionEvent: { v2: 'TransactionEvent' },
  SignV2GCertificate: { v2: 'SignV2GCertificate' },
  SignCombinedCertificate: { v2: 'SignCombinedCertificate' },
  PublishFirmwareStatusNotification: { v2: 'PublishFirmwareStatusNotification' },
};
export const TRIGGER_MESSAGES = Object.keys(TRIGGERS) as [string, ...string[]];

export function triggerMessage(
  protocol: OcppProtocol,
  input: { message: string; evseId?: number | undefined; connectorId?: number | undefined },
): Outgoing {
  const trigger = TRIGGERS[input.message];
  if (input.connectorId !== undefined && input.evseId === undefined) {
    refuse('connectorId', 'connectorId needs evseId (the connector of which EVSE)');
  }
  if (is16(protocol)) {
    if (!trigger?.v16) refuse('message', `OCPP 1.6 cannot trigger ${input.message}`);
    if (input.connectorId !== undefined && input.connectorId !== 1) {
      refuse('connectorId', 'In OCPP 1.6 every EVSE has one connector: leave connectorId out (or 1)');
    }
    const payload = {
      requestedMessage: trigger.v16.message,
      ...(input.evseId !== undefined ? { connectorId: input.evseId } : {}),
    };
    return {
      action: trigger.v16.action,
      payload,
      toField: renameFields({ connectorId: 'evseId', requestedMessage: 'message' }),
    };
  }
  if (!trigger?.v2) refuse('message', `${versionName(protocol)} cannot trigger ${input.message}`);
  // F06.FR.13: a StatusNotification is triggered for one connector.
  if (trigger.v2 === 'StatusNotification' && input.evseId === undefined) {
    refuse(
      'evseId',
      `${versionName(protocol)} triggers a StatusNotification for one connector (F06.FR.13): give evseId`,
    );
  }
  const connectorId = input.connectorId ?? (trigger.v2 === 'StatusNotification' ? 1 : undefined);
  const payload = {
    requestedMessage: trigger.v2,
    ...(input.evseId !== undefined
      ? { evse: { id: input.evseId, ...(connectorId !== undefined ? { connectorId } : {}) } }
      : {}),
  };
  return {
    action: 'TriggerMessage',
    payload,
    toField: renameFields({
      'evse.id': 'evseId',
      'evse.connectorId': 'connectorId',
      requestedMessage: 'message',
    }),
  };
}

/** 1.6 §5.6 (data is a string), 2.0.1 P01 (data of any JSON type): the same fields. */
export function dataTransfer(input: {
  vendorId: string;
  messageId?: string | undefined;
  data?: unknown;
}): Outgoing {
  return {
    action: 'DataTransfer',
    payload: {
      vendorId: input.vendorId,
      ...(input.messageId !== undefined ? { messageId: input.messageId } : {}),
      ...(input.data !== undefined ? { data: input.data } : {}),
    },
  };
}
