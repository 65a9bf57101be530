import { status } from '@grpc/grpc-js';
import type {
  ConsentServiceServer,
  GrantConsentRequest,
  ListConsentsRequest,
  WithdrawConsentRequest,
} from '@weave/contracts';
import { RpcError, unary } from '@weave/runtime';
import type { Logger } from 'pino';
import type { PolicyStore } from '../policy/policy-store';
import {
  ConsentNotFoundError,
  ConsentValidationError,
  categoryName,
  consentGiverName,
  consentKindName,
  purposeName,
  roleName,
  toConsentMessage,
  type ConsentRepository,
  type DecisionFactsRepository,
} from '../registry';
import { callerOf } from './caller';

const PERSON = /^p1_[a-z2-7]{26}$/;

/**
 * The consent registry's RPCs. Only a unit involved with the subject now may record, withdraw
 * or read the subject's consents; a withdrawal is answered only once it is committed, and the
 * very next decision on any gateway instance reads it (decisions never cache consents).
 */
export function consentService(
  store: PolicyStore,
  consents: ConsentRepository,
  facts: DecisionFactsRepository,
  logger: Logger,
  now: () => Date = () => new Date(),
): ConsentServiceServer {
  async function requireInvolvement(unitId: string, subject: string, at: Date): Promise<void> {
    const loaded = await facts.load(unitId, subject, at);
    if (loaded.unavailable.length > 0) throw new RpcError(status.UNAVAILABLE, 'the involvement registry is unavailable; nothing was recorded');
    const involved = loaded.facts.involvements.some((i) => i.unitId === unitId && i.validFrom <= at.getTime() && (i.validUntil === null || at.getTime() < i.validUntil));
    if (!involved) throw new RpcError(status.PERMISSION_DENIED, 'only a unit involved with the subject now may do this');
  }

  function validationError(err: unknown): never {
    if (err instanceof ConsentValidationError) throw RpcError.invalidArgument(err.violations);
    if (err instanceof ConsentNotFoundError) throw new RpcError(status.NOT_FOUND, 'no such consent');
    throw err;
  }

  return {
    grantConsent: unary(logger, 'GrantConsent', async (request: GrantConsentRequest, call) => {
      const caller = callerOf(call, store);
      const at = now();
      if (!PERSON.test(request.subjectPseudonym)) throw RpcError.invalidArgument([{ field: 'subject_pseudonym', description: 'expected a person pseudonym' }]);
      await requireInvolvement(caller.requester.unitId, request.subjectPseudonym, at);
      const scope = request.scope;
      try {
        const record = await consents.grant(
          {
            subjectPseudonym: request.subjectPseudonym,
            givenBy: consentGiverName(request.givenBy) ?? 'UNRECOGNIZED',
            kind: consentKindName(request.kind) ?? 'UNRECOGNIZED',
            categories: (scope?.categories ?? []).map((c) => categoryName(c) ?? 'UNRECOGNIZED'),
            recipientRoles: (scope?.recipientRoles ?? []).map((r) => roleName(r) ?? 'UNRECOGNIZED'),
            recipientUnits: scope?.recipientUnits ?? [],
            purposes: (scope?.purposes ?? []).map((p) => purposeName(p) ?? 'UNRECOGNIZED'),
            validFrom: request.validFrom ? new Date(request.validFrom) : undefined,
            validUntil: request.validUntil ? new Date(request.validUntil) : null,
            evidenceReference: request.evidenceReference,
          },
          caller.requester.unitId,
          at,
        );
        logger.info({ consentId: record.consentId, version: record.version, unit: caller.requester.unitId }, 'consent recorded');
        return { consent: toConsentMessage(record, at) };
      } catch (err) {
        return validationError(err);
      }
    }),

    withdrawConsent: unary(logger, 'WithdrawConsent', async (request: WithdrawConsentRequest, call) => {
      const caller = callerOf(call, store);
      const at = now();
      const existing = await consents.find(request.consentId);
      if (!existing) throw new RpcError(status.NOT_FOUND, 'no such consent');
      if (existing.recordedByUnit !== caller.requester.unitId) await requireInvolvement(caller.requester.unitId, existing.subjectPseudonym, at);
      try {
        const record = await consents.withdraw(request.consentId, consentGiverName(request.withdrawnBy) ?? 'UNRECOGNIZED', caller.requester.unitId, at);
        logger.info({ consentId: record.consentId, version: record.version, unit: caller.requester.unitId }, 'consent withdrawn');
        return { consent: toConsentMessage(record, at) };
      } catch (err) {
        return validationError(err);
      }
    }),

    listConsents: unary(logger, 'ListConsents', async (request: ListConsentsRequest, call) => {
      const caller = callerOf(call, store);
      const at = now();
      if (!PERSON.test(request.subjectPseudonym)) throw RpcError.invalidArgument([{ field: 'subject_pseudonym', description: 'expected a person pseudonym' }]);
      await requireInvolvement(caller.requester.unitId, request.subjectPseudonym, at);
      const records = await consents.listForSubject(request.subjectPseudonym);
      return { consents: records.map((r) => toConsentMessage(r, at)) };
    }),
  };
}
