"""`python -m bench` (`make bench`): every figure, medians of several runs, into
bench/results/latest.json and latest.txt. `--only 1 3` picks figures; `--quick` shrinks
every run (for checking the bench itself, not for figures worth quoting).

The bench prints, it does not judge: targets are shown beside the figures.
"""

import argparse
import importlib
import json
import sys
import time
from typing import Any

from bench.common import RESULTS_DIR, Figure, Row
from bench.report import print_figures, save

MODULES = {
    "1": "bench.latency",
    "2": "bench.throughput",
    "3": "bench.link",
    "4": "bench.calls",
    "5": "bench.series",
    "6": "bench.pages",
    "7": "bench.soak",
}


def _memory(peaks: dict[str, dict[str, int]], name: str) -> Figure:
    """Figure 8 from the runs just made, keeping rows of runs not repeated this time."""
    figure = Figure("8", "Memory: peak RSS")
    previous = RESULTS_DIR / f"{name}.json"
    if previous.exists():
        for data in json.loads(previous.read_text())["figures"]:
            if data["key"] == "8":
                figure.rows = [
                    Row(**{**row, "spread": None})
                    for row in data["rows"]
                    if not any(row["name"].endswith(f"during {during}") for during in peaks)
                ]
    for during, found in peaks.items():
        figure.add(f"web process (gunicorn worker), during {during}", found["web"] / 1024, "MiB")
        figure.add(f"task worker, during {during}", found["worker"] / 1024, "MiB")
    return figure


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(MODULES), help="figure numbers")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median + spread)")
    parser.add_argument("--quick", action="store_true", help="small runs, to check the bench")
    parser.add_argument("--name", default="latest", help="results file name (default latest)")
    args = parser.parse_args()
    wanted = args.only or sorted(MODULES)
    figures: list[Figure] = []
    peaks: dict[str, dict[str, int]] = {}
    for key in wanted:
        started = time.monotonic()
        print(f"figure {key} ({MODULES[key]}) ...", flush=True)
        module = importlib.import_module(MODULES[key])
        # The soak and the simulated year are one long run each by design.
        runs = 1 if key in ("5", "7") else args.runs
        result: Any = module.run(runs=runs, quick=args.quick)
        if isinstance(result, tuple):
            result, peaks[{"2": "figure 2", "7": "the soak"}[key]] = result
        figures.append(result)
        print_figures([result])
        print(f"   ({time.monotonic() - started:.0f} s)", flush=True)
    if peaks:
        figures.append(_memory(peaks, args.name))
        print_figures([figures[-1]])
    path = save(figures, args.name)
    print(f"\nwrote {path} and {path.with_suffix('.txt')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
