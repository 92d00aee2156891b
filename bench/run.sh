#!/usr/bin/env bash
# The benchmark, one command: bench/run.sh
#
# Builds the service, gives it a fresh database on a real PostgreSQL server (the machine's PostgreSQL when one is
# installed — started if it is down — else the embedded one), measures `pgbench -N` on that server, starts the
# service and drives it over HTTP with Gatling (bench/pom.xml), phase by phase, then prints one table.
# Gatling's HTML reports land in bench/target/gatling/, the table in bench/target/summary.md.
#
# Environment: BENCH_SECONDS (per phase, default 20), BENCH_PORT (default 18080), BENCH_JAVA_OPTS (the service's JVM
# options; default the README's production flags — add e.g. -XX:StartFlightRecording=filename=bench/target/svc.jfr),
# BENCH_CDS (default true: start as the README's production section does, with a class-data-sharing archive),
# BENCH_DATABASE=machine|embedded (default: machine when pg_ctlcluster is installed), BENCH_PHASES (a subset of
# "warmup usage-1 usage-100 usage-1000 usage-10000 samples-1000 console"; default all).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_PHASE=${BENCH_SECONDS:-20}
# the production JVM flags of the README (and the Dockerfile): a fixed 256 MB heap and the serial collector keep the
# service inside 512 MB of RSS on a small machine
SERVICE_JVM_OPTS="-Xms64m -Xmx256m -XX:+UseSerialGC -Xss512k -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=160m"
PORT=${BENCH_PORT:-18080}
RUN=$(date -u +%Y%m%dT%H%M%SZ)
OPERATOR_KEY="bench-operator-$RUN"
OUT=bench/target
mkdir -p "$OUT/results"
rm -f "$OUT"/results/*.json
PIDS=()
# the service first, the database it uses last
cleanup() { for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null || true; done; }
trap cleanup EXIT

log() { printf '\n== %s\n' "$*"; }

log "build"
./mvnw -B -q -DskipTests package
JAR=$(ls target/plan-billing-*.jar | grep -v original | head -1)

DATABASE=${BENCH_DATABASE:-$(command -v pg_ctlcluster >/dev/null && pg_lsclusters -h 2>/dev/null | grep -q . && echo machine || echo embedded)}
export PGPASSWORD=bench
if [ "$DATABASE" = machine ]; then
  read -r PG_VERSION PG_CLUSTER PG_PORT PG_STATUS _ < <(pg_lsclusters -h | head -1)
  if [ "$PG_STATUS" != online ]; then
    log "starting PostgreSQL $PG_VERSION/$PG_CLUSTER"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
  fi
  as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sudo -u postgres sh -c "$*"; fi; }
  as_postgres "psql -qX -p $PG_PORT -v ON_ERROR_STOP=1" <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench') THEN CREATE ROLE bench LOGIN PASSWORD 'bench'; END IF;
END \$\$;
DROP DATABASE IF EXISTS plan_billing_bench;
DROP DATABASE IF EXISTS pgbench_bench;
CREATE DATABASE plan_billing_bench OWNER bench;
CREATE DATABASE pgbench_bench OWNER bench;
SQL
  SERVER="PostgreSQL $(psql -h localhost -p "$PG_PORT" -U bench -d plan_billing_bench -tAc 'SHOW server_version') (machine)"
  PGBENCH_ARGS=(-h localhost -p "$PG_PORT" -U bench pgbench_bench)
  SERVICE_ENV=(SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:$PG_PORT/plan_billing_bench"
               SPRING_DATASOURCE_USERNAME=bench SPRING_DATASOURCE_PASSWORD=bench)
else
  # the packaged jar has no embedded PostgreSQL (it is a development dependency): start zonky's on its own, from the
  # test classpath, and point the service at it like at any external server
  PG_PORT=${BENCH_EMBEDDED_PORT:-15432}
  SERVER="PostgreSQL (embedded, port $PG_PORT)"
  log "embedded PostgreSQL on port $PG_PORT"
  ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
  java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    io.planbilling.testing.EmbeddedPostgresServer "$OUT/embedded-$RUN" "$PG_PORT" >"$OUT/postgres.log" 2>&1 &
  PIDS+=("$!")
  until grep -q "PostgreSQL ready" "$OUT/postgres.log"; do
    kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$OUT/postgres.log"; echo "PostgreSQL did not start"; exit 1; }
    sleep 0.2
  done
  SERVICE_ENV=(SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:$PG_PORT/postgres"
               SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD=)
  PGBENCH_ARGS=()
fi

PGBENCH_TPS=""
pgbench_run() {
  log "pgbench -N, 16 clients, ${SECONDS_PER_PHASE}s"
  pgbench -q -i -s 10 "${PGBENCH_ARGS[@]}" >/dev/null 2>&1
  pgbench -N -c 16 -j 2 -T "$SECONDS_PER_PHASE" "${PGBENCH_ARGS[@]}" | tee "$OUT/pgbench.txt" | grep -E '^(tps|latency)'
  PGBENCH_TPS=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$OUT/pgbench.txt" | head -1)
}
if [ "$DATABASE" = machine ]; then pgbench_run; fi

# The README's production start: the jar extracted and a class-data-sharing archive made by a training run (which
# also migrates the fresh database), then the service started with the archive. BENCH_CDS=false starts the fat jar.
APP="$OUT/app"
if [ "${BENCH_CDS:-true}" = true ]; then
  log "class-data-sharing archive (training run, migrates the database)"
  rm -rf "$APP"
  java -Djarmode=tools -jar "$JAR" extract --destination "$APP" >/dev/null
  TRAINING_STARTED=$(date +%s%N)
  env "${SERVICE_ENV[@]}" BILLING_SECURITY_OPERATOR_API_KEY="$OPERATOR_KEY" SERVER_PORT="$PORT" \
    java ${BENCH_JAVA_OPTS:-$SERVICE_JVM_OPTS} -XX:ArchiveClassesAtExit="$APP/application.jsa" \
    -Dspring.context.exit=onRefresh -jar "$APP/$(basename "$JAR")" >"$OUT/training.log" 2>&1
  echo "training run (first start: migrations, no archive) $(( ($(date +%s%N) - TRAINING_STARTED) / 1000000 )) ms"
  LAUNCH=(-XX:SharedArchiveFile="$APP/application.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$APP/$(basename "$JAR")")
else
  LAUNCH=(-jar "$JAR")
fi

log "service on :$PORT against $SERVER"
STARTED=$(date +%s%N)
env "${SERVICE_ENV[@]}" BILLING_SECURITY_OPERATOR_API_KEY="$OPERATOR_KEY" SERVER_PORT="$PORT" \
  java ${BENCH_JAVA_OPTS:-$SERVICE_JVM_OPTS} "${LAUNCH[@]}" >"$OUT/service.log" 2>&1 &
SERVICE_PID=$!
PIDS+=("$SERVICE_PID")
until curl -fs "localhost:$PORT/actuator/health" 2>/dev/null | grep -q '"UP"'; do
  kill -0 "$SERVICE_PID" 2>/dev/null || { tail -50 "$OUT/service.log"; echo "the service died"; exit 1; }
  sleep 0.1
done
STARTUP_MS=$(( ($(date +%s%N) - STARTED) / 1000000 ))
echo "health UP after ${STARTUP_MS} ms"

if [ "$DATABASE" = embedded ] && command -v pgbench >/dev/null; then
  PGBENCH_ARGS=(-h localhost -p "$PG_PORT" -U postgres postgres)
  pgbench_run
fi

wanted() { [ -z "${BENCH_PHASES:-}" ] || [[ " $BENCH_PHASES " == *" $1 "* ]]; }

phase() { # phase <simulation> <name> <batch> <users> [seconds]
  wanted "$2" || return 0
  log "$2: batch $3, $4 clients, ${5:-$SECONDS_PER_PHASE}s"
  ./mvnw -B -q -f bench/pom.xml gatling:test -Dgatling.simulationClass="io.planbilling.bench.$1" \
    -DbaseUrl="http://localhost:$PORT" -DoperatorKey="$OPERATOR_KEY" -Drun="$RUN" -Dphase="$2" -DbenchOutput="$PWD/$OUT" \
    -Dgatling.resultsFolder="$PWD/$OUT/gatling/$2" -Dbatch="$3" -Dusers="$4" -Dseconds="${5:-$SECONDS_PER_PHASE}" | grep -E '^\{|fixture:|Reports generated|KO' || true
  [ -f "$OUT/results/$2.json" ] || { echo "phase $2 did not finish"; exit 1; }
}

if [ -z "${BENCH_PHASES:-}" ] || [[ "$BENCH_PHASES" == *usage* ]]; then
  BENCH_PHASES="" phase IngestionSimulation warmup 100 4 10   # JIT warm-up of the hot path, not reported
  rm -f "$OUT/results/warmup.json"
fi
phase IngestionSimulation usage-1 1 16
phase IngestionSimulation usage-100 100 8
phase IngestionSimulation usage-1000 1000 4
phase IngestionSimulation usage-10000 10000 2
phase SamplesSimulation samples-1000 1000 4
phase ConsoleSimulation console 0 16

PEAK_RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$SERVICE_PID/status")
python3 bench/summary.py --results "$OUT/results" --reports "$OUT/gatling" --pgbench-tps "${PGBENCH_TPS:-}" \
  --startup-ms "$STARTUP_MS" --peak-rss-kb "$PEAK_RSS_KB" --server "$SERVER" --seconds "$SECONDS_PER_PHASE" \
  | tee "$OUT/summary.md"
