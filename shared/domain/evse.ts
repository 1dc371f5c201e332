/**
 * The version-neutral place of a charging point: an EVSE and one of its connectors (2.0.1 part 1
 * §2.1). 1.6 has connectors only: the one rule that maps them is here.
 */

export interface EvseConnector {
  readonly evseId: number;
  readonly connectorId: number;
}

/** The EVSE and connector a 1.6 connectorId stands for (1.6 §3.8: 0 is the charge point itself). */
export function evseOf16(connectorId: number): EvseConnector {
  return connectorId === 0 ? { evseId: 0, connectorId: 0 } : { evseId: connectorId, connectorId: 1 };
}
