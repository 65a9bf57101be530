import fc from 'fast-check';
import type { LedgerRecord } from './ledger-entry';
import { GENESIS_HASH, canonicalEntry, canonicalJson, chain, entryHash, sha256Hex, type HashedFields } from './ledger-hash';
import { sampleFields } from './testing/ledger-fixtures';

describe('canonicalJson', () => {
  it('sorts keys at every level, whatever order they were written in', () => {
    expect(canonicalJson({ b: 1, a: { d: true, c: null } })).toBe('{"a":{"c":null,"d":true},"b":1}');
    expect(canonicalJson({ a: { c: null, d: true }, b: 1 })).toBe(canonicalJson({ b: 1, a: { d: true, c: null } }));
  });

  it('keeps array order and writes no whitespace', () => {
    expect(canonicalJson(['b', 'a', ['z', 'y']])).toBe('["b","a",["z","y"]]');
    expect(canonicalJson(['a', 'b'])).not.toBe(canonicalJson(['b', 'a']));
  });

  it('writes dates as ISO-8601 UTC with milliseconds, independent of the time zone', () => {
    expect(canonicalJson({ at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) })).toBe('{"at":"2026-01-02T03:04:05.006Z"}');
    expect(canonicalJson(new Date('2026-01-02T11:04:05+08:00'))).toBe('"2026-01-02T03:04:05.000Z"');
  });

  it('escapes strings as JSON and keeps non-ASCII text as it is', () => {
    expect(canonicalJson({ 'k"': 'a\nb"c\\', z: '保護' })).toBe('{"k\\"":"a\\nb\\"c\\\\","z":"保護"}');
  });

  it('refuses values without one canonical form', () => {
    expect(() => canonicalJson(1.5)).toThrow('only safe integers');
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(() => canonicalJson(2 ** 60)).toThrow();
    expect(() => canonicalJson(new Date(Number.NaN))).toThrow('invalid date');
    expect(() => canonicalJson({ a: undefined } as unknown as { a: null })).toThrow('undefined');
  });

  it('is the same for any key order (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))), (dict) => {
        const reversed = Object.fromEntries(Object.entries(dict).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(dict));
        expect(JSON.parse(canonicalJson(dict))).toEqual(dict);
      }),
    );
  });
});

describe('canonicalEntry', () => {
  it('has a fixed, documented form (changing it breaks every stored chain)', () => {
    expect(canonicalEntry(sampleFields())).toBe(
      '{"bases":["statutory_duty","consent"],"break_glass":false,"categories_released":["household_composition"],' +
        '"categories_withheld":["mental_health"],"claim":{"basis":"imminent_danger","justification":"個案表示今晚將傷害同住家人",' +
        '"reason":"threat_of_serious_harm"},"consents_used":[{"consent_id":"c-1","version":2}],' +
        '"decision_id":"9b2c7d4e-1a3f-4b5c-8d6e-7f8091a2b3c4","decision_key":"decision-1",' +
        '"entry_id":"3f1d6a52-8c1e-4e5b-9a49-2d0f0e7b6c11","format":"weave-ledger-entry/1","kind":"query",' +
        '"outcome":"partial","policy_version":"2026.01.1","purpose":"case_coordination","recorded_at":"2026-01-31T08:15:00.123Z",' +
        '"requester_reference":"REF-7","requester_role":"social_welfare_centre","requester_unit":"nantou-swc-puli",' +
        '"sequence":"1","source_event_id":"","subject_pseudonym":"p1_abcdefghijklmnopqrstuvwxyz",' +
        '"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}',
    );
  });

  it('does not depend on the order of the record’s own properties', () => {
    const fields = sampleFields();
    const shuffled = Object.fromEntries(Object.entries(fields).reverse()) as unknown as HashedFields;
    expect(canonicalEntry(shuffled)).toBe(canonicalEntry(fields));
  });

  it('writes a missing claim as null', () => {
    expect(canonicalEntry(sampleFields({ claim: null }))).toContain('"claim":null,');
  });

  it('covers every stored field: changing any one changes the hash', () => {
    const base = sampleFields();
    const variants: Partial<HashedFields>[] = [
      { sequence: '2' },
      { entryId: '3f1d6a52-8c1e-4e5b-9a49-2d0f0e7b6c12' },
      { decisionKey: 'decision-2' },
      { decisionId: '9b2c7d4e-1a3f-4b5c-8d6e-7f8091a2b3c5' },
      { kind: 'break_glass' },
      { requesterUnit: 'other' },
      { requesterRole: 'protection_team' },
      { subjectPseudonym: 'p1_bbcdefghijklmnopqrstuvwxyz' },
      { purpose: 'risk_assessment' },
      { bases: ['consent', 'statutory_duty'] },
      { policyVersion: '2026.01.2' },
      { consentsUsed: [{ consentId: 'c-1', version: 3 }] },
      { categoriesReleased: [] },
      { categoriesWithheld: ['mental_health', 'identity'] },
      { outcome: 'deny' },
      { traceId: '' },
      { sourceEventId: 'e-1' },
      { breakGlass: true },
      { requesterReference: 'REF-8' },
      { claim: { basis: 'imminent_danger', reason: 'threat_of_serious_harm', justification: '個案表示今晚將傷害同住家人。' } },
      { claim: null },
      { recordedAt: new Date('2026-01-31T08:15:00.124Z') },
    ];
    const hashes = new Set([entryHash(GENESIS_HASH, base), ...variants.map((v) => entryHash(GENESIS_HASH, { ...base, ...v }))]);
    expect(hashes.size).toBe(variants.length + 1);
  });
});

describe('hash chain', () => {
  it('hashes the previous hash, a newline and the canonical entry', () => {
    const fields = sampleFields();
    expect(entryHash(GENESIS_HASH, fields)).toBe(sha256Hex(`${'0'.repeat(64)}\n${canonicalEntry(fields)}`));
    expect(entryHash(GENESIS_HASH, fields)).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash('f'.repeat(64), fields)).not.toBe(entryHash(GENESIS_HASH, fields));
  });

  it('links each entry to the one before, starting from 64 zeros', () => {
    const records: LedgerRecord[] = chain(GENESIS_HASH, [1, 2, 3].map((n) => sampleFields({ sequence: String(n), decisionKey: `d-${n}` })));
    expect(records.map((r) => r.previousHash)).toEqual([GENESIS_HASH, records[0]?.entryHash, records[1]?.entryHash]);
    for (const r of records) expect(r.entryHash).toBe(entryHash(r.previousHash, r));
    // Continuing a chain gives the same hashes as building it at once.
    const [first, ...rest] = [1, 2, 3].map((n) => sampleFields({ sequence: String(n), decisionKey: `d-${n}` }));
    const continued = [...chain(GENESIS_HASH, first ? [first] : []), ...chain(records[0]?.entryHash ?? '', rest)];
    expect(continued.map((r) => r.entryHash)).toEqual(records.map((r) => r.entryHash));
  });
});
