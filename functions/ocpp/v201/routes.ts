/** OCPP 2.0.1 route table: station-initiated action -> handler module (one file per action). */
import type { Methods } from '../../../shared/ocpp/generated/v201/types.js';
import type { RouteTable } from '../context.js';
import { bootNotification } from './boot-notification.js';
import { heartbeat } from './heartbeat.js';

export const V201_ROUTES: RouteTable<Methods> = {
  BootNotification: bootNotification,
  Heartbeat: heartbeat,
};
