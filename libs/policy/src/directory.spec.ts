import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { loadDirectory } from './directory';
import { PolicyValidationError } from './load-policy';

const shipped = readFileSync(join(__dirname, '../../../policies/directory.yaml'), 'utf8');

function problemsOf(text: string): string[] {
  try {
    loadDirectory(text, 'test');
  } catch (err) {
    if (err instanceof PolicyValidationError) return [...err.problems];
    throw err;
  }
  return [];
}

function edited(edit: (d: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(shipped);
  edit(doc);
  return doc.toString();
}

describe('loadDirectory', () => {
  it('loads the shipped Nantou directory', () => {
    const dir = loadDirectory(shipped);
    expect(dir.units.get('nantou-protection-team')).toMatchObject({ role: 'protection_team', system: 'protection' });
    expect(dir.units.size).toBeGreaterThanOrEqual(20);
    expect(dir.subscribers.get('police.incident.recorded.v1')?.map((s) => s.unitId)).toContain('nantou-intake-centre');
    expect(dir.systems.get('protection')?.holds).toContain('dv_victim_whereabouts');
  });

  it('gives each of the five district centres a unit (seed 004)', () => {
    const districts = [...loadDirectory(shipped).units.values()].filter((u) => u.role === 'social_welfare_centre' && u.district).map((u) => u.district);
    expect(districts.sort()).toEqual(['caotun', 'nantou', 'puli', 'shuili', 'zhulu']);
  });

  it.each<[string, (d: ReturnType<typeof parseDocument>) => void, string]>([
    ['a unit of an unknown system', (d) => d.setIn(['units', 1, 'system'], 'tax'), 'unit nantou-swc-nantou: unknown system tax'],
    ['an unknown supervisor', (d) => d.setIn(['units', 1, 'supervisor'], 'nobody'), 'unit nantou-swc-nantou: unknown supervisor nobody'],
    ['a duplicated unit', (d) => d.setIn(['units', 2, 'id'], 'nantou-swc-nantou'), 'unit nantou-swc-nantou: listed more than once'],
    ['a subscription of an unknown unit', (d) => d.setIn(['subscriptions', 0, 'unit'], 'ghost-unit'), 'subscription: unknown unit ghost-unit'],
    ['an unknown role', (d) => d.setIn(['units', 0, 'role'], 'mayor'), '/units/0/role must be equal to one of the allowed values'],
  ])('refuses %s', (_name, edit, problem) => {
    expect(problemsOf(edited(edit))).toEqual(expect.arrayContaining([expect.stringContaining(problem)]));
  });
});
