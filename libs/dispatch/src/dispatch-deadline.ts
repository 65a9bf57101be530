import type { RiskLight } from '@weave/screening';
import type { DispatchTable } from './load-dispatch-routing';

const MINUTE_MS = 60_000;

/** When the dispatch must be acknowledged: receipt plus the light's deadline (epoch ms). */
export function dispatchDeadline(receivedAt: number, urgency: RiskLight, table: DispatchTable): number {
  return receivedAt + table.deadlineMinutes[urgency] * MINUTE_MS;
}

export type EscalationLevel = 'supervisor' | 'upper-level';

export interface EscalationRecord {
  readonly level: EscalationLevel;
  readonly to: string;
  /** Epoch milliseconds. */
  readonly at: number;
}

/** A dispatch as escalation sees it. */
export interface DispatchState {
  readonly unitId: string;
  readonly urgency: RiskLight;
  /** Epoch milliseconds the report was received (deadlines count from receipt). */
  readonly receivedAt: number;
  readonly acknowledgedAt?: number;
  /** What escalationStep already returned and the caller carried out, oldest first. */
  readonly escalations: readonly EscalationRecord[];
}

export type EscalationStep =
  | { readonly kind: 'none'; readonly reason: 'acknowledged' | 'before-deadline' | 'within-grace' | 'fully-escalated'; readonly nextCheckAt?: number }
  | { readonly kind: 'escalate'; readonly level: EscalationLevel; readonly to: string; readonly why: string; readonly nextCheckAt?: number };

/** Unit id → supervisor unit id, e.g. from policies/directory.yaml's `supervisor` field. */
export type SupervisorMap = Readonly<Record<string, string>> | ReadonlyMap<string, string>;

function lookup(map: SupervisorMap, unit: string): string | undefined {
  return map instanceof Map ? map.get(unit) : (map as Readonly<Record<string, string>>)[unit];
}

/** The table's supervisors win over the directory's; a unit that supervises itself has none. */
export function supervisorOf(unitId: string, table: DispatchTable, directory: SupervisorMap = {}): string | undefined {
  const s = table.supervisors[unitId] ?? lookup(directory, unitId);
  return s === undefined || s === unitId ? undefined : s;
}

/**
 * What to do about an unacknowledged dispatch now. Pure: the caller carries the step out,
 * appends it to `escalations` and calls again at `nextCheckAt`.
 */
export function escalationStep(state: DispatchState, now: number, table: DispatchTable, directory: SupervisorMap = {}): EscalationStep {
  if (state.acknowledgedAt !== undefined && state.acknowledgedAt <= now) return { kind: 'none', reason: 'acknowledged' };
  const deadline = dispatchDeadline(state.receivedAt, state.urgency, table);
  if (now < deadline) return { kind: 'none', reason: 'before-deadline', nextCheckAt: deadline };
  const grace = table.graceMinutes[state.urgency] * MINUTE_MS;
  const supervisor = supervisorOf(state.unitId, table, directory);
  const toSupervisor = state.escalations.find((e) => e.level === 'supervisor');
  const upper = state.escalations.find((e) => e.level === 'upper-level');
  if (upper) return { kind: 'none', reason: 'fully-escalated' };
  if (!toSupervisor && supervisor !== undefined) {
    return { kind: 'escalate', level: 'supervisor', to: supervisor, why: `not acknowledged by its ${state.urgency} deadline`, nextCheckAt: now + grace };
  }
  // Grace runs from the supervisor escalation, so a late check does not shorten the supervisor's time.
  if (toSupervisor && now < toSupervisor.at + grace) return { kind: 'none', reason: 'within-grace', nextCheckAt: toSupervisor.at + grace };
  const above = supervisor === undefined ? undefined : supervisorOf(supervisor, table, directory);
  const to = above ?? table.upperLevelUnit;
  const why = supervisor === undefined ? `not acknowledged by its ${state.urgency} deadline and ${state.unitId} has no supervisor` : `still not acknowledged ${table.graceMinutes[state.urgency]} min after ${supervisor} was told`;
  return { kind: 'escalate', level: 'upper-level', to, why };
}
