/**
 * 2.0.1 N07 / N08 NotifyEvent: events of the station's monitors (alerts, deltas, periodic values).
 * The message goes into the device-event history and each event becomes the latest value of its
 * component/variable unless a newer one is stored; station.device-event.v1 carries them. A
 * Connector's AvailabilityState event is also a connector status: G01.FR.03-07 let a station send
 * it instead of a StatusNotification.
 */
import { canonicalTime } from '../../../shared/domain/normalize.js';
import type { NotifyEventRequest, NotifyEventResponse } from '../../../shared/ocpp/generated/v201/types.js';
import type { DeviceEvent } from '../../../shared/store/device-model.js';
import type { Route } from '../context.js';
import { componentRef, variableRef } from '../../../shared/domain/device-model.js';
import { present } from './device-model-refs.js';
import { requireInt32 } from './normalize.js';
import { recordConnectorStatus } from './status-notification.js';

/** ConnectorStatusEnumType: the AvailabilityState values that are connector statuses. */
const CONNECTOR_STATUSES = new Set(['Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted']);

export const notifyEvent: Route<
  NotifyEventRequest,
  NotifyEventResponse,
  'connectors' | 'deviceModel' | 'transactions'
> = {
  async handle(ctx, req) {
    requireInt32({ seqNo: req.seqNo });
    for (const e of req.eventData) {
      requireInt32({
        eventId: e.eventId,
        cause: e.cause,
        variableMonitoringId: e.variableMonitoringId,
        'component.evse.id': e.component.evse?.id,
        'component.evse.connectorId': e.component.evse?.connectorId,
      });
    }
    const generatedAt = canonicalTime(req.generatedAt);
    const events: DeviceEvent[] = req.eventData.map((e) => ({
      eventId: e.eventId,
      timestamp: canonicalTime(e.timestamp),
      trigger: e.trigger,
      actualValue: e.actualValue,
      component: componentRef(e.component),
      variable: variableRef(e.variable),
      eventNotificationType: e.eventNotificationType,
      ...present(e, ['cause', 'techCode', 'techInfo', 'cleared', 'transactionId', 'variableMonitoringId']),
    }));
    const tbc = req.tbc ?? false;
    await ctx.store.deviceModel.recordEvents(
      ctx.stationId,
      { generatedAt, seqNo: req.seqNo, tbc, events },
      ctx.now,
    );
    for (const e of events) {
      const evse = e.component.evse;
      if (
        e.component.name === 'Connector' &&
        e.variable.name === 'AvailabilityState' &&
        evse?.connectorId !== undefined &&
        CONNECTOR_STATUSES.has(e.actualValue)
      ) {
        await recordConnectorStatus(ctx, {
          evseId: evse.id,
          connectorId: evse.connectorId,
          status: e.actualValue,
          at: e.timestamp,
        });
      }
    }
    ctx.emit('station.device-event.v1', {
      stationId: ctx.stationId,
      occurredAt: generatedAt,
      seqNo: req.seqNo,
      tbc,
      events: events.map((e) => ({ ...e })),
    });
    // N07.FR.03 / N08.FR.02: an empty NotifyEventResponse.
    return {};
  },
};
