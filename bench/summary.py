#!/usr/bin/env python3
"""Prints the benchmark's one table (Markdown) from the phases' results and the run's measurements.

Every throughput is also given as a ratio to pgbench -N TPS on the same server and to the framework floor of the same
run (bench/floor): the floor's one-row write for the write paths, the floor's read for reads.
"""
import argparse
import glob
import json
import os

parser = argparse.ArgumentParser()
parser.add_argument("--results", required=True)
parser.add_argument("--reports", required=True)
parser.add_argument("--pgbench-tps", default="")
parser.add_argument("--startup-ms", type=int, default=0)
parser.add_argument("--peak-rss-kb", type=int, default=0)
parser.add_argument("--server", required=True)
parser.add_argument("--seconds", required=True)
args = parser.parse_args()

phases = {}
for path in glob.glob(os.path.join(args.results, "*.json")):
    with open(path) as f:
        result = json.loads(f.read())
        phases[result["phase"]] = result

pgbench = float(args.pgbench_tps) if args.pgbench_tps else None
floor = {kind: phases[f"floor-{kind}"]["recordsPerSecond"] for kind in ("write", "read") if f"floor-{kind}" in phases}


def ratio(value, base):
    return f"{value / base:.2f}×" if base else "n/a"


def latency(result, request):
    stats = result.get("responseTimes", {}).get(request)
    return f"{stats['p50']} / {stats['p99']}" if stats else "-"


def once(result):
    return {True: "yes", False: "**NO**"}.get(result.get("exactlyOnce"), "-")


rows = []


def row(label, clients, throughput, value, kind, lat="-", exactly="-"):
    rows.append(f"| {label} | {clients} | {throughput} | {ratio(value, pgbench)} | {ratio(value, floor.get(kind))} "
                f"| {lat} | {exactly} |")


for name, label in [("usage-1", "usage ingestion, batch 1"), ("usage-100", "usage ingestion, batch 100"),
                    ("usage-1000", "usage ingestion, batch 1,000"), ("usage-10000", "usage ingestion, batch 10,000"),
                    ("samples-1000", "bandwidth samples, batch 1,000")]:
    result = phases.get(name)
    if result:
        unit = "records/s" if name.startswith("usage") else "samples/s"
        row(label, result["users"], f"{result['recordsPerSecond']:,.0f} {unit}", result["recordsPerSecond"],
            "write", latency(result, "usage" if name.startswith("usage") else "samples"), once(result))

kafka = phases.get("kafka")
if kafka:
    row(f"usage ingestion from Kafka, {kafka['partitions']} partitions by {kafka.get('shape', 'device')}", "-",
        f"{kafka['recordsPerSecond']:,.0f} records/s (offsets committed after {kafka['offsetsCommittedSeconds']:.1f} s)",
        kafka["recordsPerSecond"], "write", exactly=once(kafka))
    http1000 = phases.get("usage-1000")
    if http1000:
        rows.append(f"| Kafka ÷ HTTP batch 1,000 | | {kafka['recordsPerSecond'] / http1000['recordsPerSecond']:.2f}× "
                    f"| | | | |")

console = phases.get("console")
if console:
    for request in ["device", "purchase", "bind"]:
        row(f"console `{request}`", console["users"],
            f"{console['recordsPerSecond']:,.0f} iterations/s (3 requests each)", console["recordsPerSecond"], "write",
            latency(console, request))

read = phases.get("read")
if read:
    row("`GET /api/v1/account`", read["users"], f"{read['recordsPerSecond']:,.0f} requests/s",
        read["recordsPerSecond"], "read", latency(read, "read"))

for instances in (1, 2):
    storm = phases.get(f"renewal-storm-{instances}")
    if storm:
        row(f"renewal storm, {instances} instance{'s' if instances > 1 else ''}", "-",
            f"{storm['recordsPerSecond']:,.0f} package renewals/s: {storm['packages']:,} successors after "
            f"{storm['secondsToLastSuccessor']:.1f} s; {storm['subscriptions']:,} subscriptions after "
            f"{storm['secondsToLastSubscriptionRenewal']:.1f} s", storm["recordsPerSecond"], "write",
            exactly=once(storm))
if "renewal-storm-1" in phases and "renewal-storm-2" in phases:
    rows.append(f"| renewal storm, 2 instances ÷ 1 | | "
                f"{phases['renewal-storm-2']['recordsPerSecond'] / phases['renewal-storm-1']['recordsPerSecond']:.2f}× "
                f"| | | | |")

for kind, label in (("write", "floor: one-row durable write"), ("read", "floor: one-row read")):
    result = phases.get(f"floor-{kind}")
    if result:
        rows.append(f"| {label} | {result['users']} | {result['recordsPerSecond']:,.0f} requests/s "
                    f"| {ratio(result['recordsPerSecond'], pgbench)} | 1.00× | {latency(result, kind)} | - |")

if args.peak_rss_kb:
    rows.append(f"| service peak RSS (VmHWM) | | {args.peak_rss_kb / 1024:,.0f} MB | | | | |")
if args.startup_ms:
    rows.append(f"| start-up to health UP | | {args.startup_ms / 1000:.1f} s | | | | |")

print(f"Server: {args.server}; pgbench -N (16 clients, {args.seconds} s): "
      f"{f'{pgbench:,.0f}' if pgbench else 'not measured'} TPS; framework floor: "
      f"{', '.join(f'{kind} {value:,.0f}/s' for kind, value in floor.items()) or 'not measured'}; "
      f"{args.seconds} s per load phase.\n")
print("| what | clients | throughput | ÷ pgbench -N TPS | ÷ floor | p50 / p99 ms | exactly once |")
print("|---|---|---|---|---|---|---|")
print("\n".join(rows))
print(f"\n÷ floor: the floor's write for writes (ingestion, samples, console, Kafka, renewals), its read for reads. "
      f"Gatling reports: {args.reports}/<simulation>-<time>/index.html; each phase's figures: "
      f"{args.results}/<phase>.json")
failed = [name for name, result in phases.items() if result.get("exactlyOnce") is False]
if failed:
    print(f"\n**Exactly once violated in: {', '.join(sorted(failed))}**")
