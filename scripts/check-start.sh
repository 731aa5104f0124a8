#!/usr/bin/env bash
# Checks `npm start` in a checkout (default: this one), as issue 3 accepts it: /health with Temporal and
# PostgreSQL up, the Temporal UI, metrics, the demo data; Ctrl-C leaves no process; a second start finds
# the same data; kill -9 of npm leaves no process and no open port (the local mail server lives in the
# stack's own process). Needs the default ports free. Usage: scripts/check-start.sh [dir]
set -u
cd "${1:-$(dirname "$0")/..}"
up() {
  setsid npm start > /tmp/start.log 2>&1 &
  echo $! > /tmp/start.pid
  for i in $(seq 1 300); do grep -q "Jiebang is running" /tmp/start.log && return 0; sleep 1; done
  echo "did not come up"; tail -30 /tmp/start.log; return 1
}
procs() { pgrep -f "temporal server start-dev|apps/api/src/main.js|apps/worker/src/main.js|native/bin/postgres" | wc -l; }
# Ports still listening among the API, local SMTP and its web view.
ports() { local n=0; for p in 3000 1025 8025; do (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && n=$((n+1)); done; echo $n; }
up || exit 1
sed -n '/Jiebang is running/,$p' /tmp/start.log | head -30
echo "health: $(curl -s http://127.0.0.1:3000/health)"
echo "temporal ui: $(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8233/)"
echo "worker metrics: $(curl -s http://127.0.0.1:9464/metrics | grep -c '^temporal_')"
echo "api metrics: $(curl -s http://127.0.0.1:3000/metrics | grep -c '^jiebang_')"
echo "local mail web view: $(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8025/)"
campaigns() {
  local token
  token=$(curl -s -XPOST -H 'content-type: application/json' -d '{"username":"province","password":"Jiebang@2026"}' http://127.0.0.1:3000/api/v1/auth/login | node -pe 'JSON.parse(require("fs").readFileSync(0)).accessToken')
  curl -s -H "authorization: Bearer $token" http://127.0.0.1:3000/api/v1/campaigns | node -pe 'JSON.parse(require("fs").readFileSync(0)).map(c=>c.id+" (shutdown "+c.shutdownAt+")").join(", ")'
}
echo "campaigns: $(campaigns)"
kill -INT -$(cat /tmp/start.pid); for i in $(seq 1 60); do [ "$(procs)" = 0 ] && break; sleep 1; done
echo "after Ctrl-C, processes left: $(procs), ports open: $(ports)"
up || exit 1
echo "second start, the same campaigns (the practice shutdown unchanged, so not re-seeded): $(campaigns)"
echo "health: $(curl -s http://127.0.0.1:3000/health)"
kill -9 $(cat /tmp/start.pid); for i in $(seq 1 60); do [ "$(procs)" = 0 ] && break; sleep 1; done
for i in $(seq 1 30); do [ "$(ports)" = 0 ] && break; sleep 1; done
echo "after kill -9 of npm start ($(cat /tmp/start.pid)), processes left: $(procs), ports open: $(ports)"
pgrep -af "temporal server start-dev|apps/api/src/main.js|apps/worker/src/main.js|native/bin/postgres" | head
