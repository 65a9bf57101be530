import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScreeningRules, type ScreeningRules } from '../load-screening-rules';
import type { ScreeningInput } from '../screen';

export const SHIPPED_RULES_PATH = join(__dirname, '../../../../rules/screening-rules.yaml');

export function shippedRulesText(): string {
  return readFileSync(SHIPPED_RULES_PATH, 'utf8');
}

export function shippedRules(): ScreeningRules {
  return loadScreeningRules(shippedRulesText(), 'rules/screening-rules.yaml');
}

export const RECEIVED_AT = Date.parse('2026-11-23T09:00:00.000Z');
export const DAY = 24 * 3600 * 1000;

/** A plain vulnerable-family report from the public that fires no rule. */
export function input(overrides: Partial<ScreeningInput> = {}): ScreeningInput {
  return {
    reportedCategory: 'vulnerable-family',
    channel: 'public-online',
    reporterType: 'neighbour',
    responsibleReporter: false,
    needs: ['economic'],
    persons: [{ role: 'reported-person', age: 40 }],
    indicators: [],
    receivedAt: RECEIVED_AT,
    priorReports: [],
    familyCase: 'none',
    ...overrides,
  };
}
