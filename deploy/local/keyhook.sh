#!/usr/bin/env bash
# Runs the whole suite locally without Docker: a real PostgreSQL (embedded zonky server, or an existing
# one from KEYHOOK_PG_URL), a real standalone KRaft Kafka broker, then the services in JVM mode.
# State (data, keys, logs, pids) lives in .keyhook/ at the repository root.
# .keyhook/env describes the running suite for a user's shell: it never sets a variable the runner or its services
# take as a choice, so a shell that sourced it runs ./keyhook down and up exactly as a fresh one does.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
STATE="${KEYHOOK_HOME:-$ROOT/.keyhook}"
PG_PORT="${KEYHOOK_PG_PORT:-54329}"
KAFKA_PORT="${KEYHOOK_KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${KEYHOOK_KAFKA_CONTROLLER_PORT:-19093}"
DB_NAME=keyhook
EMBEDDED_PG_URL="postgresql://postgres:postgres@localhost:$PG_PORT/$DB_NAME"
# service name -> port: the console on KEYHOOK_PORT_BASE (8080), the services on the next four ports
PORT_BASE="${KEYHOOK_PORT_BASE:-8080}"
[[ "$PORT_BASE" =~ ^[0-9]+$ ]] && ((PORT_BASE >= 1024 && PORT_BASE <= 65530)) ||
  { printf 'keyhook: KEYHOOK_PORT_BASE must be a port number from 1024 to 65530 (got %s)\n' "$PORT_BASE" >&2; exit 2; }
SERVICES=(credentials-service token-service webhook-config-service webhook-dispatcher console)
declare -A PORTS=([console]=$PORT_BASE [credentials-service]=$((PORT_BASE + 1)) [token-service]=$((PORT_BASE + 2))
  [webhook-config-service]=$((PORT_BASE + 3)) [webhook-dispatcher]=$((PORT_BASE + 4)))

mkdir -p "$STATE"/{pids,logs,keys}

log() { printf '%s\n' "$*" >&2; }
# exit status: 0 done; 1 the suite or an API refused or failed (said on stderr); 2 wrong usage
die() { log "keyhook: $*"; exit 1; }
usage() { log "usage: $*"; log "(./keyhook help describes every command)"; exit 2; }

pid_of() { [[ -f "$STATE/pids/$1" ]] && cat "$STATE/pids/$1" || true; }
alive() { local p; p=$(pid_of "$1"); [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_until() { # wait_until <seconds> <description> <command...>
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

build() {
  local missing=0
  for s in "${SERVICES[@]}"; do
    [[ -f "$ROOT/$s/target/quarkus-app/quarkus-run.jar" ]] || missing=1
  done
  ls "$ROOT"/common/testing/target/keyhook-testing-*.jar >/dev/null 2>&1 || missing=1
  if ((missing)); then
    log "Building Keyhook (first run only; ./mvnw -B install -DskipTests) ..."
    (cd "$ROOT" && ./mvnw -B -q install -DskipTests) >"$STATE/logs/build.log" 2>&1 ||
      die "the build failed; see $STATE/logs/build.log"
  fi
  if [[ ! -s "$STATE/infra.classpath" || "$ROOT/common/testing/pom.xml" -nt "$STATE/infra.classpath" ]]; then
    (cd "$ROOT" && ./mvnw -B -q -pl common/testing dependency:build-classpath -Dmdep.outputFile="$STATE/infra.classpath") \
      >"$STATE/logs/build.log" 2>&1 || die "cannot resolve the infrastructure classpath; see $STATE/logs/build.log"
  fi
}

# KEYHOOK_PG_URL is the user's choice of an existing PostgreSQL. .keyhook/env names the one in use
# KEYHOOK_PG_URL_IN_USE; env files of older runners exported the embedded server's own address as KEYHOOK_PG_URL,
# so that address still means the embedded server (any other program on its port is refused by check_ports)
external_pg() { [[ -n "${KEYHOOK_PG_URL:-}" && "$KEYHOOK_PG_URL" != "$EMBEDDED_PG_URL" ]]; }
pg_url() { if external_pg; then printf '%s\n' "$KEYHOOK_PG_URL"; else printf '%s\n' "$EMBEDDED_PG_URL"; fi; }
# the user's PostgreSQL URL for a log line or status: its password replaced by *** (it is a secret of theirs)
shown_pg_url() {
  local url=$KEYHOOK_PG_URL rest userinfo
  [[ "$url" == *://*@* ]] || { printf '%s\n' "$url"; return; }
  rest=${url#*://} userinfo=${url#*://}
  userinfo=${userinfo%@*}
  [[ "$userinfo" == *:* ]] && userinfo="${userinfo%%:*}:***"
  printf '%s://%s@%s\n' "${url%%://*}" "$userinfo" "${rest##*@}"
}

infra_cp() { echo "$(ls "$ROOT"/common/testing/target/keyhook-testing-*.jar | head -1):$(cat "$STATE/infra.classpath")"; }

start_postgres() {
  if external_pg; then
    log "PostgreSQL: using $(shown_pg_url)"
    return
  fi
  if alive postgres; then log "PostgreSQL: already running"; return; fi
  log "PostgreSQL: starting embedded server on port $PG_PORT ..."
  nohup java -Xmx256m -cp "$(infra_cp)" io.keyhook.testing.LocalPostgres "$PG_PORT" "$STATE/pg" "$DB_NAME" \
    >"$STATE/logs/postgres.log" 2>&1 &
  echo $! >"$STATE/pids/postgres"
  wait_until 120 postgres grep -qs "^READY" "$STATE/logs/postgres.log" ||
    die "PostgreSQL did not start; see $STATE/logs/postgres.log"
}

# KEYHOOK_KAFKA_SECURE=true: the broker's only client listener is SASL_SSL (SCRAM-SHA-512) with a certificate from a
# local CA made once in .keyhook/kafka/tls; the services, the demo and .keyhook/env get the matching client settings
kafka_secure() { [[ "${KEYHOOK_KAFKA_SECURE:-false}" == "true" ]]; }

kafka_secrets() {
  generated_client kafka-admin.env KAFKA_ADMIN_USER KAFKA_ADMIN_PASSWORD admin
  generated_client kafka-client.env KAFKA_CLIENT_USER KAFKA_CLIENT_PASSWORD keyhook
}

# the client settings (as KEYHOOK_KAFKA_* variables) for the secured broker; nothing for the plain one
KAFKA_CLIENT_VARS=(KEYHOOK_KAFKA_SECURITY_PROTOCOL KEYHOOK_KAFKA_SASL_MECHANISM KEYHOOK_KAFKA_SASL_JAAS_CONFIG
  KEYHOOK_KAFKA_SSL_TRUSTSTORE_TYPE KEYHOOK_KAFKA_SSL_TRUSTSTORE_LOCATION)
kafka_client_env() {
  kafka_secure || return 0
  kafka_secrets
  printf 'export KEYHOOK_KAFKA_SECURITY_PROTOCOL=SASL_SSL\n'
  printf 'export KEYHOOK_KAFKA_SASL_MECHANISM=SCRAM-SHA-512\n'
  printf "export KEYHOOK_KAFKA_SASL_JAAS_CONFIG='org.apache.kafka.common.security.scram.ScramLoginModule required username=\"%s\" password=\"%s\";'\n" \
    "$KAFKA_CLIENT_USER" "$KAFKA_CLIENT_PASSWORD"
  printf 'export KEYHOOK_KAFKA_SSL_TRUSTSTORE_TYPE=PEM\n'
  printf 'export KEYHOOK_KAFKA_SSL_TRUSTSTORE_LOCATION=%s\n' "$STATE/kafka/tls/ca.crt"
}

start_kafka() {
  if alive kafka; then log "Kafka: already running"; return; fi
  local dir="$STATE/kafka" props="$STATE/kafka/server.properties" mode=plaintext
  kafka_secure && mode=sasl_ssl
  mkdir -p "$dir/data"
  if [[ -f "$dir/data/meta.properties" && "$(cat "$dir/mode" 2>/dev/null || echo plaintext)" != "$mode" ]]; then
    die "the Kafka data in $dir was made for $(cat "$dir/mode" 2>/dev/null || echo plaintext), not $mode: run with the same KEYHOOK_KAFKA_SECURE, or ./keyhook down and delete $dir"
  fi
  local listener=PLAINTEXT
  if [[ $mode == sasl_ssl ]]; then
    listener=SASL_SSL
    kafka_secrets
    [[ -f "$dir/tls/broker.pem" ]] || java -cp "$(infra_cp)" io.keyhook.testing.TestCertificates "$dir/tls" broker ||
      die "cannot make the local CA and broker certificate"
  fi
  (umask 077
   cat >"$props" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$KAFKA_CONTROLLER_PORT
listeners=$listener://localhost:$KAFKA_PORT,CONTROLLER://localhost:$KAFKA_CONTROLLER_PORT
advertised.listeners=$listener://localhost:$KAFKA_PORT
listener.security.protocol.map=$listener:$listener,CONTROLLER:PLAINTEXT
inter.broker.listener.name=$listener
PROPS
  )
  if [[ $mode == sasl_ssl ]]; then
    cat >>"$props" <<PROPS
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$KAFKA_ADMIN_USER" password="$KAFKA_ADMIN_PASSWORD";
ssl.keystore.type=PEM
ssl.keystore.location=$dir/tls/broker.pem
ssl.truststore.type=PEM
ssl.truststore.location=$dir/tls/ca.crt
PROPS
  fi
  cat >>"$props" <<PROPS
controller.listener.names=CONTROLLER
log.dirs=$dir/data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  if [[ ! -f "$dir/data/meta.properties" ]]; then
    local id scram=()
    id=$(java -cp "$(infra_cp)" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
    # SCRAM users live in the cluster metadata: they are made when the log directory is formatted
    [[ $mode == sasl_ssl ]] && scram=(--add-scram "SCRAM-SHA-512=[name=$KAFKA_ADMIN_USER,password=$KAFKA_ADMIN_PASSWORD]"
      --add-scram "SCRAM-SHA-512=[name=$KAFKA_CLIENT_USER,password=$KAFKA_CLIENT_PASSWORD]")
    java -cp "$(infra_cp)" kafka.tools.StorageTool format -t "$id" -c "$props" "${scram[@]}" >"$STATE/logs/kafka-format.log" 2>&1 ||
      die "cannot format the Kafka log directory; see $STATE/logs/kafka-format.log"
    echo "$mode" >"$dir/mode"
  fi
  log "Kafka: starting a KRaft broker on port $KAFKA_PORT ($mode) ..."
  nohup java -Xmx512m -cp "$(infra_cp)" kafka.Kafka "$props" >"$STATE/logs/kafka.log" 2>&1 &
  echo $! >"$STATE/pids/kafka"
  wait_until 120 kafka port_open "$KAFKA_PORT" || die "Kafka did not start; see $STATE/logs/kafka.log"
}

db_env() {
  local url rest userinfo="" hostpart
  url=$(pg_url)
  rest="${url#postgresql://}"
  if [[ "$rest" == *@* ]]; then userinfo="${rest%%@*}"; rest="${rest#*@}"; fi
  hostpart="$rest"
  export KEYHOOK_DB_USER="${userinfo%%:*}" KEYHOOK_DB_PASSWORD="${userinfo#*:}"
  [[ -n "$KEYHOOK_DB_USER" ]] || KEYHOOK_DB_USER=postgres
  export KEYHOOK_DB_URL="postgresql://$hostpart" KEYHOOK_DB_JDBC_URL="jdbc:postgresql://$hostpart"
}

# a client id and a generated secret, kept in a private file so they survive restarts
generated_client() { # file id-variable secret-variable client-id
  local f="$STATE/keys/$1"
  if [[ ! -f "$f" ]]; then
    (umask 077
     printf '%s=%s\n%s=whsec_%s\n' "$2" "$4" "$3" "$(head -c 33 /dev/urandom | base64 | tr '+/' 'AB')" >"$f")
  fi
  # shellcheck disable=SC1090
  source "$f"
}

operator_credentials() {
  generated_client operator.env KEYHOOK_OPERATOR_CLIENT_ID KEYHOOK_OPERATOR_SECRET adm_operator
  # the service admin client the Keyhook services log in as for each other's internal APIs
  generated_client service.env KEYHOOK_SERVICE_CLIENT_ID KEYHOOK_SERVICE_CLIENT_SECRET adm_keyhook_services
}

start_service() {
  local s=$1 port=${PORTS[$1]}
  if alive "$s"; then log "$s: already running"; return; fi
  log "$s: starting on port $port ..."
  (
    db_env
    export KEYHOOK_KAFKA_BOOTSTRAP="localhost:$KAFKA_PORT" KEYHOOK_HOME="$STATE"
    # the broker is the runner's: its client settings come from here, not from a shell that sourced a secured
    # suite's .keyhook/env (whose CA may be gone since)
    unset "${KAFKA_CLIENT_VARS[@]}"
    eval "$(kafka_client_env)"
    export QUARKUS_HTTP_PORT="$port"
    export KEYHOOK_ISSUER="http://localhost:${PORTS[token-service]}"
    export KEYHOOK_JWKS_URL="http://localhost:${PORTS[token-service]}/.well-known/jwks.json"
    export KEYHOOK_CREDENTIALS_URL="http://localhost:${PORTS[credentials-service]}"
    export KEYHOOK_CREDENTIALS_BOOTSTRAP_OPERATOR_CLIENT_ID="$KEYHOOK_OPERATOR_CLIENT_ID"
    export KEYHOOK_CREDENTIALS_BOOTSTRAP_OPERATOR_SECRET="$KEYHOOK_OPERATOR_SECRET"
    export KEYHOOK_CREDENTIALS_BOOTSTRAP_SERVICE_CLIENT_ID="$KEYHOOK_SERVICE_CLIENT_ID"
    export KEYHOOK_CREDENTIALS_BOOTSTRAP_SERVICE_SECRET="$KEYHOOK_SERVICE_CLIENT_SECRET"
    export KEYHOOK_SERVICE_CLIENT_ID KEYHOOK_SERVICE_CLIENT_SECRET
    export KEYHOOK_TOKEN_URL="http://localhost:${PORTS[token-service]}/oauth2/token"
    export KEYHOOK_WEBHOOKS_URL="http://localhost:${PORTS[webhook-config-service]}"
    export KEYHOOK_DISPATCHER_URL="http://localhost:${PORTS[webhook-dispatcher]}"
    # local profile: receivers on this machine over plain http are fine (the service warns at start); one setting that
    # webhook-config-service and the dispatcher both read (common DestinationsConfig), and credentials-service for a
    # private_key_jwt client's jwksUri
    export KEYHOOK_WEBHOOKS_DESTINATIONS_ALLOW_HTTP=true
    export KEYHOOK_WEBHOOKS_DESTINATIONS_ALLOWED_CIDRS="127.0.0.0/8,::1/128"
    cd "$ROOT"
    local jvm=(-Xmx384m)
    # token-service runs the parallel collector, as its Kubernetes manifest sets: on two cores G1 cost its token
    # endpoint about a quarter of its rate and longer young pauses (docs/benchmarks.md, "Garbage collector")
    [[ "$s" == token-service ]] && jvm+=(-XX:+UseParallelGC)
    nohup java "${jvm[@]}" -jar "$ROOT/$s/target/quarkus-app/quarkus-run.jar" >"$STATE/logs/$s.log" 2>&1 &
    echo $! >"$STATE/pids/$s"
  )
}

ready() { curl -fs -o /dev/null "http://localhost:$1/q/health/ready"; }

write_env() {
  {
    echo "# written by ./keyhook up; source it: . .keyhook/env"
    echo "export KEYHOOK_CREDENTIALS_URL=http://localhost:${PORTS[credentials-service]}"
    echo "export KEYHOOK_TOKEN_URL=http://localhost:${PORTS[token-service]}/oauth2/token"
    echo "export KEYHOOK_WEBHOOKS_URL=http://localhost:${PORTS[webhook-config-service]}"
    echo "export KEYHOOK_DISPATCHER_URL=http://localhost:${PORTS[webhook-dispatcher]}"
    echo "export KEYHOOK_CONSOLE_URL=http://localhost:${PORTS[console]}"
    echo "export KEYHOOK_KAFKA_BOOTSTRAP=localhost:$KAFKA_PORT"
    kafka_client_env
    # not KEYHOOK_PG_URL: that name is the user's choice of an existing server, and a shell that sourced this file
    # would otherwise tell the next ./keyhook up to skip the embedded one
    printf 'export KEYHOOK_PG_URL_IN_USE=%q\n' "$(pg_url)"
    echo "export KEYHOOK_OPERATOR_CLIENT_ID=$KEYHOOK_OPERATOR_CLIENT_ID"
    echo "export KEYHOOK_OPERATOR_CLIENT_SECRET=$KEYHOOK_OPERATOR_SECRET"
  } >"$STATE/env"
  chmod 600 "$STATE/env"
}

# a port another program holds makes a service fail late, and Kafka or PostgreSQL look started when they are not:
# refuse before starting anything, naming the setting that moves it
check_ports() {
  local busy=() s
  if ! external_pg && ! alive postgres && port_open "$PG_PORT"; then
    busy+=("$PG_PORT (postgres: KEYHOOK_PG_PORT)")
  fi
  if ! alive kafka; then
    if port_open "$KAFKA_PORT"; then busy+=("$KAFKA_PORT (kafka: KEYHOOK_KAFKA_PORT)"); fi
    if port_open "$KAFKA_CONTROLLER_PORT"; then
      busy+=("$KAFKA_CONTROLLER_PORT (kafka's controller: KEYHOOK_KAFKA_CONTROLLER_PORT)")
    fi
  fi
  for s in "${SERVICES[@]}"; do
    if ! alive "$s" && port_open "${PORTS[$s]}"; then busy+=("${PORTS[$s]} ($s: KEYHOOK_PORT_BASE)"); fi
  done
  if ((${#busy[@]} > 0)); then
    local list
    list=$(printf '%s, ' "${busy[@]}")
    die "another program already listens on ${list%, }: stop it, or move Keyhook with the setting named (./keyhook help)"
  fi
}

cmd_up() {
  command -v java >/dev/null || die "java (17+) is required"
  command -v curl >/dev/null || die "curl is required"
  build
  check_ports
  start_postgres
  start_kafka
  operator_credentials
  for s in "${SERVICES[@]}"; do start_service "$s"; done
  for s in "${SERVICES[@]}"; do
    local deadline=$((SECONDS + 180))
    until ready "${PORTS[$s]}"; do
      alive "$s" || die "$s exited during start-up; see $STATE/logs/$s.log"
      ((SECONDS < deadline)) || die "$s is not ready after 180 s; see $STATE/logs/$s.log"
      sleep 0.5
    done
  done
  write_env
  cmd_status
  cat >&2 <<MSG

Keyhook is up. Environment for your shell: . $STATE/env
Operator admin client: $KEYHOOK_OPERATOR_CLIENT_ID (its secret is KEYHOOK_OPERATOR_CLIENT_SECRET in $STATE/env;
  keep it private). Get an admin token:
  curl -s -u "\$KEYHOOK_OPERATOR_CLIENT_ID:\$KEYHOOK_OPERATOR_CLIENT_SECRET" -d grant_type=client_credentials "\$KEYHOOK_TOKEN_URL"
Console: http://localhost:${PORTS[console]}  (sign in with the operator admin client above, or any admin client)
Logs: ./keyhook logs <component> [-f]    Stop: ./keyhook down
MSG
}

stop_one() {
  local name=$1 p
  p=$(pid_of "$name")
  if [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null; then
    log "stopping $name (pid $p)"
    kill "$p" 2>/dev/null || true
    local deadline=$((SECONDS + 30))
    while kill -0 "$p" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.3; done
    kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null || true
  fi
  rm -f "$STATE/pids/$name"
}

cmd_down() {
  local i
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do stop_one "${SERVICES[$i]}"; done
  stop_one kafka
  stop_one postgres
  log "Keyhook is down (data kept in $STATE; delete it for a fresh start)."
}

cmd_status() {
  printf '%-22s %-8s %-8s %s\n' COMPONENT STATE PID WHERE
  local p
  if external_pg; then
    printf '%-22s %-8s %-8s %s\n' postgres external - "$(shown_pg_url)"
  else
    p=$(pid_of postgres)
    printf '%-22s %-8s %-8s %s\n' postgres "$(alive postgres && echo up || echo down)" "${p:--}" "localhost:$PG_PORT/$DB_NAME"
  fi
  p=$(pid_of kafka)
  printf '%-22s %-8s %-8s %s\n' kafka "$(alive kafka && echo up || echo down)" "${p:--}" "localhost:$KAFKA_PORT"
  for s in "${SERVICES[@]}"; do
    p=$(pid_of "$s")
    local st=down
    if alive "$s"; then st=starting; ready "${PORTS[$s]}" 2>/dev/null && st=ready; fi
    printf '%-22s %-8s %-8s %s\n' "$s" "$st" "${p:--}" "http://localhost:${PORTS[$s]}"
  done
}

cmd_logs() {
  local name=${1:-}
  [[ -n "$name" && $# -le 2 && ( $# -eq 1 || "${2:-}" == -f ) ]] || usage "./keyhook logs <postgres|kafka|${SERVICES[*]// /|}> [-f]"
  [[ " postgres kafka ${SERVICES[*]} " == *" $name "* ]] || usage "./keyhook logs <component> [-f]: no component '$name' (components: postgres kafka ${SERVICES[*]})"
  local f="$STATE/logs/$name.log"
  [[ -f "$f" ]] || die "no log for '$name' yet ($f): has ./keyhook up run?"
  if [[ "${2:-}" == "-f" ]]; then tail -n 100 -F "$f"; else tail -n 200 "$f"; fi
}

require_up() {
  [[ -f "$STATE/env" ]] && alive webhook-dispatcher || die "the suite is not running: ./keyhook up first"
  # shellcheck disable=SC1091
  . "$STATE/env"
}

cmd_demo() {
  require_up
  local jar
  jar=$(ls "$ROOT"/tools/target/keyhook-tools-*.jar 2>/dev/null | head -1 || true)
  # build the tools only when their jar is missing (a build already made it otherwise: rebuilding under a running
  # build would race it); the classpath is resolved once per state directory and again when the pom changes
  if [[ -z "$jar" ]]; then
    (cd "$ROOT" && ./mvnw -B -q -pl tools install -DskipTests) >"$STATE/logs/build.log" 2>&1 ||
      die "cannot build the demo; see $STATE/logs/build.log"
    jar=$(ls "$ROOT"/tools/target/keyhook-tools-*.jar | head -1)
  fi
  if [[ ! -s "$STATE/tools.classpath" || "$ROOT/tools/pom.xml" -nt "$STATE/tools.classpath" ]]; then
    (cd "$ROOT" && ./mvnw -B -q -pl tools dependency:build-classpath -Dmdep.outputFile="$STATE/tools.classpath") \
      >"$STATE/logs/build.log" 2>&1 || die "cannot resolve the demo's classpath; see $STATE/logs/build.log"
  fi
  java -cp "$jar:$(cat "$STATE/tools.classpath")" io.keyhook.tools.Demo
}

admin_token() {
  local answer
  answer=$(curl -sS -u "$KEYHOOK_OPERATOR_CLIENT_ID:$KEYHOOK_OPERATOR_CLIENT_SECRET" -d grant_type=client_credentials \
    -w '\n%{http_code}' "$KEYHOOK_TOKEN_URL") || die "cannot reach token-service at $KEYHOOK_TOKEN_URL"
  [[ "${answer##*$'\n'}" == 200 ]] || die "token-service refused the operator client (${answer##*$'\n'}): ${answer%$'\n'*}"
  sed 's/.*"access_token":"\([^"]*\)".*/\1/' <<<"${answer%$'\n'*}"
}

# api <method> <url> [json]: the answer's body on stdout; an HTTP error's problem on stderr, and exit 1
api() {
  local method=$1 url=$2 body=${3:-} out status
  local args=(-sS -o /dev/stdout -w '\n%{http_code}' -X "$method" -H "Authorization: Bearer $TOKEN")
  [[ -n "$body" ]] && args+=(-H 'content-type: application/json' --data-binary "$body")
  out=$(curl "${args[@]}" "$url") || die "cannot reach $url"
  status=${out##*$'\n'}
  out=${out%$'\n'*}
  if ((status >= 400)); then
    log "keyhook: $method $url answered $status:"
    log "$out"
    exit 1
  fi
  printf '%s\n' "$out"
}

# json_string <text>: the text as a JSON string literal (quotes, backslashes and control characters escaped)
json_string() {
  local s=$1 out='' c i
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  if [[ "$s" == *[[:cntrl:]]* ]]; then
    for ((i = 0; i < ${#s}; i++)); do
      c=${s:i:1}
      [[ "$c" == [[:cntrl:]] ]] && printf -v c '\\u%04x' "'$c"
      out+=$c
    done
    s=$out
  fi
  printf '"%s"' "$s"
}

# ./keyhook rotate <env> <clientId> <secretId> [finishAfter]   start a guided rotation (as the operator)
# ./keyhook rotate finish <env> <rotationId> [--override "reason"]   finish it now (unverified only with a reason)
# ./keyhook rotate status <env> [rotationId]                   show rotations
cmd_rotate() {
  local rotations answer id
  case "${1:-}" in
    -h | --help) help_for rotate; return ;;
    finish)
      local finish_usage='./keyhook rotate finish <env> <rotationId> [--override "reason"]' body=''
      [[ $# -eq 3 || ($# -eq 5 && "$4" == --override) ]] || usage "$finish_usage"
      [[ "$3" == rot_* ]] || usage "./keyhook rotate finish <env> <rotationId>: a rotation id starts with rot_ (./keyhook rotate status $2 lists them)"
      if [[ $# -eq 5 ]]; then
        # refused here, before any call: the API would refuse it too, and an override must say why
        [[ -n "${5//[[:space:]]/}" ]] || usage "$finish_usage: --override needs a reason (it is recorded and audited)"
        body="{\"override\":true,\"reason\":$(json_string "$5")}"
      fi
      require_up
      TOKEN=$(admin_token) || exit 1
      api POST "$KEYHOOK_WEBHOOKS_URL/api/v1/environments/$2/rotations/$3/finish" "$body" ;;
    status)
      [[ $# -eq 2 || $# -eq 3 ]] || usage "./keyhook rotate status <env> [rotationId]"
      require_up
      TOKEN=$(admin_token) || exit 1
      api GET "$KEYHOOK_WEBHOOKS_URL/api/v1/environments/$2/rotations${3:+/$3}" ;;
    *)
      [[ $# -eq 3 || $# -eq 4 ]] || usage "./keyhook rotate <env> <clientId> <secretId> [finishAfter, e.g. PT1H]"
      if [[ "$3" == whsec_* ]]; then
        usage "./keyhook rotate <env> <clientId> <secretId>: that is a secret's value (whsec_…), not its id. Pass the id" \
          "(sec_…) of the secret the webhook uses now; the client's secrets and their ids:" \
          "GET \$KEYHOOK_CREDENTIALS_URL/api/v1/environments/$1/clients/$2/secrets"
      fi
      [[ "$3" == sec_* ]] || usage "./keyhook rotate <env> <clientId> <secretId>: a secret id starts with sec_"
      [[ -z "${4:-}" || "$4" =~ ^P[0-9TDHMS.]+$ ]] || usage "./keyhook rotate ... [finishAfter]: an ISO-8601 duration such as PT1H or P1D"
      require_up
      TOKEN=$(admin_token) || exit 1
      rotations="$KEYHOOK_WEBHOOKS_URL/api/v1/environments/$1/rotations"
      answer=$(api POST "$rotations" "{\"clientId\":\"$2\",\"secretId\":\"$3\"${4:+,\"finishAfter\":\"$4\"}}") || exit 1
      printf '%s\n' "$answer"
      id=$(grep -o '"id":"rot_[^"]*"' <<<"$answer" | head -1 | cut -d'"' -f4)
      log "The new secret's value is in that answer, and only there: give it to the app and to the receiver."
      log "Finish when both use it: ./keyhook rotate finish $1 $id${4:+ (or wait: it finishes on its own after $4)}"
      log "Follow it: ./keyhook rotate status $1 $id" ;;
  esac
}

# ./keyhook rotate-key <env> <clientId> <oldKid> <newJwkFile>                start a key rotation of a private_key_jwt client
# ./keyhook rotate-key finish <env> <clientId> <rotationId> [--override "reason"]   finish it (remove the old key)
# ./keyhook rotate-key status <env> <clientId> [rotationId]                 show key rotations
# (kept apart from cmd_rotate: the two commands change independently)
KID_RE='^[A-Za-z0-9._~:+/=@#-]{1,128}$'
cmd_rotate_key() {
  local rotations answer id body reason
  case "${1:-}" in
    -h | --help) help_for rotate-key; return ;;
    finish)
      [[ $# -eq 4 || ($# -eq 6 && "$5" == --override) ]] ||
        usage "./keyhook rotate-key finish <env> <clientId> <rotationId> [--override \"reason\"]"
      [[ "$4" == kr_* ]] || usage "./keyhook rotate-key finish <env> <clientId> <rotationId>: a key rotation id starts with kr_ (./keyhook rotate-key status $2 $3 lists them)"
      body=
      if [[ $# -eq 6 ]]; then
        reason=$6
        [[ -n "${reason// /}" ]] || usage "./keyhook rotate-key finish ... --override \"reason\": the reason must not be blank"
        [[ ! "$reason" =~ [[:cntrl:]] && ${#reason} -le 500 ]] ||
          usage "./keyhook rotate-key finish ... --override \"reason\": at most 500 characters, no control characters"
        reason=${reason//\\/\\\\}
        reason=${reason//\"/\\\"}
        body="{\"override\":true,\"reason\":\"$reason\"}"
      fi
      require_up
      TOKEN=$(admin_token) || exit 1
      api POST "$KEYHOOK_CREDENTIALS_URL/api/v1/environments/$2/clients/$3/key-rotations/$4/finish" "$body" ;;
    status)
      [[ $# -eq 3 || $# -eq 4 ]] || usage "./keyhook rotate-key status <env> <clientId> [rotationId]"
      [[ -z "${4:-}" || "$4" == kr_* ]] || usage "./keyhook rotate-key status <env> <clientId> [rotationId]: a key rotation id starts with kr_"
      require_up
      TOKEN=$(admin_token) || exit 1
      api GET "$KEYHOOK_CREDENTIALS_URL/api/v1/environments/$2/clients/$3/key-rotations${4:+/$4}" ;;
    *)
      [[ $# -eq 4 ]] || usage "./keyhook rotate-key <env> <clientId> <oldKid> <newJwkFile>"
      [[ "$3" =~ $KID_RE ]] || usage "./keyhook rotate-key <env> <clientId> <oldKid> <newJwkFile>: '$3' is not a kid"
      [[ -f "$4" && -r "$4" ]] || usage "./keyhook rotate-key ... <newJwkFile>: cannot read '$4' (a file with the new public JWK)"
      (($(wc -c <"$4") <= 32768)) || usage "./keyhook rotate-key ... <newJwkFile>: '$4' is larger than 32 KiB; one public JWK is far smaller"
      require_up
      TOKEN=$(admin_token) || exit 1
      rotations="$KEYHOOK_CREDENTIALS_URL/api/v1/environments/$1/clients/$2/key-rotations"
      answer=$(api POST "$rotations" "{\"oldKid\":\"$3\",\"newKey\":$(cat "$4")}") || exit 1
      printf '%s\n' "$answer"
      id=$(grep -o '"id":"kr_[^"]*"' <<<"$answer" | head -1 | cut -d'"' -f4)
      log "The new key is registered: the app can sign its client assertions with it now."
      log "Check the rotation: ./keyhook rotate-key status $1 $2 $id"
      log "Finish once its checks pass: ./keyhook rotate-key finish $1 $2 $id" ;;
  esac
}

HELP='Keyhook'"'"'s local runner: the whole suite on this machine, without Docker.

  ./keyhook up                     start PostgreSQL, Kafka and the services (building what is missing), wait
                                   until all are ready, and write .keyhook/env (KEYHOOK_KAFKA_SECURE=true: SASL_SSL):
                                   the URLs, Kafka client settings and operator credentials for your shell, and
                                   KEYHOOK_PG_URL_IN_USE, the PostgreSQL in use. It never sets a setting below, so
                                   down and up in a shell that sourced it run as in a fresh one
  ./keyhook down                   stop what up started; the data stays in .keyhook
  ./keyhook status                 each component: up, ready or down, its pid and address
  ./keyhook logs <component> [-f]  the last lines of a component'"'"'s log; -f follows it
  ./keyhook demo                   one customer journey against the running suite: an Environment, a client,
                                   a webhook, events published to Kafka, deliveries received and verified
  ./keyhook rotate <env> <clientId> <secretId> [finishAfter]
                                   start a guided rotation of the client secret a webhook uses (as the operator);
                                   prints the new secret once. finishAfter: an ISO-8601 duration, e.g. PT1H
  ./keyhook rotate finish <env> <rotationId> [--override "reason"]
                                   finish now once verified (invalidates the old secret); --override: unverified, reason audited
  ./keyhook rotate status <env> [rotationId]
                                   one rotation, or every rotation of the Environment
  ./keyhook rotate-key <env> <clientId> <oldKid> <newJwkFile>
                                   start a guided rotation of a private_key_jwt client'"'"'s key (as the operator):
                                   adds the public JWK in newJwkFile beside the key oldKid at once
  ./keyhook rotate-key finish <env> <clientId> <rotationId> [--override "reason"]
                                   remove the old key once the checks pass (the new key used, the old one quiet);
                                   --override finishes without them, the reason recorded and audited
  ./keyhook rotate-key status <env> <clientId> [rotationId]
                                   one key rotation with its checks, or every key rotation of the client
  ./keyhook help                   this text; ./keyhook <command> -h for one command

Settings (environment): KEYHOOK_PORT_BASE (8080: the console; the credentials, token, webhook-config
and dispatcher services on the next four ports), KEYHOOK_PG_PORT (54329), KEYHOOK_KAFKA_PORT (19092),
KEYHOOK_KAFKA_CONTROLLER_PORT (19093), KEYHOOK_HOME (.keyhook), KEYHOOK_PG_URL (an existing PostgreSQL,
postgresql://user:password@host:port/db, instead of the embedded one; unset, or the embedded server'"'"'s own
address postgresql://postgres:postgres@localhost:<KEYHOOK_PG_PORT>/keyhook, which older .keyhook/env files set,
means the embedded one).

Exit status: 0 done; 1 the suite or an API refused or failed (the answer is on stderr); 2 wrong usage.'

# help_for <command>: the lines of HELP about that command
help_for() {
  awk -v c="$1" '/^  \.\/keyhook / { on = ($2 == c) } on' <<<"$HELP"
}

case "${2:-}" in
  -h | --help) [[ "${1:-}" =~ ^(up|down|status|logs|demo|rotate|rotate-key)$ ]] && { help_for "$1"; exit 0; } ;;
esac
case "${1:-}" in
  up) [[ $# -eq 1 ]] || usage "./keyhook up"; cmd_up ;;
  down) [[ $# -eq 1 ]] || usage "./keyhook down"; cmd_down ;;
  status) [[ $# -eq 1 ]] || usage "./keyhook status"; cmd_status ;;
  logs) shift; cmd_logs "$@" ;;
  demo) [[ $# -eq 1 ]] || usage "./keyhook demo"; cmd_demo ;;
  rotate) shift; cmd_rotate "$@" ;;
  rotate-key) shift; cmd_rotate_key "$@" ;;
  help | -h | --help) printf '%s\n' "$HELP" ;;
  "") printf '%s\n' "$HELP" >&2; exit 2 ;;
  *) usage "./keyhook up | down | status | logs <component> [-f] | demo | rotate … | rotate-key … | help (not '$1')" ;;
esac
