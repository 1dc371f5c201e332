/**
 * 2.0.1 O03 / O04 NotifyDisplayMessages: the display messages a station reports after a
 * GetDisplayMessages (O03.FR.04, tied by requestId; tbc while more follow). Each message is stored
 * as the station's; the message is a result of the command.
 */
import { recordCommandResult } from '../../../shared/calls/results.js';
import { storableObject } from '../../../shared/calls/json.js';
import type {
  NotifyDisplayMessagesRequest,
  NotifyDisplayMessagesResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { NotifyDisplayMessagesRequest as NotifyDisplayMessagesRequest21 } from '../../../shared/ocpp/generated/v21/types.js';
import type { Route } from '../context.js';
import { requireInt32 } from './normalize.js';

export const notifyDisplayMessages: Route<
  NotifyDisplayMessagesRequest | NotifyDisplayMessagesRequest21,
  NotifyDisplayMessagesResponse,
  'commands' | 'displayMessages'
> = {
  async handle(ctx, req) {
    requireInt32({ requestId: req.requestId });
    const at = ctx.now.toISOString();
    for (const { customData: _c, ...message } of req.messageInfo ?? []) {
      requireInt32({ 'messageInfo.id': message.id });
      await ctx.store.displayMessages.put(ctx.stationId, {
        id: message.id,
        message: storableObject({ ...message }),
        source: 'NotifyDisplayMessages',
        at,
      });
    }
    await recordCommandResult(ctx, req.requestId, 'NotifyDisplayMessages', {
      requestId: req.requestId,
      tbc: req.tbc ?? false,
      messageInfo: (req.messageInfo ?? []).map(({ customData: _c, ...m }) => m),
    });
    return {};
  },
};
