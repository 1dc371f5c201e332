/**
 * 2.0.1 B07 GetBaseReport. Its NotifyReport parts arrive as station messages tied back by
 * requestId; a station that is not Accepted may send them (B02.FR.09).
 */
import type { V2CallOf } from './v2.js';

export const getBaseReport: V2CallOf<'GetBaseReport'> = {
  repeatable: true, // a read
  allows: () => ['NotifyReport'],
};
