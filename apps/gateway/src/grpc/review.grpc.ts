import { ReviewOutcome, type BreakGlassReviewServiceServer, type CloseReviewItemRequest, type ListReviewItemsRequest } from '@weave/contracts';
import { RpcError, unary } from '@weave/runtime';
import { containsPersonalData } from '@weave/telemetry';
import { status } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { ReviewItemNotFound, type BreakGlassRepository, type ReviewOutcomeName } from '../break-glass/break-glass.repository';
import type { PolicyStore } from '../policy/policy-store';
import { callerOf } from './caller';

const OUTCOMES: Partial<Record<ReviewOutcome, ReviewOutcomeName>> = {
  [ReviewOutcome.REVIEW_OUTCOME_JUSTIFIED]: 'justified',
  [ReviewOutcome.REVIEW_OUTCOME_JUSTIFIED_WITH_CONCERNS]: 'justified_with_concerns',
  [ReviewOutcome.REVIEW_OUTCOME_NOT_JUSTIFIED]: 'not_justified',
};

/** Supervisors see and close the break-glass reviews of the units they supervise, and only those. */
export function reviewService(store: PolicyStore, reviews: BreakGlassRepository, logger: Logger, now: () => Date = () => new Date()): BreakGlassReviewServiceServer {
  return {
    listReviewItems: unary(logger, 'ListReviewItems', async (request: ListReviewItemsRequest, call) => {
      const caller = callerOf(call, store);
      return { items: await reviews.listForSupervisor(caller.requester.unitId, request.includeClosed) };
    }),
    closeReviewItem: unary(logger, 'CloseReviewItem', async (request: CloseReviewItemRequest, call) => {
      const caller = callerOf(call, store);
      const outcome = OUTCOMES[request.outcome];
      const violations = [];
      if (!/^[0-9a-f-]{36}$/.test(request.reviewItemId)) violations.push({ field: 'review_item_id', description: 'expected a review item id' });
      if (!outcome) violations.push({ field: 'outcome', description: 'JUSTIFIED, JUSTIFIED_WITH_CONCERNS or NOT_JUSTIFIED' });
      if (request.notes.length > 2_000) violations.push({ field: 'notes', description: 'at most 2000 characters' });
      if (!outcome || violations.length > 0) throw RpcError.invalidArgument(violations);
      // Notes are kept with the item (they may describe the case); a warning keeps them out of logs.
      if (containsPersonalData(request.notes)) logger.info({ reviewItemId: request.reviewItemId }, 'review notes contain personal data; stored, not logged');
      try {
        return { item: await reviews.close(request.reviewItemId, caller.requester.unitId, outcome, request.notes, now()) };
      } catch (err) {
        if (err instanceof ReviewItemNotFound) throw new RpcError(status.NOT_FOUND, err.message);
        throw err;
      }
    }),
  };
}
