import { applyOverride, type OverrideField, type ScreeningOverride } from './apply-override';
import { screen } from './screen';
import { OVERRIDE_JUSTIFICATION_MAX, OVERRIDE_REASONS } from './screening-vocabulary';
import { RECEIVED_AT, input, shippedRules } from './testing/screening-fixtures';

const rules = shippedRules();
const decision = screen(input({ indicators: ['injury'], persons: [{ role: 'child', age: 9 }] }), rules);

function override(o: Partial<ScreeningOverride> = {}): ScreeningOverride {
  return {
    urgency: 'orange',
    reason: 'reporter-callback',
    justification: 'Called the teacher back: the child is still at school and refuses to go home.',
    screenerUnitId: 'nantou-intake-centre',
    screenerId: 'screener-07',
    at: RECEIVED_AT + 20 * 60_000,
    ...o,
  };
}

describe('applyOverride', () => {
  it('starts from the automatic decision', () => {
    expect(decision.category).toBe('child-protection');
    expect(decision.urgency).toBe('yellow');
  });

  it('records who, why and from → to, and leaves the input decision alone', () => {
    const result = applyOverride(decision, override());
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.decision.urgency).toBe('orange');
    expect(result.decision.category).toBe('child-protection');
    expect(result.decision.automatic).toEqual({ category: 'child-protection', urgency: 'yellow' });
    expect(result.decision.firedRules).toEqual(decision.firedRules);
    expect(result.decision.overrides).toEqual([
      {
        reason: 'reporter-callback',
        justification: 'Called the teacher back: the child is still at school and refuses to go home.',
        screenerUnitId: 'nantou-intake-centre',
        screenerId: 'screener-07',
        at: RECEIVED_AT + 20 * 60_000,
        from: { category: 'child-protection', urgency: 'yellow' },
        to: { category: 'child-protection', urgency: 'orange' },
      },
    ]);
    expect(decision.overrides).toEqual([]);
    expect(decision.urgency).toBe('yellow');
  });

  it('changes the category, and both at once', () => {
    const result = applyOverride(decision, override({ category: 'vulnerable-family', urgency: 'green', reason: 'additional-information' }));
    expect(result.ok && [result.decision.category, result.decision.urgency]).toEqual(['vulnerable-family', 'green']);
  });

  it('chains overrides, each from the previous one', () => {
    const first = applyOverride(decision, override());
    if (!first.ok) throw new Error('first refused');
    const second = applyOverride(first.decision, override({ urgency: 'red', reason: 'professional-judgement', at: RECEIVED_AT + 30 * 60_000 }));
    if (!second.ok) throw new Error(JSON.stringify(second.errors));
    expect(second.decision.overrides.map((o) => [o.from.urgency, o.to.urgency])).toEqual([
      ['yellow', 'orange'],
      ['orange', 'red'],
    ]);
  });

  it.each(OVERRIDE_REASONS)('accepts the reason %s', (reason) => {
    expect(applyOverride(decision, override({ reason })).ok).toBe(true);
  });

  it('trims the justification it records', () => {
    const result = applyOverride(decision, override({ justification: '   Known family, open case covers it.  ' }));
    expect(result.ok && result.decision.overrides[0]?.justification).toBe('Known family, open case covers it.');
  });

  it.each<[string, Partial<ScreeningOverride>, OverrideField, RegExp]>([
    ['an unknown category', { category: 'pet-welfare' }, 'category', /unknown category pet-welfare/],
    ['an unknown urgency', { urgency: 'amber' }, 'urgency', /unknown risk light amber \(red, orange, yellow, green\)/],
    ['no change asked for', { urgency: undefined }, 'category', /must change the category, the urgency or both/],
    ['a change to what the decision already says', { urgency: 'yellow' }, 'urgency', /changes nothing/],
    ['a category that is already the decision', { urgency: undefined, category: 'child-protection' }, 'category', /changes nothing/],
    ['an unknown reason', { reason: 'felt-like-it' }, 'reason', /unknown reason felt-like-it/],
    ['a missing justification', { justification: '' }, 'justification', /^required$/],
    ['a blank justification', { justification: '    ' }, 'justification', /^required$/],
    ['a short justification', { justification: 'ok' }, 'justification', /at least 10 characters \(got 2\)/],
    ['a long justification', { justification: 'x'.repeat(OVERRIDE_JUSTIFICATION_MAX + 1) }, 'justification', /at most 500 characters/],
    ['a missing screener unit', { screenerUnitId: '' }, 'screenerUnitId', /required/],
    ['a malformed screener unit', { screenerUnitId: 'Intake Centre' }, 'screenerUnitId', /unit id/],
    ['a missing screener id', { screenerId: '' }, 'screenerId', /required/],
    ['a missing time', { at: Number.NaN }, 'at', /required/],
  ])('refuses %s with a field-level error', (_name, change, field, message) => {
    const result = applyOverride(decision, override(change));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.field).toBe(field);
    expect(result.errors[0]?.message).toMatch(message);
  });

  it('refuses an override dated before the previous one', () => {
    const first = applyOverride(decision, override());
    if (!first.ok) throw new Error('first refused');
    const second = applyOverride(first.decision, override({ urgency: 'red', at: RECEIVED_AT }));
    expect(!second.ok && second.errors.map((e) => e.field)).toEqual(['at']);
  });

  it('lists every problem at once', () => {
    const result = applyOverride(decision, override({ urgency: 'amber', reason: 'x', justification: '', screenerId: '' }));
    expect(!result.ok && result.errors.map((e) => e.field)).toEqual(['urgency', 'reason', 'justification', 'screenerId']);
  });
});
