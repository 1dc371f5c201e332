/**
 * The TxProfiles the CSMS computes itself — a site's share (load management, functions/sites) and
 * an ISO 15118 EV's schedule (K15-K17, functions/ocpp/ev-charging-needs.ts) — share one profile id
 * per EVSE and one stack level. K01.FR.39 forbids a second TxProfile of the same stackLevel and
 * transactionId with a different id; with one id, the later one replaces the earlier (K01.FR.05,
 * 1.6 §3.13.2). Both are computed within the EVSE's site share, so whichever is sent last keeps
 * the site under its limit.
 */

/** Far above the small ids operators pick. */
export const CSMS_TX_PROFILE_ID_BASE = 1_900_000_000;
/** Above a TxDefaultProfile at level 0; an operator's own TxProfile can still go higher. */
export const CSMS_TX_STACK_LEVEL = 1;

export function csmsTxProfileId(evseId: number): number {
  return CSMS_TX_PROFILE_ID_BASE + evseId;
}
