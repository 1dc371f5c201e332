/**
 * The route table of the HTTP API: the map of what the API does. API Gateway sends every request
 * here (topology HTTP_ROUTES: GET /health, ANY /v1/{proxy+}); matching happens in code.
 */
import { z } from 'zod';
import { getCaCertificates, listStationCertificates, revokeStationCertificate } from './certificates.js';
import {
  deleteInstalledCertificate,
  installStationCertificate,
  readInstalledCertificates,
  updateStationFirmware,
} from './certificate-commands.js';
import { getCommand, listStationCommands, submitCommand } from './commands.js';
import { clearStationCache, getLocalList } from './conveniences/authorization.js';
import {
  getStationConfiguration,
  readStationConfiguration,
  setStationConfiguration,
} from './conveniences/configuration.js';
import { cancelStationReservation, reserve } from './conveniences/reservations.js';
import {
  clearStationChargingProfile,
  clearStationChargingProfiles,
  getStationCompositeSchedule,
  setStationChargingProfile,
} from './conveniences/smart-charging.js';
import {
  resetStation,
  sendDataTransfer,
  setAvailability,
  triggerStationMessage,
  unlockConnector,
} from './conveniences/station-control.js';
import { startTransaction, stopTransaction } from './conveniences/transactions.js';
import { getDeviceModel } from './device-model.js';
import { deleteIdToken, getIdToken, listIdTokens, putIdToken } from './id-tokens.js';
import { health } from './health.js';
import { json, operation, type HttpMethod, type Route } from './http.js';
import { getMe } from './me.js';
import { getStationMessages } from './messages.js';
import { putLocalList } from './local-list.js';
import { openApiDocument } from './openapi.js';
import {
  abortRolloutOp,
  getRollout,
  listRollouts,
  pauseRolloutOp,
  resumeRolloutOp,
  startRollout,
} from './rollouts.js';
import { createSite, deleteSite, getSite, getSiteAllocation, listSites, updateSite } from './sites.js';
import { rotateStationPassword } from './station-password.js';
import { listChargingLimits, listEvChargingNeeds } from './smart-charging.js';
import { getStoredConfiguration, listChargingProfiles, listReservations } from './station-state.js';
import { createStation, deleteStation, getStation, listStations, updateStation } from './stations.js';
import { getTransaction, listTransactions } from './transactions.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  redriveWebhook,
  replayWebhook,
  testWebhook,
  updateWebhook,
} from './webhooks.js';

export type { HttpMethod, Route } from './http.js';

let document: Record<string, unknown> | undefined;

const OpenApiDocument = z
  .record(z.string(), z.unknown())
  .meta({ id: 'OpenApiDocument', description: 'An OpenAPI 3.1 document.' });

export const getOpenApi = operation({
  id: 'getOpenApi',
  summary: 'This API as an OpenAPI 3.1 document, generated from the route table',
  responses: { 200: OpenApiDocument },
  async handle() {
    document ??= openApiDocument(ROUTES);
    return json(200, document);
  },
});

const STATION = '/v1/stations/{id}';
const WEBHOOK = '/v1/webhooks/{id}';

export const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/health', operation: health, public: true },
  { method: 'GET', path: '/v1/openapi.json', operation: getOpenApi },
  { method: 'GET', path: '/v1/me', operation: getMe },

  { method: 'POST', path: '/v1/stations', operation: createStation },
  { method: 'GET', path: '/v1/stations', operation: listStations },
  { method: 'GET', path: STATION, operation: getStation },
  { method: 'PATCH', path: STATION, operation: updateStation },
  { method: 'DELETE', path: STATION, operation: deleteStation },
  { method: 'POST', path: `${STATION}/password`, operation: rotateStationPassword },
  { method: 'GET', path: `${STATION}/device-model`, operation: getDeviceModel },
  { method: 'GET', path: `${STATION}/messages`, operation: getStationMessages },
  { method: 'GET', path: `${STATION}/configuration/stored`, operation: getStoredConfiguration },
  { method: 'GET', path: `${STATION}/reservations`, operation: listReservations },
  { method: 'GET', path: `${STATION}/charging-profiles`, operation: listChargingProfiles },

  // Remote commands: raw, and version-neutral conveniences (conveniences/, command-mapping/).
  { method: 'POST', path: `${STATION}/commands`, operation: submitCommand },
  { method: 'GET', path: `${STATION}/commands`, operation: listStationCommands },
  { method: 'GET', path: '/v1/commands/{id}', operation: getCommand },
  { method: 'POST', path: `${STATION}/reset`, operation: resetStation },
  { method: 'POST', path: `${STATION}/remote-start`, operation: startTransaction },
  { method: 'POST', path: `${STATION}/remote-stop`, operation: stopTransaction },
  { method: 'POST', path: `${STATION}/unlock`, operation: unlockConnector },
  { method: 'POST', path: `${STATION}/availability`, operation: setAvailability },
  { method: 'GET', path: `${STATION}/configuration`, operation: getStationConfiguration },
  { method: 'POST', path: `${STATION}/configuration/read`, operation: readStationConfiguration },
  { method: 'PUT', path: `${STATION}/configuration`, operation: setStationConfiguration },
  { method: 'POST', path: `${STATION}/trigger`, operation: triggerStationMessage },
  { method: 'POST', path: `${STATION}/clear-cache`, operation: clearStationCache },
  { method: 'POST', path: `${STATION}/data-transfer`, operation: sendDataTransfer },
  { method: 'PUT', path: `${STATION}/local-list`, operation: putLocalList },
  { method: 'GET', path: `${STATION}/local-list`, operation: getLocalList },
  { method: 'POST', path: `${STATION}/reservations`, operation: reserve },
  { method: 'DELETE', path: `${STATION}/reservations/{reservationId}`, operation: cancelStationReservation },
  { method: 'POST', path: `${STATION}/charging-profiles`, operation: setStationChargingProfile },
  { method: 'DELETE', path: `${STATION}/charging-profiles`, operation: clearStationChargingProfiles },
  {
    method: 'DELETE',
    path: `${STATION}/charging-profiles/{profileId}`,
    operation: clearStationChargingProfile,
  },
  { method: 'GET', path: `${STATION}/composite-schedule`, operation: getStationCompositeSchedule },
  { method: 'GET', path: `${STATION}/charging-limits`, operation: listChargingLimits },
  { method: 'GET', path: `${STATION}/ev-charging-needs`, operation: listEvChargingNeeds },

  { method: 'POST', path: '/v1/id-tokens', operation: putIdToken },
  { method: 'GET', path: '/v1/id-tokens', operation: listIdTokens },
  { method: 'GET', path: '/v1/id-tokens/{idToken}', operation: getIdToken },
  { method: 'DELETE', path: '/v1/id-tokens/{idToken}', operation: deleteIdToken },

  { method: 'GET', path: '/v1/transactions', operation: listTransactions },

  { method: 'POST', path: '/v1/firmware/rollouts', operation: startRollout },
  { method: 'GET', path: '/v1/firmware/rollouts', operation: listRollouts },
  { method: 'GET', path: '/v1/firmware/rollouts/{id}', operation: getRollout },
  { method: 'POST', path: '/v1/firmware/rollouts/{id}/pause', operation: pauseRolloutOp },
  { method: 'POST', path: '/v1/firmware/rollouts/{id}/resume', operation: resumeRolloutOp },
  { method: 'POST', path: '/v1/firmware/rollouts/{id}/abort', operation: abortRolloutOp },
  { method: 'GET', path: '/v1/stations/{stationId}/transactions/{transactionId}', operation: getTransaction },

  // Partner webhooks (EventBridge rules + API destinations): webhooks.ts
  { method: 'POST', path: '/v1/webhooks', operation: createWebhook },
  { method: 'GET', path: '/v1/webhooks', operation: listWebhooks },
  { method: 'GET', path: WEBHOOK, operation: getWebhook },
  { method: 'PATCH', path: WEBHOOK, operation: updateWebhook },
  { method: 'DELETE', path: WEBHOOK, operation: deleteWebhook },
  { method: 'POST', path: `${WEBHOOK}/test`, operation: testWebhook },
  { method: 'GET', path: `${WEBHOOK}/deliveries`, operation: listDeliveries },
  { method: 'POST', path: `${WEBHOOK}/redrive`, operation: redriveWebhook },
  { method: 'POST', path: `${WEBHOOK}/replay`, operation: replayWebhook },

  // Site load management: sites.ts
  { method: 'POST', path: '/v1/sites', operation: createSite },
  { method: 'GET', path: '/v1/sites', operation: listSites },
  { method: 'GET', path: '/v1/sites/{id}', operation: getSite },
  { method: 'PATCH', path: '/v1/sites/{id}', operation: updateSite },
  { method: 'DELETE', path: '/v1/sites/{id}', operation: deleteSite },
  { method: 'GET', path: '/v1/sites/{id}/allocation', operation: getSiteAllocation },
  // Station certificates (issue 11): certificates.ts
  { method: 'GET', path: '/v1/certificates/ca', operation: getCaCertificates },
  { method: 'GET', path: `${STATION}/certificates`, operation: listStationCertificates },
  { method: 'DELETE', path: `${STATION}/certificates/{serialNumber}`, operation: revokeStationCertificate },
  { method: 'POST', path: `${STATION}/installed-certificates`, operation: installStationCertificate },
  { method: 'POST', path: `${STATION}/installed-certificates/read`, operation: readInstalledCertificates },
  { method: 'POST', path: `${STATION}/installed-certificates/delete`, operation: deleteInstalledCertificate },
  { method: 'POST', path: `${STATION}/firmware`, operation: updateStationFirmware },
];

export type RouteMatch =
  | { readonly kind: 'route'; readonly route: Route; readonly params: Record<string, string> }
  /** The path exists but not with this method. */
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: 'not-found' };

type Segment = { readonly literal: string } | { readonly param: string };

interface CompiledRoute {
  readonly route: Route;
  readonly segments: readonly Segment[];
}

function compile(route: Route): CompiledRoute {
  const segments = route.path
    .split('/')
    .slice(1)
    .map((s): Segment => {
      const param = /^\{(\w+)\}$/.exec(s)?.[1];
      return param ? { param } : { literal: s };
    });
  return { route, segments };
}

/**
 * One decoding per segment, after splitting on '/', so an encoded '/' stays inside its parameter.
 * A segment that is not valid percent-encoding is taken as it is.
 */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchPath(compiled: CompiledRoute, segments: readonly string[]): Record<string, string> | undefined {
  if (compiled.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, pattern] of compiled.segments.entries()) {
    const actual = segments[i] ?? '';
    if ('literal' in pattern) {
      if (pattern.literal !== actual) return undefined;
    } else {
      if (actual === '') return undefined;
      params[pattern.param] = decodeSegment(actual);
    }
  }
  return params;
}

export function createRouter(routes: readonly Route[]): (method: string, rawPath: string) => RouteMatch {
  const compiled = routes.map(compile);
  return (method, rawPath) => {
    const segments = rawPath.split('/').slice(1);
    const allowed: HttpMethod[] = [];
    for (const c of compiled) {
      const params = matchPath(c, segments);
      if (!params) continue;
      if (c.route.method === method) return { kind: 'route', route: c.route, params };
      allowed.push(c.route.method);
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  };
}

export const matchRoute = createRouter(ROUTES);
