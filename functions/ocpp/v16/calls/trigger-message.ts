/**
 * 1.6 §5.17 TriggerMessage. A station that is not Accepted may send the message it was asked for
 * (§4.2 Pending: "unless requested by TriggerMessage").
 */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import { triggeredMessage } from '../../../../shared/calls/actions.js';
import type { CallOf } from '../../../../shared/calls/spec.js';

export const triggerMessage: CallOf<Methods, 'TriggerMessage'> = {
  repeatable: true, // the station sends the message once more
  allows: (request, protocol) => {
    const message = triggeredMessage(protocol, request.requestedMessage);
    return message ? [message] : [];
  },
};
