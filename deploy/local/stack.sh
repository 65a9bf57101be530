#!/usr/bin/env bash
# weave local stack: Kafka (KRaft, single node), PostgreSQL and Redis for development.
#
# Usage: deploy/local/stack.sh up|down|status|clean [--all]|help
#
#   up       start what is missing (idempotent), write .local/stack.env, run tools/pki.ts
#            (development CA and certificates in .local/pki) and tools/ensure-kafka.ts (topics
#            and the ACLs of deploy/local/kafka/acls.yaml)
#   down     stop only what this script started (Kafka, then our PostgreSQL, then our Redis)
#   status   report each component; exit 0 when all are up, 3 otherwise
#   clean    down, then delete .local/{kafka,postgres,redis,logs} and .local/stack.env
#            (--all also deletes the Kafka jar cache)
#
# Environment overrides (variable - default - meaning):
#   WEAVE_CACHE_DIR              $HOME/.cache/weave    jar cache, outside the clone; Kafka jars go to
#                                                      $WEAVE_CACHE_DIR/kafka-3.9.2/libs (shared by all clones)
#   WEAVE_KAFKA_PORT             9092                  Kafka SSL listener on 127.0.0.1 (mutual TLS, ACLs)
#   WEAVE_KAFKA_CONTROLLER_PORT  9093                  KRaft CONTROLLER listener on 127.0.0.1 (mutual TLS)
#   WEAVE_KAFKA_HEAP_OPTS        -Xms256m -Xmx768m     broker heap
#   WEAVE_KAFKA_START_TIMEOUT    90                    seconds to wait for "Kafka Server started" + open port
#   DATABASE_URL                 postgres://postgres@127.0.0.1:5432/weave
#                                                      PostgreSQL to use. If it answers it is used as is (the
#                                                      database in the URL is created if missing). If it does
#                                                      not answer and points at this machine, our own server is
#                                                      started on WEAVE_PG_PORT and DATABASE_URL is rewritten to
#                                                      postgres://postgres@127.0.0.1:$WEAVE_PG_PORT/<db>.
#                                                      A remote URL that does not answer is an error.
#   WEAVE_PG_PORT                55432                 port of our own PostgreSQL (data in .local/postgres)
#   REDIS_URL                    redis://127.0.0.1:6379
#                                                      Redis to use; same rules as DATABASE_URL. A Redis that
#                                                      answers with appendonly=no gets CONFIG SET appendonly yes.
#   WEAVE_REDIS_PORT             56379                 port of our own Redis (data in .local/redis)
#   JAVA_HOME                    (unset)               JDK/JRE 17+ to run Kafka with; else `java` on PATH
#   MAVEN_OPTS                   (unset)               passed to Maven (e.g. -Dmaven.repo.local=...) on the
#                                                      one run that fills the jar cache
#   WEAVE_SKIP_ENSURE_KAFKA      (unset)               set to 1 to skip tools/ensure-kafka.ts (topics, ACLs) after
#                                                      `up` (WEAVE_SKIP_ENSURE_TOPICS=1 is honoured too)
#
# Kafka security: the broker accepts only TLS clients with a certificate from the development CA in
# .local/pki (made here with openssl before Kafka starts: ca.crt, weave-broker.*, weave-operator.*)
# and maps CN=<name> to the principal User:<name>; deploy/local/kafka/acls.yaml says what each may do.
# stack.env exports KAFKA_TLS_CA/CERT/KEY of weave-operator (a super user) for tools and tests.
#
# External servers: anything that already answers on the Kafka port without being the broker whose pid
# is in .local/run/kafka.pid (or whose command line names our .local/kafka/server.properties) is treated
# as an external broker: it is reused, no second broker is started, and `down`/`clean` never stop it.
# The same holds for a PostgreSQL/Redis that answers at DATABASE_URL/REDIS_URL.
#
# Runtime state lives in <repo>/.local/ (gitignored): run/ (pids, ownership markers), logs/, kafka/,
# postgres/, redis/, pki/, stack.env (`source .local/stack.env` exports KAFKA_BROKERS, KAFKA_TLS_CA,
# KAFKA_TLS_CERT, KAFKA_TLS_KEY, WEAVE_KAFKA_OWNER, DATABASE_URL, REDIS_URL).
set -euo pipefail

KAFKA_VERSION=3.9.2

SCRIPT_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_ROOT=$(cd "$(dirname "$0")/../.." && pwd)

LOCAL_DIR=$REPO_ROOT/.local
RUN_DIR=$LOCAL_DIR/run
LOG_DIR=$LOCAL_DIR/logs
STACK_ENV=$LOCAL_DIR/stack.env

CACHE_ROOT=${WEAVE_CACHE_DIR:-${HOME:-/tmp}/.cache/weave}
KAFKA_CACHE=$CACHE_ROOT/kafka-$KAFKA_VERSION
KAFKA_LIBS=$KAFKA_CACHE/libs
KAFKA_MARKER=$KAFKA_CACHE/.complete
KAFKA_POM=$SCRIPT_DIR/kafka/pom.xml
KAFKA_TEMPLATE=$SCRIPT_DIR/kafka/server.properties.template
KAFKA_LOG4J=$SCRIPT_DIR/kafka/log4j.properties
KAFKA_ACLS=$SCRIPT_DIR/kafka/acls.yaml

KAFKA_PORT=${WEAVE_KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${WEAVE_KAFKA_CONTROLLER_PORT:-9093}
KAFKA_HEAP_OPTS=${WEAVE_KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}
KAFKA_START_TIMEOUT=${WEAVE_KAFKA_START_TIMEOUT:-90}
KAFKA_DIR=$LOCAL_DIR/kafka
KAFKA_DATA=$KAFKA_DIR/data
KAFKA_CONF=$KAFKA_DIR/server.properties
KAFKA_CLUSTER_ID_FILE=$KAFKA_DIR/cluster-id
KAFKA_PID_FILE=$RUN_DIR/kafka.pid
# Ports this clone chose because the defaults were held by another clone's broker (see kafka_move_ports).
KAFKA_PORTS_FILE=$KAFKA_DIR/ports
if [[ -z ${WEAVE_KAFKA_PORT:-} && -z ${WEAVE_KAFKA_CONTROLLER_PORT:-} && -f $KAFKA_PORTS_FILE ]]; then
  read -r KAFKA_PORT KAFKA_CONTROLLER_PORT <"$KAFKA_PORTS_FILE" || true
fi
KAFKA_LOG=$LOG_DIR/kafka.log

# development PKI, same layout and subject as tools/pki.ts / openPki (libs/testing/src/test-pki.ts):
# <name>.crt, <name>.key, <name>.csr, <name>.ext, signed by ca.crt/ca.key, O=weave-local, 825 days
PKI_DIR=$LOCAL_DIR/pki
PKI_ORG=weave-local
PKI_DAYS=825
PKI_CA=$PKI_DIR/ca.crt
PKI_CA_KEY=$PKI_DIR/ca.key
KAFKA_BROKER_CN=weave-broker
KAFKA_OPERATOR_CN=weave-operator
# the broker's PEM keystore: its private key followed by its certificate
KAFKA_KEYSTORE=$PKI_DIR/$KAFKA_BROKER_CN.pem
# jars the broker and StorageTool cannot run without; checked after every Maven run
KAFKA_REQUIRED_JARS=(kafka_2.13 kafka-clients kafka-server kafka-server-common kafka-storage kafka-storage-api
  kafka-metadata kafka-raft kafka-group-coordinator kafka-group-coordinator-api kafka-transaction-coordinator
  kafka-tools kafka-tools-api scala-library slf4j-api slf4j-reload4j reload4j)

DEFAULT_DATABASE_URL=postgres://postgres@127.0.0.1:5432/weave
PG_OWN_PORT=${WEAVE_PG_PORT:-55432}
PG_DIR=$LOCAL_DIR/postgres
PG_DATA=$PG_DIR/data
PG_SOCK=$PG_DIR/run
PG_LOG=$LOG_DIR/postgres.log
PG_OWNED=$RUN_DIR/postgres.owned
PG_PID_FILE=$RUN_DIR/postgres.pid

DEFAULT_REDIS_URL=redis://127.0.0.1:6379
REDIS_OWN_PORT=${WEAVE_REDIS_PORT:-56379}
REDIS_DIR=$LOCAL_DIR/redis
REDIS_LOG=$LOG_DIR/redis.log
REDIS_PID_FILE=$RUN_DIR/redis.pid
REDIS_OWNED=$RUN_DIR/redis.owned

# ----------------------------------------------------------------------------- helpers

say()  { printf '[stack] %s\n' "$*"; }
warn() { printf '[stack] WARNING: %s\n' "$*" >&2; }
die()  { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

# milliseconds since the epoch (bash 5 EPOCHREALTIME, else whole seconds)
now_ms() {
  if [[ -n ${EPOCHREALTIME:-} ]]; then
    local t=${EPOCHREALTIME/[.,]/}
    echo $((10#$t / 1000))
  else
    echo $(($(date +%s) * 1000))
  fi
}
fmt_ms() { printf '%d.%ds' $(($1 / 1000)) $((($1 % 1000) / 100)); }

rel() { local p=$1; [[ $p == "$REPO_ROOT"/* ]] && p=${p#"$REPO_ROOT"/}; printf '%s' "$p"; }

# does something accept TCP connections on host:port?
# shellcheck disable=SC2016
tcp_open() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" >/dev/null 2>&1
}

read_pid() {
  local f=$1 p=
  if [[ -f $f ]]; then p=$(tr -dc '0-9' <"$f" || true); fi
  printf '%s' "$p"
}
pid_alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null; }
pid_args() { ps -o args= -p "$1" 2>/dev/null || true; }
regex_escape() { printf '%s' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g'; }

is_local_host() {
  case ${1:-} in
    '' | localhost | localhost.localdomain | ::1 | '[::1]' | 127.*) return 0 ;;
    *) return 1 ;;
  esac
}

have() { command -v "$1" >/dev/null 2>&1; }

# ----------------------------------------------------------------------------- prerequisites

JAVA=
find_java() {
  if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
    JAVA=$JAVA_HOME/bin/java
  elif have java; then
    JAVA=$(command -v java)
  else
    JAVA=
  fi
}
java_major() {
  local v
  v=$("$JAVA" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')
  v=${v#1.}           # 1.8.0_392 -> 8.0_392
  v=${v%%[!0-9]*}     # 17.0.15 -> 17, 21-ea -> 21
  printf '%s' "${v:-0}"
}

PG_BIN=
find_pg_server_bin() {
  # a directory holding initdb, pg_ctl and postgres together (symlinks on PATH resolved)
  local c d cands=()
  for c in pg_ctl initdb postgres; do
    if have "$c"; then cands+=("$(dirname "$(readlink -f "$(command -v "$c")")")"); fi
  done
  if have pg_config; then cands+=("$(pg_config --bindir 2>/dev/null || true)"); fi
  # newest installed major version first
  while IFS= read -r d; do cands+=("$d"); done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -rn || true)
  for d in "${cands[@]}"; do
    [[ -n $d ]] || continue
    if [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then PG_BIN=$d; return 0; fi
  done
  PG_BIN=
  return 1
}

# commands run as the postgres OS user when we are root (postgres refuses to run as root)
AS_PG=()
setup_pg_user() {
  AS_PG=()
  if [[ $(id -u) -eq 0 ]]; then
    AS_PG=(runuser -u postgres --)
  fi
}

# ----------------------------------------------------------------------------- Kafka: jars

pom_hash() { sha256sum "$KAFKA_POM" | cut -c1-64; }

jar_cache_complete() {
  [[ -f $KAFKA_MARKER && -d $KAFKA_LIBS ]] || return 1
  local line want
  want="pom-sha256=$(pom_hash)"
  [[ $(head -n1 "$KAFKA_MARKER") == "$want" ]] || return 1
  while IFS= read -r line; do
    [[ $line == jar=* ]] || continue
    [[ -f $KAFKA_LIBS/${line#jar=} ]] || return 1
  done <"$KAFKA_MARKER"
  return 0
}

KAFKA_JARS_NOTE=
resolve_kafka_jars() {
  if jar_cache_complete; then
    KAFKA_JARS_NOTE="jar cache hit ($KAFKA_LIBS)"
    return 0
  fi
  local t0 tmp name missing=()
  t0=$(now_ms)
  say "resolving Kafka $KAFKA_VERSION jars from Maven Central into $KAFKA_LIBS (first run only) ..."
  mkdir -p "$KAFKA_CACHE"
  tmp=$KAFKA_CACHE/libs.tmp.$$
  rm -rf "$tmp"
  # (Debian's Maven 3.8 prints bare ANSI resets even with -B -q: strip escape sequences)
  if ! mvn -q -B -Dstyle.color=never -f "$KAFKA_POM" dependency:copy-dependencies \
    -Dweave.cache.dir="$CACHE_ROOT" -Dkafka.libs.dir="$tmp" 2>&1 | sed -e $'s/\e\\[[0-9;]*m//g' -e '/^$/d'; then
    rm -rf "$tmp" "$KAFKA_CACHE/maven-target"
    die "Maven could not resolve the Kafka jars (see output above). Maven Central must be reachable; MAVEN_OPTS is passed through."
  fi
  rm -rf "$KAFKA_CACHE/maven-target"
  for name in "${KAFKA_REQUIRED_JARS[@]}"; do
    compgen -G "$tmp/$name-[0-9]*.jar" >/dev/null || missing+=("$name")
  done
  if ((${#missing[@]})); then
    rm -rf "$tmp"
    die "jar download incomplete, missing: ${missing[*]} (check $KAFKA_POM)"
  fi
  rm -rf "$KAFKA_LIBS"
  mv "$tmp" "$KAFKA_LIBS"
  {
    echo "pom-sha256=$(pom_hash)"
    echo "kafka.version=$KAFKA_VERSION"
    echo "created=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    (cd "$KAFKA_LIBS" && ls -1 -- *.jar | sed 's/^/jar=/')
  } >"$KAFKA_MARKER.tmp"
  mv "$KAFKA_MARKER.tmp" "$KAFKA_MARKER"
  KAFKA_JARS_NOTE="downloaded $(ls -1 "$KAFKA_LIBS"/*.jar | wc -l) jars via Maven in $(fmt_ms $(($(now_ms) - t0)))"
  say "$KAFKA_JARS_NOTE"
}

# ----------------------------------------------------------------------------- development PKI (openssl)

pki_openssl() {
  local out
  if ! out=$(openssl "$@" 2>&1 >/dev/null); then
    printf '%s\n' "$out" >&2
    die "openssl $1 failed (in $(rel "$PKI_DIR"))"
  fi
}

# a certificate signed by our CA (and not expired)?
pki_valid() { [[ -f $1.crt && -f $1.key ]] && openssl verify -CAfile "$PKI_CA" "$1.crt" >/dev/null 2>&1; }

# pki_issue <common name> <organisational unit> <subjectAltName>: as openPki().issue in libs/testing
# (kept when present and signed by our CA); appends what it issued to PKI_MADE
PKI_MADE=()
pki_issue() {
  local cn=$1 ou=$2 san=$3 base=$PKI_DIR/$1 mask
  if pki_valid "$base"; then return 0; fi
  mask=$(umask)
  umask 077
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$san" >"$base.ext"
  pki_openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$base.key" -out "$base.csr" \
    -subj "/O=$PKI_ORG/OU=$ou/CN=$cn"
  umask "$mask"
  pki_openssl x509 -req -in "$base.csr" -CA "$PKI_CA" -CAkey "$PKI_CA_KEY" -set_serial "$(date +%s%3N)" \
    -days "$PKI_DAYS" -extfile "$base.ext" -out "$base.crt"
  PKI_MADE+=("$cn")
}

# The CA (if missing), the broker's certificate and PEM keystore, and the operator's certificate.
# Needs no node_modules: Kafka cannot start without them. tools/pki.ts issues the rest later.
PKI_NOTE=
pki_bootstrap() {
  local mask
  PKI_MADE=()
  mkdir -p "$PKI_DIR"
  if [[ ! -f $PKI_CA || ! -f $PKI_CA_KEY ]]; then
    mask=$(umask)
    umask 077
    pki_openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$PKI_CA_KEY" -out "$PKI_CA" \
      -days "$PKI_DAYS" -subj "/O=$PKI_ORG/CN=$PKI_ORG development CA"
    umask "$mask"
    chmod 644 "$PKI_CA"
    PKI_MADE+=(CA)
  fi
  pki_issue "$KAFKA_BROKER_CN" weave-kafka "DNS:localhost,IP:127.0.0.1"
  pki_issue "$KAFKA_OPERATOR_CN" weave-operator "DNS:localhost"
  if ! cmp -s <(cat "$PKI_DIR/$KAFKA_BROKER_CN.key" "$PKI_DIR/$KAFKA_BROKER_CN.crt") "$KAFKA_KEYSTORE"; then
    mask=$(umask)
    umask 077
    cat "$PKI_DIR/$KAFKA_BROKER_CN.key" "$PKI_DIR/$KAFKA_BROKER_CN.crt" >"$KAFKA_KEYSTORE.tmp"
    mv "$KAFKA_KEYSTORE.tmp" "$KAFKA_KEYSTORE"
    umask "$mask"
  fi
  if ((${#PKI_MADE[@]})); then
    PKI_NOTE="issued ${PKI_MADE[*]} in $(rel "$PKI_DIR")"
    say "pki: $PKI_NOTE"
  fi
}

# How does an external broker on our port speak? ours-ca: TLS, and its certificate chains to our CA
# (our operator certificate is offered); other-tls: TLS with a certificate we do not trust;
# plaintext: no TLS handshake at all (a plaintext Kafka, or not Kafka).
kafka_tls_probe() {
  local out
  if out=$(timeout 5 openssl s_client -connect "127.0.0.1:$KAFKA_PORT" -CAfile "$PKI_CA" \
    -cert "$PKI_DIR/$KAFKA_OPERATOR_CN.crt" -key "$PKI_DIR/$KAFKA_OPERATOR_CN.key" -verify_return_error </dev/null 2>&1); then
    echo ours-ca
  elif grep -qE 'verify error|certificate verify failed|Verification error' <<<"$out"; then
    echo other-tls
  else
    echo plaintext
  fi
}

# ----------------------------------------------------------------------------- Kafka: config, format, run

sed_repl() { printf '%s' "$1" | sed 's/[\\|&]/\\&/g'; }

# the broker configuration for the current template and settings, on stdout
kafka_conf_text() {
  sed -e "s|@KAFKA_PORT@|$(sed_repl "$KAFKA_PORT")|g" \
    -e "s|@KAFKA_CONTROLLER_PORT@|$(sed_repl "$KAFKA_CONTROLLER_PORT")|g" \
    -e "s|@KAFKA_DATA_DIR@|$(sed_repl "$KAFKA_DATA")|g" \
    -e "s|@KAFKA_KEYSTORE@|$(sed_repl "$KAFKA_KEYSTORE")|g" \
    -e "s|@KAFKA_TRUSTSTORE@|$(sed_repl "$PKI_CA")|g" \
    "$KAFKA_TEMPLATE"
}

render_kafka_conf() {
  mkdir -p "$KAFKA_DATA"
  kafka_conf_text >"$KAFKA_CONF.tmp"
  mv "$KAFKA_CONF.tmp" "$KAFKA_CONF"
}

# does our running broker use an older configuration than the template renders now?
kafka_conf_stale() { [[ -f $KAFKA_CONF ]] && ! cmp -s <(kafka_conf_text) "$KAFKA_CONF"; }

kafka_tool() {
  # run a Kafka main class on the cached classpath (short-lived tools: small heap)
  "$JAVA" -Xmx256m -Dlog4j.configuration="file:$KAFKA_LOG4J" -cp "$KAFKA_LIBS/*" "$@"
}

KAFKA_FORMATTED_NOTE=
format_kafka_storage() {
  if [[ -f $KAFKA_DATA/meta.properties ]]; then
    KAFKA_FORMATTED_NOTE="reused data in $(rel "$KAFKA_DATA")"
    return 0
  fi
  local cid out
  cid=$(cat "$KAFKA_CLUSTER_ID_FILE" 2>/dev/null || true)
  if [[ ! $cid =~ ^[A-Za-z0-9_-]{22}$ ]]; then
    cid=$(kafka_tool kafka.tools.StorageTool random-uuid 2>/dev/null | grep -E '^[A-Za-z0-9_-]{22}$' | tail -n1 || true)
    [[ -n $cid ]] || die "kafka.tools.StorageTool random-uuid produced no cluster id"
    printf '%s\n' "$cid" >"$KAFKA_CLUSTER_ID_FILE"
  fi
  if ! out=$(kafka_tool kafka.tools.StorageTool format -t "$cid" -c "$KAFKA_CONF" --ignore-formatted 2>&1); then
    printf '%s\n' "$out" >&2
    die "formatting Kafka storage in $KAFKA_DATA failed"
  fi
  KAFKA_FORMATTED_NOTE="formatted $(rel "$KAFKA_DATA") (cluster id $cid)"
  say "$KAFKA_FORMATTED_NOTE"
}

kafka_conf_pattern() { printf 'kafka\\.Kafka %s' "$(regex_escape "$KAFKA_CONF")"; }

# pid of a running broker started from our config, if any (pid file first, then process table)
kafka_our_pid() {
  local pid
  pid=$(read_pid "$KAFKA_PID_FILE")
  if pid_alive "$pid" && [[ $(pid_args "$pid") == *"$KAFKA_CONF"* ]]; then
    printf '%s' "$pid"
    return 0
  fi
  pid=$(pgrep -f -- "$(kafka_conf_pattern)" 2>/dev/null | head -n1 || true)
  printf '%s' "$pid"
}

# KAFKA_STATE: ours | external | down ; KAFKA_RUNNING_PID
kafka_probe() {
  KAFKA_RUNNING_PID=$(kafka_our_pid)
  if [[ -n $KAFKA_RUNNING_PID ]]; then
    KAFKA_STATE=ours
  elif tcp_open 127.0.0.1 "$KAFKA_PORT"; then
    KAFKA_STATE=external
  else
    KAFKA_STATE=down
  fi
}

# Another clone's broker (TLS from a different CA) holds our ports, e.g. a developer's stack while CI
# runs on a fresh clone: run ours beside it on the first free pair of ports from 19092, and remember
# them so that status, down and the next up of this clone find it again.
kafka_move_ports() {
  local taken=$KAFKA_PORT p
  for ((p = 19092; p < 19292; p += 2)); do
    if ! tcp_open 127.0.0.1 "$p" && ! tcp_open 127.0.0.1 "$((p + 1))"; then
      KAFKA_PORT=$p KAFKA_CONTROLLER_PORT=$((p + 1))
      mkdir -p "$KAFKA_DIR"
      printf '%s %s\n' "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" >"$KAFKA_PORTS_FILE"
      say "kafka: 127.0.0.1:$taken is another weave clone's broker (TLS from a different CA); running ours on 127.0.0.1:$KAFKA_PORT (controller :$KAFKA_CONTROLLER_PORT), remembered in $(rel "$KAFKA_PORTS_FILE")"
      return 0
    fi
  done
  die "127.0.0.1:$taken is held by a broker with a certificate that does not chain to $(rel "$PKI_CA"), and no free port pair was found in 19092-19291: set WEAVE_KAFKA_PORT and WEAVE_KAFKA_CONTROLLER_PORT"
}

kafka_ready() {
  grep -q 'Kafka Server started' "$KAFKA_LOG" 2>/dev/null && tcp_open 127.0.0.1 "$KAFKA_PORT"
}

KAFKA_T0=
kafka_launch() {
  KAFKA_T0=$(now_ms)
  [[ -f $KAFKA_LOG ]] && mv -f "$KAFKA_LOG" "$KAFKA_LOG.1"
  : >"$KAFKA_LOG"
  local -a heap
  read -r -a heap <<<"$KAFKA_HEAP_OPTS"
  # shellcheck disable=SC2016
  nohup "$JAVA" "${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$KAFKA_LOG4J" -Dkafka.logs.dir="$LOG_DIR" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONF" >>"$KAFKA_LOG" 2>&1 </dev/null 9>&- &
  KAFKA_RUNNING_PID=$!
  printf '%s\n' "$KAFKA_RUNNING_PID" >"$KAFKA_PID_FILE"
  say "kafka: launched pid $KAFKA_RUNNING_PID (log $(rel "$KAFKA_LOG"))"
}

kafka_wait_ready() {
  local pid=$1 deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  while ! kafka_ready; do
    if ! pid_alive "$pid"; then
      rm -f "$KAFKA_PID_FILE"
      printf -- '--- last 40 lines of %s ---\n' "$KAFKA_LOG" >&2
      tail -n 40 "$KAFKA_LOG" >&2 || true
      die "Kafka exited during startup (pid $pid)"
    fi
    if ((SECONDS >= deadline)); then
      printf -- '--- last 40 lines of %s ---\n' "$KAFKA_LOG" >&2
      tail -n 40 "$KAFKA_LOG" >&2 || true
      kafka_kill "$pid" >/dev/null
      rm -f "$KAFKA_PID_FILE"
      die "Kafka did not become ready within ${KAFKA_START_TIMEOUT}s (no 'Kafka Server started' + open port 127.0.0.1:$KAFKA_PORT); the unready broker was stopped"
    fi
    sleep 0.5
  done
}

# SIGTERM, up to 30 s, then SIGKILL
kafka_kill() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 60; i++)); do
    pid_alive "$pid" || { echo "stopped (SIGTERM)"; return 0; }
    sleep 0.5
  done
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 20; i++)); do pid_alive "$pid" || break; sleep 0.25; done
  echo "killed (SIGKILL after 30s)"
}

# ----------------------------------------------------------------------------- PostgreSQL

# sets PGU_SCHEME PGU_USERINFO PGU_HOST PGU_PORT PGU_DB PGU_QUERY from a URL
parse_pg_url() {
  local url=$1
  local re='^(postgres|postgresql)://(([^@/]*)@)?(\[[^]/]*\]|[^:/?]*)(:([0-9]*))?(/([^?]*))?(\?(.*))?$'
  [[ $url =~ $re ]] || die "DATABASE_URL is not a postgres:// URL: $url"
  PGU_SCHEME=${BASH_REMATCH[1]}
  PGU_USERINFO=${BASH_REMATCH[3]}
  PGU_HOST=${BASH_REMATCH[4]}
  PGU_PORT=${BASH_REMATCH[6]:-5432}
  PGU_DB=${BASH_REMATCH[8]}
  PGU_QUERY=${BASH_REMATCH[10]}
  local user=${PGU_USERINFO%%:*}
  [[ -n $PGU_DB ]] || PGU_DB=${user:-postgres}
}

pg_answers() { pg_isready -q -t 3 -d "$1" >/dev/null 2>&1; }

# pid of our own postmaster (from its data dir), if running
pg_own_pid() {
  local pid=
  if [[ -f $PG_DATA/postmaster.pid ]]; then
    pid=$(head -n1 "$PG_DATA/postmaster.pid" 2>/dev/null | tr -dc '0-9' || true)
    if ! pid_alive "$pid" || [[ $(pid_args "$pid") != *postgres* ]]; then pid=; fi
  fi
  printf '%s' "$pid"
}
pg_own_port() { sed -n 4p "$PG_DATA/postmaster.pid" 2>/dev/null | tr -dc '0-9' || true; }

# ensure the database named in $1 exists on that server
pg_ensure_db() {
  local url=$1 maint exists
  parse_pg_url "$url"
  maint="$PGU_SCHEME://${PGU_USERINFO:+$PGU_USERINFO@}$PGU_HOST:$PGU_PORT/postgres${PGU_QUERY:+?$PGU_QUERY}"
  exists=$(printf 'SELECT 1 FROM pg_database WHERE datname = :%s;\n' "'db'" |
    psql -X -q -tA -v ON_ERROR_STOP=1 -v db="$PGU_DB" -d "$maint") ||
    die "cannot query databases at $PGU_HOST:$PGU_PORT as '${PGU_USERINFO%%:*}' (DATABASE_URL=$url)"
  if [[ $exists != 1 ]]; then
    printf 'CREATE DATABASE :"db";\n' | psql -X -q -v ON_ERROR_STOP=1 -v db="$PGU_DB" -d "$maint" >/dev/null ||
      die "could not create database '$PGU_DB' at $PGU_HOST:$PGU_PORT (DATABASE_URL=$url)"
    PG_NOTE="${PG_NOTE:+$PG_NOTE, }created database $PGU_DB"
  fi
}

pg_start_own() {
  local t0 loc ok=0
  t0=$(now_ms)
  mkdir -p "$PG_DATA" "$PG_SOCK" "$LOG_DIR"
  touch "$PG_LOG"
  if ((${#AS_PG[@]})); then
    chown -R postgres: "$PG_DIR" "$PG_LOG"
    chmod 700 "$PG_DATA"
    "${AS_PG[@]}" test -w "$PG_DATA" ||
      die "the 'postgres' OS user cannot reach $PG_DATA (a parent directory is not world-executable); move the clone or set DATABASE_URL to a running server"
  fi
  if [[ ! -f $PG_DATA/PG_VERSION ]]; then
    for loc in C.UTF-8 C; do
      find "$PG_DATA" -mindepth 1 -delete 2>/dev/null || true
      if (cd "$PG_DIR" && "${AS_PG[@]}" "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 \
        --locale="$loc" >>"$PG_LOG" 2>&1); then
        ok=1
        break
      fi
    done
    ((ok)) || { tail -n 30 "$PG_LOG" >&2; die "initdb failed (log $PG_LOG)"; }
    cat >>"$PG_DATA/postgresql.conf" <<EOF

# --- weave local stack (deploy/local/stack.sh); port is passed with pg_ctl -o "-p N" ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_SOCK'
EOF
    PG_NOTE="initdb done"
  fi
  if ! (cd "$PG_DIR" && "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 -o "-p $PG_OWN_PORT" start >/dev/null 9>&-); then
    tail -n 30 "$PG_LOG" >&2 || true
    die "our PostgreSQL did not start on 127.0.0.1:$PG_OWN_PORT (log $PG_LOG)"
  fi
  PG_START_MS=$(($(now_ms) - t0))
}

# ----------------------------------------------------------------------------- Redis

# sets RU_HOST RU_PORT RU_PATH
parse_redis_url() {
  local url=$1
  local re='^(rediss?)://(([^@/]*)@)?(\[[^]/]*\]|[^:/?]*)(:([0-9]*))?(/[^?]*)?(\?.*)?$'
  [[ $url =~ $re ]] || die "REDIS_URL is not a redis:// URL: $url"
  RU_HOST=${BASH_REMATCH[4]}
  RU_PORT=${BASH_REMATCH[6]:-6379}
  RU_PATH=${BASH_REMATCH[7]}
}

rcli() { timeout 5 redis-cli --no-auth-warning -u "$@"; }
redis_answers() { [[ $(rcli "$1" ping 2>/dev/null || true) == PONG ]]; }

# is the redis on 127.0.0.1:$REDIS_OWN_PORT ours (its data dir is .local/redis)?
redis_own_pid() {
  local pid dir
  pid=$(read_pid "$REDIS_PID_FILE")
  if pid_alive "$pid" && [[ $(pid_args "$pid") == *redis-server* ]]; then
    printf '%s' "$pid"
    return 0
  fi
  # pid file lost: ask the server on our port where it keeps its data
  dir=$(rcli "redis://127.0.0.1:$REDIS_OWN_PORT" --raw config get dir 2>/dev/null | sed -n 2p || true)
  if [[ -n $dir && -d $REDIS_DIR && $dir -ef $REDIS_DIR ]]; then
    pid=$(rcli "redis://127.0.0.1:$REDIS_OWN_PORT" --raw info server 2>/dev/null | sed -n 's/^process_id:\([0-9]*\).*/\1/p' || true)
    printf '%s' "${pid:-unknown}"
  fi
}

redis_start_own() {
  local t0 i
  t0=$(now_ms)
  mkdir -p "$REDIS_DIR" "$LOG_DIR" "$RUN_DIR"
  redis-server --port "$REDIS_OWN_PORT" --bind 127.0.0.1 --appendonly yes --dir "$REDIS_DIR" \
    --daemonize yes --pidfile "$REDIS_PID_FILE" --logfile "$REDIS_LOG" >/dev/null 9>&- ||
    die "redis-server failed to start (log $REDIS_LOG)"
  for ((i = 0; i < 40; i++)); do
    redis_answers "redis://127.0.0.1:$REDIS_OWN_PORT" && break
    sleep 0.25
  done
  redis_answers "redis://127.0.0.1:$REDIS_OWN_PORT" || { tail -n 20 "$REDIS_LOG" >&2 || true; die "our Redis did not answer on 127.0.0.1:$REDIS_OWN_PORT (log $REDIS_LOG)"; }
  REDIS_START_MS=$(($(now_ms) - t0))
}

redis_ensure_aof() {
  local url=$1 val
  val=$(rcli "$url" --raw config get appendonly 2>/dev/null | sed -n 2p || true)
  case $val in
    yes) ;;
    no)
      if [[ $(rcli "$url" config set appendonly yes 2>/dev/null || true) == OK ]]; then
        say "redis: $RU_HOST:$RU_PORT had appendonly=no; ran CONFIG SET appendonly yes (weave needs persistence; not written to its redis.conf)"
        REDIS_NOTE="enabled appendonly"
      else
        warn "redis at $RU_HOST:$RU_PORT has appendonly=no and CONFIG SET appendonly yes failed; data may be lost on restart"
      fi
      ;;
    *) warn "could not read appendonly from the Redis at $RU_HOST:$RU_PORT (CONFIG disabled?); make sure it persists data" ;;
  esac
}

# ----------------------------------------------------------------------------- state files

write_stack_env() {
  {
    echo "# written by deploy/local/stack.sh up on $(date -u +%Y-%m-%dT%H:%M:%SZ); source it: . .local/stack.env"
    printf 'export KAFKA_BROKERS=%q\n' "127.0.0.1:$KAFKA_PORT"
    # the operator identity (a Kafka super user) for tools and tests; services get their own
    if [[ $KAFKA_TLS == 1 ]]; then
      printf 'export KAFKA_TLS_CA=%q\n' "$PKI_CA"
      printf 'export KAFKA_TLS_CERT=%q\n' "$PKI_DIR/$KAFKA_OPERATOR_CN.crt"
      printf 'export KAFKA_TLS_KEY=%q\n' "$PKI_DIR/$KAFKA_OPERATOR_CN.key"
    else
      echo '# the broker on this port is external and speaks plaintext: no KAFKA_TLS_*, no ACLs'
      echo 'unset KAFKA_TLS_CA KAFKA_TLS_CERT KAFKA_TLS_KEY'
    fi
    printf 'export WEAVE_KAFKA_OWNER=%q\n' "$KAFKA_OWNER"
    printf 'export DATABASE_URL=%q\n' "$DATABASE_URL"
    printf 'export REDIS_URL=%q\n' "$REDIS_URL"
  } >"$STACK_ENV.tmp"
  mv "$STACK_ENV.tmp" "$STACK_ENV"
}

take_lock() {
  mkdir -p "$RUN_DIR"
  if have flock; then
    exec 9>"$RUN_DIR/stack.lock"
    flock -w 120 9 || die "another deploy/local/stack.sh is running (lock $RUN_DIR/stack.lock)"
  fi
}

# ----------------------------------------------------------------------------- up

cmd_up() {
  local t_all problems=() major
  t_all=$(now_ms)
  take_lock
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$KAFKA_DIR"

  DATABASE_URL=${DATABASE_URL:-$DEFAULT_DATABASE_URL}
  REDIS_URL=${REDIS_URL:-$DEFAULT_REDIS_URL}
  parse_pg_url "$DATABASE_URL"
  parse_redis_url "$REDIS_URL"

  # ---- prerequisites (every problem reported at once)
  find_java
  if [[ -z $JAVA ]]; then
    problems+=("Java 17+ is needed for Kafka: install openjdk-17-jre-headless (Debian) or set JAVA_HOME to a JDK/JRE 17+.")
  else
    major=$(java_major)
    ((major >= 17)) || problems+=("Java 17+ is needed for Kafka, but $JAVA is Java $major: install openjdk-17-jre-headless or point JAVA_HOME at a JDK 17+.")
  fi
  if ! have openssl; then
    problems+=("openssl is needed for the development PKI (Kafka's and the services' certificates in .local/pki): apt-get install openssl.")
  fi
  if ! jar_cache_complete && ! have mvn; then
    problems+=("Maven (mvn) is needed once to download the Kafka $KAFKA_VERSION jars into $KAFKA_LIBS: apt-get install maven.")
  fi
  local have_pgc=1 have_rc=1
  if ! have pg_isready || ! have psql; then
    have_pgc=0
    problems+=("PostgreSQL client tools (pg_isready, psql) are missing: apt-get install postgresql-client.")
  fi
  if ! have redis-cli; then
    have_rc=0
    problems+=("redis-cli is missing: apt-get install redis-tools.")
  fi

  # Kafka plan
  kafka_probe
  if [[ $KAFKA_STATE == down ]] && tcp_open 127.0.0.1 "$KAFKA_CONTROLLER_PORT"; then
    problems+=("Kafka controller port 127.0.0.1:$KAFKA_CONTROLLER_PORT is taken by another process: free it or set WEAVE_KAFKA_CONTROLLER_PORT.")
  fi

  # PostgreSQL plan: use | own
  local pg_plan=use pg_own_pid_now=
  PG_NOTE='' PG_START_MS=''
  if ((have_pgc)); then
    pg_own_pid_now=$(pg_own_pid)
    if pg_answers "$DATABASE_URL"; then
      pg_plan=use
    elif ! is_local_host "$PGU_HOST"; then
      problems+=("no PostgreSQL answers at DATABASE_URL=$DATABASE_URL (not on this machine, so none is started): start it or set DATABASE_URL to a reachable server.")
    else
      pg_plan=own
      if [[ -z $pg_own_pid_now ]]; then
        if ! find_pg_server_bin; then
          problems+=("no PostgreSQL answers at DATABASE_URL=$DATABASE_URL and no server binaries (initdb, pg_ctl, postgres) were found to start our own: apt-get install postgresql, or set DATABASE_URL to a running server.")
        elif [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
          problems+=("running as root, PostgreSQL must run as the 'postgres' OS user, which does not exist: useradd --system postgres, or set DATABASE_URL to a running server.")
        elif [[ $(id -u) -eq 0 ]] && ! have runuser; then
          problems+=("running as root, runuser (util-linux) is needed to start PostgreSQL as 'postgres'.")
        elif tcp_open 127.0.0.1 "$PG_OWN_PORT"; then
          problems+=("DATABASE_URL=$DATABASE_URL does not answer, and our fallback port 127.0.0.1:$PG_OWN_PORT is taken by another process: free it or set WEAVE_PG_PORT.")
        fi
      fi
    fi
  fi

  # Redis plan: use | own
  local redis_plan=use redis_own_pid_now=
  REDIS_NOTE='' REDIS_START_MS=''
  if ((have_rc)); then
    redis_own_pid_now=$(redis_own_pid)
    if redis_answers "$REDIS_URL"; then
      redis_plan=use
    elif ! is_local_host "$RU_HOST"; then
      problems+=("no Redis answers at REDIS_URL=$REDIS_URL (not on this machine, so none is started): start it or set REDIS_URL to a reachable server.")
    else
      redis_plan=own
      if [[ -z $redis_own_pid_now ]]; then
        if ! have redis-server; then
          problems+=("no Redis answers at REDIS_URL=$REDIS_URL and redis-server is not installed to start our own: apt-get install redis-server, or set REDIS_URL to a running server.")
        elif tcp_open 127.0.0.1 "$REDIS_OWN_PORT"; then
          problems+=("REDIS_URL=$REDIS_URL does not answer, and our fallback port 127.0.0.1:$REDIS_OWN_PORT is taken by another process: free it or set WEAVE_REDIS_PORT.")
        fi
      fi
    fi
  fi

  if ((${#problems[@]})); then
    printf '[stack] cannot start the local stack:\n' >&2
    printf '  - %s\n' "${problems[@]}" >&2
    exit 1
  fi

  # ---- development PKI: the CA, the broker's and the operator's certificates (before Kafka starts)
  pki_bootstrap

  # ---- Kafka: jars, config, storage, launch (readiness awaited after pg/redis)
  local kafka_owner kafka_note kafka_launched=0
  KAFKA_JARS_NOTE=
  KAFKA_TLS=1
  if [[ $KAFKA_STATE == ours ]] && kafka_conf_stale; then
    # e.g. a broker started before the listeners became mutual TLS: it would let clients bypass the ACLs
    say "kafka: our running broker (pid $KAFKA_RUNNING_PID) has an outdated configuration; restarting it with $(rel "$KAFKA_TEMPLATE")"
    say "kafka: $(kafka_kill "$KAFKA_RUNNING_PID")"
    rm -f "$KAFKA_PID_FILE"
    KAFKA_STATE=down
  fi
  local kafka_tls_seen=
  if [[ $KAFKA_STATE == external ]]; then
    kafka_tls_seen=$(kafka_tls_probe)
    if [[ $kafka_tls_seen == other-tls && -z ${WEAVE_KAFKA_PORT:-} ]]; then
      kafka_move_ports
      KAFKA_STATE=down
    fi
  fi
  case $KAFKA_STATE in
    external)
      kafka_owner=external
      case $kafka_tls_seen in
        ours-ca)
          kafka_note="reused: an external broker on 127.0.0.1:$KAFKA_PORT speaks TLS with a certificate from our CA; weave connects as $KAFKA_OPERATOR_CN and its ACLs are applied only if that broker allows it (not stopped by down)"
          ;;
        plaintext)
          KAFKA_TLS=0
          kafka_note="reused: an external broker on 127.0.0.1:$KAFKA_PORT without TLS; weave connects in plaintext, so no ACLs are applied or enforced (not stopped by down)"
          ;;
        *)
          die "something on 127.0.0.1:$KAFKA_PORT speaks TLS with a certificate that does not chain to $(rel "$PKI_CA") (another clone's broker?): stop it, or set WEAVE_KAFKA_PORT and WEAVE_KAFKA_CONTROLLER_PORT to free ports to run ours"
          ;;
      esac
      say "kafka: $kafka_note"
      ;;
    ours)
      kafka_owner=weave
      printf '%s\n' "$KAFKA_RUNNING_PID" >"$KAFKA_PID_FILE"
      kafka_note="already running (mutual TLS, ACLs)"
      ;;
    down)
      kafka_owner=weave
      resolve_kafka_jars
      render_kafka_conf
      format_kafka_storage
      kafka_launch
      kafka_launched=1
      ;;
  esac

  # ---- PostgreSQL
  local pg_owner pg_pid=-
  if [[ $pg_plan == use ]]; then
    if [[ -n $pg_own_pid_now ]] && is_local_host "$PGU_HOST" && [[ $PGU_PORT == "$(pg_own_port)" ]]; then
      pg_owner=weave pg_pid=$pg_own_pid_now
      PG_NOTE="already running"
    else
      pg_owner=external
      PG_NOTE="reused"
    fi
  else
    setup_pg_user
    pg_owner=weave
    if [[ -n $pg_own_pid_now ]]; then
      PG_NOTE="already running"
      local running_port
      running_port=$(pg_own_port)
      [[ $running_port == "$PG_OWN_PORT" ]] || PG_OWN_PORT=$running_port
    else
      say "postgres: nothing answers at $DATABASE_URL; starting our own on 127.0.0.1:$PG_OWN_PORT ($PG_BIN)"
      pg_start_own
      PG_NOTE="started in $(fmt_ms "$PG_START_MS")${PG_NOTE:+, $PG_NOTE}"
    fi
    printf 'port=%s\ndata=%s\n' "$PG_OWN_PORT" "$PG_DATA" >"$PG_OWNED"
    pg_pid=$(pg_own_pid)
    printf '%s\n' "$pg_pid" >"$PG_PID_FILE"
    DATABASE_URL="postgres://postgres@127.0.0.1:$PG_OWN_PORT/$PGU_DB"
  fi
  pg_ensure_db "$DATABASE_URL"

  # ---- Redis
  local redis_owner redis_pid=-
  if [[ $redis_plan == use ]]; then
    if [[ -n $redis_own_pid_now ]] && is_local_host "$RU_HOST" && [[ $RU_PORT == "$REDIS_OWN_PORT" ]]; then
      redis_owner=weave redis_pid=$redis_own_pid_now
      REDIS_NOTE="already running"
    else
      redis_owner=external
      REDIS_NOTE="reused"
    fi
  else
    redis_owner=weave
    if [[ -n $redis_own_pid_now ]]; then
      REDIS_NOTE="already running"
    else
      say "redis: nothing answers at $REDIS_URL; starting our own on 127.0.0.1:$REDIS_OWN_PORT"
      redis_start_own
      REDIS_NOTE="started in $(fmt_ms "$REDIS_START_MS")"
    fi
    printf 'port=%s\n' "$REDIS_OWN_PORT" >"$REDIS_OWNED"
    redis_pid=$(redis_own_pid)
    REDIS_URL="redis://127.0.0.1:$REDIS_OWN_PORT${RU_PATH}"
    parse_redis_url "$REDIS_URL"
  fi
  redis_ensure_aof "$REDIS_URL"

  # ---- Kafka readiness
  if [[ $KAFKA_STATE == ours ]] && ! kafka_ready; then
    # ours but still starting (e.g. a previous `up` was interrupted)
    kafka_wait_ready "$KAFKA_RUNNING_PID"
  fi
  if ((kafka_launched)); then
    kafka_wait_ready "$KAFKA_RUNNING_PID"
    kafka_note="started in $(fmt_ms $(($(now_ms) - KAFKA_T0))) (mutual TLS, ACLs); $KAFKA_JARS_NOTE; $KAFKA_FORMATTED_NOTE"
  fi

  KAFKA_OWNER=$kafka_owner
  write_stack_env

  # ---- development PKI: certificates for every service, Kafka principal and unit (idempotent)
  if [[ -f $REPO_ROOT/tools/pki.ts && -d $REPO_ROOT/node_modules ]]; then
    (cd "$REPO_ROOT" && node -r ./tools/register.js tools/pki.ts 9>&-) || die "tools/pki.ts failed (see above)"
  fi

  # ---- topics and ACLs, as weave-operator
  if [[ ${WEAVE_SKIP_ENSURE_KAFKA:-${WEAVE_SKIP_ENSURE_TOPICS:-}} != 1 && -f $REPO_ROOT/tools/ensure-kafka.ts && -d $REPO_ROOT/node_modules ]]; then
    say "running tools/ensure-kafka.ts (topics, then the ACLs of $(rel "$KAFKA_ACLS")) ..."
    (
      cd "$REPO_ROOT"
      # shellcheck disable=SC1090
      . "$STACK_ENV"
      node -r ./tools/register.js tools/ensure-kafka.ts 9>&-
    ) || die "tools/ensure-kafka.ts failed (the stack itself is up; fix it and re-run up)"
  elif [[ $KAFKA_TLS == 1 && $kafka_owner == weave ]]; then
    warn "tools/ensure-kafka.ts did not run (no node_modules, or WEAVE_SKIP_ENSURE_KAFKA=1): the broker holds no topics or ACLs yet, so only $KAFKA_OPERATOR_CN can use it; run npm ci, then up again"
  fi

  # ---- report
  local total
  total=$(now_ms)
  total=$((total - t_all))
  echo
  echo "weave local stack is up ($(fmt_ms "$total")); env: $(rel "$STACK_ENV") (source it)"
  printf '  %-9s %-44s %-9s %-8s %-24s %s\n' COMPONENT ADDRESS OWNER PID LOG NOTE
  printf '  %-9s %-44s %-9s %-8s %-24s %s\n' kafka "127.0.0.1:$KAFKA_PORT (controller :$KAFKA_CONTROLLER_PORT)" \
    "$kafka_owner" "$([[ $kafka_owner == weave ]] && echo "$KAFKA_RUNNING_PID" || echo -)" \
    "$([[ $kafka_owner == weave ]] && rel "$KAFKA_LOG" || echo -)" "$kafka_note"
  printf '  %-9s %-44s %-9s %-8s %-24s %s\n' postgres "$DATABASE_URL" "$pg_owner" "$pg_pid" \
    "$([[ $pg_owner == weave ]] && rel "$PG_LOG" || echo -)" "$PG_NOTE"
  printf '  %-9s %-44s %-9s %-8s %-24s %s\n' redis "$REDIS_URL" "$redis_owner" "$redis_pid" \
    "$([[ $redis_owner == weave ]] && rel "$REDIS_LOG" || echo -)" "$REDIS_NOTE"
}

# ----------------------------------------------------------------------------- down

cmd_down() {
  take_lock
  local pid result any=0

  # Kafka
  pid=$(kafka_our_pid)
  if [[ -n $pid ]]; then
    any=1
    say "kafka: stopping pid $pid (SIGTERM, up to 30s) ..."
    result=$(kafka_kill "$pid")
    say "kafka: $result"
  elif tcp_open 127.0.0.1 "$KAFKA_PORT"; then
    say "kafka: 127.0.0.1:$KAFKA_PORT is an external broker; left running"
  fi
  rm -f "$KAFKA_PID_FILE"
  # no orphan broker started from our config may survive
  local orphans
  orphans=$(pgrep -f -- "$(kafka_conf_pattern)" 2>/dev/null || true)
  if [[ -n $orphans ]]; then
    warn "orphan Kafka process(es) with $KAFKA_CONF: ${orphans//$'\n'/ }; stopping"
    for pid in $orphans; do kafka_kill "$pid" >/dev/null; done
  fi

  # PostgreSQL (ours = the postmaster of .local/postgres/data)
  pid=$(pg_own_pid)
  if [[ -n $pid ]]; then
    any=1
    say "postgres: stopping our server pid $pid (pg_ctl stop -m fast) ..."
    setup_pg_user
    if find_pg_server_bin && (cd "$PG_DIR" && "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null); then
      say "postgres: stopped"
    else
      warn "pg_ctl stop failed; sending SIGINT (fast shutdown) to $pid"
      kill -INT "$pid" 2>/dev/null || true
      local i
      for ((i = 0; i < 60; i++)); do pid_alive "$pid" || break; sleep 0.5; done
      if pid_alive "$pid"; then die "our PostgreSQL (pid $pid) did not stop"; fi
    fi
  fi
  rm -f "$PG_OWNED" "$PG_PID_FILE"

  # Redis (ours = pid file, or the server on our port whose dir is .local/redis)
  pid=$(redis_own_pid)
  if [[ -n $pid ]]; then
    any=1
    say "redis: stopping our server pid $pid (redis-cli shutdown) ..."
    rcli "redis://127.0.0.1:$REDIS_OWN_PORT" shutdown >/dev/null 2>&1 || true
    local i
    if [[ $pid =~ ^[0-9]+$ ]]; then
      for ((i = 0; i < 40; i++)); do pid_alive "$pid" || break; sleep 0.25; done
      if pid_alive "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 40; i++)); do pid_alive "$pid" || break; sleep 0.25; done
        if pid_alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
      fi
    fi
    say "redis: stopped"
  fi
  rm -f "$REDIS_OWNED" "$REDIS_PID_FILE"

  ((any)) || say "nothing of ours was running"
  return 0
}

# ----------------------------------------------------------------------------- status

cmd_status() {
  local all_up=1 pid owner state
  # the values `up` resolved (e.g. our fallback ports) win over the environment
  if [[ -f $STACK_ENV ]]; then
    # shellcheck disable=SC1090
    . "$STACK_ENV"
  fi
  DATABASE_URL=${DATABASE_URL:-$DEFAULT_DATABASE_URL}
  REDIS_URL=${REDIS_URL:-$DEFAULT_REDIS_URL}

  printf '  %-9s %-5s %-9s %-8s %s\n' COMPONENT STATE OWNER PID ADDRESS

  kafka_probe
  case $KAFKA_STATE in
    ours)
      if kafka_ready; then state=up; else state=starting; all_up=0; fi
      owner=weave pid=$KAFKA_RUNNING_PID
      ;;
    external) state=up owner=external pid=- ;;
    *) state=down owner=- pid=- all_up=0 ;;
  esac
  printf '  %-9s %-5s %-9s %-8s %s\n' kafka "$state" "$owner" "$pid" "127.0.0.1:$KAFKA_PORT"

  parse_pg_url "$DATABASE_URL"
  pid=$(pg_own_pid)
  owner=external
  if [[ -n $pid ]] && is_local_host "$PGU_HOST" && [[ $PGU_PORT == "$(pg_own_port)" ]]; then owner=weave; else pid=-; fi
  if have pg_isready && pg_answers "$DATABASE_URL"; then state=up; else state=down owner=- pid=- all_up=0; fi
  printf '  %-9s %-5s %-9s %-8s %s\n' postgres "$state" "$owner" "$pid" "$DATABASE_URL"

  parse_redis_url "$REDIS_URL"
  pid=
  have redis-cli && pid=$(redis_own_pid)
  owner=external
  if [[ -n $pid ]] && is_local_host "$RU_HOST" && [[ $RU_PORT == "$REDIS_OWN_PORT" ]]; then owner=weave; else pid=-; fi
  if have redis-cli && redis_answers "$REDIS_URL"; then state=up; else state=down owner=- pid=- all_up=0; fi
  printf '  %-9s %-5s %-9s %-8s %s\n' redis "$state" "$owner" "$pid" "$REDIS_URL"

  ((all_up)) && return 0
  return 3
}

# ----------------------------------------------------------------------------- clean

cmd_clean() {
  local all=0
  [[ ${1:-} == --all ]] && all=1
  cmd_down
  rm -rf "$KAFKA_DIR" "$PG_DIR" "$REDIS_DIR" "$LOG_DIR" "$STACK_ENV"
  say "removed .local/kafka .local/postgres .local/redis .local/logs .local/stack.env"
  if ((all)); then
    rm -rf "$KAFKA_CACHE"
    say "removed the Kafka jar cache $KAFKA_CACHE"
  else
    say "kept the Kafka jar cache $KAFKA_CACHE (clean --all removes it)"
  fi
}

usage() {
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
}

main() {
  local cmd=${1:-help}
  shift || true
  case $cmd in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status "$@" ;;
    clean) cmd_clean "$@" ;;
    help | -h | --help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
