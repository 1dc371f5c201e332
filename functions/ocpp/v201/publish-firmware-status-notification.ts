/**
 * 2.0.1 L03 PublishFirmwareStatusNotification: a local controller's progress publishing firmware
 * that PublishFirmware asked for (L03.FR.07: with its requestId, absent only when Idle). The
 * latest status is kept on the station; firmware.publish-status.v1 carries each one; it is a
 * result of the PublishFirmware command.
 */
import type { PublishFirmwareStatusNotificationRequest } from '../../../shared/ocpp/generated/v201/types.js';
import { deviceStatusRoute } from '../device-status.js';
import { requireInt32 } from './normalize.js';

export const publishFirmwareStatusNotification = deviceStatusRoute(
  (req: PublishFirmwareStatusNotificationRequest) => {
    requireInt32({ requestId: req.requestId });
    return {
      kind: 'publishFirmwareStatus',
      message: 'PublishFirmwareStatusNotification',
      status: req.status,
      requestId: req.requestId,
      event: 'firmware.publish-status.v1',
      ...(req.location ? { extra: { location: [...req.location] } } : {}),
    };
  },
);
