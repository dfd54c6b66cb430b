"""Agents that learn from rewards, step by step.

    python examples/reinforcement_agent.py                 # about half a minute
    python examples/reinforcement_agent.py --quick         # a few seconds, smaller budgets
    python examples/reinforcement_agent.py --out results/rl --seed 3

1. **A table**: tabular Q-learning crosses the slippery FrozenLake. Its states
   are the 16 squares, so a 16 x 4 table of action values is all it learns;
   the greedy policy is printed as arrows, and compared with random moves.
2. **A network**: CartPole's state is four real numbers, so no table fits;
   PPO learns a policy network instead, stops once the pole stays up for a
   confirmed 475+ steps on average, and is evaluated on 100 fresh episodes.
3. **Keep it**: the agent is saved (settings JSON + weights, nothing pickled),
   loaded back, and shown to act identically; a greedy episode is rendered
   headless to an animated GIF.
4. **The toolkit's view**: the same through ``paradigms.run("reinforcement")``,
   which reports T, P and E, carries the GIF among its pictures, and draws
   the return curve and a frame strip.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import paradigms
from paradigms.evaluation import write_atomic
from paradigms.reinforcement import (
    PPOAgent,
    QLearningAgent,
    TrainingMonitor,
    evaluate_policy,
    load_agent,
    random_policy,
    record_rollout,
)
from paradigms.reinforcement.plots import figures

ARROWS = "<v>^"  # FrozenLake's actions: left, down, right, up


def frozen_lake(seed: int, steps: int) -> None:
    print("1. Q-learning on FrozenLake-v1 (slippery: a move goes sideways 2 times in 3)")
    agent = QLearningAgent("FrozenLake-v1", learning_rate=0.1, gamma=0.99, exploration_fraction=0.5, seed=seed)
    agent.learn(steps)
    trained = agent.evaluate(1000, seed=seed + 1)
    floor = evaluate_policy(random_policy(4, seed=seed), "FrozenLake-v1", n_episodes=1000, seed=seed + 1)
    print(f"   after {agent.steps_done_:,} steps ({agent.episodes_done_:,} episodes, {agent.train_seconds_:.1f} s):")
    print(f"   greedy success rate {trained.mean:.3f} over 1,000 episodes; random moves {floor.mean:.3f}")
    print("   the greedy policy (S start, H hole, G goal):")
    lake = ["SFFF", "FHFH", "FFFH", "HFFG"]
    policy = agent.q_table_.argmax(axis=1).reshape(4, 4)
    for row, cells in enumerate(lake):
        print("     " + " ".join(c if c in "HG" else ARROWS[policy[row, col]] for col, c in enumerate(cells)))


def cartpole(seed: int, steps: int, out: Path) -> None:
    print("\n2. PPO on CartPole-v1 (+1 per step the pole stays up, at most 500)")
    agent = PPOAgent("CartPole-v1", seed=seed)
    monitor = TrainingMonitor("CartPole-v1", threshold=475, eval_interval=2000, eval_seed=seed + 10)
    agent.learn(steps, monitor=monitor)
    for point in monitor.points:
        confirmed = f", confirmed on 100: {point.confirmed_mean:.1f}" if point.confirmed_mean is not None else ""
        print(f"   step {point.step:6,}: mean return of 10 greedy episodes {point.mean:6.1f}{confirmed}")
    if monitor.solved:
        print(f"   solved (confirmed) after {monitor.solved_step:,} steps and {monitor.solved_seconds:.1f} s")
    else:
        print(f"   not solved within {steps:,} steps; keeping the best policy (step {monitor.best_step})")
    test = agent.evaluate(100, seed=seed + 99)
    print(f"   100 fresh test episodes: {test}")

    print("\n3. save, load, act alike, render")
    folder = agent.save(out / "cartpole-ppo")
    same = load_agent(folder)
    rng = np.random.default_rng(seed)
    observations = rng.uniform(-0.2, 0.2, size=(256, 4)).astype(np.float32)
    agree = (same.predict(observations) == agent.predict(observations)).mean()
    print(f"   saved to {folder}/ ({', '.join(sorted(p.name for p in folder.iterdir()))}); "
          f"loaded agent agrees on {agree:.0%} of 256 states")
    clip = record_rollout(agent.predict, "CartPole-v1", seed=seed, max_frames=48)
    gif = write_atomic(out / "cartpole.gif", clip.gif)
    print(f"   a greedy episode: return {clip.episode_return:.0f} in {clip.length} steps -> {gif} "
          f"({len(clip.frame_steps)} frames, {len(clip.gif) / 1024:.0f} KiB)")


def toolkit(seed: int, quick: bool, out: Path) -> None:
    print("\n4. the same through the toolkit: paradigms.run('reinforcement')")
    evaluation = paradigms.run("reinforcement", seed=seed, quick=quick)
    m = evaluation.measure
    print(f"   T: {evaluation.task}")
    print(f"   P: {m.name} {m.value:.1f} ± {m.std:.1f} (random policy {m.baseline:.1f}, solved at {m.best:.0f})")
    print(f"   E: {evaluation.metrics['train_steps']:,} {evaluation.experience} "
          f"({evaluation.metrics['train_episodes_count']} episodes)")
    evaluation.save(out / "reinforcement.json")
    for picture in evaluation.pictures:  # the GIF of the trained agent travels inside the evaluation
        path = write_atomic(out / f"{picture.name}.{picture.extension}", picture.data)
        print(f"   picture: {path} ({picture.caption}; return {picture.details['episode_return']:.0f})")
    for name, figure in figures(evaluation).items():
        figure.savefig(out / f"{name}.png", dpi=110)
        print(f"   figure: {out / f'{name}.png'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("results/reinforcement_example"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="smaller budgets: a few seconds")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    import matplotlib

    matplotlib.use("Agg")
    frozen_lake(args.seed, 20_000 if args.quick else 100_000)
    cartpole(args.seed, 10_000 if args.quick else 60_000, args.out)
    toolkit(args.seed, args.quick, args.out)


if __name__ == "__main__":
    main()
