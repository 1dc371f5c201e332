/**
 * 2.0.1 N09 / N10 NotifyCustomerInformation: the customer data a station reports after a
 * CustomerInformation request (N09.FR.03, in parts: seqNo, tbc). Customer data is personal: it is
 * kept only as results of that command, nowhere else, and published in no event.
 */
import { canonicalTime } from '../../../shared/domain/normalize.js';
import { recordCommandResult } from '../../../shared/calls/results.js';
import type {
  NotifyCustomerInformationRequest,
  NotifyCustomerInformationResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { Route } from '../context.js';
import { requireInt32 } from './normalize.js';

export const notifyCustomerInformation: Route<
  NotifyCustomerInformationRequest,
  NotifyCustomerInformationResponse,
  'commands'
> = {
  async handle(ctx, req) {
    requireInt32({ requestId: req.requestId, seqNo: req.seqNo });
    await recordCommandResult(
      ctx,
      req.requestId,
      'NotifyCustomerInformation',
      {
        requestId: req.requestId,
        seqNo: req.seqNo,
        tbc: req.tbc ?? false,
        generatedAt: canonicalTime(req.generatedAt),
        data: req.data,
      },
      { seqNo: req.seqNo },
    );
    return {};
  },
};
