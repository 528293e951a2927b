#!/usr/bin/env bash
# The live page's cost: a broker in its own JVM holds N events over K keys
# (io.gradstream.bench.FilledBroker); `gradstream run` trains them as fast as it can, once alone and
# once with P pages open (io.gradstream.bench.PageLoad: each page asks for the overview and the view
# of a tracked model every second, and a page of the model list every fifth). The models have a
# bias: two parameters, so each model view also computes its loss surface. Prints the drain rate
# of each run (from 20% to 90% of the events, read from /metrics) and the page's latencies.
# Usage: benchmarks/page-load.sh [EVENTS] [KEYS] [PAGES]   (after `mvn -q install -DskipTests`)
set -euo pipefail
events=${1:-10000000}
keys=${2:-10000}
pages=${3:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

. "$root/benchmarks/filled-broker.sh"

for run in alone with-pages; do
  java -Xmx1g -jar "$root/stream-app/target/gradstream.jar" run --bootstrap-servers "$bootstrap" \
    --input-topic bench-in --application-id "page-load-$run" --state-dir "$work/state-$run" \
    --bias --http-port 8099 > "$work/service-$run.out" 2>&1 &
  service=$!
  if [ "$run" = with-pages ]; then
    until [ -n "$(trained)" ]; do sleep 0.2; done
    java -cp "$root/benchmarks/target/benchmarks.jar" io.gradstream.bench.PageLoad \
      http://localhost:8099 "$pages" 600 - "$keys" > "$work/pages.out" 2>&1 &
    load=$!
  fi
  from=$((events / 5)); to=$((events * 9 / 10))
  until [ "$(trained)" -ge "$from" ] 2>/dev/null; do sleep 0.05; done
  t0=$(date +%s.%N); n0=$(trained)
  until [ "$(trained)" -ge "$to" ] 2>/dev/null; do sleep 0.05; done
  t1=$(date +%s.%N); n1=$(trained)
  echo "$run: $(echo "($n1 - $n0) / ($t1 - $t0)" | bc -l | xargs printf '%.0f') events/s"
  if [ "$run" = with-pages ]; then
    kill "$load"; wait "$load" || true
    cat "$work/pages.out"
  fi
  kill "$service"; wait "$service" || true
done
