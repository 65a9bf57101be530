// Writes one JSON line per Jest run to .local/test-results/, so that `npm test` can print
// a single summary of every project's unit and integration tests at the end.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  onRunComplete(contexts, results) {
    const dir = path.resolve(__dirname, '../.local/test-results');
    fs.mkdirSync(dir, { recursive: true });
    const [context] = [...(contexts ?? [])];
    const config = context ? context.config : {};
    const display = config.displayName ? config.displayName.name ?? String(config.displayName) : 'unknown';
    const kind = (config.testMatch ?? []).join(',').includes('integration-spec') ? 'integration' : 'unit';
    // Failed tests by name with the first lines of their error, so that a CI log that keeps only
    // its tail still says what failed. Test names and assertion messages carry pseudonyms only.
    const failures = [];
    for (const suite of results.testResults ?? []) {
      const file = path.relative(this.globalConfig.rootDir ?? process.cwd(), suite.testFilePath);
      if (suite.testExecError) failures.push({ file, test: '(suite failed to run)', message: firstLines(suite.testExecError.message) });
      for (const t of suite.testResults ?? []) {
        if (t.status === 'failed') failures.push({ file, test: t.fullName, message: firstLines((t.failureMessages ?? []).join('\n')) });
      }
    }
    const line = {
      project: display.replace(/:integration$/, ''),
      kind,
      suites: results.numTotalTestSuites,
      tests: results.numTotalTests,
      passed: results.numPassedTests,
      failed: results.numFailedTests,
      skipped: results.numPendingTests + results.numTodoTests,
      seconds: Math.round((Date.now() - results.startTime) / 100) / 10,
      failures,
      success: results.numFailedTests === 0 && results.numFailedTestSuites === 0 && results.numRuntimeErrorTestSuites === 0 && !results.wasInterrupted,
    };
    fs.appendFileSync(path.join(dir, 'results.jsonl'), JSON.stringify(line) + '\n');
  }
}

function firstLines(text, n = 6) {
  // eslint-disable-next-line no-control-regex
  return String(text ?? '').replace(/\u001b\[[0-9;]*m/g, '').split('\n').filter((l) => l.trim() !== '' && !/^\s*at .*node_modules/.test(l)).slice(0, n).join('\n');
}

module.exports = SummaryReporter;
