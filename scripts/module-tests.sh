#!/usr/bin/env bash
# module-tests.sh DIR...: `terraform test` of each module (mock providers), two
# at a time (each init and test is mostly one core); prints one line per module
# and the failing module's whole output.
set -euo pipefail
test_one() {
  local dir=$1 out
  rm -rf "$dir/.terraform" "$dir/.terraform.lock.hcl"
  if ! out=$(terraform -chdir="$dir" init -backend=false -input=false -no-color 2>&1); then
    printf '%s\nFAIL %s (init)\n' "$out" "$dir"; return 1
  fi
  if ! out=$(terraform -chdir="$dir" test -no-color 2>&1); then
    printf '%s\nFAIL %s\n' "$out" "$dir"; return 1
  fi
  echo "$dir: $(tail -n1 <<<"$out")"
  rm -rf "$dir/.terraform" "$dir/.terraform.lock.hcl"
}
export -f test_one
printf '%s\n' "$@" | xargs -P 2 -I{} bash -c 'test_one "$@"' _ {}
