// Lints source text as if it were a file at a given path, with the workspace's ESLint
// config minus type-aware rules (the file does not exist). Used by architecture.spec.ts
// to prove the module boundaries hold. Input on stdin: [{ filePath, code }].
const path = require('node:path');
const { ESLint } = require('eslint');
const tseslint = require('typescript-eslint');

const root = path.resolve(__dirname, '..');

async function main() {
  const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
  const eslint = new ESLint({
    cwd: root,
    overrideConfig: [
      { ...tseslint.configs.disableTypeChecked, files: ['**/*.ts'], languageOptions: { parserOptions: { projectService: false, project: null } } },
    ],
  });
  const out = [];
  for (const c of cases) {
    const [result] = await eslint.lintText(c.code, { filePath: path.join(root, c.filePath) });
    out.push({ filePath: c.filePath, messages: result.messages.map((m) => ({ ruleId: m.ruleId, message: m.message })) });
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err));
  process.exit(1);
});
