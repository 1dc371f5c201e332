/** Authorization: the station's authorization cache and local list version. */
import { clearCache, getLocalListVersion } from '../command-mapping/authorization.js';
import { requestOf, sendCommand } from '../commands.js';
import { operation } from '../http.js';
import { common, CommandQuery } from './common.js';

// ---- operations ------------------------------------------------------------------------------

export const clearStationCache = operation({
  ...common,
  id: 'clearStationCache',
  summary: "Clear the station's authorization cache (ClearCache)",
  query: CommandQuery,
  async handle({ params, query, headers }, deps) {
    return sendCommand(
      params.id,
      () => clearCache(),
      query,
      headers,
      deps,
      requestOf('clearStationCache', { params, query }),
    );
  },
});

export const getLocalList = operation({
  ...common,
  id: 'getLocalList',
  summary: "Ask the station for its local authorization list's version (GetLocalListVersion)",
  query: CommandQuery,
  async handle({ params, query, headers }, deps) {
    return sendCommand(
      params.id,
      () => getLocalListVersion(),
      query,
      headers,
      deps,
      requestOf('getLocalList', { params, query }),
    );
  },
});
