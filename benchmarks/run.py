"""Benchmarks: microgrboard against micrograd and numpy references, side by side, as ratios.

    .venv/bin/python benchmarks/run.py [--quick]

Each engine runs in its own process (benchmarks/workloads.py), in this one run, on this machine, so
the ratios compare like with like on a noisy machine. micrograd 0.1.0 comes from the `bench` extra
(`pip install -e ".[bench]"`; also in `test`); without it, its columns are skipped with a message.
Nothing is installed at run time. Speed goals live here as ratios, never in timed tests.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import pathlib
import statistics
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
WORKLOADS = HERE / "workloads.py"
# The digits step is matrix products: both engines get one BLAS thread, so that a shared machine's
# load (which makes a 2-thread BLAS wait on its other thread) does not decide the ratio.
ONE_BLAS_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def run(engine: str, task: str, arg: int, env: dict | None = None) -> dict | None:
    result = subprocess.run([sys.executable, str(WORKLOADS), engine, task, str(arg)], capture_output=True,
                            text=True, timeout=3600, env={**os.environ, **(env or {})})
    if result.returncode != 0:
        print(f"  {engine} {task}: failed: {result.stderr.strip().splitlines()[-1]}", file=sys.stderr)
        return None
    return json.loads(result.stdout)


def best_medians(engines: list[str], task: str, steps: dict, rounds: int, env: dict | None = None):
    """Run the engines in turn, `rounds` times, and keep each engine's best median step time (the
    machine is noisy); check that every engine's loss curve equals the numpy reference's to 1e-9."""
    results, best = {}, {}
    for _ in range(rounds):
        for engine in engines:
            result = run(engine, task, steps[engine], env)
            if result is not None:
                results[engine] = result
                best[engine] = min(best.get(engine, float("inf")), statistics.median(result["times"]))
    reference = results["numpy"]["losses"]
    for engine, result in results.items():
        gap = max(abs(a - b) / max(abs(b), 1e-300) for a, b in zip(result["losses"], reference))
        assert gap <= 1e-9, f"{task}: {engine}'s loss curve differs from the numpy reference by {gap:.2e}"
    return results, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer steps and smaller graphs (a smoke run)")
    quick = parser.parse_args().quick
    micrograd = importlib.util.find_spec("micrograd") is not None
    if not micrograd:
        print("micrograd is not installed (pip install -e \".[bench]\"); its columns are skipped", file=sys.stderr)
    rounds = 1 if quick else 3

    # 1. The moons training step: same starting weights, same arithmetic, so the same loss curve.
    # micrograd's demo runs 100 steps; its learning rate 1 − 0.9·k/100 turns negative after that.
    engines = ["microgrboard", "compiled", "numpy"] + (["micrograd"] if micrograd else [])
    steps = {"microgrboard": 5 if quick else 20, "compiled": 20 if quick else 100, "numpy": 20 if quick else 100,
             "micrograd": 2 if quick else 5}
    moons, step = best_medians(engines, "moons", steps, rounds)
    # 2. A wider network, 64-128-128-10 on the 8×8 digits (1,797 examples, softmax cross-entropy).
    digits, wide = best_medians(["compiled", "numpy"], "digits", {"compiled": 3 if quick else 10,
                                                                  "numpy": 3 if quick else 10}, rounds, ONE_BLAS_THREAD)

    # 3. Build + backward throughput on a wide random graph; 4. memory; 5. the deepest chain.
    scalar = [e for e in engines if e in ("microgrboard", "micrograd")]
    n_graph = 20_000 if quick else 200_000
    graph = {e: run(e, "graph", n_graph) for e in scalar}
    memory = {e: run(e, "memory", 50_000) for e in scalar}
    chain = {e: run(e, "chain", 100_000 if quick else 1_000_000) for e in scalar}

    def ms(times, e):
        return f"{times[e] * 1e3:,.3f} ms" if e in times else "-"

    rows = [(f"moons step (2-16-16-1, 100 points, SGD; best median of {rounds})", {e: ms(step, e) for e in engines}),
            ("digits step (64-128-128-10, 1,797 points, one BLAS thread)", {e: ms(wide, e) for e in wide}),
            (f"build + backward, random graph of {n_graph:,} nodes (nodes/s)",
             {e: f"{g['nodes'] / (g['build_s'] + g['backward_s']):,.0f}" if g else "failed" for e, g in graph.items()}),
            ("bytes per node (tracemalloc, after backward)",
             {e: f"{r['bytes_per_node']:.0f}" if r else "failed" for e, r in memory.items()}),
            ("deepest chain at the default recursion limit",
             {e: (f"≥ {r['deepest']:,}" if r["deepest"] >= r["limit"] else f"{r['deepest']:,}") if r else "failed"
              for e, r in chain.items()})]
    width = max(len(r[0]) for r in rows)
    print(f"\n{'workload':<{width}}  " + "  ".join(f"{e:>14}" for e in engines))
    for name, cells in rows:
        print(f"{name:<{width}}  " + "  ".join(f"{cells.get(e, '-'):>14}" for e in engines))
    def counts(results):
        return ", ".join(f"{e}: {len(r['losses'])}" for e, r in results.items())

    print(f"\nloss curves equal the numpy reference's within 1e-9 (steps: moons {counts(moons)}; "
          f"digits {counts(digits)})")

    print("\nratios (measured in this run)                        value        goal")
    checks = []
    if "micrograd" in step:
        checks.append(("eager moons step vs micrograd (× faster)", step["micrograd"] / step["microgrboard"], 25, ">="))
    if graph.get("micrograd") and graph.get("microgrboard"):
        mg, us = graph["micrograd"], graph["microgrboard"]
        checks.append(("eager graph throughput vs micrograd (× faster)",
                       (mg["build_s"] + mg["backward_s"]) / (us["build_s"] + us["backward_s"]), 6, ">="))
    if memory.get("microgrboard"):
        checks.append(("eager bytes per node (user attributes allowed)", memory["microgrboard"]["bytes_per_node"],
                       150, "<="))
    if chain.get("microgrboard"):
        checks.append(("eager deepest chain", chain["microgrboard"]["deepest"], chain["microgrboard"]["limit"], ">="))
    checks.append(("compiled moons step / numpy reference (× slower)", step["compiled"] / step["numpy"], 3, "<="))
    checks.append(("compiled digits step / numpy reference (× slower)", wide["compiled"] / wide["numpy"], 2, "<="))
    if "micrograd" in step:
        checks.append(("compiled moons step vs micrograd (× faster)", step["micrograd"] / step["compiled"], None, ""))
    # 6. The playground page in Chromium (benchmarks/playground.py): load time and training steps per second.
    page = subprocess.run([sys.executable, str(HERE / "playground.py"), "--json", *(["--quick"] if quick else [])],
                          capture_output=True, text=True, timeout=600)
    if page.returncode == 0:
        figures = json.loads(page.stdout)
        checks.append(("playground page load, best (s)", figures["load_seconds"], 2, "<="))
        checks.append(("playground 2-8-8-1 on 200 points (steps/s)", figures["steps_per_second"], 30, ">="))
    else:
        print(f"the playground is not measured: {page.stderr.strip()}", file=sys.stderr)
    for name, value, goal, sense in checks:
        met = "" if goal is None else ("met" if (value >= goal if sense == ">=" else value <= goal) else "NOT MET")
        goal_text = "" if goal is None else f"{sense} {goal:,}"
        print(f"  {name:<50} {value:>10,.{3 if value < 10 else 1}f}  {goal_text:>10}  {met}")


if __name__ == "__main__":
    main()
