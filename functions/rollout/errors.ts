/** Errors of rollout requests, below both the service and target resolution. */

/** Bad input found while resolving (a field path in the request body and what is wrong). */
export class RolloutInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'RolloutInputError';
  }
}
