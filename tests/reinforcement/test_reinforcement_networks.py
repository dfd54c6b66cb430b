"""The speed tricks of the deep agents must not change the maths."""

import numpy as np
import torch

from paradigms.reinforcement.networks import MLP, FlatAdam, FlatParameters


def _pair(seed=0, hidden=(16, 8)):
    gen_a, gen_b = torch.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)
    return MLP(4, 3, hidden, generator=gen_a), MLP(4, 3, hidden, generator=gen_b)


def test_the_same_generator_seed_gives_the_same_network():
    a, b = _pair()
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(p, q)


def test_flat_adam_matches_torch_adam_step_for_step():
    ours, reference = _pair()
    flat = FlatParameters([ours])
    optimizer = FlatAdam(flat, lr=0.01)
    torch_optimizer = torch.optim.Adam(reference.parameters(), lr=0.01)
    x = torch.randn(32, 4, generator=torch.Generator().manual_seed(1))
    for _ in range(5):
        flat.zero_grad()
        ours(x).pow(2).mean().backward()
        optimizer.step()
        torch_optimizer.zero_grad()
        reference(x).pow(2).mean().backward()
        torch_optimizer.step()
    for p, q in zip(ours.parameters(), reference.parameters(), strict=True):
        torch.testing.assert_close(p, q, rtol=1e-5, atol=1e-6)


def test_flat_adam_clips_the_global_gradient_norm_like_torch():
    ours, reference = _pair(3)
    flat = FlatParameters([ours])
    optimizer = FlatAdam(flat, lr=0.05, max_grad_norm=0.1)
    torch_optimizer = torch.optim.Adam(reference.parameters(), lr=0.05)
    x = torch.randn(16, 4, generator=torch.Generator().manual_seed(2)) * 10
    for _ in range(3):
        flat.zero_grad()
        ours(x).pow(2).sum().backward()
        optimizer.step()
        torch_optimizer.zero_grad()
        reference(x).pow(2).sum().backward()
        torch.nn.utils.clip_grad_norm_(reference.parameters(), 0.1)
        torch_optimizer.step()
    for p, q in zip(ours.parameters(), reference.parameters(), strict=True):
        torch.testing.assert_close(p, q, rtol=1e-4, atol=1e-5)


def test_numpy_forward_matches_torch_and_sees_updates():
    for activation in ("relu", "tanh"):
        net = MLP(4, 2, (8, 8), activation=activation, generator=torch.Generator().manual_seed(0))
        flat = FlatParameters([net])
        x = np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32)
        np.testing.assert_allclose(net.numpy_forward(x), net(torch.from_numpy(x)).detach().numpy(), rtol=1e-5, atol=1e-6)
        with torch.no_grad():
            flat.params.add_(0.5)  # an optimizer step changes the weights in place
        np.testing.assert_allclose(net.numpy_forward(x), net(torch.from_numpy(x)).detach().numpy(), rtol=1e-5, atol=1e-6)


def test_flat_parameters_copy_and_snapshot():
    a, b = _pair(hidden=(8,))
    flat_a, flat_b = FlatParameters([a]), FlatParameters([b])
    with torch.no_grad():
        flat_a.params.mul_(2)
    snapshot = flat_a.snapshot()
    flat_b.copy_from(flat_a)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    with torch.no_grad():
        flat_a.params.zero_()
    flat_a.copy_from(snapshot)
    assert torch.equal(flat_a.params, flat_b.params)
