"""Continuous actions and the Box2D environments: ours against Stable-Baselines3 with the RL Zoo settings.

    python benchmarks/bench_continuous.py                          # everything (hours on 2 loaded cores)
    python benchmarks/bench_continuous.py --skip-sb3               # ours only
    python benchmarks/bench_continuous.py --sections pendulum --seeds 0,1,2,3,4 --sb3-seeds 0
    python benchmarks/bench_continuous.py --json results/bench_continuous.json

Sections (each job runs in a fresh process, one after the other, so a busy
machine slows every method alike):

* ``pendulum``: Pendulum-v1 (no registered threshold; the commonly used solved
  line -200, ``environments.SOLVED_LINES``). Ours: ``paradigms.run`` with
  ``--agent auto`` (SAC) and, named, our Gaussian PPO. SB3: SAC with the RL
  Zoo's settings (20,000 steps, learning rate 1e-3, the rest SB3's defaults:
  256x256 networks, batch 256, one gradient step per step) and PPO with the Zoo's
  (4 envs, 1024 steps, gSDE, VecNormalize, 100,000 steps).
  Targets: mean return >= -200 over 100 episodes for >= 4 of 5 seeds; median
  seconds to a confirmed solve below SB3 SAC's (stretch: below SB3 PPO's).
* ``lunarlander``: LunarLander-v3 (discrete actions). Ours: ``--agent auto``.
  SB3: DQN with the Zoo's settings (100,000 steps, 256x256).
  Target: >= 200 for >= 3 of 5 seeds in less wall-clock than SB3 DQN's 1e5 steps.
* ``lunarcontinuous``: LunarLanderContinuous-v3. Ours: ``--agent auto`` (SAC).
  SB3: SAC with the Zoo's settings (400x300 networks, 10,000 random steps first,
  500,000 steps), stopped after ``--sb3-max-seconds`` (it runs at tens of steps
  a second here). Target: >= 200 for >= 3 of 5 seeds, SB3's figures beside.
* ``quick``: ``paradigms run reinforcement --quick --env Pendulum-v1`` (target: under 15 s).

Every method is watched with the same protocol (our ``TrainingMonitor``): every
few thousand steps (``EVAL_INTERVAL`` for SB3) 10 greedy episodes, and when they reach the solved line
100 more confirm it; "solve" is the first confirmed one, its seconds counted from
the start of training, evaluations included. Ours stop there (the run's default);
SB3 runs its full budget and returns its final model. All get the same final
evaluation: 100 greedy episodes from the run's test seed. One PyTorch thread each.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_reinforcement import _fmt, _median, _sb3_adapter  # noqa: E402

SECTIONS = ("pendulum", "lunarlander", "lunarcontinuous", "quick")
ROOT = Path(__file__).resolve().parents[1]
ENVS = {"pendulum": "Pendulum-v1", "lunarlander": "LunarLander-v3", "lunarcontinuous": "LunarLanderContinuous-v3"}
THRESHOLDS = {"Pendulum-v1": -200.0, "LunarLander-v3": 200.0, "LunarLanderContinuous-v3": 200.0}
#: Steps between SB3's periodic evaluations (about 10 to 50 over its budget); ours evaluate as a
#: user's run does (the budget divided by the agent's evaluations: SAC on Pendulum every 1,000 steps).
EVAL_INTERVAL = {
    ("sac", "Pendulum-v1"): 1000, ("ppo", "Pendulum-v1"): 2000, ("dqn", "LunarLander-v3"): 10_000,
    ("sac", "LunarLanderContinuous-v3"): 10_000,
}


# -- jobs (each runs in its own process) -------------------------------------------------------


def job_ours(seed: int, env: str, agent: str) -> dict[str, Any]:
    import warnings

    import paradigms

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "did not reach the threshold": the table says so
        ev = paradigms.run("reinforcement", seed=seed, env=env, agent=agent, render=False)
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


def _sb3_model(algo: str, env_id: str, seed: int):
    """SB3 with the RL Zoo's hyper-parameters for (algo, env_id), and its step budget."""
    from stable_baselines3 import DQN, PPO, SAC
    from stable_baselines3.common.env_util import make_vec_env
    from stable_baselines3.common.vec_env import VecNormalize

    if (algo, env_id) == ("sac", "Pendulum-v1"):
        env = make_vec_env(env_id, n_envs=1, seed=seed)
        return SAC("MlpPolicy", env, learning_rate=1e-3, seed=seed, device="cpu"), 20_000, None
    if (algo, env_id) == ("ppo", "Pendulum-v1"):
        env = VecNormalize(make_vec_env(env_id, n_envs=4, seed=seed), gamma=0.9)
        model = PPO(
            "MlpPolicy", env, n_steps=1024, gae_lambda=0.95, gamma=0.9, n_epochs=10, ent_coef=0.0,
            learning_rate=1e-3, clip_range=0.2, use_sde=True, sde_sample_freq=4, seed=seed, device="cpu",
        )
        return model, 100_000, env
    if (algo, env_id) == ("dqn", "LunarLander-v3"):
        env = make_vec_env(env_id, n_envs=1, seed=seed)
        model = DQN(
            "MlpPolicy", env, learning_rate=6.3e-4, batch_size=128, buffer_size=50_000, learning_starts=0,
            gamma=0.99, target_update_interval=250, train_freq=4, gradient_steps=-1, exploration_fraction=0.12,
            exploration_final_eps=0.1, policy_kwargs={"net_arch": [256, 256]}, seed=seed, device="cpu",
        )
        return model, 100_000, None
    if (algo, env_id) == ("sac", "LunarLanderContinuous-v3"):
        env = make_vec_env(env_id, n_envs=1, seed=seed)
        model = SAC(
            "MlpPolicy", env, learning_rate=7.3e-4, buffer_size=1_000_000, batch_size=256, ent_coef="auto",
            gamma=0.99, tau=0.01, train_freq=1, gradient_steps=1, learning_starts=10_000,
            policy_kwargs={"net_arch": [400, 300]}, seed=seed, device="cpu",
        )
        return model, 500_000, None
    raise ValueError(f"no RL Zoo settings here for {algo} on {env_id}")


def job_sb3(seed: int, env_id: str, algo: str, max_seconds: float) -> dict[str, Any]:
    import torch
    from stable_baselines3.common.callbacks import BaseCallback

    from paradigms.reinforcement.evaluate import evaluate_policy
    from paradigms.reinforcement.paradigm import derive_seeds
    from paradigms.reinforcement.training import TrainingMonitor

    torch.set_num_threads(1)
    seeds = derive_seeds(seed)
    model, steps, normalizer = _sb3_model(algo, env_id, seed)
    adapter = _sb3_adapter(model)
    if normalizer is not None:  # PPO reads observations through VecNormalize's statistics

        def predict(observations):
            return model.predict(normalizer.normalize_obs(observations), deterministic=True)[0]

        adapter.predict = predict
    monitor = TrainingMonitor(
        env_id, threshold=THRESHOLDS[env_id], eval_interval=EVAL_INTERVAL[algo, env_id], eval_episodes=10,
        confirm_episodes=100, stop_on_solve=False, eval_seed=seeds["periodic_eval"],
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
    final = evaluate_policy(adapter.predict, env_id, n_episodes=100, seed=seeds["test"])
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


def job_quick(seed: int) -> dict[str, Any]:
    import tempfile

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "paradigms", "run", "reinforcement", "--quick", "--env", "Pendulum-v1",
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


def _job(kind: str, seed: int, arg: str) -> dict[str, Any]:
    if kind == "ours":
        env, agent = arg.split(":")
        return job_ours(seed, env, agent)
    if kind == "sb3":
        env, algo, max_seconds = arg.split(":")
        return job_sb3(seed, env, algo, float(max_seconds))
    return job_quick(seed)


def run_job(kind: str, seed: int, arg: str = "") -> dict[str, Any]:
    """Run one job in a fresh Python process and return its JSON result."""
    command = [sys.executable, __file__, "--job", kind, "--job-seed", str(seed), "--job-arg", arg]
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the tables -----------------------------------------------------------------------------------


def section(name: str, seeds: list[int], sb3_seeds: list[int], max_seconds: float, ours_only: bool) -> dict[str, Any]:
    env_id = ENVS[name]
    threshold = THRESHOLDS[env_id]
    methods: dict[str, tuple[str, str, list[int]]] = {"ours": ("ours", f"{env_id}:auto", seeds)}
    if name == "pendulum":
        methods["ours-ppo"] = ("ours", f"{env_id}:ppo", seeds)
    if not ours_only:
        for algo in {"pendulum": ("sac", "ppo"), "lunarlander": ("dqn",), "lunarcontinuous": ("sac",)}[name]:
            methods[f"sb3-{algo}"] = ("sb3", f"{env_id}:{algo}:{max_seconds}", sb3_seeds)
    results: dict[str, list[dict[str, Any]]] = {m: [] for m in methods}
    for seed in sorted(set(seeds) | set(sb3_seeds)):
        for method, (kind, arg, method_seeds) in methods.items():
            if seed not in method_seeds:
                continue
            result = {"seed": seed, **run_job(kind, seed, arg)}
            results[method].append(result)
            print(f"  seed {seed} {method:9s} " + ", ".join(f"{k}={_fmt(v)}" for k, v in result.items()), flush=True)
    print(f"\n{env_id}: final = 100 greedy test episodes; solve = first confirmed (10, then 100 episodes >= {threshold:g})")
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
            "seeds": [r["seed"] for r in rows],
            "finals": finals,
            "final_at_least_line": sum(f >= threshold for f in finals),
            "solved": len(solved),
            "median_solved_step": _median([r["solved_step"] for r in solved]),
            "median_solved_seconds": _median([r["solved_seconds"] for r in solved]),
            "median_steps_per_second": _median([r.get("steps_per_second") for r in ok]),
            "median_train_seconds": _median([r.get("train_seconds") for r in ok]),
            "errors": [r["error"] for r in rows if "error" in r],
        }
        summary[method] = row
        print(
            f"{method:9s} {','.join(map(str, row['seeds'])):>9s} {' '.join(f'{f:7.1f}' for f in finals):44s}"
            f" {row['final_at_least_line']:>4d}/{len(rows)} {len(solved):>4d}/{len(rows)}"
            f" {_fmt(row['median_solved_step'], 0):>10s} {_fmt(row['median_solved_seconds']):>7s}"
            f" {_fmt(row['median_steps_per_second'], 0):>8s}"
        )
        for error in row["errors"]:
            print(f"    error: {error}")
    return {"per_seed": results, "summary": summary}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"comma-separated, from {', '.join(SECTIONS)}")
    parser.add_argument("--seeds", default="0,1,2,3,4", help="our seeds (default 0,1,2,3,4)")
    parser.add_argument("--sb3-seeds", default="0", help="Stable-Baselines3's seeds (default 0: it is slow)")
    parser.add_argument("--sb3-max-seconds", type=float, default=900.0,
                        help="stop a Stable-Baselines3 run after this many seconds of training (default 900)")
    parser.add_argument("--skip-sb3", action="store_true", help="do not run Stable-Baselines3")
    parser.add_argument("--json", type=Path, help="also write all figures to this JSON file")
    parser.add_argument("--job", help=argparse.SUPPRESS)
    parser.add_argument("--job-seed", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--job-arg", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.job:
        print(json.dumps(_job(args.job, args.job_seed, args.job_arg)))
        return
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    sb3_seeds = [int(s) for s in args.sb3_seeds.split(",") if s.strip()]
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown sections {unknown}: choose from {', '.join(SECTIONS)}")
    if not args.skip_sb3:
        try:
            import stable_baselines3  # noqa: F401
        except ImportError:
            parser.error("stable-baselines3 is not installed: pip install 'learning-paradigms[bench]' or use --skip-sb3")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    figures: dict[str, Any] = {}
    for name in sections:
        if name == "quick":
            print("\n== --quick on Pendulum-v1 ==")
            result = run_job("quick", seeds[0])
            print(f"paradigms run reinforcement --quick --env Pendulum-v1: {_fmt(result.get('wall_seconds'))} s with "
                  f"Python start-up, {_fmt(result.get('run_seconds'))} s of run (target < 15 s); final return "
                  f"{_fmt(result.get('final_mean'))}, solved at step {_fmt(result.get('solved_step'))}")
            figures["quick"] = result
            continue
        print(f"\n== {ENVS[name]}: ours vs Stable-Baselines3 (RL Zoo settings) ==")
        figures[name] = section(name, seeds, sb3_seeds, args.sb3_max_seconds, args.skip_sb3)
    if args.json:
        from paradigms.evaluation import write_atomic

        write_atomic(args.json, json.dumps(figures, indent=2, default=str))
        print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
