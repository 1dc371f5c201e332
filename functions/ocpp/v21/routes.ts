/** OCPP 2.1 route table. 2.1 reuses the 2.0.1 handlers where the messages are compatible. */
import type { Methods } from '../../../shared/ocpp/generated/v21/types.js';
import type { RouteTable } from '../context.js';
import { bootNotification } from '../v201/boot-notification.js';
import { heartbeat } from '../v201/heartbeat.js';

export const V21_ROUTES: RouteTable<Methods> = {
  BootNotification: bootNotification as RouteTable<Methods>['BootNotification'],
  Heartbeat: heartbeat,
};
