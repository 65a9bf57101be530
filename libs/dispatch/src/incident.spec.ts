import { incidentKey, mergeIncidents, sameIncident, type IncidentReport } from './incident';
import { HOUR, RECEIVED_AT, shippedTable } from './testing/dispatch-fixtures';

const table = shippedTable();

function report(o: Partial<IncidentReport> = {}): IncidentReport {
  return { reportId: 'r1', familyId: 'f1', personIds: ['p-child', 'p-mother'], category: 'adult-protection', receivedAt: RECEIVED_AT, ...o };
}

describe('sameIncident', () => {
  it.each<[string, Partial<IncidentReport>, boolean]>([
    ['the police DV report and the school child-protection report, 5 h apart', { reportId: 'r2', category: 'child-protection', personIds: ['p-child'], receivedAt: RECEIVED_AT + 5 * HOUR }, true],
    ['exactly at the 72 h window', { reportId: 'r2', receivedAt: RECEIVED_AT + 72 * HOUR }, true],
    ['just after the window', { reportId: 'r2', receivedAt: RECEIVED_AT + 72 * HOUR + 1 }, false],
    ['earlier, within the window', { reportId: 'r2', receivedAt: RECEIVED_AT - 10 * HOUR }, true],
    ['another family', { reportId: 'r2', familyId: 'f2' }, false],
    ['no person in common', { reportId: 'r2', personIds: ['p-grandmother'] }, false],
    ['no linked persons', { reportId: 'r2', personIds: [] }, false],
    ['an incompatible category (protection vs vulnerable family)', { reportId: 'r2', category: 'vulnerable-family' }, false],
    ['protection vs suicide risk', { reportId: 'r2', category: 'suicide-risk' }, false],
    ['the same report', {}, true],
  ])('%s', (_name, other, expected) => {
    expect(sameIncident(report(), report(other), table)).toBe(expected);
    expect(sameIncident(report(other), report(), table)).toBe(expected);
  });

  it('groups mental-health crisis with suicide risk', () => {
    const a = report({ category: 'mental-health-crisis' });
    expect(sameIncident(a, report({ reportId: 'r2', category: 'suicide-risk' }), table)).toBe(true);
  });
});

describe('incidentKey', () => {
  it('is the family and the category group', () => {
    expect(incidentKey(report(), table)).toBe('f1|protection');
    expect(incidentKey(report({ category: 'sexual-assault' }), table)).toBe(incidentKey(report(), table));
    expect(incidentKey(report({ category: 'suicide-risk' }), table)).toBe('f1|mental-health');
  });
});

describe('mergeIncidents', () => {
  it('dispatches the first report and merges the rest, whatever order they arrive in', () => {
    const police = report({ reportId: 'police', receivedAt: RECEIVED_AT });
    const school = report({ reportId: 'school', category: 'child-protection', personIds: ['p-child'], receivedAt: RECEIVED_AT + 6 * HOUR });
    const hospital = report({ reportId: 'hospital', personIds: ['p-mother'], receivedAt: RECEIVED_AT + 20 * HOUR });
    const welfare = report({ reportId: 'welfare', category: 'vulnerable-family', receivedAt: RECEIVED_AT + HOUR });
    const later = report({ reportId: 'later', receivedAt: RECEIVED_AT + 10 * 24 * HOUR });
    const incidents = mergeIncidents([later, hospital, welfare, school, police], table);
    expect(incidents.map((i) => [i.first.reportId, i.merged.map((r) => r.reportId)])).toEqual([
      ['police', ['school', 'hospital']],
      ['welfare', []],
      ['later', []],
    ]);
  });

  it('chains reports each within the window of the previous one', () => {
    const reports = [0, 60, 120, 180].map((h, i) => report({ reportId: `r${i}`, receivedAt: RECEIVED_AT + h * HOUR }));
    expect(mergeIncidents(reports, table)).toHaveLength(1);
  });

  it('never dispatches a report twice', () => {
    const reports = Array.from({ length: 30 }, (_, i) => report({ reportId: `r${i}`, familyId: `f${i % 3}`, personIds: [`p${i % 2}`], receivedAt: RECEIVED_AT + i * 11 * HOUR }));
    const incidents = mergeIncidents(reports, table);
    const all = incidents.flatMap((i) => [i.first, ...i.merged].map((r) => r.reportId));
    expect(all.sort()).toEqual(reports.map((r) => r.reportId).sort());
  });
});
