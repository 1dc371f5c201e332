/**
 * 1.6 security ExtendedTriggerMessage: as TriggerMessage; the certificate triggers are answered
 * with a SignCertificate, which a station that is not Accepted may then send.
 */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import { triggeredMessage } from '../../../../shared/calls/actions.js';
import type { CallOf } from '../../../../shared/calls/spec.js';

export const extendedTriggerMessage: CallOf<Methods, 'ExtendedTriggerMessage'> = {
  repeatable: true,
  allows: (request, protocol) => {
    const message = triggeredMessage(protocol, request.requestedMessage);
    return message ? [message] : [];
  },
};
