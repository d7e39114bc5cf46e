#!/usr/bin/env bash
# geo4-figures.sh [SEEDS]
#
# Measures the README's "Figures under geo4" (section "Topologies: regions,
# zones and the WAN") and prints them as markdown, one after the other and
# one command at a time (the figures are deterministic; the machine's load
# does not change them):
#   - per client region: a copy of geo4 with "client_regions" set to one
#     region, `casim compare` of the five correct protocols on the default
#     faults, p50/p99 by operation type, round trips and messages per
#     operation;
#   - SERIAL against LOCAL_SERIAL: paxos, no faults, clients in us-east-1
#     and in eu-west-1;
#   - availability (the lowest of the operation types) and longest stall
#     under geo4 without an outage, with a zone outage and with a region
#     outage.
# SEEDS defaults to 100. Needs Go and jq; builds casim from this tree.
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-100}
command -v jq >/dev/null || { echo "geo4-figures: jq not found" >&2; exit 2; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/casim" ./cmd/casim
casim=$dir/casim
protocols=paxos,paxos2,caspaxos,abd,lww
regions=(us-east-1 us-east-2 us-west-2 eu-west-1)

# The "topology" object casim writes for geo4, with client_regions set.
"$casim" run --topology geo4 --scenario-out "$dir/geo4.json" >/dev/null
for r in "${regions[@]}"; do
  jq --arg r "$r" '.topology + {client_regions: [$r]}' "$dir/geo4.json" >"$dir/geo4-$r.json"
done

# dur: nanoseconds as the README writes them (4.7 ms, 352 ms, 1.34 s).
jqdefs='def dur: if . >= 1e9 then "\((. / 1e7 | round) / 100) s"
                 elif . >= 1e7 then "\(. / 1e6 | round) ms"
                 else "\((. / 1e5 | round) / 10) ms" end;'

echo "| protocol | client region | read p50 / p99 | write p50 / p99 | cas p50 / p99 | round trips (r/w/c) | msgs/op (r/w/c) |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for p in ${protocols//,/ }; do
  for r in "${regions[@]}"; do
    "$casim" compare --protocols "$p" --topology "$dir/geo4-$r.json" --seeds "$seeds" --json >"$dir/out.json" || true
    jq -r --arg r "$r" "$jqdefs"'
      .rows as $rows
      | ($rows[0].protocol) as $p
      | def cell($op): ($rows[] | select(.op == $op) | "\(.p50_ns | dur) / \(.p99_ns | dur)") // "";
        ([$rows[] | .round_trips | tostring] | join("/")) as $rt
      | ([$rows[] | .messages_per_op | round | tostring] | join("/")) as $msgs
      | ([$rows[] | select(.stuck > 0 or .violations > 0 or .unknown > 0)] | length) as $bad
      | "| \($p) | \($r) | \(cell("read")) | \(cell("write")) | \(cell("cas")) | \($rt) | \($msgs) |"
        + (if $bad > 0 then " (stuck \($rows[0].stuck), violations \($rows[0].violations))" else "" end)
    ' "$dir/out.json"
  done
done

echo
echo "SERIAL against LOCAL_SERIAL (paxos, --faults none):"
for r in us-east-1 eu-west-1; do
  "$casim" compare --protocols paxos,paxos:serial=local-serial --faults none \
    --topology "$dir/geo4-$r.json" --seeds "$seeds" --json >"$dir/out.json" || true
  jq -r --arg r "$r" "$jqdefs"'.rows[]
    | "\($r) \(.protocol) \(.op): p50 \(.p50_ns | dur), p99 \(.p99_ns | dur), \(.messages_per_op | round) msgs"' "$dir/out.json"
done

echo
echo "Availability and longest stall (geo4, partition-min=300ms,partition-max=400ms):"
for f in none zone-outages=1 region-outages=1; do
  faults=none,partition-min=300ms,partition-max=400ms
  [ "$f" = none ] || faults=$faults,$f
  "$casim" compare --protocols "$protocols" --topology geo4 --faults "$faults" \
    --seeds "$seeds" --json >"$dir/out.json" || true
  jq -r --arg f "$f" "$jqdefs"'
    [.rows | group_by(.protocol)[]
      | (map(.availability) | min) as $avail | .[0]
      | "\(.protocol) \($avail * 10000 | round / 100)% stall \(.max_stall_ns | dur)"
        + (if .stuck > 0 or .violations > 0 then " (stuck \(.stuck), violations \(.violations))" else "" end)]
    | "\($f): " + join(", ")' "$dir/out.json"
done
