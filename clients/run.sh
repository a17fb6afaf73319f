#!/usr/bin/env bash
# Drives the popular open-source Eloqua clients against the emulator exactly as their users
# do, with no redirect code at all. Each client is installed at a pinned version in its own
# virtualenv under clients/.venvs (npm's under clients/.node), with this checkout installed
# beside it (editable) for `emulator.testing.mock_eloqua`.
#
# Two ways in, both leaving the clients' hard-coded https://login.eloqua.com untouched:
# - in-process, under `mock_eloqua` (a fresh emulator per driver): pyeloqua,
#   eloqua-python-sdk, tap-eloqua through its Python entry point;
# - through the emulator's proxy (`--proxy-port`, CA in a temporary `--ca-dir`), one shared
#   emulator: the `tap-eloqua` console script (HTTPS_PROXY + REQUESTS_CA_BUNDLE) and npm
#   `eloqua` (https_proxy + NODE_EXTRA_CA_CERTS).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
PYTHON="${PYTHON:-python3}"
VENVS="$HERE/.venvs"
PIP_FLAGS=(--quiet --disable-pip-version-check)

declare -A PACKAGES=(
  [pyeloqua]="pyeloqua==0.5.11"
  [tap]="tap-eloqua==1.3.0"
  [sdk]="eloqua-python-sdk==0.4.9"
)
for name in "${!PACKAGES[@]}"; do
  venv="$VENVS/$name"
  if [ ! -x "$venv/bin/python" ]; then
    "$PYTHON" -m venv "$venv"
    "$venv/bin/pip" install "${PIP_FLAGS[@]}" "${PACKAGES[$name]}"
  fi
  # The client first, with its own pins; then the emulator (editable, so a warm run tests
  # the checkout as it is), again whenever pyproject.toml changes. One known conflict:
  # tap-eloqua pins requests==2.20.1, which wants idna<2.8, while the emulator's anyio (via
  # starlette and httpx) wants idna>=2.8. pip keeps the tap's requests and takes the newer
  # idna; requests only calls idna for non-ASCII host names, so the tap runs unchanged.
  # Any other conflict stops the run.
  if [ ! -f "$venv/.emulator-installed" ] || [ "$ROOT/pyproject.toml" -nt "$venv/.emulator-installed" ]; then
    "$venv/bin/pip" install "${PIP_FLAGS[@]}" -e "$ROOT" 2>&1 \
      | grep -v "^ERROR: pip's dependency resolver\|^requests 2.20.1 requires idna<2.8" || true
    "$venv/bin/python" -c 'import emulator.testing'
    conflicts="$("$venv/bin/pip" check 2>&1 | grep -v "^requests 2.20.1 has requirement idna<2.8\|^No broken" || true)"
    if [ -n "$conflicts" ]; then
      echo "clients/.venvs/$name: $conflicts" >&2
      exit 1
    fi
    touch "$venv/.emulator-installed"
  fi
done
if command -v npm >/dev/null && [ ! -d "$HERE/.node/node_modules/eloqua" ]; then
  npm install --silent --no-audit --no-fund --prefix "$HERE/.node" eloqua@1.3.5
fi

# One emulator for the proxy runs, with its CA in a temporary directory.
free_port() { "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT="$(free_port)"
PROXY_PORT="$(free_port)"
WORK="$(mktemp -d)"
CA_DIR="$WORK/ca"
"$ROOT/.venv/bin/python" -m emulator --db :memory: --port "$PORT" --log-level warning \
  --proxy-port "$PROXY_PORT" --ca-dir "$CA_DIR" > "$HERE/.emulator.log" 2>&1 &
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
PROXY="http://127.0.0.1:$PROXY_PORT"
for _ in $(seq 100); do
  curl -sf --proxy "$PROXY" http://login.eloqua.com/_emulator/health >/dev/null && break
  sleep 0.1
done

failed=0
declare -A JOBS=()
# start LABEL CMD...: the driver in the background, its output in clients/.last-LABEL.log;
# finish LABEL: wait for it and report ok (with its wall time) or FAILED (with its log's tail).
start() {
  local label="$1"; shift
  (
    t0=$SECONDS
    if "$@"; then rc=0; else rc=$?; fi
    echo "$((SECONDS - t0))" > "$WORK/$label.seconds"
    exit $rc
  ) > "$HERE/.last-$label.log" 2>&1 &
  JOBS[$label]=$!
}
finish() {
  local label="$1"
  if wait "${JOBS[$label]}"; then
    echo "ok      $label ($(cat "$WORK/$label.seconds") s)"
  else
    echo "FAILED  $label (see clients/.last-$label.log)"; tail -n 20 "$HERE/.last-$label.log"; failed=1
  fi
}
run() { start "$@"; finish "$1"; }
# What a user of the proxy exports (python -m emulator ca --env prints the trust variables).
proxied() {
  env HTTPS_PROXY="$PROXY" HTTP_PROXY="$PROXY" https_proxy="$PROXY" http_proxy="$PROXY" \
    NO_PROXY= no_proxy= \
    REQUESTS_CA_BUNDLE="$CA_DIR/ca.pem" NODE_EXTRA_CA_CERTS="$CA_DIR/ca.pem" "$@"
}
# The console script keeps the tap's real 2-300 s back-off between sync polls (about 17 s
# in all), so it runs beside the others rather than after them.
# Its own site, so the fault it injects on its site's first sync poll is met by it alone;
# EMULATOR_URL reaches the control plane without the proxy.
start tap-eloqua-cli proxied env ELOQUA_SITE=TapCli EMULATOR_URL="http://127.0.0.1:$PORT" \
  "$VENVS/tap/bin/python" "$HERE/drive_tap_eloqua.py" cli
run pyeloqua "$VENVS/pyeloqua/bin/python" "$HERE/drive_pyeloqua.py"
run eloqua-python-sdk "$VENVS/sdk/bin/python" "$HERE/drive_sdk.py"
run tap-eloqua "$VENVS/tap/bin/python" "$HERE/drive_tap_eloqua.py" mock
if command -v node >/dev/null; then
  run node-eloqua proxied node "$HERE/drive_node.js"
else
  echo "skipped node-eloqua: node is not installed"
fi
finish tap-eloqua-cli
exit $failed
