/**
 * Who may open a connection: station identity from the URL, HTTP Basic credentials (security
 * profiles 1 and 2: OCPP 1.6 security whitepaper §2, 2.0.1 A00.FR.2xx), subprotocol choice.
 * Every refusal is recorded as a security event; no password or hash is ever logged.
 */
import { timingSafeEqual } from 'node:crypto';
import { verifySecret } from '../../shared/auth/secrets.js';
import { negotiateSubprotocol, PROTOCOLS } from '../../shared/ocpp/versions.js';
import type { StationFunctionDeps, ConnectionContext } from './composition.js';
import { STATION_ID } from '../../shared/contract.js';

export type AuthOutcome =
  | { readonly allow: true; readonly context: ConnectionContext }
  | { readonly allow: false; readonly reason: string };

export interface ConnectRequest {
  readonly stationId: string | undefined;
  readonly authorization: string | undefined;
  readonly subprotocols: string | undefined;
  readonly originSecret: string | undefined;
  readonly sourceIp: string | undefined;
}

function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  const match = header?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function authorizeConnection(
  req: ConnectRequest,
  deps: StationFunctionDeps,
): Promise<AuthOutcome> {
  const now = deps.clock();
  // Behind CloudFront: the origin secret proves the request came through the front door.
  if (
    deps.config.originSecret &&
    !(req.originSecret && sameSecret(req.originSecret, deps.config.originSecret))
  ) {
    deps.log.warn('Connection refused: not through the front door', { sourceIp: req.sourceIp });
    return { allow: false, reason: 'origin' };
  }
  const stationId = req.stationId;
  if (!stationId || !STATION_ID.test(stationId)) {
    deps.log.warn('Connection refused: invalid station identity', { sourceIp: req.sourceIp });
    return { allow: false, reason: 'invalid-identity' };
  }

  const refuse = async (type: string, techInfo: string): Promise<AuthOutcome> => {
    deps.log.warn('Connection refused', { stationId, reason: type, sourceIp: req.sourceIp });
    await deps.store.securityEvents.put(
      { stationId, type, timestamp: now.toISOString(), techInfo, origin: 'csms' },
      now,
    );
    await deps.events.publish([
      {
        type: 'security.event.v1',
        detail: { stationId, occurredAt: now.toISOString(), type, techInfo, origin: 'csms' },
      },
    ]);
    return { allow: false, reason: type };
  };

  let station = await deps.store.stations.get(stationId);
  if (!station) {
    if (!deps.config.admitUnknownStations)
      return refuse('UnknownStation', `from ${req.sourceIp ?? 'unknown address'}`);
    await deps.store.stations.admitUnknown(stationId, now);
    station = await deps.store.stations.get(stationId);
    if (!station) throw new Error(`station ${stationId} vanished after admission`);
  }
  if (!station.enabled) return refuse('StationDisabled', 'connection attempt by a disabled station');

  if (station.provisioned) {
    const basic = parseBasic(req.authorization);
    if (!basic) return refuse('MissingCredentials', 'no HTTP Basic authorization header');
    // 2.0.1 A00.FR.204 (and the 1.6 security whitepaper): the username is the station identity.
    if (basic.user !== stationId)
      return refuse('UsernameMismatch', 'Basic auth username differs from the identity in the URL');
    // A00.FR.207: the password must match the one provisioned.
    if (!station.passwordHash || !(await verifySecret(basic.password, station.passwordHash))) {
      return refuse('InvalidPassword', 'Basic auth password does not match');
    }
  } else if (!deps.config.admitUnknownStations) {
    return refuse('UnknownStation', 'not provisioned and unknown stations are not admitted');
  }

  const allowed = station.pinnedProtocol ? [station.pinnedProtocol] : PROTOCOLS;
  const protocol = negotiateSubprotocol(req.subprotocols, allowed) ?? '';
  return {
    allow: true,
    context: { stationId, protocol, registrationStatus: station.registrationStatus ?? '' },
  };
}
