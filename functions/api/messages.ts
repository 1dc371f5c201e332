/**
 * GET /v1/stations/{id}/messages: the station's last OCPP messages (what it sent and the CSMS's
 * reply), for the dashboard. Messages are kept only while someone watches the station: each call
 * (re)starts a watch of WATCH_SECONDS, written at most once per half watch, and the station
 * functions record from then on (they notice within MessageRecorder.CHECK_MS). Commands the CSMS
 * sent are in GET /v1/stations/{id}/commands. Cost and design: docs/adr/0011-station-message-log.md.
 */
import { z } from 'zod';
import { WATCH_SECONDS } from '../../shared/store/message-log.js';
import { NotFoundError } from './errors.js';
import { json, operation } from './http.js';

export const MessageLogView = z
  .object({
    watchingUntil: z.string().describe('Messages are recorded until then; calling again extends it.'),
    items: z
      .array(
        z.object({
          receivedAt: z.string(),
          inbound: z.string().describe('The frame the station sent, as sent.'),
          reply: z
            .string()
            .nullable()
            .describe("The CSMS's reply frame; null when none (a station's own reply)."),
          truncated: z.boolean().describe('A frame longer than 8 KiB was cut.'),
        }),
      )
      .describe('Newest first; kept for one hour.'),
  })
  .meta({ id: 'MessageLogView' });

const Params = z.object({ id: z.string() });
const Query = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50).describe('How many, 1 to 100 (default 50).'),
});

export const getStationMessages = operation({
  id: 'getStationMessages',
  summary: "The station's last OCPP messages (recorded while watched: this call starts the watch)",
  params: Params,
  query: Query,
  responses: { 200: MessageLogView },
  async handle({ params, query }, deps) {
    const now = deps.clock();
    const log = deps.store.messageLog;
    const [station, until] = await Promise.all([
      deps.store.stations.get(params.id),
      log.watchedUntil(params.id, now),
    ]);
    if (!station) throw new NotFoundError(`No station ${params.id}`);
    let watchingUntil = until;
    if (!until || until.getTime() - now.getTime() < (WATCH_SECONDS * 1000) / 2) {
      watchingUntil = new Date(now.getTime() + WATCH_SECONDS * 1000);
      await log.watch(params.id, watchingUntil);
    }
    const items = await log.recent(params.id, query.limit, now);
    return json(200, { watchingUntil: watchingUntil!.toISOString(), items });
  },
});
