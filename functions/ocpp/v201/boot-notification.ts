/** 2.0.1 B01-B03 BootNotification: register the station, answer Accepted / Pending / Rejected. */
import type {
  BootNotificationRequest,
  BootNotificationResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { Route } from '../context.js';
import { registerBoot } from '../station-reports.js';

export const bootNotification: Route<BootNotificationRequest, BootNotificationResponse, 'stations'> = {
  beforeAccepted: true,
  handle: (ctx, req) =>
    registerBoot(ctx, {
      vendor: req.chargingStation.vendorName,
      model: req.chargingStation.model,
      serialNumber: req.chargingStation.serialNumber,
      firmwareVersion: req.chargingStation.firmwareVersion,
      iccid: req.chargingStation.modem?.iccid,
      imsi: req.chargingStation.modem?.imsi,
      reason: req.reason,
    }),
};
