/**
 * The version map of the command conveniences: one version-neutral request in, the OCPP message
 * of the station's version out (action, payload, and how the payload's fields name the request's
 * fields in a 400). One module per family of commands (station control, transactions,
 * configuration, authorization, reservations, smart charging); this one holds what they share.
 * Every choice cites the part of the specification it follows. OCPP 2.1 takes the 2.0.1 messages
 * (the fields used here are the same in both).
 *
 * Nothing here sends or validates against the OCPP schemas: the command service validates every
 * payload against the station's version before anything is sent.
 */
import type { OcppProtocol } from '../../../shared/ocpp/versions.js';
import { BadRequestError } from '../errors.js';

/** An OCPP CALL to submit, and the request field each payload field came from. */
export interface Outgoing {
  readonly action: string;
  readonly payload: Record<string, unknown>;
  /** OCPP field path (dotted) to the path of the request field that set it; identity if absent. */
  readonly toField?: (ocppPath: string) => string;
}

export const is16 = (protocol: OcppProtocol): boolean => protocol === 'ocpp1.6';

export function versionName(protocol: OcppProtocol): string {
  return `OCPP ${protocol.slice(4)}`;
}

/** A request this version cannot express: 400 naming the field. */
export function refuse(path: string, message: string): never {
  throw new BadRequestError(message, [{ path, message }]);
}

/** Renames OCPP field paths by prefix (longest first); other paths are kept as they are. */
export function renameFields(map: Readonly<Record<string, string>>): (ocppPath: string) => string {
  const entries = Object.entries(map).sort(([a], [b]) => b.length - a.length);
  return (path) => {
    for (const [from, to] of entries) {
      if (path === from) return to;
      if (path.startsWith(`${from}.`))
        return to === '' ? path.slice(from.length + 1) : `${to}${path.slice(from.length)}`;
    }
    return path;
  };
}
