#!/usr/bin/env bash
# Drives the popular open-source Eloqua clients against a fresh emulator, exactly as their
# users do (only the login host is pointed at the emulator). Each client is installed at a
# pinned version in its own virtualenv under clients/.venvs (npm's under clients/.node).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
PYTHON="${PYTHON:-python3}"
VENVS="$HERE/.venvs"

declare -A PACKAGES=(
  [pyeloqua]="pyeloqua==0.5.11"
  [tap]="tap-eloqua==1.3.0"
  [sdk]="eloqua-python-sdk==0.4.9"
)
for name in "${!PACKAGES[@]}"; do
  if [ ! -x "$VENVS/$name/bin/python" ]; then
    "$PYTHON" -m venv "$VENVS/$name"
    "$VENVS/$name/bin/pip" install --quiet --disable-pip-version-check "${PACKAGES[$name]}"
  fi
done
if command -v npm >/dev/null && [ ! -d "$HERE/.node/node_modules/eloqua" ]; then
  npm install --silent --no-audit --no-fund --prefix "$HERE/.node" eloqua@1.3.5
fi

PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export EMULATOR_URL="http://127.0.0.1:$PORT"
"$ROOT/.venv/bin/python" -m emulator --db :memory: --port "$PORT" --log-level warning \
  > "$HERE/.emulator.log" 2>&1 &
EMULATOR=$!
trap 'kill $EMULATOR 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -sf "$EMULATOR_URL/_emulator/health" >/dev/null && break
  sleep 0.1
done

failed=0
run() {
  local label="$1"; shift
  if "$@" > "$HERE/.last-$label.log" 2>&1; then
    echo "ok      $label"
  else
    echo "FAILED  $label (see clients/.last-$label.log)"; tail -n 20 "$HERE/.last-$label.log"; failed=1
  fi
}
run pyeloqua "$VENVS/pyeloqua/bin/python" "$HERE/drive_pyeloqua.py"
run tap-eloqua "$VENVS/tap/bin/python" "$HERE/drive_tap_eloqua.py"
run eloqua-python-sdk "$VENVS/sdk/bin/python" "$HERE/drive_sdk.py"
if command -v node >/dev/null; then
  run node-eloqua node "$HERE/drive_node.js"
else
  echo "skipped node-eloqua: node is not installed"
fi
exit $failed
