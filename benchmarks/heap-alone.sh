#!/usr/bin/env bash
# The service's heap alone over N events: a broker in its own JVM holds N events over K keys
# (io.gradstream.bench.FilledBroker); `gradstream run` trains them with a 1 GiB heap and a GC log,
# and a full collection is forced every 2M trained events to read the live heap.
# Usage: benchmarks/heap-alone.sh [EVENTS] [KEYS]   (after `mvn -q install -DskipTests`)
set -euo pipefail
events=${1:-10000000}
keys=${2:-10000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

. "$root/benchmarks/filled-broker.sh"

java -Xmx1g -Xlog:gc:file="$work/gc.log":uptime -jar "$root/stream-app/target/gradstream.jar" run \
  --bootstrap-servers "$bootstrap" --input-topic bench-in --application-id heap-alone \
  --state-dir "$work/state" --http-port 8099 > "$work/service.out" 2>&1 &
service=$!
next=2000000
start=$(date +%s)
while true; do
  trained=$(trained)
  if [ -n "$trained" ] && [ "$trained" -ge "$next" ]; then
    jcmd "$service" GC.run > /dev/null
    echo "$trained events trained: $(grep 'Pause Full' "$work/gc.log" | tail -1)"
    next=$((next + 2000000))
  fi
  if [ -n "$trained" ] && [ "$trained" -ge "$events" ]; then break; fi
  sleep 0.5
done
echo "$events events in $(( $(date +%s) - start )) s (JVM start included)"
