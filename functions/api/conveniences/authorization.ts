/** Authorization: the station's authorization cache and local list version. */
import { clearCache, getLocalListVersion } from '../command-mapping/authorization.js';
import { convenience, CommandQuery } from './common.js';

// ---- operations ------------------------------------------------------------------------------

export const clearStationCache = convenience({
  id: 'clearStationCache',
  summary: "Clear the station's authorization cache (ClearCache)",
  query: CommandQuery,
  build: () => clearCache(),
});

export const getLocalList = convenience({
  id: 'getLocalList',
  summary: "Ask the station for its local authorization list's version (GetLocalListVersion)",
  query: CommandQuery,
  build: () => getLocalListVersion(),
});
