import { CASE_EVENTS, CASE_STATUSES, allowedTransitions, transition, type CaseEvent, type CaseStatus } from './case-status';

/** Every allowed transition, written out once more so a change to the table is a deliberate one. */
const ALLOWED: readonly [CaseStatus, CaseEvent, CaseStatus][] = [
  ['pending-screening', 'dispatched', 'dispatched'],
  ['dispatched', 'assessed-open', 'opened'],
  ['dispatched', 'assessed-not-open', 'not-opened'],
  ['not-opened', 'new-report', 'dispatched'],
  ['opened', 'closed', 'closed'],
  ['opened', 'designated-long-term-care', 'long-term-care'],
  ['long-term-care', 'closed', 'closed'],
  ['long-term-care', 'reopened', 'opened'],
  ['closed', 'reopened', 'opened'],
];

const allowedKey = new Set(ALLOWED.map(([from, event]) => `${from}|${event}`));
const REFUSED = CASE_STATUSES.flatMap((from) => CASE_EVENTS.filter((event) => !allowedKey.has(`${from}|${event}`)).map((event) => [from, event] as const));

describe('transition', () => {
  it.each(ALLOWED)('allows %s --%s--> %s', (from, event, to) => {
    expect(transition(from, event)).toEqual({ ok: true, status: to });
  });

  it.each(REFUSED)('refuses %s --%s-->, naming what is allowed', (from, event) => {
    const result = transition(from, event);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const allowed = ALLOWED.filter(([f]) => f === from).map(([, e, to]) => ({ event: e, to }));
    expect(result.refusal).toEqual({ from, event, allowed: expect.arrayContaining(allowed), message: expect.stringContaining(`${event} is not allowed from ${from}; allowed: `) });
    expect(result.refusal.allowed).toHaveLength(allowed.length);
    for (const a of allowed) expect(result.refusal.message).toContain(`${a.event} → ${a.to}`);
  });

  it('covers every status and event pair', () => {
    expect(ALLOWED.length + REFUSED.length).toBe(CASE_STATUSES.length * CASE_EVENTS.length);
  });

  it('lets every status be reached from pending screening', () => {
    const reached = new Set<CaseStatus>(['pending-screening']);
    for (let changed = true; changed; ) {
      changed = false;
      for (const from of [...reached]) for (const { to } of allowedTransitions(from)) if (!reached.has(to)) changed = reached.add(to) !== undefined;
    }
    expect([...reached].sort()).toEqual([...CASE_STATUSES].sort());
  });

  it('keeps a long-term-care household from being closed or reopened silently: both are explicit events', () => {
    expect(allowedTransitions('long-term-care')).toEqual([
      { event: 'closed', to: 'closed' },
      { event: 'reopened', to: 'opened' },
    ]);
  });
});
