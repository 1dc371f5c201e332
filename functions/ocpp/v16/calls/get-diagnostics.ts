/**
 * 1.6 §5.9 GetDiagnostics. It carries no requestId: the DiagnosticsStatusNotifications that follow
 * are tied to the latest GetDiagnostics command. Not sent twice (a second upload).
 */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import type { CallOf } from '../../../../shared/calls/spec.js';

export const getDiagnostics: CallOf<Methods, 'GetDiagnostics'> = { repeatable: false, tieToLatest: true };
