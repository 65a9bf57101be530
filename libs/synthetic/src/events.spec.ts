import { isValidNationalId } from '@weave/identity';
import type { IntakeReport, NoiseKind, ReportChannel, SimulatedEvent } from './event-types';
import { REPORT_CHANNELS } from './event-types';
import { eventStream, reportStream } from './events';
import { NANTOU, scaleCounty } from './geography';
import { hasHomophone, hasVariant } from './names';
import { DEFAULT_NOISE, INFORMAL_CHANNELS } from './noise';
import { countyPopulation, type Person } from './population';
import { protectionCasesOpened, ratesFor } from './rates';

const year2024 = { from: new Date('2024-01-01T00:00:00+08:00'), to: new Date('2025-01-01T00:00:00+08:00') };
const reportsOf = (events: readonly SimulatedEvent[]): IntakeReport[] => events.filter((e): e is IntakeReport => e.kind === 'report');
const countBy = <T>(items: readonly T[], key: (t: T) => string): Map<string, number> => {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
  return out;
};

describe('a simulated year of Nantou', () => {
  let events: SimulatedEvent[] = [];
  let reports: IntakeReport[] = [];

  beforeAll(() => {
    events = [...eventStream({ county: NANTOU, seed: 11 }, year2024)];
    reports = reportsOf(events);
  }, 60_000);

  it('is in time order, inside the window', () => {
    const outOfOrder = events.filter((e, i) => i > 0 && e.at.getTime() < events[i - 1].at.getTime());
    expect(outOfOrder).toEqual([]);
    expect(events[0].at.getTime()).toBeGreaterThanOrEqual(year2024.from.getTime());
    expect(events[events.length - 1].at.getTime()).toBeLessThan(year2024.to.getTime());
  });

  it('has every kind of event, at the configured yearly rates', () => {
    const rates = ratesFor(NANTOU);
    const counts = countBy(events, (e) => ('action' in e ? `${e.kind}:${e.action}` : e.kind));
    const expected: [string, number][] = [
      ['report', rates.reportsPerYear],
      ['police-incident', rates.policeIncidentsPerYear],
      ['welfare-visit', rates.welfareVisitsPerYear],
      ['welfare-assistance:granted', rates.welfareAssistanceGrantedPerYear],
      ['welfare-assistance:ended', rates.welfareAssistanceEndedPerYear],
      ['mental-health:suicide-attempt-reported', rates.suicideAttemptsPerYear],
      ['mental-health:community-case-opened', rates.mentalHealthCasesOpenedPerYear],
      ['protection-case:opened', protectionCasesOpened(rates)],
      ['education:attendance-drop', rates.attendanceDropsPerYear],
      ['education:dropout', rates.dropoutsPerYear],
      ['education:counselling-tier-changed', rates.counsellingTierChangesPerYear],
      ['education:student-of-concern', rates.studentsOfConcernPerYear],
      ['employment:job-seeker-registered', rates.jobSeekerRegistrationsPerYear],
      ['employment:disadvantaged-group-service', rates.disadvantagedServicesPerYear],
      ['employment:youth-employment-service', rates.youthEmploymentServicesPerYear],
    ];
    for (const [key, want] of expected) {
      const got = counts.get(key) ?? 0;
      // ±10 %; for the rarest kinds (< 900 a year) a 10 % band is under three Poisson standard
      // deviations, so they get 3.5 of them instead.
      const tolerance = Math.max(0.1 * want, 3.5 * Math.sqrt(want));
      expect({ key, got, within: Math.abs(got - want) <= tolerance }).toEqual({ key, got, within: true });
    }
    expect(rates.reportsPerYear).toBe(5_250);
    expect(rates.welfareVisitsPerYear).toBeCloseTo(1_900);
  });

  it('reports about 5 % of incidents three times and 15 % twice, by different channels, under one incidentId', () => {
    const incidents = new Map<string, IntakeReport[]>();
    for (const r of reports) incidents.set(r.truth.incidentId, [...(incidents.get(r.truth.incidentId) ?? []), r]);
    const sizes = countBy([...incidents.values()], (list) => String(list.length));
    const total = incidents.size;
    expect(Math.abs((sizes.get('2') ?? 0) / total - 0.15)).toBeLessThan(0.02);
    expect(Math.abs((sizes.get('3') ?? 0) / total - 0.05)).toBeLessThan(0.015);
    const inconsistent = [...incidents.values()].filter(
      (list) =>
        new Set(list.map((r) => r.channel)).size !== list.length ||
        new Set(list.map((r) => r.truth.householdId)).size !== 1 ||
        new Set(list.map((r) => r.truth.persons.map((p) => p.personId).join())).size !== 1 ||
        list.some((r, i) => r.truth.reportOfIncident !== i + 1),
    );
    expect(inconsistent).toEqual([]);
    expect(new Set(reports.map((r) => r.reportId)).size).toBe(reports.length);
  });

  it('sends police incidents behind every police report, under the same incidentId', () => {
    const policeIncidents = new Set(events.flatMap((e) => (e.kind === 'police-incident' && e.truth.incidentId !== undefined ? [e.truth.incidentId] : [])));
    const policeReports = reports.filter((r) => r.channel === 'police');
    expect(policeReports.length).toBeGreaterThan(1000);
    expect(policeReports.filter((r) => !policeIncidents.has(r.truth.incidentId))).toEqual([]);
  });

  it('opens protection cases only after a report, and closes or co-cases only opened ones', () => {
    const opened = new Map<string, number>();
    const reported = new Map<string, number>();
    for (const r of reports) if (r.truth.reportOfIncident === 1) reported.set(r.truth.incidentId, r.at.getTime());
    const wrong: SimulatedEvent[] = [];
    let cases = 0;
    for (const e of events) {
      if (e.kind !== 'protection-case') continue;
      cases++;
      if (e.action === 'opened') {
        opened.set(e.caseRef, e.at.getTime());
        if (!(e.at.getTime() > (reported.get(e.truth.incidentId ?? '') ?? Infinity))) wrong.push(e);
      } else if (!(e.at.getTime() > (opened.get(e.caseRef) ?? Infinity))) {
        wrong.push(e);
      }
    }
    expect(wrong).toEqual([]);
    expect(cases).toBeGreaterThan(1000);
  });

  it('names somebody in every narrative, and sometimes an ID or a phone number', () => {
    const unnamed = reports.filter((r) => !r.persons.some((p) => p.name !== undefined && r.narrative.includes(p.name)));
    expect(unnamed.map((r) => r.narrative)).toEqual([]);
    const withId = reports.filter((r) => /[A-Z][12789]\d{8}/.test(r.narrative)).length / reports.length;
    const withPhone = reports.filter((r) => /09\d\d-\d{3}-\d{3}|049-\d{7}/.test(r.narrative)).length / reports.length;
    expect(withId).toBeGreaterThan(0.03);
    expect(withPhone).toBeGreaterThan(0.05);
  });

  it('places events in Nantou townships and districts, and police in the directory precincts', () => {
    const codes = new Set(NANTOU.townships.map((t) => t.code));
    const districts = new Set(NANTOU.districts.map((d) => d.id));
    const precincts = new Set(['nantou', 'caotun', 'puli', 'zhushan', 'jiji']);
    const misplaced = events.filter(
      (e) =>
        !codes.has(e.townshipCode) ||
        (e.kind !== 'report' && !districts.has(e.districtId)) ||
        (e.kind === 'police-incident' && !precincts.has(e.precinct)),
    );
    expect(misplaced).toEqual([]);
  });

  it('is deterministic: the same seed gives the same events, another seed others', () => {
    const window = { from: new Date('2024-03-01T00:00:00+08:00'), to: new Date('2024-03-08T00:00:00+08:00') };
    const a = [...eventStream({ county: NANTOU, seed: 11 }, window)];
    const b = [...eventStream({ county: NANTOU, seed: 11 }, window)];
    const c = [...eventStream({ county: NANTOU, seed: 12 }, window)];
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
    expect(a.length).toBeGreaterThan(300);
  });
});

describe('stream independence', () => {
  const county = scaleCounty(NANTOU, 60_000);
  const window = { from: new Date('2024-05-01T00:00:00+08:00'), to: new Date('2024-07-01T00:00:00+08:00') };
  const all = [...eventStream({ county, seed: 4 }, window)];

  it('reportStream gives exactly the reports of eventStream', () => {
    expect(JSON.stringify([...reportStream({ county, seed: 4 }, window)])).toBe(JSON.stringify(reportsOf(all)));
  });

  it('leaving kinds out, or changing another kind’s rate, changes nothing else', () => {
    const visits = [...eventStream({ county, seed: 4 }, { ...window, kinds: ['welfare-visit', 'protection-case'] })];
    expect(JSON.stringify(visits)).toBe(JSON.stringify(all.filter((e) => e.kind === 'welfare-visit' || e.kind === 'protection-case')));
    const busierSchools = [...eventStream({ county, seed: 4 }, { ...window, rates: { attendanceDropsPerYear: 5_000 } })];
    expect(JSON.stringify(reportsOf(busierSchools))).toBe(JSON.stringify(reportsOf(all)));
    expect(busierSchools.length).toBeGreaterThan(all.length);
  });

  it('gives the same events from a population in memory as from county and seed', () => {
    const population = countyPopulation(county, 4);
    expect(JSON.stringify([...eventStream(population, window)])).toBe(JSON.stringify(all));
  });
});

describe('truth and noise over many reports', () => {
  // A small county with a national-scale report rate: ≈ 100,000 reported persons.
  const county = scaleCounty(NANTOU, 40_000);
  const population = countyPopulation(county, 21);
  let reports: IntakeReport[] = [];

  beforeAll(() => {
    reports = [...reportStream(population, { ...year2024, rates: { reportsPerYear: 40_000 } })];
  }, 60_000);

  it("every report's truth refers to existing persons in the reported household (or, for outsiders, elsewhere)", () => {
    expect(reports.length).toBeGreaterThan(35_000);
    const wrong = reports.filter((r) => {
      const household = population.household(r.truth.householdId);
      return (
        household === undefined ||
        r.truth.persons.length !== r.persons.length ||
        r.townshipCode !== household.townshipCode ||
        r.truth.persons.some((t, i) => {
          const person = population.person(t.personId);
          return person === undefined || (person.householdId !== r.truth.householdId && r.persons[i].role !== 'alleged-perpetrator');
        })
      );
    });
    expect(wrong).toEqual([]);
  });

  it('applies each kind of noise at its configured rate', () => {
    type Sample = { person: Person; channel: ReportChannel; role: string; noise: readonly NoiseKind[]; reportedId?: string };
    const samples: Sample[] = reports.flatMap((r) =>
      r.truth.persons.map((t, i) => ({
        person: population.person(t.personId) as Person,
        channel: r.channel,
        role: r.persons[i].role,
        noise: t.noise,
        reportedId: r.persons[i].nationalId,
      })),
    );
    const rate = (list: readonly Sample[], kind: NoiseKind): { observed: number; n: number } => ({
      observed: list.filter((s) => s.noise.includes(kind)).length / list.length,
      n: list.length,
    });
    const near = (label: string, { observed, n }: { observed: number; n: number }, p: number): void => {
      const tolerance = 4 * Math.sqrt((p * (1 - p)) / n) + 0.003;
      expect({ label, observed, ok: Math.abs(observed - p) <= tolerance }).toEqual({ label, observed, ok: true });
    };
    const victims = samples.filter((s) => s.role !== 'alleged-perpetrator');
    for (const channel of REPORT_CHANNELS) {
      const byChannel = victims.filter((s) => s.channel === channel);
      if (byChannel.length < 300) continue;
      near(`missing ID ${channel}`, rate(byChannel, 'national-id-missing'), DEFAULT_NOISE.missingNationalId[channel]);
      near(`missing birth date ${channel}`, rate(byChannel, 'birth-date-missing'), DEFAULT_NOISE.missingBirthDate[channel]);
    }
    near('missing ID, police, perpetrators', rate(samples.filter((s) => s.channel === 'police' && s.role === 'alleged-perpetrator'), 'national-id-missing'), 0.075);

    const withId = samples.filter((s) => !s.noise.includes('national-id-missing'));
    near('ID typo', rate(withId, 'national-id-typo'), DEFAULT_NOISE.nationalIdTypo);
    const typos = withId.filter((s) => s.noise.includes('national-id-typo'));
    expect(typos.every((s) => s.reportedId !== s.person.nationalId)).toBe(true);
    expect(typos.filter((s) => !isValidNationalId(s.reportedId ?? '')).length / typos.length).toBeGreaterThan(0.75);
    expect(withId.filter((s) => !s.noise.includes('national-id-typo')).every((s) => s.reportedId === s.person.nationalId)).toBe(true);

    near('name variant', rate(samples.filter((s) => hasVariant(s.person.name)), 'name-variant'), DEFAULT_NOISE.nameVariant);
    near('name homophone', rate(samples.filter((s) => !s.person.traditionalName && hasHomophone(s.person.name)), 'name-homophone'), DEFAULT_NOISE.nameHomophone);
    near(
      'missing given-name character',
      rate(samples.filter((s) => !s.person.traditionalName && s.person.givenName.length >= 2), 'name-missing-character'),
      DEFAULT_NOISE.nameMissingCharacter,
    );
    near(
      'surname only',
      rate(samples.filter((s) => !s.person.traditionalName && INFORMAL_CHANNELS.includes(s.channel)), 'name-surname-only'),
      DEFAULT_NOISE.nameSurnameOnly,
    );
    const withBirthDate = samples.filter((s) => !s.noise.includes('birth-date-missing'));
    near('birth date transposed', rate(withBirthDate, 'birth-date-transposed'), DEFAULT_NOISE.birthDateTransposed);
    near('birth date mistyped', rate(withBirthDate, 'birth-date-mistyped'), DEFAULT_NOISE.birthDateMistyped);
    near('birth date in ROC calendar', rate(withBirthDate, 'birth-date-roc-calendar'), DEFAULT_NOISE.birthDateRocCalendar);
    near('address missing', rate(samples, 'address-missing'), DEFAULT_NOISE.missingAddress);
    near(
      'old address',
      rate(samples.filter((s) => s.person.previousAddress !== undefined && !s.noise.includes('address-missing')), 'old-address'),
      DEFAULT_NOISE.oldAddress,
    );
    near('sex missing', rate(samples, 'sex-missing'), DEFAULT_NOISE.missingSex);
  });

  it('reports the same people repeatedly (re-reported families and repeat incidents)', () => {
    const perPerson = countBy(
      reports.flatMap((r) => r.truth.persons.map((p) => p.personId)),
      (id) => id,
    );
    const repeated = [...perPerson.values()].filter((n) => n >= 2).length / perPerson.size;
    expect(repeated).toBeGreaterThan(0.2);
  });
});
