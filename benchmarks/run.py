"""Run the benchmarks and print each figure as a ratio to its baseline (same run).

    python -m benchmarks.run            # all bench_*.py modules
    python -m benchmarks.run startup    # only modules whose name contains "startup"
    python -m benchmarks.run --quick    # fewer repetitions

A module `benchmarks/bench_<name>.py` either has `run(quick: bool) -> list[Figure]`
(printed here as a table), or a `main()` that prints its own figures: that one runs as
`python -m benchmarks.bench_<name>` in a fresh process. Exit code 1 when a figure misses
its target or a module fails.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import Figure


def modules(only: list[str]) -> list[str]:
    here = Path(__file__).resolve().parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    return [n for n in names if not only or any(o in n for o in only)]


def target_text(f: Figure) -> str:
    parts = []
    if f.max_ratio is not None:
        parts.append(f"≤{f.max_ratio:g}×")
    if f.max_value is not None:
        parts.append(f"<{f.max_value:g} {f.unit}")
    return " and ".join(parts) or "—"


def _run_script(name: str) -> int:
    """A module with its own main(): run it in a fresh interpreter; 1 if it failed."""
    print(f"--- {name} (its own report)", flush=True)
    root = Path(__file__).resolve().parent.parent
    code = subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], cwd=root).returncode
    if code:
        print(f"{name}: exit code {code}")
    return 1 if code else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Paddock benchmarks")
    parser.add_argument("only", nargs="*", help="run modules whose name contains this")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    failed = 0
    print(f"{'figure':<62} {'value':>10} {'baseline':>10} {'ratio':>7}  target        result")
    for name in modules(args.only):
        t0 = time.perf_counter()
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            run = getattr(module, "run", None)
            if run is None or "quick" not in inspect.signature(run).parameters:
                failed += _run_script(name)
                continue
            figures: list[Figure] = run(quick=args.quick)
        except Exception as exc:  # one broken benchmark must not hide the others
            print(f"{name}: FAILED ({type(exc).__name__}: {exc})")
            failed += 1
            continue
        for f in figures:
            verdict = "ok" if f.ok else "MISSED"
            failed += not f.ok
            print(
                f"{f.name:<62} {f.value:>8.1f}{f.unit:<2} {f.baseline:>8.1f}{f.unit:<2} "
                f"{f.ratio:>6.2f}×  {target_text(f):<13} {verdict}"
            )
            if f.note:
                print(f"    {f.note}")
        print(f"    ({name} took {time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
