import { ledgerEntryProblems, type LedgerEntryInput } from './ledger-entry';
import { sampleEntry } from './testing/ledger-fixtures';

function problemsOf(overrides: Partial<Record<keyof LedgerEntryInput, unknown>>): string[] {
  return ledgerEntryProblems({ ...sampleEntry(), ...overrides } as LedgerEntryInput);
}

describe('ledgerEntryProblems', () => {
  it('accepts a complete entry, with or without a claim, and empty optional fields', () => {
    expect(ledgerEntryProblems(sampleEntry())).toEqual([]);
    expect(ledgerEntryProblems(sampleEntry({ claim: { basis: 'imminent_danger', reason: 'threat_of_serious_harm', justification: 'x'.repeat(30) } }))).toEqual([]);
    expect(
      ledgerEntryProblems(
        sampleEntry({ kind: 'event_withheld', requesterUnit: '', requesterRole: '', subjectPseudonym: '', purpose: '', bases: [], traceId: '', outcome: 'deny', categoriesReleased: [] }),
      ),
    ).toEqual([]);
  });

  it('names each bad field without quoting its value', () => {
    const secret = 'A123456789';
    const problems = problemsOf({
      decisionKey: '',
      decisionId: secret,
      kind: 'gossip',
      subjectPseudonym: secret,
      purpose: secret,
      bases: ['consent', secret],
      categoriesReleased: [secret],
      consentsUsed: [{ consentId: 'c', version: 1.5 }],
      outcome: 'maybe',
      traceId: 'XYZ',
      requesterReference: 'a\u0000b',
      claim: { basis: 'x', reason: 'y', justification: 'half \uD800 surrogate' },
    });
    expect(problems).toEqual([
      'decisionKey: required',
      'decisionId: expected a UUID',
      'kind: unknown',
      'outcome: unknown',
      'subjectPseudonym: expected a person pseudonym or empty',
      'purpose: not in the policy vocabulary',
      'bases[1]: not in the policy vocabulary',
      'consentsUsed[0].version: expected an unsigned 32-bit integer',
      'categoriesReleased[0]: not in the policy vocabulary',
      'traceId: expected 32 lower-case hex digits or empty',
      'requesterReference: contains a NUL or unpaired surrogate',
      'claim.justification: contains a NUL or unpaired surrogate',
    ]);
    expect(problems.join(' ')).not.toContain(secret);
  });
});
