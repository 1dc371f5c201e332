/** 1.6 §4.2 BootNotification: register the station, answer Accepted / Pending / Rejected. */
import type {
  BootNotificationRequest,
  BootNotificationResponse,
} from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';
import { registerBoot } from '../station-reports.js';

export const bootNotification: Route<BootNotificationRequest, BootNotificationResponse, 'stations'> = {
  beforeAccepted: true,
  handle: (ctx, req) =>
    registerBoot(ctx, {
      vendor: req.chargePointVendor,
      model: req.chargePointModel,
      // chargeBoxSerialNumber is deprecated in favour of chargePointSerialNumber (1.6 §6.2).
      serialNumber: req.chargePointSerialNumber ?? req.chargeBoxSerialNumber,
      firmwareVersion: req.firmwareVersion,
      iccid: req.iccid,
      imsi: req.imsi,
    }),
};
