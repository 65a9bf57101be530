/**
 * The module boundaries are the architecture; this proves ESLint enforces them, so a
 * loosened constraint fails CI instead of passing silently.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

interface Case {
  readonly filePath: string;
  readonly code: string;
}

interface Result {
  readonly filePath: string;
  readonly messages: { ruleId: string | null; message: string }[];
}

function lint(cases: readonly Case[]): Result[] {
  const output = execFileSync(process.execPath, [join(__dirname, 'lint-virtual.js')], { input: JSON.stringify(cases), encoding: 'utf8' });
  return JSON.parse(output) as Result[];
}

const cases: readonly (Case & { readonly expect: RegExp | 'clean' })[] = [
  {
    filePath: 'apps/adapter-protection/src/virtual.ts',
    code: "import { IncidentIntake } from '../../adapter-police/src/incident-intake.service';\nexport const x = IncidentIntake;\n",
    expect: /Projects cannot be imported by a relative or absolute path/,
  },
  {
    filePath: 'apps/adapter-police/src/virtual.ts',
    code: "import { EventRelay } from '../../gateway/src/event-relay.service';\nexport const x = EventRelay;\n",
    expect: /Projects cannot be imported by a relative or absolute path/,
  },
  {
    filePath: 'libs/identity/src/virtual.ts',
    code: "import { EventBus } from '@weave/bus';\nexport const x = EventBus;\n",
    expect: /tagged with "type:util" can only depend on/,
  },
  {
    filePath: 'libs/contracts/src/virtual.ts',
    code: "import { loadConfig } from '@weave/config';\nexport const x = loadConfig;\n",
    expect: /tagged with "type:contracts" can only depend on/,
  },
  {
    filePath: 'apps/adapter-police/src/virtual.ts',
    code: "import { decide } from '@weave/policy';\nexport const x = decide;\n",
    expect: /tagged with "scope:adapter" can only depend on libs tagged with "scope:shared", "scope:adapter-sdk"/,
  },
  {
    filePath: 'libs/bus/src/virtual.ts',
    code: "import { decide } from '@weave/policy';\nexport const x = decide;\n",
    expect: /tagged with "scope:shared" can only depend on libs tagged with "scope:shared"/,
  },
  {
    filePath: 'apps/gateway/src/virtual.ts',
    code: "import { decide } from '@weave/policy';\nexport const x = decide;\n",
    expect: 'clean',
  },
  {
    filePath: 'apps/adapter-police/src/virtual.ts',
    code: "import { expectEventually } from '@weave/testing';\nexport const x = expectEventually;\n",
    expect: /test helpers are for/,
  },
  {
    filePath: 'apps/adapter-police/src/virtual.spec.ts',
    code: "import { expectEventually } from '@weave/testing';\nexport const x = expectEventually;\n",
    expect: 'clean',
  },
  {
    filePath: 'apps/adapter-police/src/virtual.ts',
    code: "import { EventBus } from '@weave/bus';\nimport { Topics } from '@weave/contracts';\nexport const x = [EventBus, Topics];\n",
    expect: 'clean',
  },
];

describe('module boundaries', () => {
  const results = lint(cases);

  it.each(cases.map((c, i) => [c.filePath, c.code.split('\n')[0], i] as const))('%s: %s', (_file, _line, i) => {
    const expected = cases[i]?.expect;
    const messages = results[i]?.messages.map((m) => `${m.ruleId}: ${m.message}`) ?? [];
    if (expected === 'clean') expect(messages).toEqual([]);
    else expect(messages.join('\n')).toMatch(expected as RegExp);
  });
});
