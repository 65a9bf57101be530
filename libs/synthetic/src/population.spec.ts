import { isValidNationalId } from '@weave/identity';
import { NANTOU, scaleCounty } from './geography';
import { INDIGENOUS_NAME_SEPARATOR } from './names';
import {
  DEFAULT_AS_OF,
  PopulationModel,
  ageAt,
  countyPopulation,
  generateHouseholds,
  type Household,
  type HouseholdStructure,
  type Person,
} from './population';

function take<T>(it: Iterator<T>, n: number): T[] {
  const out: T[] = [];
  for (let r = it.next(); !r.done && out.length < n; r = it.next()) out.push(r.value);
  return out;
}

describe('population of Nantou (all 480,000 people, streamed)', () => {
  // One pass over the whole county gathers everything the tests below check.
  const households: Pick<Household, 'structure' | 'incomeTier' | 'townshipCode' | 'indigenous'>[] = [];
  const sizes: number[] = [];
  const personsByTownship = new Map<string, number>();
  const ids = new Set<string>();
  const problems: string[] = [];
  const surnames = new Map<string, number>();
  const letters = new Map<string, number>();
  let persons = 0;
  let moved = 0;
  let adults = 0;
  let adultsWithPhone = 0;
  let immigrants = 0;
  let traditional = 0;
  const structureAges = new Map<HouseholdStructure, Person[][]>();

  beforeAll(() => {
    for (const h of generateHouseholds(NANTOU, 2025)) {
      households.push(h);
      sizes.push(h.members.length);
      persons += h.members.length;
      personsByTownship.set(h.townshipCode, (personsByTownship.get(h.townshipCode) ?? 0) + h.members.length);
      if (h.previousAddress !== undefined) moved++;
      if (h.members.filter((m) => m.role === 'head').length !== 1 || h.members[0].role !== 'head') problems.push(`${h.householdId}: head`);
      const list = structureAges.get(h.structure) ?? [];
      if (list.length < 2000) list.push([...h.members]);
      structureAges.set(h.structure, list);
      for (const p of h.members) {
        if (!isValidNationalId(p.nationalId)) problems.push(`${p.personId}: invalid ${p.nationalId}`);
        if (ids.has(p.nationalId)) problems.push(`${p.personId}: duplicate ${p.nationalId}`);
        ids.add(p.nationalId);
        const digit = p.nationalId[1];
        const expected = p.immigrant ? (p.sex === 'M' ? '8' : '9') : p.sex === 'M' ? '1' : '2';
        if (digit !== expected) problems.push(`${p.personId}: sex ${p.sex} but digit ${digit}`);
        if (p.address.townshipCode !== h.townshipCode || !p.address.text.startsWith(`南投縣${p.address.township}`)) {
          problems.push(`${p.personId}: address ${p.address.text}`);
        }
        if (!/^\d{4}-\d{2}-\d{2}$/.test(p.birthDate)) problems.push(`${p.personId}: birth date ${p.birthDate}`);
        if (p.name.length < 2) problems.push(`${p.personId}: name ${p.name}`);
        letters.set(p.nationalId[0], (letters.get(p.nationalId[0]) ?? 0) + 1);
        if (!p.traditionalName) surnames.set(p.surname, (surnames.get(p.surname) ?? 0) + 1);
        if (ageAt(p, DEFAULT_AS_OF) >= 18) {
          adults++;
          if (p.phone !== undefined) adultsWithPhone++;
        }
        if (p.immigrant) immigrants++;
        if (p.traditionalName) {
          traditional++;
          if (!p.name.includes(INDIGENOUS_NAME_SEPARATOR) || !p.indigenous) problems.push(`${p.personId}: traditional name ${p.name}`);
        }
      }
    }
  }, 60_000);

  it('gives every person a valid, unique national ID whose second digit matches their sex', () => {
    expect(problems.slice(0, 10)).toEqual([]);
    expect(ids.size).toBe(persons);
  });

  it('registers most people under M (Nantou) and in-movers under other letters', () => {
    const m = (letters.get('M') ?? 0) / persons;
    expect(m).toBeGreaterThan(0.75);
    expect(m).toBeLessThan(0.9);
    expect(letters.get('B') ?? 0).toBeGreaterThan(letters.get('Z') ?? 0);
  });

  it('has about the configured population and a mean household size of 2.6 ± 0.1', () => {
    expect(Math.abs(persons - NANTOU.population) / NANTOU.population).toBeLessThan(0.01);
    expect(Math.abs(persons / households.length - 2.6)).toBeLessThan(0.1);
    expect(sizes.reduce((a, b) => Math.max(a, b), 0)).toBeLessThanOrEqual(8);
    const singles = sizes.filter((s) => s === 1).length / sizes.length;
    expect(singles).toBeGreaterThan(0.2);
    expect(singles).toBeLessThan(0.4);
  });

  it('puts people in townships in proportion to their configured population', () => {
    for (const t of NANTOU.townships) {
      const share = (personsByTownship.get(t.code) ?? 0) / persons;
      expect(Math.abs(share - t.populationShare) / t.populationShare).toBeLessThan(0.05);
    }
  });

  it('has about 1.5 % low-income and 1.5 % middle-low-income households, more in indigenous townships', () => {
    const share = (tier: string, list = households): number => list.filter((h) => h.incomeTier === tier).length / list.length;
    expect(share('low')).toBeGreaterThan(0.012);
    expect(share('low')).toBeLessThan(0.018);
    expect(share('middle-low')).toBeGreaterThan(0.012);
    expect(share('middle-low')).toBeLessThan(0.018);
    const renai = households.filter((h) => h.townshipCode === '10008130');
    const nantouCity = households.filter((h) => h.townshipCode === '10008010');
    expect(share('low', renai)).toBeGreaterThan(3 * share('low', nantouCity));
    expect(renai.filter((h) => h.indigenous).length / renai.length).toBeGreaterThan(0.7);
  });

  it('has every structure, skipped-generation households more often in indigenous townships', () => {
    const share = (s: HouseholdStructure, list = households): number => list.filter((h) => h.structure === s).length / list.length;
    expect(share('single')).toBeGreaterThan(0.2);
    expect(share('nuclear')).toBeGreaterThan(0.2);
    expect(share('skipped-generation')).toBeGreaterThan(0.01);
    const indigenous = households.filter((h) => h.townshipCode === '10008130' || h.townshipCode === '10008120');
    expect(share('skipped-generation', indigenous)).toBeGreaterThan(2 * share('skipped-generation'));
  });

  it('gives each structure plausible ages', () => {
    const age = (p: Person): number => ageAt(p, DEFAULT_AS_OF);
    for (const members of structureAges.get('skipped-generation') ?? []) {
      expect(age(members[0])).toBeGreaterThanOrEqual(50);
      for (const g of members.filter((m) => m.role === 'grandchild')) expect(age(g)).toBeLessThanOrEqual(17);
    }
    for (const members of structureAges.get('nuclear') ?? []) {
      const mother = members.find((m) => (m.role === 'head' || m.role === 'spouse') && m.sex === 'F');
      expect(mother).toBeDefined();
      for (const c of members.filter((m) => m.role === 'child')) expect(age(mother as Person) - age(c)).toBeGreaterThanOrEqual(18);
    }
    for (const members of structureAges.get('three-generation') ?? []) {
      const head = members[0];
      for (const g of members.filter((m) => m.role === 'grandparent')) expect(age(g) - age(head)).toBeGreaterThanOrEqual(20);
    }
  });

  it('gives surnames the Taiwanese distribution (陳 ≈ 11 %, then 林, 黃, 張, 李)', () => {
    const total = [...surnames.values()].reduce((a, b) => a + b, 0);
    const top = [...surnames.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([s]) => s);
    expect(top).toEqual(['陳', '林', '黃', '張', '李']);
    const chen = (surnames.get('陳') ?? 0) / total;
    expect(chen).toBeGreaterThan(0.095);
    expect(chen).toBeLessThan(0.125);
  });

  it('gives some people a phone, an old address, an immigrant spouse or a traditional name', () => {
    expect(adultsWithPhone / adults).toBeGreaterThan(0.6);
    expect(adultsWithPhone / adults).toBeLessThan(0.9);
    expect(moved / households.length).toBeGreaterThan(0.1);
    expect(moved / households.length).toBeLessThan(0.14);
    expect(immigrants).toBeGreaterThan(1000);
    expect(traditional).toBeGreaterThan(500);
  });
});

describe('PopulationModel', () => {
  const county = scaleCounty(NANTOU, 20_000);

  it('is deterministic: same seed, same people; another seed, other people', () => {
    const a = take(generateHouseholds(county, 'seed-a'), 200);
    const b = take(generateHouseholds(county, 'seed-a'), 200);
    const c = take(generateHouseholds(county, 'seed-b'), 200);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.map((h) => h.members[0].nationalId)).not.toEqual(c.map((h) => h.members[0].nationalId));
  });

  it('regenerates any household or person from its index or id', () => {
    const model = new PopulationModel(county, 7);
    const streamed = take(model.households(), model.householdCount);
    expect(streamed.length).toBe(model.householdCount);
    for (const i of [0, 1, 1234, model.householdCount - 1]) {
      expect(model.household(i)).toEqual(streamed[i]);
      const person = streamed[i].members[streamed[i].members.length - 1];
      expect(model.person(person.personId)).toEqual(person);
      expect(model.householdIndexOf(streamed[i].householdId)).toBe(i);
    }
    expect(model.person('H99999-0000001-1')).toBeUndefined();
    expect(() => model.household(model.householdCount)).toThrow(RangeError);
  });

  it('ages people relative to asOf', () => {
    const early = new PopulationModel(county, 7, { asOf: new Date(Date.UTC(2015, 0, 1)) });
    const late = new PopulationModel(county, 7);
    expect(Number(early.household(5).members[0].birthDate.slice(0, 4)) + 10).toBe(Number(late.household(5).members[0].birthDate.slice(0, 4)));
  });

  it('refuses a county too big to number uniquely', () => {
    expect(() => new PopulationModel(scaleCounty(NANTOU, 4_000_000), 1)).toThrow(/households exceed/);
  });
});

describe('countyPopulation', () => {
  it('holds a small county with indexes by person, household and national ID', () => {
    const population = countyPopulation(scaleCounty(NANTOU, 10_000), 3);
    expect(population.persons.length).toBeGreaterThan(9_000);
    expect(population.households.length).toBe(population.model.householdCount);
    const person = population.persons[500];
    expect(population.person(person.personId)).toBe(person);
    expect(population.personByNationalId(person.nationalId.toLowerCase())).toBe(person);
    expect(population.householdOf(person.personId)?.members).toContain(person);
    expect(population.household(person.householdId)?.householdId).toBe(person.householdId);
    expect(population.person('nobody')).toBeUndefined();
  });
});
