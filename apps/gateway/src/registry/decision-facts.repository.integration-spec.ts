import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CaseMembershipChanged, MembershipChange, MembershipRole } from '@weave/contracts';
import { decide, loadPolicy, type DecisionRequest, type PurposeName, type RecipientRoleName, type DataCategoryName } from '@weave/policy';
import { createPool } from '@weave/runtime';
import { REPO_ROOT, freePort, testStack } from '@weave/testing';
import type { Pool } from 'pg';
import { ConsentRepository } from './consent.repository';
import { DecisionFactsRepository, FAIL_CLOSED_FACTS } from './decision-facts.repository';
import { InvolvementRepository } from './involvement.repository';
import { child, dispatch, familyPseudonym, perpetrator, personPseudonym, reported, testDatabase, victim, type TestDatabase } from './testing/registry-test-kit';

const policy = loadPolicy(readFileSync(join(REPO_ROOT, 'policies/disclosure-policy.yaml'), 'utf8'));
const NOW = new Date('2026-11-23T09:00:00.000Z');
const DAY = 24 * 3600 * 1000;
const PROTECTION = 'nantou-protection-team';
const CMHC = 'nantou-cmhc';
const SCHOOL = 'nantou-student-counselling-centre';
const SWC = 'nantou-swc-puli';

let db: TestDatabase;
let involvements: InvolvementRepository;
let consents: ConsentRepository;
let facts: DecisionFactsRepository;
const extraPools: Pool[] = [];

beforeAll(async () => {
  db = await testDatabase('registry_facts');
  involvements = new InvolvementRepository(db.pool, db.schema);
  consents = new ConsentRepository(db.pool, db.schema);
  facts = new DecisionFactsRepository(db.pool, db.schema);
});
afterAll(async () => {
  await Promise.all(extraPools.map((p) => p.end()));
  await db.drop();
});

function request(unitId: string, role: RecipientRoleName, subject: string, purpose: PurposeName, categories: DataCategoryName[]): DecisionRequest {
  return { requester: { unitId, role }, subject, purpose, categories, now: NOW.getTime() };
}

describe('DecisionFactsRepository', () => {
  it('loads the unit’s involvements with the person and all the person’s consents', async () => {
    const person = personPseudonym();
    await involvements.applyDispatch(`d1-${person}`, dispatch(SCHOOL, [child(person)]));
    await involvements.applyDispatch(`d2-${person}`, dispatch(SCHOOL, [child(person)], { dispatchedAt: '2026-09-01T00:00:00.000Z' })); // ended 2026-10-01
    await involvements.applyDispatch(`d3-${person}`, dispatch(SWC, [child(person)])); // another unit
    const granted = await consents.grant(
      { subjectPseudonym: person, givenBy: 'guardian', kind: 'consent', categories: ['education'], recipientRoles: [], recipientUnits: [CMHC], purposes: ['case_conference'], evidenceReference: 'F-1' },
      SCHOOL,
      NOW,
    );
    const withdrawn = await consents.grant(
      { subjectPseudonym: person, givenBy: 'subject', kind: 'waiver', categories: ['mental_health'], recipientRoles: ['social_welfare_centre'], recipientUnits: [], purposes: ['case_coordination'], evidenceReference: 'F-2' },
      SCHOOL,
      new Date(NOW.getTime() + 1_000), // recorded later: listed second
    );
    await consents.withdraw(withdrawn.consentId, 'subject', SCHOOL, NOW);

    const loaded = await facts.load(SCHOOL, person, NOW);
    expect(loaded).toEqual({
      facts: {
        involvements: [{ unitId: SCHOOL, kind: 'dispatched', validFrom: Date.parse('2026-11-20T08:00:00.000Z'), validUntil: Date.parse('2026-12-20T08:00:00.000Z') }],
        consents: [
          { consentId: granted.consentId, version: 1, kind: 'consent', categories: ['education'], recipientRoles: [], recipientUnits: [CMHC], purposes: ['case_conference'], validFrom: NOW.getTime(), validUntil: null, withdrawnAt: null },
          expect.objectContaining({ consentId: withdrawn.consentId, version: 2, kind: 'waiver', withdrawnAt: NOW.getTime() }),
        ],
        requesterServesAllegedPerpetrator: false,
      },
      unavailable: [],
    });
    expect((await facts.load(CMHC, person, NOW)).facts.involvements).toEqual([]);
  });

  it('says whether the unit serves, as a current client, someone recorded as alleged perpetrator against the person', async () => {
    const [mother, father] = [personPseudonym(), personPseudonym()];
    // The protection team deals with the father as counterparty; the mental health centre serves him.
    await involvements.applyDispatch(`dv-${mother}`, dispatch(PROTECTION, [victim(mother), perpetrator(father)]));
    await involvements.applyDispatch(`mh-${father}`, dispatch(CMHC, [reported(father)]));
    await involvements.applyDispatch(`swc-${father}`, dispatch(SWC, [reported(father)], { dispatchedAt: '2026-09-01T00:00:00.000Z' })); // ended

    expect((await facts.load(CMHC, mother, NOW)).facts.requesterServesAllegedPerpetrator).toBe(true);
    expect((await facts.load(PROTECTION, mother, NOW)).facts.requesterServesAllegedPerpetrator).toBe(false);
    expect((await facts.load(SWC, mother, NOW)).facts.requesterServesAllegedPerpetrator).toBe(false);
    // The relation is directed: nobody is recorded as perpetrator against the father.
    expect((await facts.load(PROTECTION, father, NOW)).facts.requesterServesAllegedPerpetrator).toBe(false);

    // The protection team may know where she is; a unit serving him may not, whatever else it has.
    await involvements.grantEmergencyInvolvement(CMHC, mother, new Date(NOW.getTime() + DAY), `bg-${mother}`, new Date(NOW.getTime() - DAY));
    const whereabouts = (unit: string, role: RecipientRoleName, purpose: PurposeName) =>
      facts.load(unit, mother, NOW).then((l) => decide(policy, request(unit, role, mother, purpose, ['dv_victim_whereabouts']), l.facts));
    expect((await whereabouts(PROTECTION, 'protection_team', 'case_coordination')).releases.map((r) => r.category)).toEqual(['dv_victim_whereabouts']);
    expect((await whereabouts(CMHC, 'community_mental_health_centre', 'case_coordination')).withholdings).toEqual([
      expect.objectContaining({ reason: 'prohibited', ruleId: 'P01-dv-whereabouts-perpetrator' }),
    ]);
  });

  it('gives need-to-know for every member of a family the unit is involved with, in one statement', async () => {
    const [mother, son, daughter, outsider] = [personPseudonym(), personPseudonym(), personPseudonym(), personPseudonym()];
    const family = familyPseudonym();
    await involvements.applyMembership(
      `join-${mother}`,
      CaseMembershipChanged.fromPartial({
        caseId: `C-${mother}`,
        familyPseudonym: family,
        subjects: [victim(mother), child(son)], // two rows reach the daughter through the family: she gets one entry
        unitId: SWC,
        role: MembershipRole.MEMBERSHIP_ROLE_LEAD,
        change: MembershipChange.MEMBERSHIP_CHANGE_JOINED,
        effectiveAt: '2026-11-01T00:00:00.000Z',
      }),
    );
    // The daughter becomes a known member of the family through a dispatch to another unit.
    await involvements.applyDispatch(`kids-${son}`, dispatch(SCHOOL, [child(son), child(daughter)], { familyPseudonym: family }));

    const query = jest.spyOn(db.pool, 'query');
    const many = await facts.loadMany(SWC, [mother, son, daughter, outsider, son], NOW);
    expect(query).toHaveBeenCalledTimes(1);
    query.mockRestore();

    expect(many.unavailable).toEqual([]);
    expect([...many.facts.keys()]).toEqual([mother, son, daughter, outsider]);
    const lead = { unitId: SWC, kind: 'lead', validFrom: Date.parse('2026-11-01T00:00:00.000Z'), validUntil: null };
    for (const member of [mother, son, daughter]) expect(many.facts.get(member)?.involvements).toEqual([lead]);
    expect(many.facts.get(outsider)?.involvements).toEqual([]);

    const identity = (person: string) => decide(policy, request(SWC, 'social_welfare_centre', person, 'case_coordination', ['identity']), many.facts.get(person) ?? FAIL_CLOSED_FACTS);
    expect(identity(daughter).outcome).toBe('permit');
    expect(identity(outsider).withholdings).toEqual([expect.objectContaining({ reason: 'no_involvement' })]);
  });

  it('fails closed, without throwing, when the database cannot be reached', async () => {
    const closed = createPool(`postgres://postgres@127.0.0.1:${await freePort()}/weave`, 'registry-facts-down', 1);
    extraPools.push(closed);
    const down = new DecisionFactsRepository(closed, db.schema);
    const person = personPseudonym();

    const loaded = await down.load(SCHOOL, person, NOW);
    expect(loaded.facts).toEqual({
      involvements: [],
      consents: [],
      requesterServesAllegedPerpetrator: true,
      consentsUnavailable: true,
      involvementsUnavailable: true,
    });
    expect(loaded.unavailable).toEqual(['consent-registry', 'involvement-registry']);
    expect(loaded.error).toMatchObject({ code: 'ECONNREFUSED' }); // for the caller's log

    const many = await down.loadMany(SCHOOL, [person, personPseudonym()], NOW);
    expect([...many.facts.values()]).toEqual([FAIL_CLOSED_FACTS, FAIL_CLOSED_FACTS]);
    expect(many.unavailable).toEqual(['consent-registry', 'involvement-registry']);

    const decision = decide(policy, request(SCHOOL, 'school_counselling', person, 'case_coordination', ['welfare_benefit_status', 'education']), loaded.facts);
    expect(decision.releases).toEqual([]);
    expect(decision.withholdings.map((w) => [w.category, w.reason])).toEqual([
      ['welfare_benefit_status', 'registry_unavailable'],
      ['education', 'registry_unavailable'],
    ]);
  });

  it('fails closed when the read does not answer within its deadline', async () => {
    const slow = new DecisionFactsRepository(db.pool, db.schema, { timeoutMs: 200 });
    const locker = await db.pool.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${db.schema}.consents IN ACCESS EXCLUSIVE MODE`);
      const started = performance.now();
      const loaded = await slow.load(SCHOOL, personPseudonym(), NOW);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(loaded.facts).toEqual(FAIL_CLOSED_FACTS);
      expect(loaded.unavailable).toEqual(['consent-registry', 'involvement-registry']);
    } finally {
      await locker.query('ROLLBACK');
      locker.release();
    }
  });

  it('binds every decision that starts after a withdrawal resolved, on any instance, while 200 decisions race it', async () => {
    const pupil = personPseudonym();
    await involvements.applyDispatch(`race-${pupil}`, dispatch(SCHOOL, [child(pupil)]));
    const granted = await consents.grant(
      { subjectPseudonym: pupil, givenBy: 'guardian', kind: 'consent', categories: ['welfare_benefit_status'], recipientRoles: ['school_counselling'], recipientUnits: [], purposes: ['case_coordination'], evidenceReference: 'SWC-RACE-1' },
      SWC,
      new Date(NOW.getTime() - DAY),
    );
    // Two other "gateway instances", each with its own pool; the withdrawal goes through a third.
    const instances = [0, 1].map((i) => {
      const pool = createPool(testStack().databaseUrl, `registry-race-${i}`, 8);
      extraPools.push(pool);
      return new DecisionFactsRepository(pool, db.schema, { timeoutMs: 10_000 });
    });
    const ask = request(SCHOOL, 'school_counselling', pupil, 'case_coordination', ['welfare_benefit_status']);
    const decideOn = async (instance: DecisionFactsRepository) => {
      const loaded = await instance.load(SCHOOL, pupil, NOW);
      const decision = decide(policy, ask, loaded.facts);
      return { unavailable: loaded.unavailable, released: decision.releases.some((r) => r.category === 'welfare_benefit_status') };
    };
    // Warm the pools, and check that the consent does release before it is withdrawn.
    for (const warm of await Promise.all(instances.flatMap((i) => Array.from({ length: 8 }, () => decideOn(i))))) expect(warm).toEqual({ unavailable: [], released: true });

    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    let withdrawStartedAt = Number.POSITIVE_INFINITY;
    let withdrawResolvedAt = Number.POSITIVE_INFINITY;
    const withdrawal = (async () => {
      await sleep(60);
      withdrawStartedAt = performance.now();
      await consents.withdraw(granted.consentId, 'guardian', SWC, NOW);
      withdrawResolvedAt = performance.now();
    })();
    const decisions = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        await sleep(Math.random() * 200);
        const startedAt = performance.now();
        const result = await decideOn(instances[i % 2] ?? facts);
        return { ...result, startedAt, finishedAt: performance.now() };
      }),
    );
    await withdrawal;

    expect(decisions.every((d) => d.unavailable.length === 0)).toBe(true); // no "not released" is a fail-closed artefact
    const after = decisions.filter((d) => d.startedAt > withdrawResolvedAt);
    const before = decisions.filter((d) => d.finishedAt < withdrawStartedAt);
    expect(after.length).toBeGreaterThan(20);
    expect(before.length).toBeGreaterThan(0);
    expect(after.filter((d) => d.released)).toEqual([]);
    expect(before.filter((d) => !d.released)).toEqual([]);
  });
});
