"""Speed of sweeps: local processes against one after the other, Ray against local, and the MNIST lesson.

    python benchmarks/bench_sweep.py                          # everything (about ten minutes on 2 cores)
    python benchmarks/bench_sweep.py --sections local,ray     # only the 12-run unsupervised sweep

Sections, each in a fresh process so that no run profits from another's imports:

* ``local``: a 12-run unsupervised sweep (``--grid k=3,4,5,6 --seeds 3``, the default
  3,000-customer shop; ``--quick`` for the 600-customer one) with ``--jobs 1`` and ``--jobs 2``,
  in turn ``--repeat`` times (the fastest of each counts), with the CPU seconds each used. Target: ``--jobs 2`` at least 1.6x faster
  (each run keeps to its share of the cores, so two runs do not fight over them).
* ``ray``: the same sweep on a fresh local Ray instance, ``--repeat`` times (the fastest
  counts, as for local): Ray's start-up reported on its own, then the sweep. Target:
  within 15% of the local backend's ``--jobs 2`` time.
* ``mnist``: ``paradigms sweep supervised --grid batch_size=32,128,512,2048 --seeds 3``
  on the real MNIST (``LEARNING_PARADIGMS_DATA``, default ``../shared/data`` beside the repository, as ``.ci/run``),
  as a user types it. Target: under 4 minutes, and a page that shows the lesson:
  smaller batches, more updates per epoch and more time per epoch.

The machine's load average is printed beside every figure: on a shared machine,
other programs' work slows every number here.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine_load import load_line

SECTIONS = ("local", "ray", "mnist")
ROOT = Path(__file__).resolve().parents[1]
GRID = {"k": [3, 4, 5, 6]}
SEEDS = 3


def _in_fresh_process(section: str, *extra: str) -> dict:
    """Run one measurement in a new Python process and read back its JSON line, with the CPU
    seconds it and its processes used (on a shared machine the wall time depends on the others)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, __file__, "--measure", section, *extra], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{section} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["cpu_seconds"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result


def measure(section: str, jobs: int, quick: bool) -> dict:
    """One timing, printed as JSON (in the fresh process)."""
    from paradigms.execution import RayBackend, plan_sweep, run_sweep

    plan = plan_sweep("unsupervised", GRID, seeds=SEEDS, quick=quick)
    result: dict = {"runs": plan.total, "quick": quick, "load_before": load_line()}
    backend: object = "local"
    if section == "ray":
        backend = RayBackend()
        result["ray_start_seconds"] = backend.connect()
    start = time.perf_counter()
    swept = run_sweep(plan, backend=backend, jobs=jobs if section == "local" else None)
    result["seconds"] = time.perf_counter() - start
    result["failures"] = len(swept.failures)
    result["silhouettes"] = [round(ev.measure.value, 6) for ev in swept.evaluations]
    result["load_after"] = load_line()
    return result


def section_local(quick: bool, repeat: int) -> dict:
    """``--jobs 1`` and ``--jobs 2`` in turn, ``repeat`` times; the fastest of each (other programs only slow a run)."""
    flag = ("--quick",) if quick else ()
    ones, twos = [], []
    for _ in range(repeat):
        ones.append(_in_fresh_process("local", "--jobs", "1", *flag))
        twos.append(_in_fresh_process("local", "--jobs", "2", *flag))
    one, two = min(ones, key=lambda r: r["seconds"]), min(twos, key=lambda r: r["seconds"])
    speedup = one["seconds"] / two["seconds"]
    print(f"local, 12-run unsupervised sweep{' (--quick)' if one['quick'] else ''}, fastest of {repeat}: --jobs 1 {one['seconds']:.1f} s, --jobs 2 {two['seconds']:.1f} s: "
          f"{speedup:.2f}x faster (target >= 1.6x) [{one['load_before']} / {two['load_before']}]")
    print(f"  CPU seconds (the whole process, imports included): --jobs 1 {one['cpu_seconds']:.1f}, --jobs 2 "
          f"{two['cpu_seconds']:.1f}: at most {2 * one['cpu_seconds'] / two['cpu_seconds']:.2f}x on two idle cores")
    same = one["silhouettes"] == two["silhouettes"]
    print(f"  same numbers with 1 and 2 jobs: {'yes' if same else 'NO'}; failures {one['failures']}, {two['failures']}")
    return {"jobs1": one, "jobs2": two, "speedup": speedup, "same": same}


def section_ray(local: dict | None, quick: bool, repeat: int) -> dict:
    """The same sweep on a fresh local Ray instance, ``repeat`` times; the fastest counts, as for local."""
    rays = [_in_fresh_process("ray", *(("--quick",) if quick else ())) for _ in range(repeat)]
    ray = min(rays, key=lambda r: r["seconds"])
    all_seconds = ", ".join(f"{r['seconds']:.1f}" for r in rays)
    print(f"ray, the same sweep, fastest of {repeat}: Ray start-up {ray['ray_start_seconds']:.1f} s (apart), "
          f"sweep {ray['seconds']:.1f} s (all: {all_seconds} s) "
          f"[{ray['load_before']}]")
    if local is not None:
        ratio = ray["seconds"] / local["jobs2"]["seconds"]
        print(f"  against local --jobs 2 ({local['jobs2']['seconds']:.1f} s): {ratio:.2f}x its time (target <= 1.15); "
              f"same numbers: {'yes' if ray['silhouettes'] == local['jobs1']['silhouettes'] else 'NO'}")
        ray["ratio"] = ratio
    return ray


def section_mnist() -> dict:
    data = os.environ.get("LEARNING_PARADIGMS_DATA", str(ROOT.parent / "shared" / "data"))
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as folder:
        command = [sys.executable, "-m", "paradigms", "sweep", "supervised", "--grid", "batch_size=32,128,512,2048",
                   "--seeds", "3", "--out", folder, "--no-progress"]
        print(f"mnist: {' '.join(command[2:])} [{load_line()}]", flush=True)
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env={**os.environ, "LEARNING_PARADIGMS_DATA": data},
                              capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"the MNIST sweep failed:\n{done.stderr[-3000:]}")
        from paradigms.report import Comparison
        from paradigms.report.sweep_summary import summarize_sweep

        summary = summarize_sweep(Comparison.load(folder))
        markdown = (Path(folder) / "report.md").read_text(encoding="utf-8")
    fallback = "Stand-in data" in markdown
    print(f"  {seconds:.0f} s in all (target < 240 s){' - ON THE 8x8 STAND-IN, NOT MNIST' if fallback else ''} "
          f"[{load_line()}]")
    rows = []
    for cell in summary.cells:
        rates = dict(cell.rates)
        row = {
            "batch_size": cell.cell.values["batch_size"],
            "updates_per_epoch": rates["updates_per_epoch"].mean if "updates_per_epoch" in rates else None,
            "seconds_per_epoch": cell.seconds_per_experience.mean if cell.seconds_per_experience else None,
            "seconds_per_run": cell.seconds.mean if cell.seconds else None,
            "validation": cell.chooser.mean if cell.chooser else None,
            "test": cell.score.mean if cell.score else None,
        }
        rows.append(row)
        print(f"  batch {row['batch_size']:>5}: {row['updates_per_epoch']:>6.0f} updates/epoch, "
              f"{row['seconds_per_epoch']:5.2f} s/epoch, {row['seconds_per_run']:5.1f} s/run, "
              f"validation {row['validation']:.4f}, test {row['test']:.4f}")
    print(f"  chosen on {summary.chooser_name}: {summary.chosen.label if summary.chosen else 'none'}")
    lesson = all(a["updates_per_epoch"] > b["updates_per_epoch"] and a["seconds_per_epoch"] > b["seconds_per_epoch"]
                 for a, b in zip(rows, rows[1:], strict=False))
    print(f"  the lesson shows (smaller batches: more updates and more time per epoch): {'yes' if lesson else 'NO'}")
    return {"seconds": seconds, "cells": rows, "lesson": lesson, "fallback": fallback}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"comma-separated, of {', '.join(SECTIONS)}")
    parser.add_argument("--measure", choices=("local", "ray"), help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="the unsupervised sweep on the --quick shop (600 customers)")
    parser.add_argument("--repeat", type=int, default=3, help="timings of each local setting and of Ray; the fastest counts")
    parser.add_argument("--jobs", type=int, default=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.jobs, args.quick)))
        return
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    print(f"bench_sweep on {os.cpu_count()} cores; {load_line()}; the machine may be shared: see the load beside each figure")
    local = section_local(args.quick, max(1, args.repeat)) if "local" in sections else None
    if "ray" in sections:
        section_ray(local, args.quick, max(1, args.repeat))
    if "mnist" in sections:
        section_mnist()


if __name__ == "__main__":
    main()
