"""Rendering a greedy episode headless, as a small animated GIF."""

import base64

import numpy as np
import pytest

from paradigms.reinforcement.evaluate import random_policy
from paradigms.reinforcement.render import gif_frames, record_rollout


def test_cartpole_rollout_becomes_a_small_gif():
    clip = record_rollout(random_policy(2, seed=0), "CartPole-v1", seed=3, max_frames=10, width=120)
    assert clip.gif.startswith(b"GIF89a")
    assert 2 <= len(clip.frame_steps) <= 10 and clip.frame_steps[-1] == clip.length
    assert clip.frames[0].shape[1] == 120 and clip.frames[0].dtype == np.uint8
    decoded = gif_frames(clip.gif)
    assert 1 <= len(decoded) <= len(clip.frame_steps) and decoded[0].shape == clip.frames[0].shape
    picture = clip.to_picture("a random CartPole episode")
    assert picture.mime == "image/gif" and picture.data == clip.gif
    assert picture.details["frames"] == len(clip.frame_steps) and picture.details["length"] == clip.length
    assert clip.episode_return == clip.length  # CartPole: +1 per step


def test_toy_text_rollout_renders_too():
    clip = record_rollout(random_policy(6, seed=0), "Taxi-v4", seed=0, max_frames=6, width=100)
    assert len(clip.frame_steps) <= 7 and len(gif_frames(base64.b64encode(clip.gif).decode())) >= 1


def test_a_gif_that_would_decode_too_large_is_one_line_not_gigabytes(monkeypatch):
    from paradigms.errors import DataError
    from paradigms.reinforcement import render
    from paradigms.reinforcement.render import gif_bytes, gif_frames

    small = np.zeros((4, 4, 3), dtype=np.uint8)
    many = gif_bytes([small + (i % 2) * 200 for i in range(render.MAX_GIF_FRAMES + 1)])
    with pytest.raises(DataError, match=r"too large to decode: at most 200 frames"):
        gif_frames(many)
    assert len(gif_frames(gif_bytes([small, small + 200] * 3))) == 6

    monkeypatch.setattr(render, "MAX_GIF_PIXELS", 100)  # a 10 x 10 frame decodes; a second would pass the bound
    square = np.zeros((10, 10, 3), dtype=np.uint8)
    assert len(gif_frames(gif_bytes([square]))) == 1
    with pytest.raises(DataError, match=r"10 x 10 pixels, 2\+ frames"):
        gif_frames(gif_bytes([square, square + 200, square]))
