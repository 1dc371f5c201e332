/**
 * Who may open a connection: station identity from the URL, the station's security profile
 * (OCPP 1.6 security whitepaper §2, 2.0.1 A00): HTTP Basic credentials (profiles 1 and 2, A00.FR.2xx
 * and 3xx; profile 2 only over TLS) or a TLS client certificate (profile 3, A00.FR.4xx), failed-login
 * throttling, subprotocol choice. Every refusal is recorded as a security event; no password or
 * hash is ever logged.
 */
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { VerifiedSecrets } from '../../shared/auth/verified-secrets.js';
import { negotiateSubprotocol, PROTOCOLS } from '../../shared/ocpp/versions.js';
import type { StationFunctionDeps, ConnectionContext } from './composition.js';
import { STATION_ID } from '../../shared/contract.js';
import type { StationItem } from '../../shared/store/stations.js';
import { checkClientCertificate } from './client-certificate.js';
import { clientCertificateTrust } from './client-certificate-trust.js';

export type AuthOutcome =
  | { readonly allow: true; readonly context: ConnectionContext }
  | {
      readonly allow: false;
      readonly reason: string;
      /** Not a credentials problem (a limit): answered 403 (a Deny policy), not 401. */
      readonly forbidden?: boolean;
      /** Throttled after failed logins: try again in this many seconds (429 where the host can say so). */
      readonly retryAfterSeconds?: number;
    };

export interface ConnectRequest {
  readonly stationId: string | undefined;
  readonly authorization: string | undefined;
  readonly subprotocols: string | undefined;
  readonly originSecret: string | undefined;
  /** The station's address: CloudFront-Viewer-Address when present, else the connection's source. */
  readonly sourceIp: string | undefined;
  /** How the station reached the front door (CloudFront-Forwarded-Proto: https → 'tls'). */
  readonly transport?: 'tls' | 'plain' | undefined;
  /** The TLS client certificate the front door forwarded (PEM), if the station presented one. */
  readonly clientCertificatePem?: string | undefined;
}

/** CloudFront-Forwarded-Proto → how the station connected; undefined when the header is absent. */
export function viewerTransport(header: string | undefined): 'tls' | 'plain' | undefined {
  const value = header?.trim().toLowerCase();
  if (value === 'https' || value === 'wss') return 'tls';
  if (value === 'http' || value === 'ws') return 'plain';
  return undefined;
}

/**
 * The client certificate from CloudFront-Viewer-Cert-Pem (URL-encoded PEM), when
 * CloudFront-Viewer-Cert-Present is not 0. Undefined when absent or not decodable.
 */
export function viewerCertificate(present: string | undefined, pem: string | undefined): string | undefined {
  if (present?.trim() === '0' || !pem) return undefined;
  try {
    return decodeURIComponent(pem);
  } catch {
    return undefined;
  }
}

/**
 * The station's IP address from CloudFront-Viewer-Address (`198.51.100.10:46532`, IPv6 as
 * `2001:db8::1:46532`): behind CloudFront, API Gateway's sourceIp is an edge server's address.
 * Only trusted on requests that carried the origin secret (CloudFront sets the header itself and
 * overwrites a client's). Undefined when absent or not an address.
 */
export function viewerAddress(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const value = header.trim();
  const colon = value.lastIndexOf(':');
  if (colon <= 0 || !/^\d{1,5}$/.test(value.slice(colon + 1))) return undefined;
  const ip = value.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return isIP(ip) ? ip : undefined;
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

/** A station's password check costs scrypt once per few minutes per instance, not per reconnect. */
const verified = new VerifiedSecrets();

/** Below this much time left the scrypt check is not started: its answer would come too late. */
export const SCRYPT_TIME_NEEDED_MS = 1_000;

/** The authorizer gave up before the expensive step (the handshake fails; the station retries). */
export class OutOfTimeError extends Error {
  constructor() {
    super('Not enough time left to check the password');
    this.name = 'OutOfTimeError';
  }
}

export async function authorizeConnection(
  req: ConnectRequest,
  deps: StationFunctionDeps,
  remainingMs: () => number = () => Number.POSITIVE_INFINITY,
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

  const refuse = async (type: string, techInfo: string, forbidden = false): Promise<AuthOutcome> => {
    deps.log.warn('Connection refused', { stationId, reason: type, sourceIp: req.sourceIp });
    await deps.store.securityEvents.put(
      { stationId, type, timestamp: now.toISOString(), techInfo, origin: 'csms' },
      now,
    );
    await deps.events.publish([
      {
        type: 'security.event.v1',
        detail: { stationId, occurredAt: now.toISOString(), type, techInfo, origin: 'csms', critical: false },
      },
    ]);
    return forbidden ? { allow: false, reason: type, forbidden } : { allow: false, reason: type };
  };

  let station = await deps.store.stations.get(stationId);
  if (!station) {
    if (!deps.config.admitUnknownStations)
      return refuse('UnknownStation', `from ${req.sourceIp ?? 'unknown address'}`);
    // Issue 7: admission is bounded per source address and in total (403 at the handshake).
    const from = req.sourceIp ?? 'unknown';
    if (
      !(await deps.store.admissions.countFromAddress(from, deps.config.admissionsPerAddressPerMinute, now))
    ) {
      return refuse(
        'AdmissionRateExceeded',
        `more than ${deps.config.admissionsPerAddressPerMinute} unknown stations a minute from ${from}`,
        true,
      );
    }
    if (!(await deps.store.admissions.reservePending(deps.config.maxPendingStations))) {
      return refuse(
        'PendingStationsFull',
        `${deps.config.maxPendingStations} admitted stations already wait to be provisioned`,
        true,
      );
    }
    if (!(await deps.store.stations.admitUnknown(stationId, now)))
      await deps.store.admissions.releasePending();
    station = await deps.store.stations.get(stationId);
    if (!station) throw new Error(`station ${stationId} vanished after admission`);
  }
  if (!station.enabled) return refuse('StationDisabled', 'connection attempt by a disabled station');

  // Too many failed logins: refused without looking at credentials (the event was recorded once,
  // when the throttle began: an attacker's every attempt must not cost a write).
  const throttledUntil = station.loginThrottledUntil ? Date.parse(station.loginThrottledUntil) : NaN;
  if (throttledUntil > now.getTime()) {
    deps.log.warn('Connection refused: throttled after failed logins', { stationId, sourceIp: req.sourceIp });
    return {
      allow: false,
      reason: 'LoginThrottled',
      forbidden: true,
      retryAfterSeconds: Math.max(1, Math.ceil((throttledUntil - now.getTime()) / 1000)),
    };
  }
  // A failed login: recorded, counted, and the identity throttled once there are too many.
  const failedLogin = async (type: string, techInfo: string): Promise<AuthOutcome> => {
    const outcome = await refuse(type, techInfo);
    const counted = await deps.store.loginFailures.recordFailure(stationId, now, deps.config.loginThrottle);
    if (counted.throttledUntil) {
      await refuse(
        'LoginThrottled',
        `${counted.failures} failed logins within ${deps.config.loginThrottle.windowSeconds} s: ` +
          `refused until ${counted.throttledUntil.toISOString()}`,
      );
    }
    return outcome;
  };

  if (station.provisioned) {
    const denied = await checkCredentials(req, station, deps, remainingMs);
    if (denied?.counts === false) return refuse(denied.type, denied.techInfo);
    if (denied) return failedLogin(denied.type, denied.techInfo);
  } else if (!deps.config.admitUnknownStations) {
    return refuse('UnknownStation', 'not provisioned and unknown stations are not admitted');
  }

  // Some 1.6 firmwares offer no Sec-WebSocket-Protocol at all: a station pinned to a protocol is
  // served in it (the handshake then carries no subprotocol either, as RFC 6455 §4.2.2 requires);
  // any other could be speaking any version, so it is refused rather than accepted and then closed.
  if (req.subprotocols === undefined || req.subprotocols.trim() === '') {
    if (!station.pinnedProtocol) {
      return refuse(
        'NoSubprotocol',
        'no Sec-WebSocket-Protocol header and no pinned protocol: pin one to serve this station',
      );
    }
    return {
      allow: true,
      context: {
        stationId,
        protocol: station.pinnedProtocol,
        registrationStatus: station.registrationStatus ?? '',
      },
    };
  }
  const allowed = station.pinnedProtocol ? [station.pinnedProtocol] : PROTOCOLS;
  const protocol = negotiateSubprotocol(req.subprotocols, allowed) ?? '';
  return {
    allow: true,
    context: { stationId, protocol, registrationStatus: station.registrationStatus ?? '' },
  };
}

/**
 * The station's credentials for its security profile; undefined when they are good, else the
 * refusal (a failed login, counted, unless `counts` is false).
 */
async function checkCredentials(
  req: ConnectRequest,
  station: StationItem,
  deps: StationFunctionDeps,
  remainingMs: () => number,
): Promise<{ type: string; techInfo: string; counts?: false } | undefined> {
  const stationId = station.id;
  const profile = station.securityProfile ?? 1;
  if (profile === 3) {
    // A00.FR.401: the certificate authenticates the station; a password alone is no login.
    const pem = req.transport === 'tls' ? req.clientCertificatePem : undefined;
    if (!pem) {
      return {
        type: 'InvalidChargingStationCertificate',
        techInfo: `NoCertificate: security profile 3 needs a TLS client certificate${
          req.authorization ? ' (a password is not accepted)' : ''
        }`,
      };
    }
    const trust = deps.clientCertificates ?? clientCertificateTrust(deps.config, deps.store);
    // A00.FR.403-407; A00.FR.408: the refusal is logged as InvalidChargingStationCertificate.
    const check = await checkClientCertificate({
      pem,
      stationId,
      trustAnchorsPem: await trust.trustAnchorsPem(),
      now: deps.clock(),
      status: (id, serial) => trust.status(id, serial),
    });
    return check.ok
      ? undefined
      : { type: 'InvalidChargingStationCertificate', techInfo: `${check.reason}: ${check.detail}` };
  }
  if (profile === 2 && req.transport !== 'tls') {
    // Profile 2 is TLS with Basic authentication: a password over plain ws:// is not taken.
    // Not a guessed password: refused, not counted.
    return { type: 'InsecureTransport', techInfo: 'security profile 2 needs TLS (wss://)', counts: false };
  }
  const basic = parseBasic(req.authorization);
  if (!basic) return { type: 'MissingCredentials', techInfo: 'no HTTP Basic authorization header' };
  // 2.0.1 A00.FR.204 / A00.FR.303 (and the 1.6 security whitepaper): the username is the station identity.
  if (basic.user !== stationId)
    return {
      type: 'UsernameMismatch',
      techInfo: 'Basic auth username differs from the identity in the URL',
    };
  // A00.FR.207 / A00.FR.324: the password must match the one provisioned.
  // A handshake whose invocation is about to time out (a storm) must not burn CPU for nothing.
  const inTime = (): void => {
    if (remainingMs() < SCRYPT_TIME_NEEDED_MS) throw new OutOfTimeError();
  };
  if (
    !station.passwordHash ||
    !(await verified.verify(stationId, basic.password, station.passwordHash, inTime))
  ) {
    return { type: 'InvalidPassword', techInfo: 'Basic auth password does not match' };
  }
  return undefined;
}
