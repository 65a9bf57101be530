/**
 * The gateway.disclosure.recorded.v1 event of a ledger entry. It carries everything the
 * ledger recorded about the decision EXCEPT the claim (basis, reason and the requester's
 * free-text justification) and the requester's own reference: those stay in the ledger.
 */
import {
  Agency,
  DisclosureKind,
  GatewayDisclosureRecordedEvent,
  Outcome,
  Purpose,
  RecipientRole,
  SubjectRole,
  createEnvelope,
  eventIdFor,
  type DisclosureRecorded,
  type EventEnvelope,
} from '@weave/contracts';
import { basisOf, dataCategoryOf, isDataCategoryName, isLegalBasisName, isPurposeName, isRecipientRoleName, purposeOf, roleOf } from '../registry/vocabulary-mapping';
import type { LedgerRecord } from './ledger-entry';
import { sha256Hex } from './ledger-hash';

const DISCLOSURE_KINDS: Readonly<Record<LedgerRecord['kind'], DisclosureKind>> = {
  query: DisclosureKind.DISCLOSURE_KIND_QUERY,
  event_forwarded: DisclosureKind.DISCLOSURE_KIND_EVENT_FORWARDED,
  event_withheld: DisclosureKind.DISCLOSURE_KIND_EVENT_WITHHELD,
  break_glass: DisclosureKind.DISCLOSURE_KIND_BREAK_GLASS,
};

const OUTCOMES: Readonly<Record<LedgerRecord['outcome'], Outcome>> = {
  permit: Outcome.OUTCOME_PERMIT,
  partial: Outcome.OUTCOME_PARTIAL,
  deny: Outcome.OUTCOME_DENY,
};

export const LEDGER_EVENT_SOURCE = { agency: Agency.AGENCY_WEAVE, system: 'weave-gateway', unitId: 'gateway' } as const;
const EVENT_ID_NAMESPACE = 'weave-gateway-ledger';

/** The event id of an entry's ledger event: the same on every (re)publication. */
export function ledgerEventId(entryId: string): string {
  return eventIdFor(EVENT_ID_NAMESPACE, entryId);
}

/**
 * W3C traceparent in the trace the entry records, so that the ledger event joins the
 * decision's trace. The span id is derived from the entry id (stable across republication);
 * '' when the entry has no trace id.
 */
export function ledgerTraceparent(record: Pick<LedgerRecord, 'traceId' | 'entryId'>): string {
  if (!/^[0-9a-f]{32}$/.test(record.traceId) || /^0+$/.test(record.traceId)) return '';
  let spanId = sha256Hex(`weave-ledger-span\n${record.entryId}`).slice(0, 16);
  if (/^0+$/.test(spanId)) spanId = '0000000000000001';
  return `00-${record.traceId}-${spanId}-01`;
}

export function disclosureRecordedPayload(r: LedgerRecord): DisclosureRecorded {
  return {
    sequence: r.sequence,
    entryId: r.entryId,
    kind: DISCLOSURE_KINDS[r.kind],
    requesterUnit: r.requesterUnit,
    // '' (an event nobody was subscribed to) is the unspecified role and purpose.
    requesterRole: isRecipientRoleName(r.requesterRole) ? roleOf(r.requesterRole) : RecipientRole.RECIPIENT_ROLE_UNSPECIFIED,
    subjectPseudonym: r.subjectPseudonym,
    purpose: isPurposeName(r.purpose) ? purposeOf(r.purpose) : Purpose.PURPOSE_UNSPECIFIED,
    // Entries were checked against the vocabulary at append; the guards only narrow the type.
    bases: r.bases.filter(isLegalBasisName).map(basisOf),
    policyVersion: r.policyVersion,
    consentsUsed: r.consentsUsed.map((c) => ({ consentId: c.consentId, version: c.version })),
    categoriesReleased: r.categoriesReleased.filter(isDataCategoryName).map(dataCategoryOf),
    categoriesWithheld: r.categoriesWithheld.filter(isDataCategoryName).map(dataCategoryOf),
    outcome: OUTCOMES[r.outcome],
    traceId: r.traceId,
    recordedAt: r.recordedAt.toISOString(),
    entryHash: r.entryHash,
    previousHash: r.previousHash,
    decisionId: r.decisionId,
    sourceEventId: r.sourceEventId,
    breakGlass: r.breakGlass,
  };
}

/** Partition key: the subject, so one person's ledger events stay in order; else the entry. */
export function ledgerEventKey(r: Pick<LedgerRecord, 'subjectPseudonym' | 'entryId'>): string {
  return r.subjectPseudonym !== '' ? r.subjectPseudonym : r.entryId;
}

export function ledgerEventEnvelope(r: LedgerRecord): EventEnvelope {
  const envelope = createEnvelope({
    definition: GatewayDisclosureRecordedEvent,
    payload: disclosureRecordedPayload(r),
    source: { ...LEDGER_EVENT_SOURCE },
    subjects: r.subjectPseudonym !== '' ? [{ pseudonym: r.subjectPseudonym, role: SubjectRole.SUBJECT_ROLE_REPORTED_PERSON }] : [],
    occurredAt: r.recordedAt,
    now: r.recordedAt,
    eventId: ledgerEventId(r.entryId),
    correlationId: r.decisionId,
    ...(r.sourceEventId !== '' ? { causationId: r.sourceEventId } : {}),
  });
  return { ...envelope, traceContext: { traceparent: ledgerTraceparent(r), tracestate: '' } };
}
