#!/usr/bin/env bash
# The SPA in a real browser against the real service (`make run` on free ports):
# sign up → log in → emojify a real photo → change a face's emotion → share and
# unshare → my page → create a template from seven pictures → delete it → delete
# the account. Screenshots go to artifacts/browser/.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "SKIP browser test: $CHROMIUM not found (apt-get install chromium; .ci/services.sh does it in CI)"
  exit 0
fi
if [ ! -d frontend/node_modules/playwright-core ]; then
  echo "browser test needs frontend/node_modules: run make install" >&2
  exit 1
fi
make --no-print-directory frontend   # the service serves frontend/dist

free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PORT=$(free_port); AI_PORT=$(free_port); WORKER_METRICS_PORT=$(free_port)
WORK=$(mktemp -d /tmp/igemoji-browser.XXXXXX)
ARTIFACTS=${ARTIFACTS:-$REPO/artifacts/browser}
mkdir -p "$ARTIFACTS"
LOG="$ARTIFACTS/service.log"

SERVICE_PID=
stop_service() {
  if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill -TERM -- "-$SERVICE_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$SERVICE_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap stop_service EXIT INT TERM

echo "browser test: starting the service on port $PORT (data in $WORK)"
# setsid: the service and its children form one process group we can stop together
PORT=$PORT AI_PORT=$AI_PORT WORKER_METRICS_PORT=$WORKER_METRICS_PORT DATA_DIR="$WORK/data" \
  setsid .venv/bin/python -m scripts.run_local >"$LOG" 2>&1 &
SERVICE_PID=$!

BASE_URL="http://127.0.0.1:$PORT"
for i in $(seq 1 240); do
  if curl -fsS -o /dev/null "$BASE_URL/api/v1/faces/ranking" 2>/dev/null; then break; fi
  if ! kill -0 "$SERVICE_PID" 2>/dev/null; then echo "the service died; see $LOG" >&2; tail -30 "$LOG" >&2; exit 1; fi
  [ "$i" = 240 ] && { echo "the service did not answer in 240 s; see $LOG" >&2; exit 1; }
  sleep 1
done

# Real photos with open licences, from scikit-image: the astronaut (Eileen Collins,
# NASA, public domain) and, for "no face", a cup of coffee (Rachel Michetti, CC0).
.venv/bin/python -c 'import sys; from PIL import Image; from skimage import data
Image.fromarray(data.astronaut()).save(sys.argv[1], quality=90)
Image.fromarray(data.coffee()).save(sys.argv[2], quality=90)' "$WORK/astronaut.jpg" "$WORK/coffee.jpg"

BASE_URL=$BASE_URL PHOTO="$WORK/astronaut.jpg" NO_FACE_PHOTO="$WORK/coffee.jpg" EMOJI_DIR="$REPO/assets/emoji/noto" \
  ARTIFACTS="$ARTIFACTS" CHROMIUM="$CHROMIUM" \
  node tests/browser/e2e/flow.spec.mjs
