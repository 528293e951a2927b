# Sourced by the benchmark scripts: starts a broker in its own JVM whose topic bench-in holds
# $events events over $keys keys (io.gradstream.bench.FilledBroker), waits until it is filled and
# sets $bootstrap. Needs $root and $work; the caller's EXIT trap stops it. trained prints how many
# events the service draining it (HTTP on port 8099) has trained, or nothing before it answers.
java -Xmx2g -cp "$root/benchmarks/target/benchmarks.jar" io.gradstream.bench.FilledBroker \
  "$events" "$keys" 1 > "$work/broker.out" 2>&1 &
until grep -q '^filled' "$work/broker.out"; do sleep 2; done
bootstrap=$(sed -n 's/.*bootstrap //p' "$work/broker.out")

trained() {
  (curl -s localhost:8099/metrics || true) \
    | awk '/^gradstream_events_total\{outcome="trained"/ {printf "%d", $2}'
}
