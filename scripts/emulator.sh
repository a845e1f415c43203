#!/usr/bin/env bash
# The local AWS endpoint: moto in server mode on 127.0.0.1:4566 (LocalStack's port).
#   emulator.sh up     start it in the background (idempotent) and wait until it answers
#   emulator.sh down   stop the server this script started (its pid file), nothing else
#   emulator.sh reset  empty it: moto's reset API, or LocalStack's state reset
#   emulator.sh status say whether it runs
# The address comes from EMULATOR_URL (default http://127.0.0.1:4566), the one
# the tests use. An endpoint that is not on this machine, or EMULATOR_EXTERNAL=1
# (a CI service container, LocalStack), is used as it is and never started here.
# Uses a moto_server on PATH when it is the pinned version; otherwise installs
# the pinned version into .venv (needs PyPI).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
state="$root/.build/emulator"
pidfile="$state/moto.pid"
logfile="$state/moto.log"
url=${EMULATOR_URL:-http://127.0.0.1:4566}
url=${url%/}
if [[ ! "$url" =~ ^https?://([^/:]+)(:([0-9]+))?$ ]]; then
  echo "error: EMULATOR_URL=$url: want http(s)://host[:port]" >&2; exit 2
fi
host=${BASH_REMATCH[1]}
scheme=${url%%://*}
port=${BASH_REMATCH[3]:-$([[ $scheme == https ]] && echo 443 || echo 80)}
# moto is started here only as plain HTTP on this machine.
case "$host" in
  127.*|localhost) [[ $scheme == http ]] || EMULATOR_EXTERNAL=1 ;;
  *) EMULATOR_EXTERNAL=1 ;;
esac
requirement=$(grep -v '^#' "$root/tools/requirements-emulator.txt" | head -n1)
want=${requirement##*==}

moto_version() { # moto_version MOTO_SERVER → version of the moto it runs, or nothing
  local python
  python=$("$1" --help >/dev/null 2>&1 && head -n1 "$(command -v "$1")" | sed -n 's/^#!\(.*python[0-9.]*\).*/\1/p')
  if [[ -z "$python" && -x "$(dirname "$(command -v "$1")")/python3" ]]; then python="$(dirname "$(command -v "$1")")/python3"; fi
  if [[ -z "$python" ]] && command -v pyenv >/dev/null 2>&1; then python=$(dirname "$(pyenv which "$1" 2>/dev/null)")/python3; fi
  [[ -n "$python" && -x "$python" ]] && "$python" -c 'import moto; print(moto.__version__)' 2>/dev/null || true
}

find_moto() {
  local candidate have
  for candidate in "$root/.venv/bin/moto_server" "$(command -v moto_server || true)"; do
    [[ -n "$candidate" && -x "$candidate" ]] || continue
    have=$(moto_version "$candidate")
    if [[ "$have" == "$want" ]]; then echo "$candidate"; return; fi
    echo "found $candidate running moto ${have:-of unknown version}; need $want" >&2
  done
  echo "installing $requirement into $root/.venv" >&2
  python3 -m venv "$root/.venv" >&2 &&
    "$root/.venv/bin/pip" install --quiet "$requirement" >&2 ||
    { echo "error: moto $want is not installed and cannot be installed from PyPI. Install it with: pip install '$requirement' (or point AWS_ENDPOINT_URL at another LocalStack-compatible endpoint)" >&2; exit 1; }
  echo "$root/.venv/bin/moto_server"
}

answers() { curl -fsS -o /dev/null --max-time 2 "$url/moto-api/" 2>/dev/null || { [[ -n "${EMULATOR_EXTERNAL:-}" ]] && curl -sS -o /dev/null --max-time 2 "$url" 2>/dev/null; }; }
running() { [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "${1:-}" in
  up)
    if running && answers; then echo "emulator already up at $url (pid $(cat "$pidfile"))"; exit 0; fi
    # An endpoint started elsewhere (a CI service container, LocalStack) is used as it is.
    if [[ -n "${EMULATOR_EXTERNAL:-}" ]]; then
      if answers; then echo "using the endpoint at $url"; exit 0; fi
      echo "error: nothing answers at $url, an endpoint this script does not start (EMULATOR_URL, EMULATOR_EXTERNAL)" >&2; exit 1
    fi
    if answers; then echo "error: something else answers at $url; stop it, set EMULATOR_URL to another port, or set EMULATOR_EXTERNAL=1 to use it" >&2; exit 1; fi
    moto=$(find_moto)
    mkdir -p "$state"
    # Managed IAM policies (AmazonECSTaskExecutionRolePolicy, ...) exist only when loaded;
    # ACM certificates are issued at once instead of after 60 s (no DNS to validate against).
    MOTO_IAM_LOAD_MANAGED_POLICIES=true MOTO_ACM_VALIDATION_WAIT=0 nohup "$moto" -H "$host" -p "$port" >"$logfile" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 60); do
      if answers; then echo "emulator up at $url (pid $(cat "$pidfile"), log $logfile)"; exit 0; fi
      running || { echo "error: emulator exited; see $logfile" >&2; tail -n 20 "$logfile" >&2; exit 1; }
      sleep 0.5
    done
    echo "error: emulator did not answer at $url within 30 s; see $logfile" >&2; exit 1
    ;;
  down)
    if running; then
      pid=$(cat "$pidfile"); kill "$pid"
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      echo "emulator stopped (pid $pid)"
    else
      echo "emulator not running"
    fi
    rm -f "$pidfile"
    ;;
  reset)
    # Each emulator has its own API for it; anything else is not ours to empty.
    if curl -fsS -o /dev/null --max-time 5 "$url/moto-api/" 2>/dev/null; then
      curl -fsS -X POST "$url/moto-api/reset" >/dev/null && echo "moto at $url emptied"
    elif curl -fsS -o /dev/null --max-time 5 "$url/_localstack/health" 2>/dev/null; then
      curl -fsS -X POST "$url/_localstack/state/reset" >/dev/null && echo "LocalStack at $url emptied"
    else
      echo "error: $url answers neither moto's /moto-api/ nor LocalStack's /_localstack/health: cannot empty it (make sweep deletes what the tests left, by tag)" >&2
      exit 1
    fi
    ;;
  status)
    if running && answers; then echo "up at $url (pid $(cat "$pidfile"))"; else echo "down"; exit 1; fi
    ;;
  *)
    echo "usage: $0 up|down|reset|status" >&2; exit 2
    ;;
esac
