#!/bin/sh
# The realm node's entrypoint (docs/operations.md, "Containers"): runs the build the image holds
# (no build at start) against the Postgres in DATABASE_URL, state in LEVIATHAN_DATA_DIR. The same
# script runs outside a container (test/selfhost/container.test.ts).
set -eu
if [ -z "${DATABASE_URL:-}" ]; then
  echo "entrypoint: set DATABASE_URL (the compose file's Postgres, or yours)" >&2
  exit 2
fi
if [ -z "${JWT_SECRET:-}" ]; then
  echo "entrypoint: set JWT_SECRET (32 or more random bytes, the same on every node of a realm)" >&2
  exit 2
fi
cd "$(dirname "$0")/../.."
exec node selfhost/run.mjs --prebuilt "$@"
