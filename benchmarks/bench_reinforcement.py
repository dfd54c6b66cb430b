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

import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rl_common import (  # noqa: E402
    bench_parser,
    chosen_sections,
    fmt,
    ours,
    print_seed,
    quick_command,
    run_job,
    seed_list,
    summary_table,
    watch_sb3,
    write_figures,
)

SECTIONS = ("cartpole", "tabular", "quick")
THRESHOLD = 475.0
EVAL_INTERVAL = 2000


# -- jobs (each runs in its own process) -------------------------------------------------------


def job_sb3(seed: int, algo: str) -> dict[str, Any]:
    from stable_baselines3 import DQN, PPO
    from stable_baselines3.common.env_util import make_vec_env

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
    return watch_sb3(model, "CartPole-v1", steps, seed=seed, threshold=THRESHOLD, eval_interval=EVAL_INTERVAL)


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
        check_episodes=ev.config["check_episodes"], confirm_episodes=ev.config["confirm_episodes"],
        eval_seed=m["seeds"]["periodic_eval"],
    )
    agent.learn(m["budget_steps"], monitor=monitor)
    check = agent.evaluate(ev.config["eval_episodes"], seed=m["seeds"]["test"]).mean
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


JOBS = {
    "ours": lambda seed, arg: ours(seed, agent=arg or "auto"),
    "sb3": lambda seed, arg: job_sb3(seed, arg),
    "tabular": lambda seed, arg: job_tabular(seed, arg),
    "quick": lambda seed, arg: quick_command(seed),
}


# -- the tables -----------------------------------------------------------------------------------


def cartpole(seeds: list[int], skip_sb3: bool) -> dict[str, Any]:
    methods = ["ours", "ours-dqn"] + ([] if skip_sb3 else ["sb3-dqn", "sb3-ppo"])
    results: dict[str, list[dict[str, Any]]] = {m: [] for m in methods}
    for seed in seeds:
        for method in methods:
            kind, arg = {"ours": ("ours", "auto"), "ours-dqn": ("ours", "dqn")}.get(
                method, ("sb3", method.split("-")[-1])
            )
            result = {"seed": seed, **run_job(__file__, kind, seed, arg)}
            results[method].append(result)
            print_seed(seed, method, result)
    print("\nCartPole-v1: final = 100 greedy test episodes; solve = first confirmed (10 then 100 episodes >= 475)")
    summary = summary_table(results, THRESHOLD)
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
            result = run_job(__file__, "tabular", seed, env)
            rows.append(result)
            print_seed(seed, env, result, digits=3)
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
    result = run_job(__file__, "quick", seeds[0])
    print(f"paradigms run reinforcement --quick: {fmt(result.get('wall_seconds'))} s with Python start-up, "
          f"{fmt(result.get('run_seconds'))} s of run (target < 15 s); final return {fmt(result.get('final_mean'))}")
    return result


def main() -> None:
    parser = bench_parser(__doc__, SECTIONS)
    args = parser.parse_args()
    if args.job:
        print(json.dumps(JOBS[args.job](args.job_seed, args.job_arg)))
        return
    seeds = seed_list(args.seeds)
    sections = chosen_sections(parser, args, SECTIONS, need_sb3="cartpole" in args.sections)
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
    write_figures(args.json, figures)


if __name__ == "__main__":
    main()
