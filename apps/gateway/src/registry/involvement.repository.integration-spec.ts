import { CaseMembershipChanged, MembershipChange, MembershipRole, type SubjectRef } from '@weave/contracts';
import { InvalidRegistryEventError, InvolvementRepository } from './involvement.repository';
import {
  caregiver,
  child,
  dispatch,
  familyPseudonym,
  perpetrator,
  personPseudonym,
  reported,
  testDatabase,
  victim,
  type TestDatabase,
} from './testing/registry-test-kit';

const PROTECTION = 'nantou-protection-team';
const SWC = 'nantou-swc-puli';
const DISPATCHED_AT = '2026-11-20T08:00:00.000Z';
const NOW = new Date('2026-11-23T09:00:00.000Z');

let db: TestDatabase;
let registry: InvolvementRepository;

beforeAll(async () => {
  db = await testDatabase('registry_involvement');
  registry = new InvolvementRepository(db.pool, db.schema);
});
afterAll(() => db.drop());

interface Row {
  unit_id: string;
  person_pseudonym: string;
  family_pseudonym: string | null;
  kind: string;
  relationship: string;
  valid_from: string;
  valid_until: string | null;
  source_event_id: string;
  case_id: string | null;
}

async function involvementsOf(person: string): Promise<Row[]> {
  const { rows } = await db.pool.query<Row>(
    `SELECT unit_id, person_pseudonym, family_pseudonym, kind, relationship,
            to_char(valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS valid_from,
            to_char(valid_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS valid_until,
            source_event_id, case_id
       FROM ${db.schema}.involvements WHERE person_pseudonym = $1 ORDER BY id`,
    [person],
  );
  return rows;
}

async function relationsOf(victimPseudonym: string): Promise<{ perpetrator_pseudonym: string; source_event_id: string }[]> {
  const { rows } = await db.pool.query(
    `SELECT perpetrator_pseudonym, source_event_id FROM ${db.schema}.protected_relations WHERE victim_pseudonym = $1 ORDER BY perpetrator_pseudonym`,
    [victimPseudonym],
  );
  return rows;
}

function membership(change: MembershipChange, unitId: string, caseId: string, subjects: readonly SubjectRef[], effectiveAt: string, family = '', role = MembershipRole.MEMBERSHIP_ROLE_LEAD): CaseMembershipChanged {
  return CaseMembershipChanged.fromPartial({ caseId, familyPseudonym: family, subjects: [...subjects], unitId, role, change, effectiveAt });
}

describe('InvolvementRepository: dispatches', () => {
  it('gives the dispatched unit a 30-day involvement with every subject: perpetrator as counterparty, others as clients', async () => {
    const [mother, son, father] = [personPseudonym(), personPseudonym(), personPseudonym()];
    const family = familyPseudonym();
    const eventId = `evt-${mother}`;
    await registry.applyDispatch(eventId, dispatch(PROTECTION, [victim(mother), child(son), perpetrator(father)], { familyPseudonym: family }));

    const expected = (relationship: string) => ({
      unit_id: PROTECTION,
      family_pseudonym: family,
      kind: 'dispatched',
      relationship,
      valid_from: DISPATCHED_AT,
      valid_until: '2026-12-20T08:00:00.000Z',
      source_event_id: eventId,
      case_id: null,
    });
    expect(await involvementsOf(mother)).toEqual([{ person_pseudonym: mother, ...expected('client') }]);
    expect(await involvementsOf(son)).toEqual([{ person_pseudonym: son, ...expected('client') }]);
    expect(await involvementsOf(father)).toEqual([{ person_pseudonym: father, ...expected('counterparty') }]);
    expect(await registry.familyMembers(family)).toEqual([mother, son, father].sort());
    expect(await relationsOf(mother)).toEqual([{ perpetrator_pseudonym: father, source_event_id: eventId }]);
    expect(await relationsOf(son)).toEqual([{ perpetrator_pseudonym: father, source_event_id: eventId }]);
    expect(await relationsOf(father)).toEqual([]);
  });

  it('honours involvement_until and records no family or relation when there is none', async () => {
    const [grandmother, neighbour] = [personPseudonym(), personPseudonym()];
    await registry.applyDispatch(`evt-${grandmother}`, dispatch(SWC, [caregiver(grandmother), reported(neighbour)], { involvementUntil: '2026-11-27T00:00:00.000Z' }));
    expect(await involvementsOf(grandmother)).toEqual([
      expect.objectContaining({ unit_id: SWC, relationship: 'client', family_pseudonym: null, valid_until: '2026-11-27T00:00:00.000Z' }),
    ]);
    expect(await relationsOf(grandmother)).toEqual([]);
    expect(await relationsOf(neighbour)).toEqual([]);
  });

  it('applies a redelivered dispatch once, even when the deliveries race', async () => {
    const [a, b] = [personPseudonym(), personPseudonym()];
    const payload = dispatch(SWC, [victim(a), perpetrator(b)], { familyPseudonym: familyPseudonym() });
    await registry.applyDispatch(`evt-${a}`, payload);
    await Promise.all(Array.from({ length: 6 }, () => registry.applyDispatch(`evt-${a}`, payload)));
    expect(await involvementsOf(a)).toHaveLength(1);
    expect(await involvementsOf(b)).toHaveLength(1);
  });

  it('rejects a dispatch without dispatched_at as permanently invalid, recording nothing', async () => {
    const a = personPseudonym();
    await expect(registry.applyDispatch(`evt-${a}`, dispatch(SWC, [victim(a)], { dispatchedAt: undefined }))).rejects.toBeInstanceOf(InvalidRegistryEventError);
    expect(await involvementsOf(a)).toEqual([]);
  });
});

describe('InvolvementRepository: case membership', () => {
  it('JOINED opens lead/collaborator involvements; LEFT ends only that unit’s involvements from that case; redelivery changes nothing', async () => {
    const [girl, stepfather] = [personPseudonym(), personPseudonym()];
    const family = familyPseudonym();
    const caseId = `CASE-${girl.slice(3, 11)}`;
    const joined = membership(MembershipChange.MEMBERSHIP_CHANGE_JOINED, SWC, caseId, [child(girl), perpetrator(stepfather)], '2026-11-21T00:00:00.000Z', family);
    await registry.applyMembership(`join-${girl}`, joined);
    // The same unit's dispatch, another unit on the case and the same unit on another case.
    await registry.applyDispatch(`dispatch-${girl}`, dispatch(SWC, [child(girl)]));
    await registry.applyMembership(
      `collab-${girl}`,
      membership(MembershipChange.MEMBERSHIP_CHANGE_JOINED, PROTECTION, caseId, [child(girl)], '2026-11-21T00:00:00.000Z', family, MembershipRole.MEMBERSHIP_ROLE_COLLABORATOR),
    );
    await registry.applyMembership(`other-case-${girl}`, membership(MembershipChange.MEMBERSHIP_CHANGE_JOINED, SWC, `${caseId}-B`, [child(girl)], '2026-11-21T00:00:00.000Z'));

    expect(await involvementsOf(girl)).toEqual([
      expect.objectContaining({ unit_id: SWC, kind: 'lead', relationship: 'client', case_id: caseId, family_pseudonym: family, valid_until: null }),
      expect.objectContaining({ unit_id: SWC, kind: 'dispatched', case_id: null }),
      expect.objectContaining({ unit_id: PROTECTION, kind: 'collaborator', relationship: 'client', case_id: caseId, valid_until: null }),
      expect.objectContaining({ unit_id: SWC, kind: 'lead', case_id: `${caseId}-B`, valid_until: null }),
    ]);
    expect(await involvementsOf(stepfather)).toEqual([expect.objectContaining({ unit_id: SWC, kind: 'lead', relationship: 'counterparty', case_id: caseId })]);
    expect(await relationsOf(girl)).toEqual([{ perpetrator_pseudonym: stepfather, source_event_id: `join-${girl}` }]);
    expect(await registry.leadUnitsOf(girl, NOW)).toEqual([SWC]);

    await registry.applyMembership(`leave-${girl}`, membership(MembershipChange.MEMBERSHIP_CHANGE_LEFT, SWC, caseId, [], '2026-11-22T12:00:00.000Z'));
    const afterLeaving = await involvementsOf(girl);
    expect(afterLeaving.map((r) => [r.unit_id, r.kind, r.case_id, r.valid_until])).toEqual([
      [SWC, 'lead', caseId, '2026-11-22T12:00:00.000Z'],
      [SWC, 'dispatched', null, '2026-12-20T08:00:00.000Z'],
      [PROTECTION, 'collaborator', caseId, null],
      [SWC, 'lead', `${caseId}-B`, null],
    ]);
    expect((await involvementsOf(stepfather))[0]?.valid_until).toBe('2026-11-22T12:00:00.000Z');

    // A redelivered JOINED (same event id) after LEFT must not reopen anything.
    await registry.applyMembership(`join-${girl}`, joined);
    await registry.applyMembership(`leave-${girl}`, membership(MembershipChange.MEMBERSHIP_CHANGE_LEFT, SWC, caseId, [], '2026-11-23T00:00:00.000Z'));
    expect(await involvementsOf(girl)).toEqual(afterLeaving.map((r) => expect.objectContaining({ unit_id: r.unit_id, valid_until: r.valid_until })));
    expect(await involvementsOf(girl)).toHaveLength(4);
  });

  it('names the current lead units of a person, directly or through the family, for break-glass notification', async () => {
    const [mother, baby, uncle] = [personPseudonym(), personPseudonym(), personPseudonym()];
    const family = familyPseudonym();
    await registry.applyMembership(`lead-${mother}`, membership(MembershipChange.MEMBERSHIP_CHANGE_JOINED, SWC, `C-${mother}`, [victim(mother)], '2026-11-21T00:00:00.000Z', family));
    // The baby joins the family through a later dispatch to another unit.
    await registry.applyDispatch(`d-${baby}`, dispatch(PROTECTION, [child(baby)], { familyPseudonym: family }));
    await registry.applyMembership(
      `collab-${mother}`,
      membership(MembershipChange.MEMBERSHIP_CHANGE_JOINED, PROTECTION, `C-${mother}`, [victim(mother)], '2026-11-21T00:00:00.000Z', family, MembershipRole.MEMBERSHIP_ROLE_COLLABORATOR),
    );
    expect(await registry.leadUnitsOf(mother, NOW)).toEqual([SWC]);
    expect(await registry.leadUnitsOf(baby, NOW)).toEqual([SWC]);
    expect(await registry.leadUnitsOf(uncle, NOW)).toEqual([]);
    expect(await registry.leadUnitsOf(mother, new Date('2026-11-20T00:00:00.000Z'))).toEqual([]);
    expect(await registry.familyMembers(family)).toEqual([mother, baby].sort());
  });
});

describe('InvolvementRepository: relations and emergencies', () => {
  it('records victim/child × alleged-perpetrator pairs from any event, once, keeping the first source', async () => {
    const [v, c, p1, p2, w] = [personPseudonym(), personPseudonym(), personPseudonym(), personPseudonym(), personPseudonym()];
    const subjects = [victim(v), child(c), perpetrator(p1), perpetrator(p2), caregiver(w)];
    await registry.recordRelationsFromSubjects(subjects, 'first');
    await registry.recordRelationsFromSubjects(subjects, 'second');
    const sorted = [p1, p2].sort();
    expect(await relationsOf(v)).toEqual(sorted.map((p) => ({ perpetrator_pseudonym: p, source_event_id: 'first' })));
    expect(await relationsOf(c)).toEqual(sorted.map((p) => ({ perpetrator_pseudonym: p, source_event_id: 'first' })));
    expect(await relationsOf(w)).toEqual([]);
    // Someone listed as both victim and perpetrator is not recorded against themself.
    await registry.recordRelationsFromSubjects([victim(w), perpetrator(w)], 'self');
    expect(await relationsOf(w)).toEqual([]);
  });

  it('grants an emergency involvement once per break-glass grant', async () => {
    const person = personPseudonym();
    const from = new Date('2026-11-23T08:00:00.000Z');
    const until = new Date('2026-11-23T09:00:00.000Z');
    await registry.grantEmergencyInvolvement('nantou-police-puli', person, until, 'grant-1', from);
    await registry.grantEmergencyInvolvement('nantou-police-puli', person, until, 'grant-1', from);
    expect(await involvementsOf(person)).toEqual([
      {
        unit_id: 'nantou-police-puli',
        person_pseudonym: person,
        family_pseudonym: null,
        kind: 'emergency',
        relationship: 'client',
        valid_from: '2026-11-23T08:00:00.000Z',
        valid_until: '2026-11-23T09:00:00.000Z',
        source_event_id: 'grant-1',
        case_id: null,
      },
    ]);
  });
});
