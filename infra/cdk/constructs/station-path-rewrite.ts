import { readFileSync } from 'node:fs';
import { STATION_ID_PARAM, WEBSOCKET_STAGE } from '../../topology.js';

/** Public path of the station endpoint: stations connect to `wss://{host}/ocpp/{stationId}`. */
export const STATION_PATH_PREFIX = '/ocpp/';

const SOURCE = new URL('./station-path-rewrite.function.js', import.meta.url);

/**
 * The CloudFront Function code that rewrites `/ocpp/{stationId}` to `/{WEBSOCKET_STAGE}` with
 * `?{STATION_ID_PARAM}={stationId}`: station-path-rewrite.function.js with its placeholders filled in.
 */
export function stationPathRewriteCode(): string {
  const values: Record<string, string> = {
    __STATION_PATH_PREFIX__: STATION_PATH_PREFIX,
    __STAGE_PATH__: `/${WEBSOCKET_STAGE}`,
    __STATION_ID_PARAM__: STATION_ID_PARAM,
  };
  let code = readFileSync(SOURCE, 'utf8');
  for (const [placeholder, value] of Object.entries(values)) {
    const parts = code.split(placeholder);
    if (parts.length !== 2) {
      throw new Error(`station-path-rewrite.function.js must use ${placeholder} exactly once`);
    }
    code = parts.join(JSON.stringify(value));
  }
  return code;
}
