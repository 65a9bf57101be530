/**
 * Measures linkage against the synthetic county's answer key: builds the registry snapshot
 * into a `PersonIndex`, streams a span of intake reports, links every reported person and
 * counts what went right. Shared by the `quality` command and the property test; it lives
 * beside the CLI because it needs `@weave/synthetic`, which shipped code must not.
 */
import { createHash } from 'node:crypto';
import { PseudonymKey } from '@weave/identity';
import { PopulationModel, reportStream, type CountyConfig, type IntakeReport, type NoiseKind, type Person, type Seed } from '@weave/synthetic';
import { FamilyIndex } from '../family-index';
import { LinkageKeys } from '../linkage-keys';
import { PersonIndex, type LinkDecision, type LinkOutcome, type LinkageThresholds, type RegistryPerson } from '../person-index';

export interface QualityOptions {
  readonly county: CountyConfig;
  readonly seed: Seed;
  readonly from: Date;
  readonly to: Date;
  readonly reportsPerYear?: number;
  /** Every n-th household is left out of the registry snapshot (persons the index cannot know). */
  readonly holdOutEvery?: number;
  readonly thresholds?: LinkageThresholds;
  /** Also maintain families (FamilyIndex) for the registry and each report (default true). */
  readonly families?: boolean;
}

export interface Tally {
  persons: number;
  correct: number;
  wrong: number;
  review: number;
  unlinked: number;
}

export interface QualityFigures {
  readonly registryPersons: number;
  readonly reports: number;
  readonly reportedPersons: number;
  readonly inRegistry: number;
  readonly exactId: number;
  readonly autoLink: number;
  readonly review: number;
  readonly created: number;
  /** Correct exact-id and auto-links over all of them. */
  readonly precision: number;
  /** Correct exact-id and auto-links of registry persons over reported registry persons. */
  readonly recall: number;
  /** Reported persons sent to the review queue. */
  readonly reviewRate: number;
  /** Persons not in the registry who were linked to someone else. */
  readonly outsidersWronglyLinked: number;
  readonly outsiders: number;
  readonly byKind: ReadonlyMap<NoiseKind | 'none', Tally>;
  readonly buildMs: number;
  readonly linkMs: number;
  readonly linksPerSecond: number;
  readonly familyCount: number;
  readonly familyMerges: number;
  readonly candidatesPerFuzzyLink: number;
}

/** A fixed demo key: the figures must be reproducible, and the data is synthetic. */
export function demoKeys(): LinkageKeys {
  return new LinkageKeys(new PseudonymKey(createHash('sha256').update('weave linkage quality demo key').digest()));
}

function registryPerson(p: Person): RegistryPerson {
  return {
    nationalId: p.nationalId,
    name: p.name,
    birthDate: p.birthDate,
    sex: p.sex,
    address: p.address.text,
    previousAddresses: p.previousAddress === undefined ? undefined : [p.previousAddress.text],
    townshipCode: p.address.townshipCode,
    householdId: p.householdId,
  };
}

const emptyTally = (): Tally => ({ persons: 0, correct: 0, wrong: 0, review: 0, unlinked: 0 });

export function measureLinkage(options: QualityOptions, keys: LinkageKeys = demoKeys()): QualityFigures {
  const holdOut = options.holdOutEvery ?? 50;
  const withFamilies = options.families ?? true;
  const model = new PopulationModel(options.county, options.seed);
  const index = new PersonIndex(keys, { thresholds: options.thresholds, expectedSize: Math.round(options.county.population * 1.05) });
  const families = withFamilies ? new FamilyIndex(keys) : undefined;
  // The answer key per index entry, packed as household index × 8 + member (a string per
  // entry would cost more than the index itself at national scale). -1: not known.
  let truthOf = new Int32Array(Math.round(options.county.population * 1.1)).fill(-1);
  const packTruth = (personId: string): number => {
    const dash = personId.lastIndexOf('-');
    const household = model.householdIndexOf(personId.slice(0, dash)) ?? -1;
    return household * 8 + Number(personId.slice(dash + 1));
  };
  const setTruth = (entry: number, personId: string): void => {
    if (entry >= truthOf.length) {
      const grown = new Int32Array(entry * 2).fill(-1);
      grown.set(truthOf);
      truthOf = grown;
    }
    truthOf[entry] = packTruth(personId);
  };
  const buildStart = performance.now();
  for (const household of model.households()) {
    if (holdOut > 0 && household.index % holdOut === holdOut - 1) continue;
    const members: string[] = [];
    for (const p of household.members) {
      members.push(index.add(registryPerson(p)));
      setTruth(index.size - 1, p.personId);
    }
    families?.addHousehold(household.householdId, members);
  }
  const buildMs = performance.now() - buildStart;
  const registryPersons = index.size;

  let reports = 0;
  let reportedPersons = 0;
  let inRegistry = 0;
  let linkMs = 0;
  let familyMerges = 0;
  let outsiders = 0;
  let outsidersWronglyLinked = 0;
  const counts: Record<LinkOutcome, number> = { 'exact-id': 0, 'auto-link': 0, review: 0, new: 0 };
  let linkedCorrect = 0;
  let linkedTotal = 0;
  let recalled = 0;
  const byKind = new Map<NoiseKind | 'none', Tally>();
  const rates = options.reportsPerYear === undefined ? {} : { reportsPerYear: options.reportsPerYear };
  // Reports are generated a batch at a time and linked after, so that the generator's own
  // work (and garbage) is not counted as linking time.
  const batch: IntakeReport[] = [];
  const stream = reportStream(model, { from: options.from, to: options.to, rates });
  for (let done = false; !done; ) {
    batch.length = 0;
    for (let next = stream.next(); ; next = stream.next()) {
      if (next.done === true) {
        done = true;
        break;
      }
      batch.push(next.value);
      if (batch.length === 2000) break;
    }
    const started = performance.now();
    const linked = batch.map((report) => index.linkReport({ reportId: report.reportId, townshipCode: report.townshipCode, at: report.at, persons: report.persons }));
    linkMs += performance.now() - started;
    batch.forEach((report, b) => tallyReport(report, linked[b]));
  }
  function tallyReport(report: IntakeReport, decisions: readonly LinkDecision[]): void {
    reports++;
    const linkedTogether: string[] = [];
    decisions.forEach((d, i) => {
      const truth = report.truth.persons[i];
      const household = model.householdIndexOf(truth.personId.slice(0, truth.personId.lastIndexOf('-')));
      const registered = holdOut <= 0 || household === undefined || household % holdOut !== holdOut - 1;
      reportedPersons++;
      counts[d.outcome]++;
      if (registered) inRegistry++;
      else outsiders++;
      const entry = d.personPseudonym === undefined ? undefined : index.entryOf(d.personPseudonym);
      if (d.outcome === 'new' && entry !== undefined) setTruth(entry, truth.personId);
      if (d.personPseudonym !== undefined) linkedTogether.push(d.personPseudonym);
      let correct = false;
      const linked = d.outcome === 'exact-id' || d.outcome === 'auto-link';
      if (linked && entry !== undefined) {
        correct = truthOf[entry] === packTruth(truth.personId) && (!registered || entry < registryPersons);
        linkedTotal++;
        if (correct) linkedCorrect++;
        if (correct && registered) recalled++;
        if (!correct && !registered) outsidersWronglyLinked++;
      }
      const kinds: readonly (NoiseKind | 'none')[] = !registered ? [] : truth.noise.length === 0 ? ['none'] : truth.noise;
      for (const k of kinds) {
        const t = byKind.get(k) ?? emptyTally();
        t.persons++;
        if (linked) {
          if (correct) t.correct++;
          else t.wrong++;
        } else if (d.outcome === 'review') t.review++;
        else t.unlinked++;
        byKind.set(k, t);
      }
    });
    if (families !== undefined && linkedTogether.length > 0) {
      familyMerges += families.linkTogether(linkedTogether, report.reportId).merges.length;
    }
  }
  return {
    registryPersons,
    reports,
    reportedPersons,
    inRegistry,
    exactId: counts['exact-id'],
    autoLink: counts['auto-link'],
    review: counts.review,
    created: counts.new,
    precision: linkedTotal === 0 ? 1 : linkedCorrect / linkedTotal,
    recall: inRegistry === 0 ? 1 : recalled / inRegistry,
    reviewRate: reportedPersons === 0 ? 0 : counts.review / reportedPersons,
    outsiders,
    outsidersWronglyLinked,
    byKind,
    buildMs,
    linkMs,
    linksPerSecond: linkMs === 0 ? 0 : reportedPersons / (linkMs / 1000),
    familyCount: families?.size ?? 0,
    candidatesPerFuzzyLink: index.stats.candidates / Math.max(1, index.stats.fuzzyLinks),
    familyMerges,
  };
}
