/**
 * The status-notification family (firmware, signed firmware, diagnostics, log, publish firmware):
 * each message is kept as the station's latest status of its kind, tied back to the command it
 * reports on (shown in that command's results), and published as an event.
 */
import { recordCommandResult } from '../../shared/calls/results.js';
import type { DeviceStatusKind } from '../../shared/store/stations.js';
import type { HandlerContext, Route } from './context.js';

export interface DeviceStatusReport {
  readonly kind: DeviceStatusKind;
  /** The station message, as named in the command's results. */
  readonly message: string;
  readonly status: string;
  /** The requestId of the command it reports on (an id beyond 2^53 cannot be one the CSMS issued: left out). */
  readonly requestId?: number | undefined;
  /** 1.6 messages without requestId report on the latest command of this action. */
  readonly latestOf?: string;
  readonly event:
    'firmware.status.v1' | 'diagnostics.status.v1' | 'log.status.v1' | 'firmware.publish-status.v1';
  /** Further fields of the result and the event (2.0.1 PublishFirmwareStatusNotification location). */
  readonly extra?: { readonly location?: string[] };
}

/**
 * LogStatusNotification, the same in the 1.6 security extension and 2.0.1 (N01): the progress of
 * the upload GetLog started, tied to it by requestId (N01.FR.07).
 */
export function logStatusReport(req: {
  readonly status: string;
  readonly requestId?: number;
}): DeviceStatusReport {
  return {
    kind: 'logStatus',
    message: 'LogStatusNotification',
    status: req.status,
    requestId: req.requestId,
    event: 'log.status.v1',
  };
}

/** The store ports a status notification of this family uses. */
export type DeviceStatusPorts = 'commands' | 'stations';

/**
 * The route of a status notification of this family: `report` reads the message (and checks what
 * its schema cannot), reportDeviceStatus does the rest. Every version answers with an empty object.
 */
export function deviceStatusRoute<Req>(
  report: (request: Req) => DeviceStatusReport,
): Route<Req, Record<string, never>, DeviceStatusPorts> {
  return {
    async handle(ctx, request) {
      await reportDeviceStatus(ctx, report(request));
      return {};
    },
  };
}

export async function reportDeviceStatus(
  ctx: HandlerContext<DeviceStatusPorts>,
  report: DeviceStatusReport,
): Promise<void> {
  const at = ctx.now.toISOString();
  const id = report.requestId;
  const requestId = id !== undefined && Number.isSafeInteger(id) ? { requestId: id } : {};
  await ctx.store.stations.recordDeviceStatus(ctx.stationId, report.kind, {
    status: report.status,
    ...requestId,
    at,
  });
  await recordCommandResult(ctx, report.latestOf ?? requestId.requestId, report.message, {
    status: report.status,
    ...requestId,
    ...report.extra,
  });
  const detail = { stationId: ctx.stationId, occurredAt: at, status: report.status };
  if (report.event === 'diagnostics.status.v1') ctx.emit(report.event, detail);
  else ctx.emit(report.event, { ...detail, ...requestId, ...report.extra });
}
