"""Watching the trained agent: one greedy episode rendered headless, as an animated GIF.

Gymnasium draws frames as arrays (``render_mode="rgb_array"``) with pygame, which
needs no screen when ``SDL_VIDEODRIVER=dummy`` (set here unless already set).
The GIF becomes one of the run's pictures (:meth:`Rollout.to_picture`, a
:class:`paradigms.evaluation.Picture`). To keep it small enough to sit inside an
evaluation's JSON, the episode
is played twice from the same seed: once without drawing to learn its length,
then again keeping every k-th frame so that at most ``max_frames`` remain,
each scaled down to ``width`` pixels.

>>> from paradigms.reinforcement.evaluate import random_policy
>>> clip = record_rollout(random_policy(2, seed=0), "CartPole-v1", seed=0, max_frames=8)
>>> clip.gif[:6], len(clip.frames) <= 8
(b'GIF89a', True)
"""

from __future__ import annotations

import base64
import io
import math
import os
from dataclasses import dataclass, field

import numpy as np

from ..errors import DataError
from ..evaluation import Picture
from .environments import EnvSpec
from .evaluate import Policy, single_action
from .settings import MAX_GIF_FRAMES

#: Pixels decoded from one GIF at most, all its frames together (about 60 MB as RGB): a
#: results.json of under a megabyte can hold a GIF of 40 frames of 4000 x 4000 pixels
#: (a decompression bomb of 2.4 GB once decoded). A rollout of 200 frames, 240 pixels wide, is 11.5 million.
MAX_GIF_PIXELS = 20_000_000


@dataclass(frozen=True)
class Rollout:
    """One rendered episode: its return and length, the kept frames and the GIF."""

    episode_return: float
    length: int
    frame_steps: list[int]
    gif: bytes
    fps: float
    frames: list[np.ndarray] = field(repr=False, default_factory=list)

    def to_picture(self, caption: str = "", *, name: str = "rollout") -> Picture:
        """The GIF as a picture of an Evaluation, the episode's numbers as its details."""
        return Picture(
            name=name,
            mime="image/gif",
            data=self.gif,
            caption=caption,
            details={
                "episode_return": self.episode_return,
                "length": self.length,
                "frames": len(self.frame_steps),
                "frame_steps": self.frame_steps,
                "fps": self.fps,
            },
        )


def _play(env, policy: Policy, seed: int, keep_every: int | None) -> tuple[float, int, list[int], list[np.ndarray]]:
    obs, _ = env.reset(seed=seed)
    total, steps, frame_steps, frames = 0.0, 0, [], []
    if keep_every is not None:
        frame_steps.append(0)
        frames.append(env.render())
    done = False
    while not done:
        batch = tuple(np.asarray([part]) for part in obs) if isinstance(obs, tuple) else np.asarray(obs)[None]
        action = single_action(policy(batch))
        obs, reward, terminated, truncated, _ = env.step(action)
        total += float(reward)
        steps += 1
        done = terminated or truncated
        if keep_every is not None and (steps % keep_every == 0 or done):
            frame_steps.append(steps)
            frames.append(env.render())
    return total, steps, frame_steps, frames


def record_rollout(
    policy: Policy, env: str | EnvSpec, *, seed: int = 0, max_frames: int = 48, width: int = 240,
) -> Rollout:
    """Play one episode of ``env`` (an id, or an :class:`~.environments.EnvSpec` with its
    options and episode cap) with ``policy`` and return it as a small animated GIF."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    max_frames = max(2, int(max_frames))
    spec = EnvSpec.of(env)
    silent = spec.make()
    try:
        _, length, _, _ = _play(silent, policy, seed, None)
    finally:
        silent.close()
    keep_every = max(1, math.ceil(length / (max_frames - 1)))
    drawn = spec.make(render_mode="rgb_array")
    try:
        fps = float(drawn.metadata.get("render_fps") or 30)
        total, length, frame_steps, frames = _play(drawn, policy, seed, keep_every)
    finally:
        drawn.close()
    frames = [_shrink(frame, width) for frame in frames]
    return Rollout(total, length, frame_steps, gif_bytes(frames, fps=fps / keep_every), fps / keep_every, frames)


def _shrink(frame: np.ndarray, width: int) -> np.ndarray:
    from PIL import Image  # start-up time: only rendering pays for Pillow

    image = Image.fromarray(np.asarray(frame, dtype=np.uint8))
    if image.width > width:
        height = max(1, round(image.height * width / image.width))
        image = image.resize((width, height), Image.Resampling.BILINEAR)
    return np.asarray(image)


def gif_bytes(frames: list[np.ndarray], *, fps: float = 10.0) -> bytes:
    """Encode RGB frames as a looping animated GIF (at least 50 ms per frame)."""
    from PIL import Image  # start-up time: only rendering pays for Pillow

    if not frames:
        raise ValueError("no frames to encode")
    images = [Image.fromarray(frame).convert("P", palette=Image.Palette.ADAPTIVE, colors=64) for frame in frames]
    duration = max(50, round(1000 / max(fps, 1e-3)))
    buffer = io.BytesIO()
    images[0].save(
        buffer, format="GIF", save_all=True, append_images=images[1:], duration=duration, loop=0, optimize=True
    )
    return buffer.getvalue()


def gif_frames(gif: bytes | str) -> list[np.ndarray]:
    """Decode a GIF (bytes, or base64 text as stored in JSON) back into RGB frames.

    Bounded as the image readers are: each frame's size is known before it is
    decoded, and a GIF of more than :data:`MAX_GIF_FRAMES` frames or
    :data:`MAX_GIF_PIXELS` pixels in all is a one-line DataError, not gigabytes.
    """
    from PIL import Image, ImageSequence  # start-up time, as above

    data = base64.b64decode(gif) if isinstance(gif, str) else gif
    frames: list[np.ndarray] = []
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        for count, frame in enumerate(ImageSequence.Iterator(image), start=1):
            if count > MAX_GIF_FRAMES or count * width * height > MAX_GIF_PIXELS:
                raise DataError(
                    f"the rollout GIF ({width:,} x {height:,} pixels, {count}+ frames) is too large to decode: "
                    f"at most {MAX_GIF_FRAMES} frames and {MAX_GIF_PIXELS:,} pixels in all")
            frames.append(np.asarray(frame.convert("RGB")))
    return frames
