"""Benchmark the LLM helpers: `empathy route` as a process, a routing decision, a cache hit, the cost report.

    python benchmarks/bench_llm.py [--runs 15] [--calls 100000]

Every figure is printed next to `python -c pass` measured in the same run on the same machine;
nothing is asserted. Targets (issue 6): a routing decision under 50 us, a cache hit under 5 ms,
the cost report over 100,000 calls under 1 s. Scratch files live under benchmarks/.work/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
import timeit
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("ATTUNE_BENCH_WORK") or HERE / ".work") / "llm"
EMPATHY = str(Path(sys.executable).parent / "empathy")


def process_ms(argv: list[str], runs: int, env: dict[str, str], stdin: bytes = b"") -> float:
    """Median wall time of a whole process, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, env=env, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_stop_hook(root: Path, runs: int, env: dict[str, str]) -> tuple[float, float]:
    """`empathy hook Stop` with the session-summary trigger off, then on (it spawns the wizard and returns).

    Runs are a second apart, so that the wizards started in the background do not compete with
    the next hook for the CPU: what is measured is the hook, not the machine's load.
    """
    message = "We decided to keep the cache per user. Next steps: need to benchmark it."
    stdin = json.dumps({"session_id": "bench", "cwd": str(root), "hook_event_name": "Stop",
                        "last_assistant_message": message}).encode()  # fmt: skip
    hook_env = env | {"CLAUDE_PROJECT_DIR": str(root)}
    config = root / ".empathy" / "config.yaml"
    figures = []
    for triggers in ("", "triggers:\n  session-summary: [Stop]\n"):
        config.write_text(triggers)
        samples = []
        for _ in range(runs):
            samples.append(process_ms([EMPATHY, "hook", "Stop"], 1, hook_env, stdin))
            time.sleep(1.0)
        figures.append(statistics.median(samples))
    config.unlink()
    return figures[0], figures[1]


def per_call_us(stmt: object, number: int) -> float:
    """Best of five timeit runs, per call, in microseconds."""
    timer = timeit.Timer(stmt)  # type: ignore[arg-type]
    return min(timer.repeat(repeat=5, number=number)) / number * 1e6


def bench_routing() -> tuple[float, float]:
    from attune.llm import router

    models = router.tier_models()
    resolved = per_call_us(lambda: router.route("review_security", models=models), 100_000)
    from_env = per_call_us(lambda: router.route("review_security"), 100_000)
    return resolved, from_env


def bench_cache_hit(root: Path) -> tuple[float, float]:
    from attune.llm import router, settings
    from attune.llm.call import Context, Request, cache_key, call
    from attune.llm.state import State

    schema = {"type": "object", "properties": {"summary": {"type": "string"}}, "required": ["summary"]}
    prompt = "Summarize the session.\n" + "We decided to keep the parse cache per user.\n" * 200
    request = Request("bench", "summarize", "Answer in JSON.", prompt, schema, "1")
    route = router.route("summarize")
    with State() as state:
        state.store(
            cache_key(route, request.system, prompt, schema, "1"), {"output": {"summary": "s"}, "cost_usd": 0.001}, 3600
        )

    def first_hit() -> None:  # what one `empathy wizard run` pays: open the cache, then hit
        with State() as state:
            assert call(Context(root, settings.DEFAULT, state), request, route).outcome == "cache_hit"

    cold = per_call_us(first_hit, 20) / 1000
    with State() as state:
        ctx = Context(root, settings.DEFAULT, state)
        return per_call_us(lambda: call(ctx, request, route), 200) / 1000, cold


def write_ledger(root: Path, calls: int) -> None:
    rng = random.Random(6)
    wizards = [("security-review", "review_security", "capable", "claude-sonnet-5-5"),
               ("session-summary", "summarize", "cheap", "claude-haiku-5-5"),
               ("code-review", "review_code", "cheap", "claude-haiku-5-5"),
               ("bug-pattern", "fix_bug", "capable", "claude-sonnet-5-5")]  # fmt: skip
    lines = []
    for number in range(calls):
        wizard, task, tier, model = rng.choice(wizards)
        hit = rng.random() < 0.2
        usage = (0, 0, 0, 0) if hit else (rng.randint(500, 20_000), rng.randint(50, 2000), 0, rng.randint(0, 5000))
        day = f"2026-{rng.randint(9, 11):02d}-{rng.randint(1, 28):02d}T{number % 24:02d}:00:00Z"
        lines.append(json.dumps({
            "time": day, "wizard": wizard, "task": task, "tier": tier, "model": model,
            "input_tokens": usage[0], "output_tokens": usage[1], "cache_creation_input_tokens": usage[2],
            "cache_read_input_tokens": usage[3], "cost_usd": 0.0 if hit else usage[0] * 2e-6 + usage[1] * 1e-5,
            "cache_hit": hit, "saved_usd": 0.004 if hit else 0.0, "outcome": "cache_hit" if hit else "ok",
            "attempt": 1, "price_as_of": "2026-11-01",
        }, separators=(",", ":")))  # fmt: skip
    (root / ".empathy" / "ledger.jsonl").write_text("\n".join(lines) + "\n")


def bench_report(root: Path) -> float:
    from attune.llm import costs, ledger

    start = time.perf_counter()
    costs.report(ledger.load(root), "claude-opus-5-5", None)
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--calls", type=int, default=100_000)
    options = parser.parse_args()
    if WORK.exists():
        shutil.rmtree(WORK)
    root = WORK / "project"
    (root / ".empathy").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    # Bytecode caching on, as in any installed package (this machine sets PYTHONDONTWRITEBYTECODE,
    # which would make every run recompile our sources and measure that instead).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
        "XDG_CACHE_HOME": str(WORK / "cache")
    }
    os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]
    for name in ("ANTHROPIC_API_KEY", "EMPATHY_MODEL_CHEAP", "EMPATHY_MODEL_CAPABLE", "EMPATHY_MODEL_PREMIUM"):
        env.pop(name, None)
        os.environ.pop(name, None)

    baseline = process_ms([sys.executable, "-c", "pass"], options.runs, env)
    print(f"python -c pass                          {baseline:8.1f} ms   (baseline, median of {options.runs})")
    route_ms = process_ms([EMPATHY, "route", "summarize", "--root", str(root)], options.runs, env)
    print(f"empathy route summarize (whole process) {route_ms:8.1f} ms   ({route_ms / baseline:.1f}x the baseline)")
    off, on = bench_stop_hook(root, min(options.runs, 9), env)
    print(f"empathy hook Stop, no trigger           {off:8.1f} ms")
    print(f"empathy hook Stop, session-summary on   {on:8.1f} ms   (returns once the wizard is spawned)")
    resolved, from_env = bench_routing()
    print(f"routing decision, models resolved       {resolved:8.2f} us   (target < 50 us)")
    print(f"routing decision, reading the env       {from_env:8.2f} us   (target < 50 us)")
    hit, cold = bench_cache_hit(root)
    print(f"cache hit in-process, cache open        {hit:8.2f} ms   (guard + lookup + ledger line; target < 5 ms)")
    print(f"cache hit including opening the cache   {cold:8.2f} ms   (once per `empathy wizard run` process)")
    write_ledger(root, options.calls)
    report_ms = bench_report(root)
    print(f"cost report over {options.calls:,} calls, in-process  {report_ms:7.1f} ms   (target < 1000 ms)")
    costs_ms = process_ms([EMPATHY, "costs", "--root", str(root)], max(3, options.runs // 3), env)
    ratio = costs_ms / baseline
    print(f"empathy costs over {options.calls:,} calls (process) {costs_ms:7.1f} ms   ({ratio:.1f}x the baseline)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
