import {
  Agency,
  DataCategory,
  DisclosureKind,
  GatewayDisclosureRecordedEvent,
  LegalBasis,
  Outcome,
  Purpose,
  RecipientRole,
  SubjectRole,
  decodeEnvelope,
  decodeEvent,
  encodeEnvelope,
  type DisclosureRecorded,
} from '@weave/contracts';
import { GENESIS_HASH, chain } from './ledger-hash';
import { ledgerEventEnvelope, ledgerEventId, ledgerEventKey, ledgerTraceparent } from './ledger-event';
import { sampleFields } from './testing/ledger-fixtures';

const [record] = chain(GENESIS_HASH, [sampleFields({ kind: 'break_glass', breakGlass: true, sourceEventId: '' })]);
if (!record) throw new Error('no record');

describe('ledger event of an entry', () => {
  it('is a valid gateway.disclosure.recorded.v1 envelope that maps every field', () => {
    const envelope = ledgerEventEnvelope(record);
    const decoded = decodeEvent(decodeEnvelope(encodeEnvelope(envelope)));
    expect(decoded.definition).toBe(GatewayDisclosureRecordedEvent);
    expect(decoded.envelope.eventType).toBe('gateway.disclosure.recorded.v1');
    expect(decoded.envelope.source).toEqual({ agency: Agency.AGENCY_WEAVE, system: 'weave-gateway', unitId: 'gateway' });
    expect(decoded.envelope.subjects).toEqual([{ pseudonym: record.subjectPseudonym, role: SubjectRole.SUBJECT_ROLE_REPORTED_PERSON }]);
    expect(decoded.envelope.recordedAt).toBe('2026-01-31T08:15:00.123Z');
    expect(decoded.envelope.correlationId).toBe(record.decisionId);
    expect(decoded.payload).toEqual<DisclosureRecorded>({
      sequence: '1',
      entryId: record.entryId,
      kind: DisclosureKind.DISCLOSURE_KIND_BREAK_GLASS,
      requesterUnit: 'nantou-swc-puli',
      requesterRole: RecipientRole.RECIPIENT_ROLE_SOCIAL_WELFARE_CENTRE,
      subjectPseudonym: record.subjectPseudonym,
      purpose: Purpose.PURPOSE_CASE_COORDINATION,
      bases: [LegalBasis.LEGAL_BASIS_STATUTORY_DUTY, LegalBasis.LEGAL_BASIS_CONSENT],
      policyVersion: '2026.01.1',
      consentsUsed: [{ consentId: 'c-1', version: 2 }],
      categoriesReleased: [DataCategory.DATA_CATEGORY_HOUSEHOLD_COMPOSITION],
      categoriesWithheld: [DataCategory.DATA_CATEGORY_MENTAL_HEALTH],
      outcome: Outcome.OUTCOME_PARTIAL,
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      recordedAt: '2026-01-31T08:15:00.123Z',
      entryHash: record.entryHash,
      previousHash: GENESIS_HASH,
      decisionId: record.decisionId,
      sourceEventId: '',
      breakGlass: true,
    });
  });

  it('never carries the claim or the requester reference', () => {
    const bytes = encodeEnvelope(ledgerEventEnvelope(record));
    const text = bytes.toString('utf8');
    expect(record.claim?.justification).toBeTruthy();
    expect(text).not.toContain(record.claim?.justification);
    expect(text).not.toContain('threat_of_serious_harm');
    expect(text).not.toContain('REF-7');
  });

  it('has a stable event id derived from the entry id', () => {
    expect(ledgerEventEnvelope(record).eventId).toBe(ledgerEventId(record.entryId));
    expect(ledgerEventId(record.entryId)).toBe(ledgerEventId(record.entryId));
    expect(ledgerEventId(record.entryId)).not.toBe(ledgerEventId('another'));
    expect(ledgerEventId(record.entryId)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('joins the trace the entry records', () => {
    const traceparent = ledgerTraceparent(record);
    expect(traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(ledgerEventEnvelope(record).traceContext?.traceparent).toBe(traceparent);
    expect(ledgerTraceparent({ ...record, traceId: '' })).toBe('');
  });

  it('is keyed by the subject, or by the entry when there is none', () => {
    expect(ledgerEventKey(record)).toBe(record.subjectPseudonym);
    const anonymous = { ...record, subjectPseudonym: '' };
    expect(ledgerEventKey(anonymous)).toBe(record.entryId);
    expect(ledgerEventEnvelope(anonymous).subjects).toEqual([]);
  });

  it('names the evaluated event as its cause', () => {
    const [forwarded] = chain(GENESIS_HASH, [sampleFields({ kind: 'event_forwarded', sourceEventId: '0d9f5b1e-7c3a-4e2b-9f1d-2a3b4c5d6e7f' })]);
    if (!forwarded) throw new Error('no record');
    expect(ledgerEventEnvelope(forwarded).causationId).toBe('0d9f5b1e-7c3a-4e2b-9f1d-2a3b4c5d6e7f');
  });
});
