#!/usr/bin/env bash
# The README's test command: installs what is missing, starts the local stack (real
# Kafka, PostgreSQL, Redis), then runs every check and prints one summary.
#   buf lint · generated-code check · ESLint · typecheck · unit · integration (incl. e2e)
# Every phase runs even if an earlier one failed; the exit status is non-zero if any did.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$root"

started=$(now)
ensure_node_modules || exit 1
bash deploy/local/stack.sh up || { echo "local stack failed to start" >&2; exit 1; }
load_stack_env
rm -rf .local/test-results

declare -a phases=()
failed=0
phase() {
  local name=$1; shift
  local t0; t0=$(now)
  echo
  echo "==> $name"
  if "$@"; then phases+=("ok    $(printf '%-22s' "$name") $(( $(now) - t0 ))s")
  else phases+=("FAIL  $(printf '%-22s' "$name") $(( $(now) - t0 ))s"); failed=1; fi
}

nx=./node_modules/.bin/nx
phase "buf lint"            ./node_modules/.bin/buf lint
phase "generated code"      bash tools/proto-gen.sh --check
phase "lint"                "$nx" run-many -t lint --parallel=2 --output-style=static
phase "typecheck"           "$nx" run-many -t typecheck --parallel=2 --output-style=static
# Tests skip the Nx cache so that the summary below counts every test that ran.
phase "unit tests"          "$nx" run-many -t test --parallel=2 --output-style=static --skip-nx-cache
phase "integration tests"   "$nx" run-many -t integration --parallel=2 --output-style=static --skip-nx-cache

echo
echo "==================== summary ===================="
printf '%s\n' "${phases[@]}"
if [[ -f .local/test-results/results.jsonl ]]; then
  node -e '
    const lines = require("fs").readFileSync(".local/test-results/results.jsonl","utf8").trim().split("\n").map(JSON.parse);
    lines.sort((a,b) => (a.kind+a.project).localeCompare(b.kind+b.project));
    const t = {tests:0, passed:0, failed:0, skipped:0};
    console.log("\n kind         project              tests  passed  failed  skipped  seconds");
    for (const l of lines) {
      for (const k of Object.keys(t)) t[k] += l[k];
      console.log(` ${l.kind.padEnd(12)} ${l.project.padEnd(20)} ${String(l.tests).padStart(5)}  ${String(l.passed).padStart(6)}  ${String(l.failed).padStart(6)}  ${String(l.skipped).padStart(7)}  ${String(l.seconds).padStart(7)}`);
    }
    console.log(` ${"total".padEnd(33)} ${String(t.tests).padStart(5)}  ${String(t.passed).padStart(6)}  ${String(t.failed).padStart(6)}  ${String(t.skipped).padStart(7)}`);
    const failures = lines.flatMap((l) => (l.failures ?? []).map((f) => ({ ...f, project: l.project, kind: l.kind })));
    if (failures.length > 0) {
      console.log("\n failed tests:");
      for (const f of failures) console.log(`\n  ${f.kind} ${f.project} ${f.file}\n  > ${f.test}\n${f.message.split("\n").map((m) => "    " + m).join("\n")}`);
      console.log("");
    }
  '
fi
echo "total $(( $(now) - started ))s"
if [[ $failed -ne 0 ]]; then echo "RESULT: FAILED"; exit 1; fi
echo "RESULT: PASSED"
