#!/usr/bin/env bash
# Passes `go test -v` output through and closes with one line counting the
# tests: "<label>: N passed, N failed, N skipped (S subtests passed)". Exits non-zero
# when a test failed or go test printed FAIL.
set -uo pipefail
label=${1:-tests}
passed=0 failed=0 skipped=0 broken=0 subtests=0
while IFS= read -r line; do
  printf '%s\n' "$line"
  case "$line" in
    "--- PASS:"*) passed=$((passed + 1)) ;;
    "--- FAIL:"*) failed=$((failed + 1)) ;;
    "--- SKIP:"*) skipped=$((skipped + 1)) ;;
    " "*"--- PASS:"*) subtests=$((subtests + 1)) ;;
    FAIL*|panic:*) broken=1 ;;
  esac
done
echo "$label: $passed passed, $failed failed, $skipped skipped ($subtests subtests passed)"
[[ $failed -eq 0 && $broken -eq 0 ]]
