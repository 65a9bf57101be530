#!/usr/bin/env bash
# Regenerates TypeScript from protos/ (ts-proto through buf). With --check, generates into
# a temporary directory and fails if the committed output differs: stale stubs fail CI.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
buf=./node_modules/.bin/buf
out=libs/contracts/src/generated

if [[ "${1:-}" == "--check" ]]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  "$buf" generate --output "$tmp"
  if ! diff -ru "$out" "$tmp/$out" >"$tmp/diff.txt"; then
    echo "generated code is stale: run 'npm run proto:gen' and commit the result" >&2
    head -n 40 "$tmp/diff.txt" >&2
    exit 1
  fi
  echo "generated code is up to date ($(find "$out" -name '*.ts' | wc -l) files)"
else
  "$buf" generate
  echo "generated $(find "$out" -name '*.ts' | wc -l) files into $out"
fi
