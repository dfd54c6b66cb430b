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

import json
import sys
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

SECTIONS = ("pendulum", "lunarlander", "lunarcontinuous", "quick")
ENVS = {"pendulum": "Pendulum-v1", "lunarlander": "LunarLander-v3", "lunarcontinuous": "LunarLanderContinuous-v3"}
THRESHOLDS = {"Pendulum-v1": -200.0, "LunarLander-v3": 200.0, "LunarLanderContinuous-v3": 200.0}
#: Steps between SB3's periodic evaluations (about 10 to 50 over its budget); ours evaluate as a
#: user's run does (the budget divided by the agent's evaluations: SAC on Pendulum every 1,000 steps).
EVAL_INTERVAL = {
    ("sac", "Pendulum-v1"): 1000, ("ppo", "Pendulum-v1"): 2000, ("dqn", "LunarLander-v3"): 10_000,
    ("sac", "LunarLanderContinuous-v3"): 10_000,
}


# -- jobs (each runs in its own process) -------------------------------------------------------


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
    model, steps, normalizer = _sb3_model(algo, env_id, seed)
    return watch_sb3(model, env_id, steps, seed=seed, threshold=THRESHOLDS[env_id],
                     eval_interval=EVAL_INTERVAL[algo, env_id], max_seconds=max_seconds, normalizer=normalizer)


def _job(kind: str, seed: int, arg: str) -> dict[str, Any]:
    if kind == "ours":
        env, agent = arg.split(":")
        return ours(seed, env=env, agent=agent)
    if kind == "sb3":
        env, algo, max_seconds = arg.split(":")
        return job_sb3(seed, env, algo, float(max_seconds))
    return quick_command(seed, "--env", "Pendulum-v1")


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
            result = {"seed": seed, **run_job(__file__, kind, seed, arg)}
            results[method].append(result)
            print_seed(seed, method, result)
    print(f"\n{env_id}: final = 100 greedy test episodes; solve = first confirmed (10, then 100 episodes >= {threshold:g})")
    summary = summary_table(results, threshold)
    return {"per_seed": results, "summary": summary}


def main() -> None:
    parser = bench_parser(__doc__, SECTIONS)
    parser.add_argument("--sb3-seeds", default="0", help="Stable-Baselines3's seeds (default 0: it is slow)")
    parser.add_argument("--sb3-max-seconds", type=float, default=900.0,
                        help="stop a Stable-Baselines3 run after this many seconds of training (default 900)")
    args = parser.parse_args()
    if args.job:
        print(json.dumps(_job(args.job, args.job_seed, args.job_arg)))
        return
    seeds, sb3_seeds = seed_list(args.seeds), seed_list(args.sb3_seeds)
    sections = chosen_sections(parser, args, SECTIONS, need_sb3=True)
    figures: dict[str, Any] = {}
    for name in sections:
        if name == "quick":
            print("\n== --quick on Pendulum-v1 ==")
            result = run_job(__file__, "quick", seeds[0])
            print(f"paradigms run reinforcement --quick --env Pendulum-v1: {fmt(result.get('wall_seconds'))} s with "
                  f"Python start-up, {fmt(result.get('run_seconds'))} s of run (target < 15 s); final return "
                  f"{fmt(result.get('final_mean'))}, solved at step {fmt(result.get('solved_step'))}")
            figures["quick"] = result
            continue
        print(f"\n== {ENVS[name]}: ours vs Stable-Baselines3 (RL Zoo settings) ==")
        figures[name] = section(name, seeds, sb3_seeds, args.sb3_max_seconds, args.skip_sb3)
    write_figures(args.json, figures)


if __name__ == "__main__":
    main()
