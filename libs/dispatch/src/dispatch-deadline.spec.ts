import { RISK_LIGHTS } from '@weave/screening';
import { dispatchDeadline, escalationStep, supervisorOf, type DispatchState } from './dispatch-deadline';
import { loadDispatchRouting } from './load-dispatch-routing';
import { HOUR, MINUTE, RECEIVED_AT, directorySupervisors, shippedTable, shippedTableText } from './testing/dispatch-fixtures';

const table = shippedTable();
const directory = directorySupervisors();

describe('dispatchDeadline', () => {
  it.each([
    ['red', 1],
    ['orange', 4],
    ['yellow', 12],
    ['green', 24],
  ] as const)('gives %s %i h from receipt', (light, hours) => {
    expect(dispatchDeadline(RECEIVED_AT, light, table)).toBe(RECEIVED_AT + hours * HOUR);
  });

  it('never exceeds 24 hours and graver lights are never later', () => {
    const deadlines = RISK_LIGHTS.map((l) => dispatchDeadline(RECEIVED_AT, l, table) - RECEIVED_AT);
    expect(Math.max(...deadlines)).toBeLessThanOrEqual(24 * HOUR);
    expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b));
  });

  it('reads fractional hours from the table', () => {
    const half = loadDispatchRouting(shippedTableText().replace('red: 1\n', 'red: 0.5\n'));
    expect(dispatchDeadline(RECEIVED_AT, 'red', half)).toBe(RECEIVED_AT + 30 * MINUTE);
  });
});

describe('escalationStep', () => {
  const state = (o: Partial<DispatchState> = {}): DispatchState => ({ unitId: 'nantou-swc-puli', urgency: 'orange', receivedAt: RECEIVED_AT, escalations: [], ...o });
  const deadline = RECEIVED_AT + 4 * HOUR;

  it('waits until the deadline', () => {
    expect(escalationStep(state(), RECEIVED_AT + HOUR, table, directory)).toEqual({ kind: 'none', reason: 'before-deadline', nextCheckAt: deadline });
    expect(escalationStep(state(), deadline - 1, table, directory)).toEqual({ kind: 'none', reason: 'before-deadline', nextCheckAt: deadline });
  });

  it('does nothing once acknowledged, even after the deadline', () => {
    expect(escalationStep(state({ acknowledgedAt: RECEIVED_AT + HOUR }), deadline + HOUR, table, directory)).toEqual({ kind: 'none', reason: 'acknowledged' });
    expect(escalationStep(state({ acknowledgedAt: deadline + 10 * MINUTE, escalations: [{ level: 'supervisor', to: 'nantou-social-affairs-bureau', at: deadline }] }), deadline + HOUR, table, directory).kind).toBe('none');
  });

  it('escalates to the supervisor at the deadline, checking again after the grace', () => {
    expect(escalationStep(state(), deadline, table, directory)).toEqual({
      kind: 'escalate',
      level: 'supervisor',
      to: 'nantou-social-affairs-bureau',
      why: 'not acknowledged by its orange deadline',
      nextCheckAt: deadline + 60 * MINUTE,
    });
  });

  it('waits out the grace, counted from the supervisor escalation', () => {
    const escalated = state({ escalations: [{ level: 'supervisor', to: 'nantou-social-affairs-bureau', at: deadline + 30 * MINUTE }] });
    expect(escalationStep(escalated, deadline + 60 * MINUTE, table, directory)).toEqual({ kind: 'none', reason: 'within-grace', nextCheckAt: deadline + 90 * MINUTE });
  });

  it('goes up a level after the grace, to the supervisor\'s supervisor', () => {
    const escalated = state({ unitId: 'nantou-protection-team', urgency: 'red', escalations: [{ level: 'supervisor', to: 'nantou-protection-supervisors', at: RECEIVED_AT + HOUR }] });
    expect(escalationStep(escalated, RECEIVED_AT + HOUR + 30 * MINUTE, table, directory)).toEqual({
      kind: 'escalate',
      level: 'upper-level',
      to: 'nantou-social-affairs-bureau',
      why: 'still not acknowledged 30 min after nantou-protection-supervisors was told',
    });
  });

  it('goes up to the table\'s upper level when the supervisor has no supervisor of its own', () => {
    const escalated = state({ unitId: 'nantou-cmhc', urgency: 'green', escalations: [{ level: 'supervisor', to: 'nantou-health-bureau', at: RECEIVED_AT + 24 * HOUR }] });
    const step = escalationStep(escalated, RECEIVED_AT + 28 * HOUR, table, directory);
    expect(step).toMatchObject({ kind: 'escalate', level: 'upper-level', to: 'nantou-social-affairs-bureau' });
  });

  it('goes straight up a level for a unit without a supervisor', () => {
    const step = escalationStep(state({ unitId: 'nantou-employment-station', urgency: 'yellow' }), RECEIVED_AT + 12 * HOUR, table, directory);
    expect(step).toEqual({ kind: 'escalate', level: 'upper-level', to: 'nantou-social-affairs-bureau', why: 'not acknowledged by its yellow deadline and nantou-employment-station has no supervisor' });
  });

  it('stops once escalated up a level', () => {
    const done = state({ escalations: [{ level: 'supervisor', to: 'a', at: deadline }, { level: 'upper-level', to: 'b', at: deadline + HOUR }] });
    expect(escalationStep(done, deadline + 10 * HOUR, table, directory)).toEqual({ kind: 'none', reason: 'fully-escalated' });
  });

  it.each(RISK_LIGHTS)('walks the whole ladder for %s', (urgency) => {
    let s = state({ unitId: 'nantou-protection-team', urgency });
    const due = dispatchDeadline(RECEIVED_AT, urgency, table);
    const grace = table.graceMinutes[urgency] * MINUTE;
    const kinds: string[] = [];
    for (const now of [RECEIVED_AT, due, due + grace - 1, due + grace, due + grace + HOUR]) {
      const step = escalationStep(s, now, table, directory);
      kinds.push(step.kind === 'none' ? step.reason : `${step.level}:${step.to}`);
      if (step.kind === 'escalate') s = { ...s, escalations: [...s.escalations, { level: step.level, to: step.to, at: now }] };
    }
    expect(kinds).toEqual(['before-deadline', 'supervisor:nantou-protection-supervisors', 'within-grace', 'upper-level:nantou-social-affairs-bureau', 'fully-escalated']);
  });

  it('lets the table\'s supervisors win over the directory', () => {
    const custom = loadDispatchRouting(shippedTableText().replace('  upper_level: county_bureau\n', '  upper_level: county_bureau\n  supervisors:\n    nantou-swc-puli: nantou-intake-centre\n'));
    expect(supervisorOf('nantou-swc-puli', custom, directory)).toBe('nantou-intake-centre');
    expect(supervisorOf('nantou-swc-puli', table, directory)).toBe('nantou-social-affairs-bureau');
    expect(supervisorOf('nantou-social-affairs-bureau', table, directory)).toBeUndefined();
    expect(supervisorOf('nantou-swc-puli', table, { 'nantou-swc-puli': 'x' })).toBe('x');
  });
});
