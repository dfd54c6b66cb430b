"""What the reinforcement benchmarks share: one job per fresh process, ours and SB3 timed alike, the table.

``bench_reinforcement.py`` (CartPole, tabular) and ``bench_continuous.py``
(Pendulum, LunarLander) both time our paradigm as users run it, watch
Stable-Baselines3 with our own :class:`~paradigms.reinforcement.training.TrainingMonitor`
(the same periodic evaluation and confirmed-solve rule), test every final policy
on the same 100 episodes, and print one row per method.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from machine_load import load_line

ROOT = Path(__file__).resolve().parents[1]


def ours(seed: int, **settings: Any) -> dict[str, Any]:
    """``paradigms.run("reinforcement", ...)`` as users run it (no GIF), and its figures."""
    import warnings

    import paradigms

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "did not reach the threshold": the table says so
        ev = paradigms.run("reinforcement", seed=seed, render=False, **settings)
    m = ev.metrics
    return {
        "final_mean": ev.measure.value,
        "final_std": ev.measure.std,
        "random_mean": ev.measure.baseline,
        "solved_step": m["solved_step"],
        "solved_seconds": m["solved_seconds"],
        "first_reach_step": m["first_reach_step"],
        "first_reach_seconds": m["first_reach_seconds"],
        "train_steps": m["train_steps"],
        "train_seconds": ev.timings["train_seconds"],
        "total_seconds": time.perf_counter() - start,
        "steps_per_second": m["steps_per_second"],
        "agent": m["agent"],
    }


def sb3_adapter(model: Any, normalizer: Any = None) -> Any:
    """An SB3 model seen as our monitor sees an agent: greedy ``predict`` and a policy snapshot.
    ``normalizer``: the VecNormalize whose statistics the policy reads observations through."""
    import copy

    class Adapter:
        def predict(self, observations):
            if normalizer is not None:
                observations = normalizer.normalize_obs(observations)
            return model.predict(observations, deterministic=True)[0]

        def policy_state(self):
            return copy.deepcopy(model.policy.state_dict())

        def load_policy_state(self, state):
            model.policy.load_state_dict(state)

    return Adapter()


def watch_sb3(model: Any, env_id: str, steps: int, *, seed: int, threshold: float, eval_interval: int,
              max_seconds: float = math.inf, normalizer: Any = None) -> dict[str, Any]:
    """Train an SB3 model for ``steps`` (or ``max_seconds``), evaluated as ours are, and test it."""
    import torch
    from stable_baselines3.common.callbacks import BaseCallback

    from paradigms.reinforcement.evaluate import evaluate_policy
    from paradigms.reinforcement.paradigm import derive_seeds
    from paradigms.reinforcement.settings import DEFAULTS
    from paradigms.reinforcement.training import TrainingMonitor

    torch.set_num_threads(1)
    seeds = derive_seeds(seed)
    adapter = sb3_adapter(model, normalizer)
    monitor = TrainingMonitor(
        env_id, threshold=threshold, eval_interval=eval_interval, check_episodes=DEFAULTS.check_episodes,
        confirm_episodes=DEFAULTS.confirm_episodes, stop_on_solve=False, eval_seed=seeds["periodic_eval"],
    )

    class Watch(BaseCallback):
        def _on_step(self) -> bool:
            if monitor.due(self.num_timesteps):
                monitor.evaluate(adapter, self.num_timesteps, 0)
            return monitor.elapsed() < max_seconds  # False stops training

    start = time.perf_counter()
    monitor.start(0)
    model.learn(steps, callback=Watch())
    train_seconds = time.perf_counter() - start
    if normalizer is not None:
        normalizer.training = False
    final = evaluate_policy(adapter.predict, env_id, n_episodes=DEFAULTS.eval_episodes, seed=seeds["test"])
    monitor.close()
    return {
        "final_mean": final.mean,
        "final_std": final.std,
        "solved_step": monitor.solved_step,
        "solved_seconds": monitor.solved_seconds,
        "first_reach_step": monitor.first_reach_step,
        "first_reach_seconds": monitor.first_reach_seconds,
        "train_steps": int(model.num_timesteps),
        "budget_steps": steps,
        "stopped_by_time": int(model.num_timesteps) < steps,
        "train_seconds": train_seconds,
        "steps_per_second": model.num_timesteps / max(train_seconds - monitor.eval_seconds, 1e-9),
    }


def quick_command(seed: int, *options: str) -> dict[str, Any]:
    """``paradigms run reinforcement --quick OPTIONS`` as a user types it: wall seconds with Python's start-up."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "paradigms", "run", "reinforcement", "--quick", *options,
                   "--seed", str(seed), "--out", out]
        code = subprocess.call(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        data = json.loads((Path(out) / "reinforcement.json").read_text()) if code == 0 else {}
    return {
        "exit_code": code,
        "wall_seconds": time.perf_counter() - start,
        "run_seconds": (data.get("timings") or {}).get("total_seconds"),
        "final_mean": (data.get("measure") or {}).get("value"),
        "solved_step": (data.get("metrics") or {}).get("solved_step"),
    }


def run_job(script: str, kind: str, seed: int, arg: str = "") -> dict[str, Any]:
    """Run one job of ``script`` (``--job KIND``) in a fresh Python process and return its JSON result."""
    command = [sys.executable, script, "--job", kind, "--job-seed", str(seed), "--job-arg", arg]
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def print_seed(seed: int, method: str, result: dict[str, Any], digits: int = 1) -> None:
    print(f"  seed {seed} {method:9s} " + ", ".join(f"{k}={fmt(v, digits)}" for k, v in result.items()), flush=True)


def summary_table(results: dict[str, list[dict[str, Any]]], threshold: float) -> dict[str, dict[str, Any]]:
    """One row per method (finals, how many reach the line, confirmed solves and their medians), printed."""
    header = (f"{'method':9s} {'seeds':>9s} {'final returns':44s} {'>=line':>6s} {'solved':>6s} "
              f"{'med. steps':>10s} {'med. s':>7s} {'steps/s':>8s}")
    print(header)
    print("-" * len(header))
    summary = {}
    for method, rows in results.items():
        ok = [r for r in rows if "error" not in r]
        finals = [r["final_mean"] for r in ok]
        solved = [r for r in ok if r.get("solved_step") is not None]
        row = {
            "seeds": [r.get("seed") for r in rows],
            "finals": finals,
            "final_at_least_line": sum(f >= threshold for f in finals),
            "solved": len(solved),
            "median_solved_step": median([r["solved_step"] for r in solved]),
            "median_solved_seconds": median([r["solved_seconds"] for r in solved]),
            "median_steps_per_second": median([r.get("steps_per_second") for r in ok]),
            "median_train_seconds": median([r.get("train_seconds") for r in ok]),
            "errors": [r["error"] for r in rows if "error" in r],
        }
        summary[method] = row
        print(
            f"{method:9s} {','.join(map(str, row['seeds'])):>9s} {' '.join(f'{f:7.1f}' for f in finals):44s}"
            f" {row['final_at_least_line']:>4d}/{len(rows)} {len(solved):>4d}/{len(rows)}"
            f" {fmt(row['median_solved_step'], 0):>10s} {fmt(row['median_solved_seconds']):>7s}"
            f" {fmt(row['median_steps_per_second'], 0):>8s}"
        )
        for error in row["errors"]:
            print(f"    error: {error}")
    return summary


# -- the command line -------------------------------------------------------------------------------


def bench_parser(doc: str, sections: tuple[str, ...]) -> argparse.ArgumentParser:
    """The options both benchmarks take: ``--sections``, ``--seeds``, ``--skip-sb3``, ``--json`` and the
    hidden ``--job`` ones a fresh process of the script is started with (:func:`run_job`)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sections", default=",".join(sections), help=f"comma-separated, from {', '.join(sections)}")
    parser.add_argument("--seeds", default="0,1,2,3,4", help="our seeds, comma-separated (default 0,1,2,3,4)")
    parser.add_argument("--skip-sb3", action="store_true", help="do not run Stable-Baselines3")
    parser.add_argument("--json", type=Path, help="also write all figures to this JSON file")
    parser.add_argument("--job", help=argparse.SUPPRESS)
    parser.add_argument("--job-seed", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--job-arg", default="", help=argparse.SUPPRESS)
    return parser


def seed_list(text: str) -> list[int]:
    return [int(s) for s in text.split(",") if s.strip()]


def chosen_sections(parser: argparse.ArgumentParser, args: argparse.Namespace, sections: tuple[str, ...],
                    need_sb3: bool) -> list[str]:
    """The sections asked for, checked; Stable-Baselines3 checked too where ``need_sb3``; the machine printed."""
    chosen = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(sections))
    if unknown:
        parser.error(f"unknown sections {unknown}: choose from {', '.join(sections)}")
    if need_sb3 and not args.skip_sb3:
        try:
            import stable_baselines3  # noqa: F401
        except ImportError:
            parser.error("stable-baselines3 is not installed: pip install 'learning-paradigms[bench]' or use --skip-sb3")
    print(f"python {sys.version.split()[0]}, {load_line()}")
    return chosen


def write_figures(path: Path | None, figures: dict[str, Any]) -> None:
    """All figures as JSON at ``path`` (none: nothing written)."""
    if path is not None:
        from paradigms.files import write_atomic

        write_atomic(path, json.dumps(figures, indent=2, default=str))
        print(f"\nwrote {path}")
