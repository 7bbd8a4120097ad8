#!/usr/bin/env bash
# Makes sure the servers the tests talk to are up: starts PostgreSQL and
# Redis if they are down, and fails loudly if they still cannot be reached.
set -euo pipefail

redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }

wait_for() {
  local name=$1 check=$2
  for _ in $(seq 1 60); do
    if $check; then return 0; fi
    sleep 0.5
  done
  echo "ensure-services: $name is still unreachable after 30 s; the tests need it" >&2
  return 1
}

if ! redis_up; then
  echo "ensure-services: starting Redis on 127.0.0.1:6379"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
if ! pg_up; then
  echo "ensure-services: starting PostgreSQL on 127.0.0.1:5432"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi

wait_for "Redis (127.0.0.1:6379)" redis_up
wait_for "PostgreSQL (127.0.0.1:5432)" pg_up
if ! psql -h 127.0.0.1 -U postgres -d test -Atc 'select 1' >/dev/null 2>&1; then
  echo "ensure-services: PostgreSQL is up but database \"test\" is not reachable as user postgres" >&2
  exit 1
fi
echo "ensure-services: Redis and PostgreSQL are reachable"
