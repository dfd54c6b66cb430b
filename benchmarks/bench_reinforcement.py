"""The reinforcement paradigm against its targets and against Stable-Baselines3 (RL Zoo settings).

    python benchmarks/bench_reinforcement.py                 # everything (about 5-10 minutes)
    python benchmarks/bench_reinforcement.py --skip-sb3      # ours only (about a minute)
    python benchmarks/bench_reinforcement.py --sections tabular
    python benchmarks/bench_reinforcement.py --seeds 0,1,2 --json results/bench_rl.json

Sections (each job runs in a fresh process, so that imports, threads and
memory of one never help or hurt another; the jobs of each seed run one after
the other, so a busy machine slows them alike):

* ``cartpole``: our default (``paradigms.run("reinforcement")``: CartPole-v1,
  the default agent, 60,000 steps at most, early stop on a confirmed solve)
  on 5 seeds, and our DQN the same way (``agent="dqn"``, "ours-dqn"); beside
  them Stable-Baselines3 DQN (50,000 steps) and PPO (100,000 steps, 8 envs)
  with the RL Zoo hyper-parameters for CartPole-v1, on the same seeds. All three are watched with the same protocol: every 2,000 steps 10
  greedy episodes, and when they reach 475 a confirming 100 more (our
  ``TrainingMonitor``); "solve" is the first confirmed one, its seconds
  counted from the start of training, evaluations included. All three then
  get the same final evaluation: 100 greedy episodes from the run's test seed
  (ours: the policy it kept; SB3: its final model, which is what SB3 returns).
  Targets: >= 475 for at least 4 of 5 seeds within 60,000 steps; our median
  seconds to a confirmed solve below SB3 DQN's (stretch: below SB3 PPO's).
  SB3 runs with one PyTorch thread, like ours (faster for these tiny nets).
* ``tabular``: Q-learning on FrozenLake-v1 (slippery 4x4) and Taxi-v4 with
  the defaults, 5 seeds: the greedy success rate / mean return over the
  run's 100 test episodes and over 1,000 more (FrozenLake's optimal policy
  succeeds 74 % of the time, so 100 episodes alone land below 0.70 about one
  time in seven even for a perfect agent), with the seconds per run.
  Targets: FrozenLake >= 0.70, Taxi >= 7.0, each in under 5 s.
* ``quick``: ``paradigms run reinforcement --quick`` (target: under 15 s).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

SECTIONS = ("cartpole", "tabular", "quick")
THRESHOLD = 475.0
EVAL_INTERVAL = 2000
ROOT = Path(__file__).resolve().parents[1]


# -- jobs (each runs in its own process) -------------------------------------------------------


def job_ours(seed: int, agent: str = "auto") -> dict[str, Any]:
    import paradigms

    start = time.perf_counter()
    ev = paradigms.run("reinforcement", seed=seed, agent=agent, render=False)
    wall = time.perf_counter() - start
    m = ev.metrics
    return {
        "final_mean": ev.measure.value,
        "final_std": ev.measure.std,
        "random_mean": ev.measure.baseline,
        "solved_step": m["solved_step"],
        "solved_seconds": m["solved_seconds"],
        "first_reach_step": m["first_reach_step"],
        "train_steps": m["train_steps"],
        "train_seconds": ev.timings["train_seconds"],
        "total_seconds": wall,
        "steps_per_second": m["steps_per_second"],
        "agent": m["agent"],
    }


def _sb3_adapter(model):
    """What TrainingMonitor needs from an agent, for an SB3 model."""
    import copy

    class Adapter:
        def predict(self, observations):
            return model.predict(observations, deterministic=True)[0]

        def policy_state(self):
            return copy.deepcopy(model.policy.state_dict())

        def load_policy_state(self, state):
            model.policy.load_state_dict(state)

    return Adapter()


def job_sb3(seed: int, algo: str) -> dict[str, Any]:
    import torch
    from stable_baselines3 import DQN, PPO
    from stable_baselines3.common.callbacks import BaseCallback
    from stable_baselines3.common.env_util import make_vec_env

    from paradigms.reinforcement.evaluate import evaluate_policy
    from paradigms.reinforcement.paradigm import derive_seeds
    from paradigms.reinforcement.training import TrainingMonitor

    torch.set_num_threads(1)
    seeds = derive_seeds(seed)

    def linear(initial: float):
        return lambda progress_remaining: progress_remaining * initial

    if algo == "dqn":
        steps = 50_000
        env = make_vec_env("CartPole-v1", n_envs=1, seed=seed)
        model = DQN(
            "MlpPolicy", env, learning_rate=2.3e-3, batch_size=64, buffer_size=100_000,
            learning_starts=1000, gamma=0.99, target_update_interval=10, train_freq=256,
            gradient_steps=128, exploration_fraction=0.16, exploration_final_eps=0.04,
            policy_kwargs={"net_arch": [256, 256]}, seed=seed, device="cpu", verbose=0,
        )
    else:
        steps = 100_000
        env = make_vec_env("CartPole-v1", n_envs=8, seed=seed)
        model = PPO(
            "MlpPolicy", env, n_steps=32, batch_size=256, gae_lambda=0.8, gamma=0.98, n_epochs=20,
            ent_coef=0.0, learning_rate=linear(1e-3), clip_range=linear(0.2), seed=seed,
            device="cpu", verbose=0,
        )
    monitor = TrainingMonitor(
        "CartPole-v1", threshold=THRESHOLD, eval_interval=EVAL_INTERVAL, eval_episodes=10,
        confirm_episodes=100, stop_on_solve=False, eval_seed=seeds["periodic_eval"],
    )
    adapter = _sb3_adapter(model)

    class Watch(BaseCallback):
        def _on_step(self) -> bool:
            if monitor.due(self.num_timesteps):
                monitor.evaluate(adapter, self.num_timesteps, 0)
            return True

    start = time.perf_counter()
    monitor.start(0)
    model.learn(steps, callback=Watch())
    train_seconds = time.perf_counter() - start
    final = evaluate_policy(adapter.predict, "CartPole-v1", n_episodes=100, seed=seeds["test"])
    monitor.close()
    return {
        "final_mean": final.mean,
        "final_std": final.std,
        "solved_step": monitor.solved_step,
        "solved_seconds": monitor.solved_seconds,
        "first_reach_step": monitor.first_reach_step,
        "train_steps": steps,
        "train_seconds": train_seconds,
        "steps_per_second": steps / max(train_seconds - monitor.eval_seconds, 1e-9),
    }


def job_tabular(seed: int, env: str) -> dict[str, Any]:
    import paradigms
    from paradigms.reinforcement.agents import agent_class
    from paradigms.reinforcement.evaluate import evaluate_policy
    from paradigms.reinforcement.training import TrainingMonitor

    # Time the paradigm as users run it; then train the same agent again from the
    # same seed (training is deterministic: "rebuilt_matches" checks it) to test
    # its policy on 1,000 more episodes.
    start = time.perf_counter()
    ev = paradigms.run("reinforcement", seed=seed, env=env, render=False)
    wall = time.perf_counter() - start
    m = ev.metrics
    agent = agent_class(m["agent"])(**m["agent_params"])
    monitor = TrainingMonitor(
        env, threshold=m["threshold"], eval_interval=m["eval_interval"],
        eval_episodes=ev.config["check_episodes"], confirm_episodes=ev.config["confirm_episodes"],
        eval_seed=m["seeds"]["periodic_eval"],
    )
    agent.learn(m["budget_steps"], monitor=monitor)
    check = agent.evaluate(100, seed=m["seeds"]["test"]).mean
    more = evaluate_policy(agent.predict, env, n_episodes=1000, seed=m["seeds"]["test"] + 10_007).mean
    return {
        "final_mean": ev.measure.value,
        "rebuilt_matches": abs(check - ev.measure.value) < 1e-9,
        "mean_1000": more,
        "random_mean": ev.measure.baseline,
        "train_steps": m["train_steps"],
        "solved_step": m["solved_step"],
        "train_seconds": ev.timings["train_seconds"],
        "run_seconds": ev.timings["total_seconds"],
        "total_seconds": wall,
    }


def job_quick(seed: int) -> dict[str, Any]:
    import tempfile

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        code = subprocess.call(
            [sys.executable, "-m", "paradigms", "run", "reinforcement", "--quick", "--seed", str(seed), "--out", out],
            stdout=subprocess.DEVNULL, cwd=ROOT,
        )
        data = json.loads((Path(out) / "reinforcement.json").read_text()) if code == 0 else {}
    return {
        "exit_code": code,
        "wall_seconds": time.perf_counter() - start,
        "run_seconds": (data.get("timings") or {}).get("total_seconds"),
        "final_mean": (data.get("measure") or {}).get("value"),
    }


JOBS = {
    "ours": lambda seed, arg: job_ours(seed, arg or "auto"),
    "sb3": lambda seed, arg: job_sb3(seed, arg),
    "tabular": lambda seed, arg: job_tabular(seed, arg),
    "quick": lambda seed, arg: job_quick(seed),
}


def run_job(kind: str, seed: int, arg: str = "") -> dict[str, Any]:
    """Run one job in a fresh Python process and return its JSON result."""
    command = [sys.executable, __file__, "--job", kind, "--job-seed", str(seed), "--job-arg", arg]
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the table ------------------------------------------------------------------------------------


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def cartpole(seeds: list[int], skip_sb3: bool) -> dict[str, Any]:
    methods = ["ours", "ours-dqn"] + ([] if skip_sb3 else ["sb3-dqn", "sb3-ppo"])
    results: dict[str, list[dict[str, Any]]] = {m: [] for m in methods}
    for seed in seeds:
        for method in methods:
            kind, arg = {"ours": ("ours", "auto"), "ours-dqn": ("ours", "dqn")}.get(
                method, ("sb3", method.split("-")[-1])
            )
            result = run_job(kind, seed, arg)
            results[method].append(result)
            print(f"  seed {seed} {method:8s} " + ", ".join(f"{k}={_fmt(v)}" for k, v in result.items()), flush=True)
    print("\nCartPole-v1, 5 seeds: final = 100 greedy test episodes; solve = first confirmed (10 then 100 episodes >= 475)")
    header = f"{'method':10s} {'final returns':38s} {'>=475':>6s} {'solved':>7s} {'median steps':>13s} {'median s':>9s} {'steps/s':>8s}"
    print(header)
    print("-" * len(header))
    summary = {}
    for method, rows in results.items():
        ok = [r for r in rows if "error" not in r]
        finals = [r["final_mean"] for r in ok]
        solved = [r for r in ok if r.get("solved_step") is not None]
        row = {
            "finals": finals,
            "final_at_least_475": sum(f >= THRESHOLD for f in finals),
            "solved": len(solved),
            "median_solved_step": _median([r["solved_step"] for r in solved]),
            "median_solved_seconds": _median([r["solved_seconds"] for r in solved]),
            "median_steps_per_second": _median([r.get("steps_per_second") for r in ok]),
            "errors": [r["error"] for r in rows if "error" in r],
        }
        summary[method] = row
        print(
            f"{method:10s} {' '.join(f'{f:6.1f}' for f in finals):38s} {row['final_at_least_475']:>4d}/{len(rows)}"
            f" {len(solved):>5d}/{len(rows)} {_fmt(row['median_solved_step'], 0):>13s}"
            f" {_fmt(row['median_solved_seconds']):>9s} {_fmt(row['median_steps_per_second'], 0):>8s}"
        )
    if "sb3-dqn" in summary:
        ours, dqn, ppo = (summary[m]["median_solved_seconds"] for m in ("ours", "sb3-dqn", "sb3-ppo"))
        if ours is not None and dqn is not None:
            print(f"\nour median seconds to a confirmed solve / SB3 DQN's: {ours / dqn:.2f}")
        if ours is not None and ppo is not None:
            print(f"our median seconds to a confirmed solve / SB3 PPO's: {ours / ppo:.2f}")
    return {"per_seed": results, "summary": summary}


def tabular(seeds: list[int]) -> dict[str, Any]:
    out = {}
    for env, target, unit in (("FrozenLake-v1", 0.70, "success rate"), ("Taxi-v4", 7.0, "mean return")):
        rows = []
        for seed in seeds:
            result = run_job("tabular", seed, env)
            rows.append(result)
            print(f"  seed {seed} {env:14s} " + ", ".join(f"{k}={_fmt(v, 3)}" for k, v in result.items()), flush=True)
        ok = [r for r in rows if "error" not in r]
        print(
            f"{env}: {unit} over 100 test episodes {[round(r['final_mean'], 3) for r in ok]}, "
            f"over 1,000 more {[round(r['mean_1000'], 3) for r in ok]} (target >= {target}); "
            f"seconds per run {[round(r['total_seconds'], 2) for r in ok]} (target < 5; of which training "
            f"{[round(r['train_seconds'], 2) for r in ok]}; the rest: evaluation, the random policy's 100 "
            "episodes, and importing PyTorch in seed_everything)"
        )
        out[env] = rows
    return out


def quick(seeds: list[int]) -> dict[str, Any]:
    result = run_job("quick", seeds[0])
    print(f"paradigms run reinforcement --quick: {_fmt(result.get('wall_seconds'))} s with Python start-up, "
          f"{_fmt(result.get('run_seconds'))} s of run (target < 15 s); final return {_fmt(result.get('final_mean'))}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"comma-separated, from {', '.join(SECTIONS)}")
    parser.add_argument("--seeds", default="0,1,2,3,4", help="comma-separated seeds (default 0,1,2,3,4)")
    parser.add_argument("--skip-sb3", action="store_true", help="do not run Stable-Baselines3")
    parser.add_argument("--json", type=Path, help="also write all figures to this JSON file")
    parser.add_argument("--job", help=argparse.SUPPRESS)
    parser.add_argument("--job-seed", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--job-arg", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.job:
        print(json.dumps(JOBS[args.job](args.job_seed, args.job_arg)))
        return
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown sections {unknown}: choose from {', '.join(SECTIONS)}")
    if not args.skip_sb3 and "cartpole" in sections:
        try:
            import stable_baselines3  # noqa: F401
        except ImportError:
            parser.error("stable-baselines3 is not installed: pip install 'learning-paradigms[bench]' or use --skip-sb3")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    figures: dict[str, Any] = {}
    if "cartpole" in sections:
        print("\n== CartPole-v1: ours vs Stable-Baselines3 (RL Zoo settings) ==")
        figures["cartpole"] = cartpole(seeds, args.skip_sb3)
    if "tabular" in sections:
        print("\n== Q-learning: FrozenLake-v1 (slippery) and Taxi-v4 ==")
        figures["tabular"] = tabular(seeds)
    if "quick" in sections:
        print("\n== --quick ==")
        figures["quick"] = quick(seeds)
    if args.json:
        from paradigms.evaluation import write_atomic

        write_atomic(args.json, json.dumps(figures, indent=2, default=str))
        print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
