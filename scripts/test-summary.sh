#!/usr/bin/env bash
# Prints one closing line, "tests: N passed, N failed, N skipped", from the TRX files of a dotnet test run.
set -euo pipefail
dir=${1:?usage: test-summary.sh RESULTS_DIR}
shopt -s nullglob
files=("$dir"/*.trx "$dir"/*/*.trx)
if [ ${#files[@]} -eq 0 ]; then
  echo "tests: no results found in $dir (the build probably failed)"
  exit 1
fi
passed=0 failed=0 total=0
for f in "${files[@]}"; do
  counters=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  total=$((total + $(get total))); passed=$((passed + $(get passed))); failed=$((failed + $(get failed)))
done
skipped=$((total - passed - failed))
echo "tests: $passed passed, $failed failed, $skipped skipped"
