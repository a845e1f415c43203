#!/usr/bin/env bash
# The main job against the local endpoint: apply environments/staging with its
# emulator profile, print what runs where, publish a message through the item
# topic and show it arriving in worker-item's queue. The stack stays up; the
# last lines say how to destroy it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tf=${TF_BIN:-terraform}
work="$root/.build/demo"
env_dir="$work/environments/staging"
# The demo stack is thrown away: buckets may be emptied and data stores
# deleted without a final snapshot by make demo-destroy. private-static
# verifies URLs with the test suite's public key (its private half exists
# nowhere).
vars=(-var-file=emulator.tfvars -var force_destroy_storage=true -var deletion_protection=false
  -var "private_assets_public_key_pem=$(cat "$root/test/testdata/private-static-signing.pub.pem")")
step() { printf '\n==> [%3ss] %s\n' "$(( $(date +%s) - start ))" "$*"; }
start=$(date +%s)

step "copying environments/staging and the modules to $work"
rm -rf "$work/modules" "$work/environments/_common" && mkdir -p "$work/environments"
cp -r "$root/modules" "$work/modules"
mkdir -p "$env_dir" && cp -L "$root"/environments/staging/*.tf "$root"/environments/staging/*.tfvars "$env_dir"/
printf 'terraform {\n  backend "local" {}\n}\n' >"$env_dir/backend_override.tf"
rm -f "$env_dir/.terraform.lock.hcl" # the local provider build changes its checksum

step "the public zone the environment looks up"
(cd "$root" && go run ./test/demo zone mycalinks.io)

step "$tf init (providers from the offline mirrors)"
"$tf" -chdir="$env_dir" init -input=false -no-color >/dev/null

step "$tf apply ${vars[*]} against $AWS_ENDPOINT_URL (about 3 minutes on 2 cores)"
"$tf" -chdir="$env_dir" apply -auto-approve -input=false -no-color "${vars[@]}" 2>&1 |
  awk -v start="$start" '
    /Creation complete|Modifications complete/ { n++; sub(/: (Creation|Modifications) complete.*/, ""); printf "  [%4ds] %3d  %s\n", systime() - start, n, $0; fflush() }
    /Apply complete|Error|error/ { print; fflush() }'
test "${PIPESTATUS[0]}" -eq 0

step "what runs where"
"$tf" -chdir="$env_dir" output -json >"$work/outputs.json"
(cd "$root" && go run ./test/demo table "$work/outputs.json" "$env_dir/emulator.tfvars")

step "publishing to the item topic; worker-item's queue receives it"
(cd "$root" && go run ./test/demo publish "$work/outputs.json")

step "done in $(( $(date +%s) - start )) s; the stack is up. Destroy it with"
echo "  make demo-destroy"
