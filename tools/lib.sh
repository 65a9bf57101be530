# Shared by tools/*.sh: repo root, timing, and installing what the commands need.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=${NX_SKIP_NX_CACHE:-false} TZ=UTC
export KAFKAJS_NO_PARTITIONER_WARNING=1

now() { date +%s; }

# npm ci when node_modules is missing or older than the lockfile; quiet unless it fails.
ensure_node_modules() {
  if [[ ! -d "$root/node_modules" || "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]]; then
    echo "==> installing npm dependencies (npm ci)"
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

load_stack_env() {
  if [[ -f "$root/.local/stack.env" ]]; then
    # shellcheck disable=SC1091
    . "$root/.local/stack.env"
  fi
}
