#!/usr/bin/env bash
# The main job against the local endpoint: apply examples/worker-pipeline
# (topic, network, cluster and roles through hashicorp/aws, the worker through
# calinks_worker_pipeline), publish a message and show it arriving in the
# worker's queue. The stack stays up; the last lines say how to destroy it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tf=${TF_BIN:-terraform}
work="$root/.build/demo"
step() { printf '\n==> %s\n' "$*"; }

step "copying examples/worker-pipeline to $work"
mkdir -p "$work"
cp "$root"/examples/worker-pipeline/*.tf "$root"/examples/worker-pipeline/emulator.tfvars "$work"/
rm -f "$work/.terraform.lock.hcl" # the local provider build changes its checksum

step "$tf init (providers from the offline mirrors)"
"$tf" -chdir="$work" init -input=false -no-color >/dev/null

step "$tf apply -var-file=emulator.tfvars against $AWS_ENDPOINT_URL"
start=$(date +%s)
"$tf" -chdir="$work" apply -auto-approve -input=false -no-color -var-file=emulator.tfvars | grep -E 'Creat|Apply complete|Error' || true
echo "applied in $(( $(date +%s) - start )) s"

step "what was created"
"$tf" -chdir="$work" state list
"$tf" -chdir="$work" output -no-color

step "publishing to the item topic and receiving in worker-item's queue"
(cd "$root" && go run ./test/demo -topic "$("$tf" -chdir="$work" output -raw topic_arn)" -queue "$("$tf" -chdir="$work" output -raw queue_url)")

step "the stack is up; destroy it with"
echo "  make demo-destroy"
