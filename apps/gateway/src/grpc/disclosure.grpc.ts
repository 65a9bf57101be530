import { status } from '@grpc/grpc-js';
import { trace } from '@opentelemetry/api';
import type { DisclosureServiceServer, QueryRequest } from '@weave/contracts';
import { RpcError, unary } from '@weave/runtime';
import type { Logger } from 'pino';
import type { PolicyStore } from '../policy/policy-store';
import { QueryRefused, type DisclosureQueryService } from '../query/disclosure-query.service';
import { parseQuery } from '../query/query-request';
import { callerOf } from './caller';

export function disclosureService(store: PolicyStore, queries: DisclosureQueryService, logger: Logger): DisclosureServiceServer {
  return {
    query: unary(logger, 'Query', async (request: QueryRequest, call) => {
      const caller = callerOf(call, store);
      const { query, violations } = parseQuery(request, store.current().policy, caller.requester);
      if (!query) throw RpcError.invalidArgument(violations);
      const span = trace.getActiveSpan();
      span?.setAttributes({ 'weave.requester_unit': caller.requester.unitId, 'weave.purpose': query.purpose });
      try {
        const response = await queries.query(caller.requester, caller.supervisor, query, span?.spanContext().traceId ?? '');
        span?.setAttributes({ 'weave.outcome': response.outcome, 'weave.decision_id': response.decisionId, 'weave.break_glass': response.breakGlass !== undefined });
        return response;
      } catch (err) {
        if (err instanceof QueryRefused) {
          throw new RpcError(err.kind === 'rate-limited' ? status.RESOURCE_EXHAUSTED : status.UNAVAILABLE, err.message);
        }
        throw err;
      }
    }),
  };
}
