#!/usr/bin/env bash
# Passes `go test -v` output through and closes with the skipped tests and their
# reasons, then one line counting them:
#   "<label>: N passed, N failed, N skipped (S subtests passed)"
# where skipped counts tests and subtests alike. Exits non-zero when a test
# failed or go test printed FAIL or a panic.
set -uo pipefail
label=${1:-tests}
passed=0 failed=0 skipped=0 broken=0 subtests=0
# go test -v streams a test's t.Log/t.Skip lines ("    file.go:N: text") after
# a "=== RUN|CONT|NAME <test>" line naming it: the last such line of a test
# that ends in "--- SKIP" is its reason.
declare -A last_log=()
current="" skips=()
while IFS= read -r line; do
  printf '%s\n' "$line"
  case "$line" in
    "=== RUN "*|"=== CONT "*|"=== NAME "*) [[ $line =~ ^===\ [A-Z]+\ +([^ ]+) ]] && current=${BASH_REMATCH[1]} ;;
    "    "[A-Za-z0-9_]*.go:[0-9]*": "*) [[ -n "$current" ]] && last_log[$current]=$(sed -E 's/^ *[A-Za-z0-9_]+\.go:[0-9]+: //' <<<"$line") ;;
    "--- PASS:"*) passed=$((passed + 1)) ;;
    "--- FAIL:"*) failed=$((failed + 1)) ;;
    *"--- SKIP: "*)
      skipped=$((skipped + 1))
      name=$(sed -E 's/^ *--- SKIP: ([^ ]+).*/\1/' <<<"$line")
      skips+=("$name: ${last_log[$name]:-no reason printed}")
      ;;
    " "*"--- PASS:"*) subtests=$((subtests + 1)) ;;
    FAIL*|panic:*) broken=1 ;;
  esac
done
for skip in "${skips[@]}"; do echo "skipped $skip"; done
echo "$label: $passed passed, $failed failed, $skipped skipped ($subtests subtests passed)"
[[ $failed -eq 0 && $broken -eq 0 ]]
