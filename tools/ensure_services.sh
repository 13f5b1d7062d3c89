#!/usr/bin/env bash
# Start what the test suite talks to when it is not running: PostgreSQL (127.0.0.1:5432), Redis
# (127.0.0.1:6379), and install Debian's Chromium for the browser tests (Playwright drives it; it never
# downloads a browser). Idempotent: does nothing when everything is there.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    echo "starting PostgreSQL" >&2
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    echo "starting Redis" >&2
    as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
if [ ! -x /usr/bin/chromium ]; then
    echo "installing Debian's chromium (browser tests)" >&2
    as_root apt-get install -y -q chromium >/dev/null || {
        as_root apt-get update -q >/dev/null && as_root apt-get install -y -q chromium >/dev/null
    }
fi
for _ in $(seq 1 50); do
    if pg_isready -h 127.0.0.1 -p 5432 -q && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
        exit 0
    fi
    sleep 0.2
done
echo "PostgreSQL or Redis did not come up" >&2
exit 1
