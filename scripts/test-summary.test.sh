#!/usr/bin/env bash
# test-summary.sh on a saved `go test -v` run with a skipped test and a skipped
# parallel subtest: both are counted and printed with their t.Skip reasons.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$("$here/test-summary.sh" demo <"$here/testdata/go-test-skips.txt" | tail -n 3)
want='skipped TestB: top reason
skipped TestA/y: reason for y
demo: 1 passed, 0 failed, 2 skipped (1 subtests passed)'
[[ "$out" == "$want" ]] || { printf 'test-summary.sh closing lines:\n%s\nwant:\n%s\n' "$out" "$want" >&2; exit 1; }
if printf 'panic: boom\n' | "$here/test-summary.sh" demo >/dev/null; then echo "test-summary.sh passed a panic" >&2; exit 1; fi
echo "test-summary.sh: skips counted with their reasons, a panic fails"
