/** Helpers of the 2.0.1 report handlers (component and variable references: shared/domain/device-model.ts). */
/** Copies the listed optional fields that are present (no undefined values reach the item or the event). */
export function present<T extends object, K extends keyof T>(
  source: T,
  fields: readonly K[],
): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const f of fields) if (source[f] !== undefined) out[f] = source[f];
  return out;
}
