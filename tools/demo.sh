#!/usr/bin/env bash
# The README's first command: installs what is missing, brings up the local stack (real
# Kafka, PostgreSQL, Redis), starts the services and drives events across the platform.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$root"
ensure_node_modules
bash deploy/local/stack.sh up
load_stack_env
exec node -r ./tools/register.js tools/demo.ts "$@"
