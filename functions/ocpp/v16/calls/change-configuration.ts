/**
 * 1.6 §5.3 ChangeConfiguration. Success: Accepted, or RebootRequired (applied after a reboot).
 * Stored: the key's new value (GET /v1/stations/{id}/configuration). The Security extension's
 * AuthorizationKey (A01.FR.02) is the station's Basic password: write-only, never stored.
 */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import { REDACTED } from '../../../../shared/calls/actions.js';
import type { CallOf } from '../../../../shared/calls/spec.js';
import { sameName } from '../../../../shared/domain/device-model.js';

const taken = (status: string) => status === 'Accepted' || status === 'RebootRequired';
const isPassword = (key: string) => sameName(key, 'AuthorizationKey');

export const changeConfiguration: CallOf<Methods, 'ChangeConfiguration', 'configuration'> = {
  repeatable: true, // sets a value: the second time sets the same value
  password: {
    find: (request) => (isPassword(request.key) ? request.value : undefined),
    redact: (request) => (isPassword(request.key) ? { ...request, value: REDACTED } : request),
    path: 'value',
    accepted: (response) => taken(response.status),
    request: (password) => ({ key: 'AuthorizationKey', value: password }),
  },
  async onResult({ store, stationId, commandId, now }, request, response) {
    if (!taken(response.status)) return [];
    await store.configuration.put(stationId, [
      {
        key: request.key,
        // AuthorizationKey is write-only (1.6 security §7.2): its value is never stored.
        ...(isPassword(request.key) ? {} : { value: request.value }),
        ...(response.status === 'RebootRequired' ? { rebootRequired: true } : {}),
        source: 'ChangeConfiguration',
        at: now.toISOString(),
        commandId,
      },
    ]);
    return [];
  },
};
