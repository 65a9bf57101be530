import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { listItemId, parseValidatedYaml, readRulesText, schemaErrorDetail } from './index';

const fail = (source: string, problems: string[]) => new Error(`${source}: ${problems.join(' | ')}`);
const validate = new Ajv({ allErrors: true, strict: true }).compile<{ rules: { id: string; light: string }[] }>({
  type: 'object',
  additionalProperties: false,
  required: ['rules'],
  properties: {
    rules: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['id', 'light'], properties: { id: { type: 'string' }, light: { enum: ['red', 'green'] } } } },
  },
});
const describeError = (raw: unknown, e: Parameters<typeof schemaErrorDetail>[0]) => {
  const m = /^\/rules\/(\d+)/.exec(e.instancePath);
  const id = m ? listItemId(raw, 'rules', Number(m[1])) : undefined;
  return `${id ?? (e.instancePath || '/')} ${e.message ?? ''}${schemaErrorDetail(e)}`;
};

describe('rules files', () => {
  it('returns a document the schema accepts', () => {
    expect(parseValidatedYaml('rules:\n  - { id: R1, light: red }\n', 'test', validate, describeError, fail)).toEqual({ rules: [{ id: 'R1', light: 'red' }] });
  });

  it('refuses duplicate keys and broken YAML', () => {
    expect(() => parseValidatedYaml('rules: []\nrules: []\n', 'test', validate, describeError, fail)).toThrow(/test: not valid YAML/);
  });

  it('names the rule, the unknown property and the allowed values', () => {
    expect(() => parseValidatedYaml('rules:\n  - { id: R1, light: blue, colour: x }\n', 'test', validate, describeError, fail)).toThrow(
      'test: R1 must NOT have additional properties: colour | R1 must be equal to one of the allowed values (red, green)',
    );
  });

  it('fails on an unreadable file like on an invalid one, naming the file', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'rules-file-')), 'missing.yaml');
    expect(() => readRulesText(missing, fail)).toThrow(`${missing}: cannot read file (ENOENT)`);
    writeFileSync(`${missing}.ok`, 'x');
    expect(readRulesText(`${missing}.ok`, fail)).toBe('x');
  });
});
