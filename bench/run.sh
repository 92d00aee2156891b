#!/usr/bin/env bash
# The benchmark, one command: bench/run.sh
#
# Builds the service, gives it a fresh database on a real PostgreSQL server (the machine's PostgreSQL when one is
# installed — started if it is down — else the embedded one), measures `pgbench -N` on that server, starts the
# service and drives it over HTTP with Gatling (bench/pom.xml), phase by phase; then measures the framework floor
# (bench/floor: the least a Spring Boot service with the same security does per request) on the same server with the
# same client counts, and the renewal storm on one and on two instances; then prints one table, every figure also as
# a ratio to pgbench -N and to the floor. Gatling's HTML reports land in bench/target/gatling/<simulation>-<time>/, the table in
# bench/target/summary.md. Everything listens on loopback only.
#
# Environment: BENCH_SECONDS (per load phase, default 20), BENCH_WARMUP_SECONDS (default 10: each Gatling phase runs
# that long before its measured seconds and counts nothing of it — the load generator's fresh JVM compiles its own code
# then, and the service meets the phase's path), BENCH_PORT (default 18080; the floor uses +10, the storm's
# instances +1 and +2), BENCH_JAVA_OPTS (the service's and the floor's JVM options; default the README's production
# flags — add e.g. -XX:StartFlightRecording=filename=bench/target/svc.jfr), BENCH_CDS (default true: start as the
# README's production section does, with a class-data-sharing archive), BENCH_DATABASE=machine|embedded (default:
# machine when pg_ctlcluster is installed), BENCH_PHASES (a subset of "warmup usage-1 usage-100 usage-1000
# usage-10000 samples-1000 console read kafka floor renewal-storm"; default all; the ratios to the floor need
# "floor"), BENCH_KAFKA_RECORDS (default 600000, about as long as a load phase, after BENCH_KAFKA_WARMUP, default 100000), BENCH_KAFKA_PARTITIONS
# (default 6), BENCH_KAFKA_CONCURRENCY (consumers per topic in the service, default 4), BENCH_KAFKA_MAX_POLL (the
# service's billing.kafka.max-poll-records, default its own default), BENCH_KAFKA_SHAPE (package: a package's devices on
# one partition, as the HTTP phases' posters carry disjoint packages — the default; device: Kafka's hash of the device
# id), BENCH_KAFKA_TIMEOUT (seconds, default 300), BENCH_STORM_PACKAGES (default 20000), BENCH_STORM_SUBSCRIPTIONS (default 2000), BENCH_STORM_TIMEOUT
# (seconds per storm, default 900).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_PHASE=${BENCH_SECONDS:-20}
WARMUP_PER_PHASE=${BENCH_WARMUP_SECONDS:-10}
# the production JVM flags of the README (and the Dockerfile): a fixed 256 MB heap and the serial collector keep the
# service inside 512 MB of RSS on a small machine
SERVICE_JVM_OPTS="-Xms64m -Xmx256m -XX:+UseSerialGC -Xss512k -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=160m"
JVM_OPTS=${BENCH_JAVA_OPTS:-$SERVICE_JVM_OPTS}
PORT=${BENCH_PORT:-18080}
FLOOR_PORT=$((PORT + 10))
KAFKA_PORT=${BENCH_KAFKA_PORT:-19092}
RUN=$(date -u +%Y%m%dT%H%M%SZ)
OPERATOR_KEY="bench-operator-$RUN"
OUT=bench/target
mkdir -p "$OUT/results"
rm -f "$OUT"/results/*.json
PIDS=()
# the services first, the broker and the database they use last
cleanup() { for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null || true; done; }
trap cleanup EXIT
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

log() { printf '\n== %s\n' "$*"; }

wanted() { [ -z "${BENCH_PHASES:-}" ] || [[ " $BENCH_PHASES " == *" $1 "* ]]; }
any_wanted() { for p in "$@"; do wanted "$p" && return 0; done; return 1; }
SERVICE_PHASES=(warmup usage-1 usage-100 usage-1000 usage-10000 samples-1000 console read kafka)

log "build"
# formatting is checked by the service's build, not here: a benchmark of work in progress still runs
./mvnw -B -q -DskipTests -Dspring-javaformat.skip=true package
JAR=$(ls target/plan-billing-*.jar | grep -v original | head -1)
if wanted floor; then
  ./mvnw -B -q -f bench/floor/pom.xml -DskipTests package
fi
# the phases run as plain Java (the storm, the broker and its producer) need the load project's classpath
./mvnw -B -q -f bench/pom.xml test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
BENCH_CP="bench/target/test-classes:$(cat bench/target/classpath.txt)"
# the load project's mains, with the run's fixture settings (an array, not only a function: a function run in the
# background is a subshell, and stopping it would leave its java running)
BENCH_JAVA=(-Dlogback.configurationFile="$PWD/bench/logback-quiet.xml" -DbaseUrl="http://localhost:$PORT"
            -DoperatorKey="$OPERATOR_KEY" -Drun="$RUN" -DbenchOutput="$PWD/$OUT" -cp "$BENCH_CP")
bench_java() { java "${BENCH_JAVA[@]}" "$@"; }

DATABASE=${BENCH_DATABASE:-$(command -v pg_ctlcluster >/dev/null && pg_lsclusters -h 2>/dev/null | grep -q . && echo machine || echo embedded)}
export PGPASSWORD=bench
if [ "$DATABASE" = machine ]; then
  read -r PG_VERSION PG_CLUSTER PG_PORT PG_STATUS _ < <(pg_lsclusters -h | head -1)
  if [ "$PG_STATUS" != online ]; then
    log "starting PostgreSQL $PG_VERSION/$PG_CLUSTER"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
  fi
  as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sudo -u postgres sh -c "$*"; fi; }
  admin_sql() { as_postgres "psql -qX -p $PG_PORT -v ON_ERROR_STOP=1"; }
  admin_sql <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench') THEN CREATE ROLE bench LOGIN PASSWORD 'bench'; END IF;
END \$\$;
SQL
  DB_USER=bench DB_PASSWORD=bench
  SERVER="PostgreSQL $(as_postgres "psql -qXtA -p $PG_PORT -c 'SHOW server_version'") (machine)"
else
  # the packaged jar has no embedded PostgreSQL (it is a development dependency): start zonky's on its own, from the
  # test classpath, and point the service at it like at any external server
  PG_PORT=${BENCH_EMBEDDED_PORT:-15432}
  SERVER="PostgreSQL (embedded, port $PG_PORT)"
  log "embedded PostgreSQL on port $PG_PORT"
  ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
  # emptied here, not by the background job's redirection: the wait below must not read a previous run's "ready"
  : >"$OUT/postgres.log"
  java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    io.planbilling.testing.EmbeddedPostgresServer "$OUT/embedded-$RUN" "$PG_PORT" >"$OUT/postgres.log" 2>&1 &
  PIDS+=("$!")
  until grep -qs "PostgreSQL ready" "$OUT/postgres.log"; do
    kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$OUT/postgres.log"; echo "PostgreSQL did not start"; exit 1; }
    sleep 0.2
  done
  admin_sql() { psql -qX -h localhost -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1; }
  DB_USER=postgres DB_PASSWORD=
fi
fresh_database() { # fresh_database <name> [template]
  admin_sql <<SQL
SET client_min_messages TO warning;
DROP DATABASE IF EXISTS $1;
CREATE DATABASE $1 OWNER $DB_USER ${2:+TEMPLATE $2};
SQL
}
JDBC="jdbc:postgresql://localhost:$PG_PORT"
fresh_database plan_billing_bench
fresh_database pgbench_bench
SERVICE_ENV=(SPRING_DATASOURCE_USERNAME="$DB_USER" SPRING_DATASOURCE_PASSWORD="$DB_PASSWORD"
             BILLING_SECURITY_OPERATOR_API_KEY="$OPERATOR_KEY" SERVER_ADDRESS=127.0.0.1)

PGBENCH_TPS=""
if command -v pgbench >/dev/null; then
  log "pgbench -N, 16 clients, ${SECONDS_PER_PHASE}s"
  PGBENCH_ARGS=(-h localhost -p "$PG_PORT" -U "$DB_USER" pgbench_bench)
  PGPASSWORD=$DB_PASSWORD pgbench -q -i -s 10 "${PGBENCH_ARGS[@]}" >/dev/null 2>&1
  PGPASSWORD=$DB_PASSWORD pgbench -N -c 16 -j 2 -T "$SECONDS_PER_PHASE" "${PGBENCH_ARGS[@]}" | tee "$OUT/pgbench.txt" \
    | grep -E '^(tps|latency)'
  PGBENCH_TPS=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$OUT/pgbench.txt" | head -1)
fi

# The README's production start: the jar extracted and a class-data-sharing archive made by a training run (which
# also migrates the fresh database), then the service started with the archive. BENCH_CDS=false starts the fat jar.
APP="$OUT/app"
if [ "${BENCH_CDS:-true}" = true ]; then
  log "class-data-sharing archive (training run, migrates the database)"
  rm -rf "$APP"
  java -Djarmode=tools -jar "$JAR" extract --destination "$APP" >/dev/null
  TRAINING_STARTED=$(date +%s%N)
  env "${SERVICE_ENV[@]}" SPRING_DATASOURCE_URL="$JDBC/plan_billing_bench" SERVER_PORT="$PORT" \
    java $JVM_OPTS -XX:ArchiveClassesAtExit="$APP/application.jsa" \
    -Dspring.context.exit=onRefresh -jar "$APP/$(basename "$JAR")" >"$OUT/training.log" 2>&1
  echo "training run (first start: migrations, no archive) $(( ($(date +%s%N) - TRAINING_STARTED) / 1000000 )) ms"
  LAUNCH=(-XX:SharedArchiveFile="$APP/application.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$APP/$(basename "$JAR")")
else
  LAUNCH=(-jar "$JAR")
fi

STARTED_PID=""
start_service() { # start_service <port> <database> <log> [VAR=value ...]: the service, waited for until health is UP
  local port=$1 database=$2 logfile=$3
  shift 3
  env "${SERVICE_ENV[@]}" SPRING_DATASOURCE_URL="$JDBC/$database" SERVER_PORT="$port" "$@" \
    java $JVM_OPTS "${LAUNCH[@]}" >"$logfile" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
  until curl -fs "localhost:$port/actuator/health" 2>/dev/null | grep -q '"UP"'; do
    kill -0 "$STARTED_PID" 2>/dev/null || { tail -50 "$logfile"; echo "the service on :$port died"; exit 1; }
    sleep 0.1
  done
}

# ---- Kafka: a single-node KRaft broker from Maven Central's artifacts (bench/pom.xml), before the service joins it
KAFKA_ENV=()
if any_wanted kafka; then
  log "Kafka broker (KRaft) on 127.0.0.1:$KAFKA_PORT"
  KAFKA_DIR="$PWD/$OUT/kafka"
  rm -rf "$KAFKA_DIR" && mkdir -p "$KAFKA_DIR"
  cat >"$KAFKA_DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$((KAFKA_PORT + 1))
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$((KAFKA_PORT + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=${BENCH_KAFKA_PARTITIONS:-6}
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  bench_java kafka.tools.StorageTool format -c "$KAFKA_DIR/server.properties" \
    -t "$(bench_java kafka.tools.StorageTool random-uuid)" >"$KAFKA_DIR/format.log" 2>&1
  java "${BENCH_JAVA[@]}" -Xms128m -Xmx512m kafka.Kafka "$KAFKA_DIR/server.properties" >"$KAFKA_DIR/kafka.log" 2>&1 &
  KAFKA_PID=$!
  PIDS+=("$KAFKA_PID")
  until grep -q "Kafka Server started" "$KAFKA_DIR/kafka.log"; do
    kill -0 "${PIDS[-1]}" 2>/dev/null || { tail -30 "$KAFKA_DIR/kafka.log"; echo "Kafka did not start"; exit 1; }
    sleep 0.2
  done
  bench_java -Dbootstrap="127.0.0.1:$KAFKA_PORT" -Dpartitions="${BENCH_KAFKA_PARTITIONS:-6}" \
    io.planbilling.bench.KafkaPhase topics
  # consumers per topic in the instance: as many as the HTTP batch-of-1,000 phase has clients
  KAFKA_ENV=(BILLING_KAFKA_ENABLED=true SPRING_KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT"
             BILLING_KAFKA_CONCURRENCY="${BENCH_KAFKA_CONCURRENCY:-4}"
             ${BENCH_KAFKA_MAX_POLL:+BILLING_KAFKA_MAX_POLL_RECORDS=$BENCH_KAFKA_MAX_POLL})
fi

# ---- the service's phases
STARTUP_MS="" PEAK_RSS_KB=""
if any_wanted "${SERVICE_PHASES[@]}"; then
  log "service on :$PORT against $SERVER"
  STARTED=$(date +%s%N)
  start_service "$PORT" plan_billing_bench "$OUT/service.log" "${KAFKA_ENV[@]}"
  SERVICE_PID=$STARTED_PID
  STARTUP_MS=$(( ($(date +%s%N) - STARTED) / 1000000 ))
  echo "health UP after ${STARTUP_MS} ms"
fi

gatling() { # gatling <simulation> <phase> <users> <seconds> [-Dname=value ...]
  local simulation=$1 name=$2 users=$3 seconds=$4
  shift 4
  ./mvnw -B -q -f bench/pom.xml gatling:test -Dgatling.simulationClass="io.planbilling.bench.$simulation" \
    -DbaseUrl="http://localhost:$PORT" -DoperatorKey="$OPERATOR_KEY" -Drun="$RUN" -Dphase="$name" \
    -DbenchOutput="$PWD/$OUT" -Dusers="$users" -Dseconds="$seconds" -DwarmupSeconds="$WARMUP_PER_PHASE" "$@" \
    | grep -E '^\{|fixture:|Reports generated|^> KO' || true
  [ -f "$OUT/results/$name.json" ] || { echo "phase $name did not finish"; exit 1; }
}

phase() { # phase <simulation> <name> <batch> <users> [seconds]
  wanted "$2" || return 0
  log "$2: batch $3, $4 clients, ${WARMUP_PER_PHASE}s unmeasured + ${5:-$SECONDS_PER_PHASE}s"
  gatling "$1" "$2" "$4" "${5:-$SECONDS_PER_PHASE}" -Dbatch="$3"
}

if [ -z "${BENCH_PHASES:-}" ] || [[ "$BENCH_PHASES" == *usage* ]]; then
  # JIT warm-up, not reported: the batch path, then the grouped single-record path (its own code: without it the
  # first reported phase measures the compiler as much as the service)
  BENCH_PHASES="" WARMUP_PER_PHASE=0 phase IngestionSimulation warmup 100 4 10
  BENCH_PHASES="" WARMUP_PER_PHASE=0 phase IngestionSimulation warmup 1 16 15
  rm -f "$OUT/results/warmup.json"
fi
phase IngestionSimulation usage-1 1 16
phase IngestionSimulation usage-100 100 8
phase IngestionSimulation usage-1000 1000 4
phase IngestionSimulation usage-10000 10000 2
phase SamplesSimulation samples-1000 1000 4
phase ConsoleSimulation console 0 16
if wanted read; then
  log "read: GET /api/v1/account, 16 clients, ${WARMUP_PER_PHASE}s unmeasured + ${SECONDS_PER_PHASE}s"
  gatling RequestSimulation read 16 "$SECONDS_PER_PHASE" -Dtarget=service -Dmode=read
fi

if wanted kafka; then
  log "kafka: ${BENCH_KAFKA_RECORDS:-600000} usage records, ${BENCH_KAFKA_PARTITIONS:-6} partitions by ${BENCH_KAFKA_SHAPE:-package}"
  bench_java -Dbootstrap="127.0.0.1:$KAFKA_PORT" -Dpartitions="${BENCH_KAFKA_PARTITIONS:-6}" -Dphase=kafka \
    -Drecords="${BENCH_KAFKA_RECORDS:-600000}" -Dwarmup="${BENCH_KAFKA_WARMUP:-100000}" -Dshape="${BENCH_KAFKA_SHAPE:-package}" \
    -DtimeoutSeconds="${BENCH_KAFKA_TIMEOUT:-300}" io.planbilling.bench.KafkaPhase produce
fi

if [ -n "${SERVICE_PID:-}" ]; then
  PEAK_RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$SERVICE_PID/status")
  stop "$SERVICE_PID"   # the floor and the storms measure with nothing else running
fi
if [ -n "${KAFKA_PID:-}" ]; then stop "$KAFKA_PID"; fi

# ---- the framework floor: same server, same client counts, same JVM flags, a database of its own
if wanted floor; then
  log "floor on :$FLOOR_PORT against $SERVER"
  fresh_database floor_bench
  PGPASSWORD=$DB_PASSWORD psql -qX -h localhost -p "$PG_PORT" -U "$DB_USER" -d floor_bench -v ON_ERROR_STOP=1 \
    -f bench/floor/schema.sql
  env SPRING_DATASOURCE_URL="$JDBC/floor_bench" SPRING_DATASOURCE_USERNAME="$DB_USER" \
    SPRING_DATASOURCE_PASSWORD="$DB_PASSWORD" SERVER_PORT="$FLOOR_PORT" SERVER_ADDRESS=127.0.0.1 \
    java $JVM_OPTS -jar bench/floor/target/plan-billing-floor-0.0.1-SNAPSHOT.jar >"$OUT/floor.log" 2>&1 &
  FLOOR_PID=$!
  PIDS+=("$FLOOR_PID")
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "localhost:$FLOOR_PORT/floor/account")" = 401 ]; do
    kill -0 "$FLOOR_PID" 2>/dev/null || { tail -50 "$OUT/floor.log"; echo "the floor died"; exit 1; }
    sleep 0.1
  done
  # the same warm-up as the service's, then the service's busiest client count
  log "floor-write: one row per request, 16 clients, ${WARMUP_PER_PHASE}s unmeasured + ${SECONDS_PER_PHASE}s (after a 10 s warm-up)"
  WARMUP_PER_PHASE=0 gatling RequestSimulation floor-warmup 4 10 -Dtarget=floor -Dmode=write -DfloorUrl="http://localhost:$FLOOR_PORT"
  rm -f "$OUT/results/floor-warmup.json"
  gatling RequestSimulation floor-write 16 "$SECONDS_PER_PHASE" -Dtarget=floor -Dmode=write \
    -DfloorUrl="http://localhost:$FLOOR_PORT"
  log "floor-read: 16 clients, ${WARMUP_PER_PHASE}s unmeasured + ${SECONDS_PER_PHASE}s"
  gatling RequestSimulation floor-read 16 "$SECONDS_PER_PHASE" -Dtarget=floor -Dmode=read \
    -DfloorUrl="http://localhost:$FLOOR_PORT"
  stop "$FLOOR_PID"
fi

# ---- the renewal storm: seeded once, then renewed by one instance and, on a fresh copy, by two at once
if wanted renewal-storm; then
  # the smallest address pool that holds every subscription
  POOL_BITS=2
  while (( (1 << POOL_BITS) - 2 <= ${BENCH_STORM_SUBSCRIPTIONS:-2000} )); do POOL_BITS=$((POOL_BITS + 1)); done
  STORM_ENV=(BILLING_CLOCK_ADJUSTABLE=true BILLING_LIFECYCLE_SCHEDULED=false
             BILLING_BANDWIDTH_IP_POOL="10.64.0.0/$((32 - POOL_BITS))")
  STORM_JAVA=(-DjdbcUser="$DB_USER" -DjdbcPassword="$DB_PASSWORD" -DstormPackages="${BENCH_STORM_PACKAGES:-20000}"
              -DstormSubscriptions="${BENCH_STORM_SUBSCRIPTIONS:-2000}" -DstormTimeoutSeconds="${BENCH_STORM_TIMEOUT:-900}")
  log "renewal-storm: seeding ${BENCH_STORM_PACKAGES:-20000} packages and ${BENCH_STORM_SUBSCRIPTIONS:-2000} subscriptions"
  fresh_database plan_billing_storm_seed
  start_service "$((PORT + 1))" plan_billing_storm_seed "$OUT/storm-seed.log" "${STORM_ENV[@]}"
  bench_java "${STORM_JAVA[@]}" -DjdbcUrl="$JDBC/plan_billing_storm_seed" -DbaseUrl="http://localhost:$((PORT + 1))" \
    io.planbilling.bench.RenewalStorm seed
  stop "$STARTED_PID"
  for instances in 1 2; do
    log "renewal-storm-$instances: the lifecycle job on $instances instance(s) at once"
    fresh_database "plan_billing_storm_$instances" plan_billing_storm_seed
    URLS=() STORM_PIDS=()
    for ((i = 1; i <= instances; i++)); do
      start_service "$((PORT + i))" "plan_billing_storm_$instances" "$OUT/storm-$instances-$i.log" "${STORM_ENV[@]}"
      URLS+=("http://localhost:$((PORT + i))") STORM_PIDS+=("$STARTED_PID")
    done
    bench_java "${STORM_JAVA[@]}" -DjdbcUrl="$JDBC/plan_billing_storm_$instances" -Dphase="renewal-storm-$instances" \
      io.planbilling.bench.RenewalStorm drive "$(IFS=,; echo "${URLS[*]}")"
    for pid in "${STORM_PIDS[@]}"; do stop "$pid"; done
  done
fi

python3 bench/summary.py --results "$OUT/results" --reports "$OUT/gatling" --pgbench-tps "${PGBENCH_TPS:-}" \
  --startup-ms "${STARTUP_MS:-0}" --peak-rss-kb "${PEAK_RSS_KB:-0}" --server "$SERVER" --seconds "$SECONDS_PER_PHASE" \
  | tee "$OUT/summary.md"
