/**
 * Loads and validates a screening rules file and prints a summary, or every problem.
 *
 *   node -r ./tools/register.js libs/screening/src/cli/validate-rules.cli.ts [rules/screening-rules.yaml]
 *   npx nx run screening:validate -- rules/my-county-screening-rules.yaml
 *
 * Exit status: 0 valid, 1 rejected.
 */
import { ScreeningRulesError, loadScreeningRulesFile } from '../load-screening-rules';
import { SCREENING_CATEGORIES } from '../screening-vocabulary';

const path = process.argv[2] ?? 'rules/screening-rules.yaml';
try {
  const rules = loadScreeningRulesFile(path);
  console.log(`OK ${path}: screening rules version ${rules.version}, effective ${rules.effectiveFrom}`);
  console.log(`  ${rules.indicators.length} narrative indicators, ${rules.indicators.reduce((n, i) => n + i.keywords.length, 0)} keywords`);
  console.log(`  ${rules.categoriseRules.length} categorise rules (first match wins), ${rules.urgencyRules.length} urgency rules (highest light wins)`);
  console.log(`  prior reports counted over ${rules.priorReportWindowDays} days`);
  console.log('  default light per category:');
  for (const c of SCREENING_CATEGORIES) console.log(`    ${c.padEnd(28)} ${rules.defaultLight[c]}`);
} catch (err) {
  if (!(err instanceof ScreeningRulesError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
}
