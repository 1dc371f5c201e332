/** OCPP 1.6 route table: station-initiated action -> handler module (one file per action). */
import type { Methods } from '../../../shared/ocpp/generated/v16/types.js';
import type { RouteTable } from '../context.js';
import { bootNotification } from './boot-notification.js';
import { heartbeat } from './heartbeat.js';

export const V16_ROUTES: RouteTable<Methods> = {
  BootNotification: bootNotification,
  Heartbeat: heartbeat,
};
