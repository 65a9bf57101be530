import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envExample, readmeWithConfigTable } from './config-docs';
import { serviceConfigs } from './services';

const root = join(__dirname, '../../..');

describe('configuration documentation', () => {
  it('README.md has the current table of every variable (npm run config:docs)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readmeWithConfigTable(readme, serviceConfigs)).toBe(readme);
  });

  it('.env.example lists every variable with its default (npm run config:docs)', () => {
    expect(readFileSync(join(root, '.env.example'), 'utf8')).toBe(envExample(serviceConfigs));
  });

  it('marks required variables and never prints a secret default', () => {
    const text = envExample(serviceConfigs);
    expect(text).toContain('# WEAVE_PSEUDONYM_KEY=    # required');
    expect(text).toMatch(/# PostgreSQL connection URL \(.*\) \[secret\]/);
  });
});
