#!/usr/bin/env bash
# validate.sh CLI DIR...: init (no backend) and validate each Terraform
# directory with CLI (terraform or tofu), four at a time; fail on any error
# or warning. The roots go first. A module (modules/<name>) that one of them
# calls, directly or through another module, was validated with it: validate
# checks the whole module tree and reports its warnings, so it is not
# validated again alone (its tests/*.tftest.hcl are checked by terraform test,
# make module-tests). A module no root calls is validated in a copy of
# modules/, where a module that declares provider configuration_aliases gets
# the aliased provider blocks a caller would pass (terraform validate cannot
# check such a module alone); each module gets its own copy, as that file
# would leak into its callers.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd -P) # as realpath resolves the called modules
cli=$1; shift
work="$root/.build/validate/$(basename "$cli")"
rm -rf "$work"

validate_one() {
  local cli=$1 dir=$2 root=$3 work=$4 target base="$3" out aliases
  case "$dir" in
    modules/*)
      local copy="$work/${dir//\//_}"
      base=$copy
      mkdir -p "$copy/test" && cp -r "$root/modules" "$copy/modules" && cp -r "$root/test/mocks" "$copy/test/mocks"
      find "$copy/modules" \( -name .terraform -o -name .terraform.lock.hcl \) -prune -exec rm -rf {} +
      target="$copy/$dir" ;;
    *) target="$root/$dir" ;;
  esac
  aliases=$(sed -n 's/.*configuration_aliases *= *\[\(.*\)\].*/\1/p' "$target"/versions.tf 2>/dev/null | tr -d ' ' | tr ',' ' ')
  for alias in $aliases; do
    printf 'provider "%s" {\n  alias = "%s"\n}\n' "${alias%%.*}" "${alias#*.}" >>"$target/zz_validate_aliases.tf"
  done
  rm -rf "$target/.terraform" "$target/.terraform.lock.hcl"
  # OpenTofu reads tests/ at init and knows no shared mock sources: point it
  # at a directory without tests (.terraform, made by init).
  local test_dir=()
  [[ "$(basename "$cli")" == tofu* ]] && test_dir=(-test-directory=.terraform) && mkdir -p "$target/.terraform"
  if ! out=$("$cli" -chdir="$target" init -backend=false -input=false -no-color "${test_dir[@]}" 2>&1 >/dev/null); then
    echo "FAIL $(basename "$cli") init $dir"$'\n'"$out"; return 1
  fi
  if [[ -f "$target/.terraform/modules/modules.json" ]]; then # the module directories this root calls, resolved, as in the repository
    grep -o '"Dir":"[^"]*"' "$target/.terraform/modules/modules.json" | cut -d'"' -f4 |
      while read -r called; do called=$(realpath -m "$target/$called"); echo "$root${called#"$base"}"; done >"$work/calls/${dir//\//_}"
  fi
  out=$("$cli" -chdir="$target" validate -no-color "${test_dir[@]}" 2>&1) || { echo "FAIL $(basename "$cli") validate $dir"$'\n'"$out"; return 1; }
  if grep -qi warning <<<"$out"; then echo "FAIL $(basename "$cli") validate $dir: warnings"$'\n'"$out"; return 1; fi
  rm -rf "$target/.terraform" "$target/.terraform.lock.hcl" "$target/zz_validate_aliases.tf"
  echo "ok   $(basename "$cli") validate $dir"
}
export -f validate_one
mkdir -p "$work/calls"
modules=() roots=()
for dir in "$@"; do
  if [[ "$dir" == modules/* && "$dir" != */examples/* ]]; then modules+=("$dir"); else roots+=("$dir"); fi
done
if ((${#roots[@]})); then
  printf '%s\n' "${roots[@]}" | xargs -P 4 -I{} bash -c 'validate_one "$@"' _ "$cli" {} "$root" "$work"
fi
alone=()
for module in ${modules[@]+"${modules[@]}"}; do
  if grep -qxsF "$root/$module" "$work/calls"/*; then
    echo "ok   $(basename "$cli") validate $module (with the roots that call it)"
  else
    alone+=("$module")
  fi
done
if ((${#alone[@]})); then
  printf '%s\n' "${alone[@]}" | xargs -P 4 -I{} bash -c 'validate_one "$@"' _ "$cli" {} "$root" "$work"
fi
