import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Agency,
  ConsentChanged,
  EventTypes,
  GatewayConsentGrantedEvent,
  GatewayConsentWithdrawnEvent,
  SubjectRole,
  Topics,
  decodeEnvelope,
  decodeEvent,
  eventIdFor,
} from '@weave/contracts';
import { decide, loadPolicy, type DecisionRequest } from '@weave/policy';
import { REPO_ROOT } from '@weave/testing';
import { ConsentNotFoundError, ConsentValidationError, type GrantInput } from './consent.model';
import { ConsentRepository } from './consent.repository';
import { DecisionFactsRepository } from './decision-facts.repository';
import { InvolvementRepository } from './involvement.repository';
import { child, dispatch, personPseudonym, testDatabase, type TestDatabase } from './testing/registry-test-kit';

const policy = loadPolicy(readFileSync(join(REPO_ROOT, 'policies/disclosure-policy.yaml'), 'utf8'));
const NOW = new Date('2026-11-23T09:00:00.000Z');
const LATER = new Date('2026-11-24T10:30:00.000Z');
const DAY = 24 * 3600 * 1000;
const SCHOOL = 'nantou-student-counselling-centre';
const SWC = 'nantou-swc-puli';

let db: TestDatabase;
let consents: ConsentRepository;

beforeAll(async () => {
  db = await testDatabase('registry_consent');
  consents = new ConsentRepository(db.pool, db.schema);
});
afterAll(() => db.drop());

function grantInput(subject: string, overrides: Partial<GrantInput> = {}): GrantInput {
  return {
    subjectPseudonym: subject,
    givenBy: 'guardian',
    kind: 'consent',
    categories: ['welfare_benefit_status'],
    recipientRoles: ['school_counselling'],
    recipientUnits: [],
    purposes: ['case_coordination', 'case_conference'],
    validFrom: new Date(NOW.getTime() - DAY),
    validUntil: new Date(NOW.getTime() + 365 * DAY),
    evidenceReference: 'SWC-PULI-FORM-2026-0042',
    ...overrides,
  };
}

async function historyOf(consentId: string): Promise<{ version: number; change: string; changed_by_unit: string; state: Record<string, unknown> }[]> {
  const { rows } = await db.pool.query(`SELECT version, change, changed_by_unit, state FROM ${db.schema}.consent_history WHERE consent_id = $1 ORDER BY version`, [consentId]);
  return rows;
}

async function outboxFor(subject: string): Promise<{ topic: string; message_key: string; envelope: Buffer }[]> {
  const { rows } = await db.pool.query(`SELECT topic, message_key, envelope FROM ${db.schema}.outbox WHERE message_key = $1 ORDER BY id`, [subject]);
  return rows;
}

describe('ConsentRepository', () => {
  it('grants version 1 with its history row and a decodable gateway.consent.granted.v1 in the outbox', async () => {
    const subject = personPseudonym();
    const record = await consents.grant(grantInput(subject), SWC, NOW);

    expect(record).toMatchObject({
      version: 1,
      subjectPseudonym: subject,
      givenBy: 'guardian',
      kind: 'consent',
      categories: ['welfare_benefit_status'],
      recipientRoles: ['school_counselling'],
      purposes: ['case_coordination', 'case_conference'],
      withdrawnAt: null,
      withdrawnBy: null,
      recordedByUnit: SWC,
      evidenceReference: 'SWC-PULI-FORM-2026-0042',
      createdAt: NOW,
      updatedAt: NOW,
    });
    expect(record.consentId).toMatch(/^[0-9a-f-]{36}$/);

    const history = await historyOf(record.consentId);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ version: 1, change: 'granted', changed_by_unit: SWC });
    expect(history[0]?.state).toMatchObject({ consent_id: record.consentId, version: 1, subject_pseudonym: subject, withdrawn_at: null });

    const outbox = await outboxFor(subject);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]?.topic).toBe(Topics.GatewayConsents);
    const event = decodeEvent(decodeEnvelope(outbox[0]?.envelope));
    expect(event.definition).toBe(GatewayConsentGrantedEvent);
    expect(event.envelope).toMatchObject({
      eventId: eventIdFor('weave-gateway-consent', `${record.consentId}:1`),
      eventType: EventTypes.GatewayConsentGranted,
      source: { agency: Agency.AGENCY_WEAVE, system: 'weave-gateway', unitId: 'gateway' },
      subjects: [{ pseudonym: subject, role: SubjectRole.SUBJECT_ROLE_REPORTED_PERSON }],
      dataCategories: [],
    });
    // The whole payload: identifiers, scope, times and the evidence reference — no other text.
    expect(ConsentChanged.toJSON(event.payload as ConsentChanged)).toEqual({
      consent: {
        consentId: record.consentId,
        version: 1,
        subjectPseudonym: subject,
        givenBy: 'CONSENT_GIVER_GUARDIAN',
        kind: 'CONSENT_KIND_CONSENT',
        scope: {
          categories: ['DATA_CATEGORY_WELFARE_BENEFIT_STATUS'],
          recipientRoles: ['RECIPIENT_ROLE_SCHOOL_COUNSELLING'],
          purposes: ['PURPOSE_CASE_COORDINATION', 'PURPOSE_CASE_CONFERENCE'],
        },
        validFrom: '2026-11-22T09:00:00.000Z',
        validUntil: '2027-11-23T09:00:00.000Z',
        recordedByUnit: SWC,
        evidenceReference: 'SWC-PULI-FORM-2026-0042',
        status: 'CONSENT_STATUS_ACTIVE',
      },
    });
  });

  it('rejects an invalid grant with field violations and records nothing', async () => {
    const subject = personPseudonym();
    const failure = await consents.grant(grantInput(subject, { purposes: ['statistics'], evidenceReference: 'A123456789' }), SWC, NOW).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConsentValidationError);
    expect((failure as ConsentValidationError).violations.map((v) => v.field)).toEqual(['scope.purposes[0]', 'evidence_reference']);
    expect(await consents.listForSubject(subject)).toEqual([]);
    expect(await outboxFor(subject)).toEqual([]);
  });

  it('withdraws as version 2 with history and gateway.consent.withdrawn.v1; a second withdrawal changes nothing', async () => {
    const subject = personPseudonym();
    const granted = await consents.grant(grantInput(subject), SWC, NOW);
    const withdrawn = await consents.withdraw(granted.consentId, 'subject', SCHOOL, LATER);
    expect(withdrawn).toMatchObject({ consentId: granted.consentId, version: 2, withdrawnAt: LATER, withdrawnBy: 'subject', updatedAt: LATER, createdAt: NOW });

    const again = await consents.withdraw(granted.consentId, 'guardian', SWC, new Date(LATER.getTime() + DAY));
    expect(again).toEqual(withdrawn);

    const history = await historyOf(granted.consentId);
    expect(history.map((h) => [h.version, h.change, h.changed_by_unit])).toEqual([
      [1, 'granted', SWC],
      [2, 'withdrawn', SCHOOL],
    ]);
    expect(history[1]?.state).toMatchObject({ version: 2, withdrawn_by: 'subject' });

    const outbox = await outboxFor(subject);
    expect(outbox).toHaveLength(2);
    const event = decodeEvent(decodeEnvelope(outbox[1]?.envelope));
    expect(event.definition).toBe(GatewayConsentWithdrawnEvent);
    expect(event.envelope.eventId).toBe(eventIdFor('weave-gateway-consent', `${granted.consentId}:2`));
    expect(ConsentChanged.toJSON(event.payload as ConsentChanged)).toMatchObject({
      consent: { version: 2, withdrawnAt: LATER.toISOString(), status: 'CONSENT_STATUS_WITHDRAWN', evidenceReference: 'SWC-PULI-FORM-2026-0042' },
    });
  });

  it('serialises concurrent withdrawals of one consent into one version', async () => {
    const subject = personPseudonym();
    const granted = await consents.grant(grantInput(subject), SWC, NOW);
    const results = await Promise.all(Array.from({ length: 8 }, () => consents.withdraw(granted.consentId, 'subject', SCHOOL, LATER)));
    expect(new Set(results.map((r) => r.version))).toEqual(new Set([2]));
    expect(await historyOf(granted.consentId)).toHaveLength(2);
    expect(await outboxFor(subject)).toHaveLength(2);
  });

  it('throws ConsentNotFoundError for an unknown or malformed consent id', async () => {
    await expect(consents.withdraw('6f1c1f5e-8d1a-4d7e-9c1b-2a3b4c5d6e7f', 'subject', SCHOOL, LATER)).rejects.toBeInstanceOf(ConsentNotFoundError);
    await expect(consents.withdraw('not-a-uuid', 'subject', SCHOOL, LATER)).rejects.toBeInstanceOf(ConsentNotFoundError);
  });

  it('lists a subject’s consents in every state, newest first, and nobody else’s', async () => {
    const subject = personPseudonym();
    const first = await consents.grant(grantInput(subject), SWC, NOW);
    const second = await consents.grant(grantInput(subject, { kind: 'waiver', categories: ['mental_health'], recipientRoles: [], recipientUnits: [SCHOOL] }), SWC, LATER);
    await consents.withdraw(first.consentId, 'subject', SWC, LATER);
    await consents.grant(grantInput(personPseudonym()), SWC, NOW);

    const listed = await consents.listForSubject(subject);
    expect(listed.map((c) => [c.consentId, c.version, c.kind])).toEqual([
      [second.consentId, 1, 'waiver'],
      [first.consentId, 2, 'consent'],
    ]);
    expect(await consents.grantsForSubject(subject)).toEqual([
      {
        consentId: second.consentId,
        version: 1,
        kind: 'waiver',
        categories: ['mental_health'],
        recipientRoles: [],
        recipientUnits: [SCHOOL],
        purposes: ['case_coordination', 'case_conference'],
        validFrom: NOW.getTime() - DAY,
        validUntil: NOW.getTime() + 365 * DAY,
        withdrawnAt: null,
      },
      expect.objectContaining({ consentId: first.consentId, version: 2, withdrawnAt: LATER.getTime() }),
    ]);
  });

  it('keeps the history append-only', async () => {
    const granted = await consents.grant(grantInput(personPseudonym()), SWC, NOW);
    await expect(db.pool.query(`UPDATE ${db.schema}.consent_history SET change = 'withdrawn' WHERE consent_id = $1`, [granted.consentId])).rejects.toThrow(/append-only/);
    await expect(db.pool.query(`DELETE FROM ${db.schema}.consent_history WHERE consent_id = $1`, [granted.consentId])).rejects.toThrow(/append-only/);
  });

  it('feeds decide(): with the consent the school gets welfare status for case coordination, after withdrawal it does not', async () => {
    const subject = personPseudonym();
    await new InvolvementRepository(db.pool, db.schema).applyDispatch(`dispatch-${subject}`, dispatch(SCHOOL, [child(subject)]));
    const facts = new DecisionFactsRepository(db.pool, db.schema);
    const request: DecisionRequest = {
      requester: { unitId: SCHOOL, role: 'school_counselling' },
      subject,
      purpose: 'case_coordination',
      categories: ['welfare_benefit_status'],
      now: NOW.getTime(),
    };
    const decideWithRegistry = async () => {
      const loaded = await facts.load(SCHOOL, subject, NOW);
      expect(loaded.unavailable).toEqual([]);
      return decide(policy, request, { ...loaded.facts, consents: await consents.grantsForSubject(subject) });
    };

    const before = await decideWithRegistry();
    expect(before.outcome).toBe('deny');
    expect(before.withholdings).toEqual([expect.objectContaining({ category: 'welfare_benefit_status', reason: 'consent_missing', ruleId: 'R11-welfare-consent' })]);

    const granted = await consents.grant(grantInput(subject), SWC, NOW);
    const withConsent = await decideWithRegistry();
    expect(withConsent.outcome).toBe('permit');
    expect(withConsent.releases).toEqual([
      expect.objectContaining({ category: 'welfare_benefit_status', ruleId: 'R11-welfare-consent', basis: 'consent', consents: [{ consentId: granted.consentId, version: 1 }] }),
    ]);

    await consents.withdraw(granted.consentId, 'guardian', SWC, NOW);
    const after = await decideWithRegistry();
    expect(after.releases).toEqual([]);
    expect(after.withholdings).toEqual([expect.objectContaining({ category: 'welfare_benefit_status', reason: 'consent_missing' })]);
  });
});
