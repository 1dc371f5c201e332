/**
 * 1.6 §5.8 GetConfiguration: the keys the station reports, and those it does not know, are stored
 * as its configuration. AuthorizationKey is write-only (1.6 security §7.2): a value a misbehaving
 * station reports for it is neither stored nor kept in the command's response.
 */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import { REDACTED } from '../../../../shared/calls/actions.js';
import type { CallOf } from '../../../../shared/calls/spec.js';
import { sameName } from '../../../../shared/domain/device-model.js';

const isPassword = (key: string) => sameName(key, 'AuthorizationKey');

export const getConfiguration: CallOf<Methods, 'GetConfiguration', 'configuration'> = {
  repeatable: true, // a read
  redactResponse: (response) =>
    response.configurationKey
      ? {
          ...response,
          configurationKey: response.configurationKey.map((k) =>
            isPassword(k.key) && k.value !== undefined ? { ...k, value: REDACTED } : k,
          ),
        }
      : response,
  async onResult({ store, stationId, commandId, now }, _request, response) {
    const at = now.toISOString();
    await store.configuration.put(stationId, [
      ...(response.configurationKey ?? []).map((k) => ({
        key: k.key,
        readonly: k.readonly,
        ...(k.value !== undefined && !isPassword(k.key) ? { value: k.value } : {}),
        source: 'GetConfiguration' as const,
        at,
        commandId,
      })),
      ...(response.unknownKey ?? []).map((key) => ({
        key,
        unknown: true,
        source: 'GetConfiguration' as const,
        at,
        commandId,
      })),
    ]);
    return [];
  },
};
