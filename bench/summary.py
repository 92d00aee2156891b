#!/usr/bin/env python3
"""Prints the benchmark's one table (Markdown) from the phases' results and the run's measurements."""
import argparse
import glob
import json
import os

parser = argparse.ArgumentParser()
parser.add_argument("--results", required=True)
parser.add_argument("--reports", required=True)
parser.add_argument("--pgbench-tps", default="")
parser.add_argument("--startup-ms", type=int, required=True)
parser.add_argument("--peak-rss-kb", type=int, required=True)
parser.add_argument("--server", required=True)
parser.add_argument("--seconds", required=True)
args = parser.parse_args()

phases = {}
for path in glob.glob(os.path.join(args.results, "*.json")):
    with open(path) as f:
        result = json.loads(f.read())
        phases[result["phase"]] = result

pgbench = float(args.pgbench_tps) if args.pgbench_tps else None


def ratio(value):
    return f"{value / pgbench:.2f}×" if pgbench else "n/a"


def latency(result, request):
    stats = result["responseTimes"].get(request)
    return (stats["p50"], stats["p99"]) if stats else ("-", "-")


rows = []
for name, label in [("usage-1", "usage ingestion, batch 1"), ("usage-100", "usage ingestion, batch 100"),
                    ("usage-1000", "usage ingestion, batch 1,000"), ("usage-10000", "usage ingestion, batch 10,000"),
                    ("samples-1000", "bandwidth samples, batch 1,000")]:
    result = phases.get(name)
    if not result:
        rows.append(f"| {label} | not run | | | | |")
        continue
    p50, p99 = latency(result, "usage" if name.startswith("usage") else "samples")
    once = {True: "yes", False: "**NO**"}.get(result.get("exactlyOnce"), "-")
    rows.append(f"| {label} | {result['users']} | {result['recordsPerSecond']:,.0f} records/s | {ratio(result['recordsPerSecond'])} "
                f"| {p50} / {p99} | {once} |")
console = phases.get("console")
for request in ["purchase", "bind", "device"]:
    if console:
        p50, p99 = latency(console, request)
        rows.append(f"| console `{request}` | {console['users']} | {console['recordsPerSecond']:,.0f} iterations/s | "
                    f"{ratio(console['recordsPerSecond'])} | {p50} / {p99} | - |")

print(f"Server: {args.server}; pgbench -N (16 clients, {args.seconds} s): "
      f"{args.pgbench_tps or 'not measured'} TPS; {args.seconds} s per phase.\n")
print("| what | clients | throughput | ÷ pgbench -N TPS | p50 / p99 ms | exactly once |")
print("|---|---|---|---|---|---|")
print("\n".join(rows))
print(f"| service peak RSS (VmHWM) | | {args.peak_rss_kb / 1024:,.0f} MB | | | |")
print(f"| start-up to health UP | | {args.startup_ms / 1000:.1f} s | | | |")
print(f"\nGatling reports: {args.reports}/<phase>/*/index.html")
