#!/usr/bin/env bash
# Lints the Dockerfile and checks docker-compose.yml without a Docker engine:
# the compose file must refuse to start without POSTGRES_PASSWORD or WEBHOOK_SECRET_KEY, start without
# ADMIN_API_KEY, pass WEBHOOK_SECRET_KEY, SIGNING_KEY, PUBLIC_URL and TRUST_PROXY from the environment,
# and publish the API on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

npx dockerfilelint Dockerfile

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose -f docker-compose.yml)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose -f docker-compose.yml)
else
  echo "Neither 'docker compose' nor 'docker-compose' is installed (Debian: apt-get install docker-compose)." >&2
  exit 1
fi

fail() { echo "docker-compose.yml: $*" >&2; exit 1; }

if env -u POSTGRES_PASSWORD -u ADMIN_API_KEY "${compose[@]}" config -q 2>/dev/null; then
  fail 'starts without POSTGRES_PASSWORD; it must require one'
fi
if env -u WEBHOOK_SECRET_KEY POSTGRES_PASSWORD=check "${compose[@]}" config -q 2>/dev/null; then
  fail 'starts without WEBHOOK_SECRET_KEY; it must require one'
fi
config=$(env -u ADMIN_API_KEY -u STYRMAN_PUBLISH POSTGRES_PASSWORD=check WEBHOOK_SECRET_KEY=check-webhook-key \
  SIGNING_KEY=check-signing-key PUBLIC_URL=https://check.example TRUST_PROXY=true "${compose[@]}" config) ||
  fail 'does not start with POSTGRES_PASSWORD and WEBHOOK_SECRET_KEY set and ADMIN_API_KEY unset'
for passed in WEBHOOK_SECRET_KEY=check-webhook-key SIGNING_KEY=check-signing-key PUBLIC_URL=https://check.example TRUST_PROXY=true; do
  grep -Eq "${passed%%=*}: \"?${passed#*=}\"?\$" <<<"$config" || fail "does not pass ${passed%%=*} from the environment"
done
grep -Eq '127\.0\.0\.1:3000:3000|host_ip: 127\.0\.0\.1' <<<"$config" || fail 'publishes port 3000 beyond 127.0.0.1'
grep -Eq 'published: "?3000"?|127\.0\.0\.1:3000:3000' <<<"$config" || fail 'does not publish port 3000'
echo "Dockerfile and docker-compose.yml: OK"
