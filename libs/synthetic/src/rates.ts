/**
 * Yearly rates of simulated events, defaulting to Nantou County's figures (seed 004) and
 * scaled with population for other counties. The README's rates table documents each.
 */
import type { ReportCategory, ReportChannel } from './event-types';
import { REPORT_CHANNELS } from './event-types';
import { NANTOU, type CountyConfig } from './geography';

export interface EventRates {
  /** Intake reports a year, repeats of one incident included (seed 004: 10,500 in 2019-2020). */
  readonly reportsPerYear: number;
  /** Share of incidents of each category (normalised). */
  readonly categoryMix: Readonly<Record<ReportCategory, number>>;
  /** Share of incidents reported twice and three times, by different channels. */
  readonly reportedTwice: number;
  readonly reportedThrice: number;
  /** Share of incidents about a family that had an incident recently (re-reports). */
  readonly repeatFamilyShare: number;
  /** Share of protection incidents for which a protection case is opened (seed 004: 33.7 %). */
  readonly protectionOpenRate: number;
  /** Share of opened protection cases that become co-cases (共案) with another network. */
  readonly protectionCoCaseRate: number;
  /** Share of suicide-risk incidents that the mental-health system records as an attempt. */
  readonly suicideAttemptRecordedRate: number;
  /** Police incidents involving families a year, those behind police reports included. */
  readonly policeIncidentsPerYear: number;
  /** Social welfare centre visits to vulnerable families a year. */
  readonly welfareVisitsPerYear: number;
  /** Share of visits to a family reported recently (the rest: families the centre already follows). */
  readonly welfareVisitFollowUpShare: number;
  readonly welfareAssistanceGrantedPerYear: number;
  readonly welfareAssistanceEndedPerYear: number;
  /** Suicide attempts reported to the mental-health system a year, those behind intake reports included. */
  readonly suicideAttemptsPerYear: number;
  readonly mentalHealthCasesOpenedPerYear: number;
  readonly attendanceDropsPerYear: number;
  readonly dropoutsPerYear: number;
  readonly counsellingTierChangesPerYear: number;
  readonly studentsOfConcernPerYear: number;
  readonly jobSeekerRegistrationsPerYear: number;
  readonly disadvantagedServicesPerYear: number;
  readonly youthEmploymentServicesPerYear: number;
}

/** Nantou County, ≈ 483,000 people. */
export const NANTOU_RATES: EventRates = {
  reportsPerYear: 5_250,
  categoryMix: {
    'adult-protection': 0.34,
    'child-protection': 0.24,
    'elder-protection': 0.04,
    'sexual-assault': 0.05,
    'vulnerable-family': 0.2,
    'juvenile-deviant-behaviour': 0.05,
    'mental-health-crisis': 0.03,
    'suicide-risk': 0.05,
  },
  reportedTwice: 0.15,
  reportedThrice: 0.05,
  repeatFamilyShare: 0.2,
  protectionOpenRate: 0.337,
  protectionCoCaseRate: 0.2,
  suicideAttemptRecordedRate: 0.6,
  policeIncidentsPerYear: 2_900,
  welfareVisitsPerYear: 1_900,
  welfareVisitFollowUpShare: 0.5,
  welfareAssistanceGrantedPerYear: 1_100,
  welfareAssistanceEndedPerYear: 450,
  suicideAttemptsPerYear: 720,
  mentalHealthCasesOpenedPerYear: 300,
  attendanceDropsPerYear: 1_200,
  dropoutsPerYear: 70,
  counsellingTierChangesPerYear: 900,
  studentsOfConcernPerYear: 500,
  jobSeekerRegistrationsPerYear: 4_000,
  disadvantagedServicesPerYear: 900,
  youthEmploymentServicesPerYear: 600,
};

/** The fields that are counts per year (scaled with population); the rest are shares. */
export const YEARLY_COUNT_FIELDS = [
  'reportsPerYear',
  'policeIncidentsPerYear',
  'welfareVisitsPerYear',
  'welfareAssistanceGrantedPerYear',
  'welfareAssistanceEndedPerYear',
  'suicideAttemptsPerYear',
  'mentalHealthCasesOpenedPerYear',
  'attendanceDropsPerYear',
  'dropoutsPerYear',
  'counsellingTierChangesPerYear',
  'studentsOfConcernPerYear',
  'jobSeekerRegistrationsPerYear',
  'disadvantagedServicesPerYear',
  'youthEmploymentServicesPerYear',
] as const satisfies readonly (keyof EventRates)[];

/** Nantou's rates scaled to the county's population, then the overrides. */
export function ratesFor(county: CountyConfig, overrides: Partial<EventRates> = {}): EventRates {
  const factor = county.population / NANTOU.population;
  const scaled: Record<string, unknown> = { ...NANTOU_RATES };
  for (const field of YEARLY_COUNT_FIELDS) scaled[field] = NANTOU_RATES[field] * factor;
  return { ...(scaled as unknown as EventRates), ...overrides };
}

/** Which channels report each category (weights; first report and repeats by other channels). */
export const CHANNEL_MIX: Readonly<Record<ReportCategory, Readonly<Partial<Record<ReportChannel, number>>>>> = {
  'adult-protection': { police: 0.45, hospital: 0.22, welfare: 0.08, 'public-online': 0.12, 'mental-health': 0.05, 'village-officer': 0.04, volunteer: 0.04 },
  'child-protection': { school: 0.35, police: 0.14, hospital: 0.12, welfare: 0.12, 'public-online': 0.14, 'village-officer': 0.05, 'convenience-store': 0.03, volunteer: 0.05 },
  'elder-protection': { hospital: 0.25, police: 0.2, welfare: 0.2, 'village-officer': 0.15, 'public-online': 0.1, volunteer: 0.1 },
  'sexual-assault': { school: 0.35, police: 0.3, hospital: 0.25, 'public-online': 0.05, welfare: 0.05 },
  'vulnerable-family': {
    school: 0.2, welfare: 0.13, 'village-officer': 0.12, 'convenience-store': 0.08, volunteer: 0.08, hospital: 0.1,
    employment: 0.07, police: 0.08, 'public-online': 0.14,
  },
  'juvenile-deviant-behaviour': { police: 0.45, school: 0.45, 'public-online': 0.1 },
  'mental-health-crisis': { hospital: 0.3, 'mental-health': 0.3, police: 0.25, 'public-online': 0.15 },
  'suicide-risk': { hospital: 0.5, 'mental-health': 0.2, police: 0.2, school: 0.1 },
};

/** Mean reports per incident. */
export function reportsPerIncident(rates: EventRates): number {
  return 1 + rates.reportedTwice + 2 * rates.reportedThrice;
}

/** Probability that `target` is among the first `n` channels drawn without replacement. */
export function channelAmongFirst(category: ReportCategory, target: ReportChannel, n: number): number {
  const weights = REPORT_CHANNELS.map((c) => CHANNEL_MIX[category][c] ?? 0);
  const t = REPORT_CHANNELS.indexOf(target);
  const walk = (remaining: number[], draws: number): number => {
    if (draws === 0) return 0;
    const total = remaining.reduce((s, w) => s + w, 0);
    if (total <= 0) return 0;
    let p = 0;
    remaining.forEach((w, i) => {
      if (w <= 0) return;
      const q = w / total;
      if (i === t) p += q;
      else {
        const rest = remaining.slice();
        rest[i] = 0;
        p += q * walk(rest, draws - 1);
      }
    });
    return p;
  };
  return walk(weights, n);
}

function normalisedMix(rates: EventRates): Record<ReportCategory, number> {
  const entries = Object.entries(rates.categoryMix) as [ReportCategory, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  return Object.fromEntries(entries.map(([c, w]) => [c, w / total])) as Record<ReportCategory, number>;
}

/** Incidents a year of each category. */
export function incidentsPerYear(rates: EventRates): Record<ReportCategory, number> {
  const incidents = rates.reportsPerYear / reportsPerIncident(rates);
  const mix = normalisedMix(rates);
  return Object.fromEntries(Object.entries(mix).map(([c, share]) => [c, incidents * share])) as Record<ReportCategory, number>;
}

/** Police incidents a year that come with intake incidents (a police report to intake). */
export function policeIncidentsBehindReports(rates: EventRates): number {
  const once = 1 - rates.reportedTwice - rates.reportedThrice;
  let total = 0;
  for (const [category, count] of Object.entries(incidentsPerYear(rates)) as [ReportCategory, number][]) {
    const p =
      once * channelAmongFirst(category, 'police', 1) +
      rates.reportedTwice * channelAmongFirst(category, 'police', 2) +
      rates.reportedThrice * channelAmongFirst(category, 'police', 3);
    total += count * p;
  }
  return total;
}

/** Suicide attempts a year that come with suicide-risk intake incidents. */
export function suicideAttemptsBehindReports(rates: EventRates): number {
  return incidentsPerYear(rates)['suicide-risk'] * rates.suicideAttemptRecordedRate;
}

/** Protection cases opened a year (all come from protection incidents). */
export function protectionCasesOpened(rates: EventRates): number {
  const perCategory = incidentsPerYear(rates);
  return (
    (perCategory['child-protection'] + perCategory['adult-protection'] + perCategory['elder-protection'] + perCategory['sexual-assault']) *
    rates.protectionOpenRate
  );
}
