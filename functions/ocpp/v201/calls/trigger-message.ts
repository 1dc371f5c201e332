/**
 * 2.0.1 F06 TriggerMessage. A station that is not Accepted may send the message it was asked for
 * (B02.FR.02 / B02.FR.09); the certificate triggers are answered with a SignCertificate.
 */
import { triggeredMessage } from '../../../../shared/calls/actions.js';
import type { V2CallOf } from './v2.js';

export const triggerMessage: V2CallOf<'TriggerMessage'> = {
  repeatable: true, // the station sends the message once more
  allows: (request, protocol) => {
    const message = triggeredMessage(protocol, request.requestedMessage);
    return message ? [message] : [];
  },
};
