/** 1.6 §5.10 GetLocalListVersion. Stored: the version the station reports. */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import type { CallOf } from '../../../../shared/calls/spec.js';
import { recordReportedLocalListVersion } from '../../call-effects.js';

export const getLocalListVersion: CallOf<Methods, 'GetLocalListVersion', 'localList'> = {
  repeatable: true, // a read
  onResult: (ctx, _request, response) => recordReportedLocalListVersion(ctx, response.listVersion),
};
