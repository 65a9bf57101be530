/**
 * A family's case status at its lead unit, and the events that move it. Seed 004 asks for
 * long-term care households (長期關懷戶) beside opened / not opened / closed: families a welfare
 * centre supports indefinitely, which should neither be forced closed nor counted as open cases.
 */
export const CASE_STATUSES = [
  'pending-screening', // 待篩案: received, not yet screened
  'dispatched', // 已派案: with a unit for assessment
  'opened', // 開案
  'not-opened', // 不開案
  'closed', // 結案
  'long-term-care', // 長期關懷戶
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_EVENTS = [
  'dispatched', // screening done, sent to a unit
  'assessed-open', // the unit's assessment opens a case
  'assessed-not-open', // the assessment finds no case to open
  'new-report', // a new report about a family whose earlier report was not opened
  'designated-long-term-care', // the centre will support the family indefinitely
  'closed', // goals met or family moved
  'reopened', // a closed or long-term-care family needs active casework again (a new report, reassessed)
] as const;
export type CaseEvent = (typeof CASE_EVENTS)[number];

/**
 * The allowed transitions. Why these and no others:
 * - only an assessment opens or declines a case, so both leave from dispatched;
 * - a not-opened family's new report is assessed afresh (back to dispatched);
 * - a closed or long-term-care family's new trouble reopens the same case, keeping its history;
 * - long-term care is entered from an open case (the centre knows the family) and ends in
 *   closure or reopening, never silently.
 */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, Readonly<Partial<Record<CaseEvent, CaseStatus>>>>> = {
  'pending-screening': { dispatched: 'dispatched' },
  dispatched: { 'assessed-open': 'opened', 'assessed-not-open': 'not-opened' },
  'not-opened': { 'new-report': 'dispatched' },
  opened: { closed: 'closed', 'designated-long-term-care': 'long-term-care' },
  'long-term-care': { closed: 'closed', reopened: 'opened' },
  closed: { reopened: 'opened' },
};

export interface AllowedTransition {
  readonly event: CaseEvent;
  readonly to: CaseStatus;
}

export interface TransitionRefusal {
  readonly from: CaseStatus;
  readonly event: CaseEvent;
  readonly allowed: readonly AllowedTransition[];
  readonly message: string;
}

export type TransitionResult = { readonly ok: true; readonly status: CaseStatus } | { readonly ok: false; readonly refusal: TransitionRefusal };

export function allowedTransitions(from: CaseStatus): AllowedTransition[] {
  return CASE_EVENTS.flatMap((event) => {
    const to = CASE_TRANSITIONS[from][event];
    return to === undefined ? [] : [{ event, to }];
  });
}

/** The status after the event, or a refusal that names what the status allows. */
export function transition(from: CaseStatus, event: CaseEvent): TransitionResult {
  const to = CASE_TRANSITIONS[from][event];
  if (to !== undefined) return { ok: true, status: to };
  const allowed = allowedTransitions(from);
  const list = allowed.length === 0 ? 'nothing' : allowed.map((a) => `${a.event} → ${a.to}`).join(', ');
  return { ok: false, refusal: { from, event, allowed, message: `${event} is not allowed from ${from}; allowed: ${list}` } };
}
