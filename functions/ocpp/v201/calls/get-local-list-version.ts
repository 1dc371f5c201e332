/** 2.0.1 D02 GetLocalListVersion. Stored: the version the station reports. */
import { recordReportedLocalListVersion } from '../../call-effects.js';
import type { V2CallOf } from './v2.js';

export const getLocalListVersion: V2CallOf<'GetLocalListVersion', 'localList'> = {
  repeatable: true, // a read
  onResult: (ctx, _request, response) => recordReportedLocalListVersion(ctx, response.versionNumber),
};
