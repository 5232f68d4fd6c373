"""The readable table and the JSON file every bench run leaves in bench/results/."""

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import RESULTS_DIR, ROOT, Figure, Row, fmt


def machine() -> dict[str, Any]:
    meminfo = Path("/proc/meminfo").read_text().split()
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    postgres = subprocess.run(
        ["psql", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "memory_gib": round(int(meminfo[meminfo.index("MemTotal:") + 1]) / 2**20, 1),
        "python": platform.python_version(),
        "postgres": postgres,
        "kernel": platform.release(),
        "commit": commit,
    }


def table(figures: list[Figure]) -> str:
    lines = []
    for figure in figures:
        lines.append(f"\n{figure.key}. {figure.title}")
        for row in figure.rows:
            spread = (
                f"[{fmt(row.spread[0])}–{fmt(row.spread[1])}, n={row.runs}]" if row.spread else ""
            )
            target = f"target {row.target}" if row.target else ""
            lines.append(
                f"   {row.name:<52} {fmt(row.value, row.unit):>12}  {spread:<22} {target}"
                + (f"  ({row.note})" if row.note else "")
            )
        lines.extend(f"   · {note}" for note in figure.notes)
    return "\n".join(lines)


def print_figures(figures: list[Figure]) -> None:
    print(table(figures), flush=True)


def save(figures: list[Figure], name: str = "latest") -> Path:
    """Write `<name>.json` and `<name>.txt`; returns the JSON path."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    info = machine()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    path = RESULTS_DIR / f"{name}.json"
    fresh = {f.key: {**f.as_dict(), "measured_at": now, "commit": info["commit"]} for f in figures}
    # A run of some figures (`--only`) keeps the others from the previous file.
    kept = json.loads(path.read_text())["figures"] if path.exists() else []
    merged = {f["key"]: f for f in kept} | fresh
    document = {
        "generated_at": now,
        "machine": info,
        "figures": [merged[key] for key in sorted(merged)],
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    header = (
        f"Slotwise bench, {document['generated_at']}, commit {info['commit']}\n"
        f"{info['cpus']} CPUs ({info['cpu']}), {info['memory_gib']} GiB, Python "
        f"{info['python']}, {info['postgres']}, Linux {info['kernel']}"
    )
    body = table([_figure(f) for f in document["figures"]])
    (RESULTS_DIR / f"{name}.txt").write_text(header + "\n" + body + "\n")
    return path


def _figure(data: dict[str, Any]) -> Figure:
    figure = Figure(data["key"], data["title"], notes=list(data["notes"]))
    for row in data["rows"]:
        spread = tuple(row["spread"]) if row["spread"] else None
        figure.rows.append(Row(**{**row, "spread": spread}))
    if data.get("measured_at"):
        figure.notes.append(f"measured {data['measured_at']} at commit {data['commit']}")
    return figure
