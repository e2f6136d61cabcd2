"""Benchmark the MCP server's `search`: 10,000 patterns and 1,000 sessions, calls to the running server.

    python benchmarks/bench_mcp.py [--patterns 10000] [--sessions 1000] [--calls 200]

Starts `empathy mcp` on a generated project (benchmarks/bench_recall.py's), through the MCP
SDK's own client over stdio, and times `search` calls from the client: the round trip,
JSON-RPC and the index included. The first call (which builds the index) is timed apart.
Prints the median and p95 next to `python -c pass` measured in the same run. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time

from mcp import Client
from mcp.client.stdio import StdioServerParameters

from benchmarks.bench_recall import WORDS, WORK, patterns, records, write_project


async def measure(project: str, queries: list[str]) -> tuple[float, list[float]]:
    env = {"XDG_CACHE_HOME": str(WORK / "cache"), "HOME": os.environ.get("HOME", "/")}
    server = StdioServerParameters(command=sys.executable, args=["-m", "attune", "mcp", "--root", project], env=env)
    async with Client(server, read_timeout_seconds=600) as client:
        started = time.perf_counter()
        await client.call_tool("search", {"query": "password hashing"})
        first = (time.perf_counter() - started) * 1000
        samples = []
        for query in queries:
            started = time.perf_counter()
            result = await client.call_tool("search", {"query": query})
            samples.append((time.perf_counter() - started) * 1000)
            assert not result.is_error, result.content
    return first, sorted(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patterns", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=1_000)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(5)
    project = WORK / "project"
    write_project(project, patterns(args.patterns, rng), records(args.sessions, rng))
    queries = [" ".join(rng.sample(WORDS, rng.randint(1, 4))) for _ in range(args.calls)]
    first, samples = asyncio.run(measure(str(project), queries))
    baseline = []
    for _ in range(7):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        baseline.append((time.perf_counter() - started) * 1000)
    print(f"{args.patterns} patterns and {args.sessions} sessions, `empathy mcp` over stdio, {args.calls} calls:")
    print(f"  first search (builds the index)  {first:8.0f} ms")
    print(f"  search, median                   {statistics.median(samples):8.2f} ms")
    print(f"  search, p95                      {samples[int(len(samples) * 0.95) - 1]:8.2f} ms")
    print(f"  `python -c pass` as a process    {statistics.median(baseline):8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
