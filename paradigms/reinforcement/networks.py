"""Small multilayer perceptrons for the deep agents, built for speed on tiny nets.

The networks of classic-control reinforcement learning are tiny (4 inputs, two
hidden layers of 64 units, 2 outputs), so their cost is not arithmetic but
per-call overhead: every PyTorch operation costs a few microseconds whatever its
size, and ``torch.optim.Adam`` runs dozens of them per step. Two choices remove
most of it:

* :class:`FlatParameters` keeps all weights (and all gradients) of a network in
  **one flat tensor** each; layers are views into it. Copying a network (the
  DQN target network, a snapshot of the best policy) is one ``copy_``, and
* :class:`FlatAdam` is Adam written on that one tensor: six operations per step
  instead of six per layer plus bookkeeping. ``tests/reinforcement`` checks it
  against ``torch.optim.Adam`` step for step.

Acting needs no autograd at all: on the CPU, :meth:`MLP.numpy_forward` runs
the same network in NumPy on views that share memory with the PyTorch weights,
so each environment step costs microseconds and always sees the latest weights.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..devices import resolve_device

ACTIVATIONS = {"relu": torch.relu, "tanh": torch.tanh}


class MLP(nn.Module):
    """A multilayer perceptron ``in_dim -> hidden... -> out_dim``.

    ``orthogonal_gains`` (optional, one gain per layer) applies orthogonal
    initialisation with zero biases, as PPO implementations do; otherwise
    PyTorch's default initialisation is used. Initialisation draws from
    ``generator``, so a seed fixes the network.
    """

    def __init__(
        self,
        in_dim: int,
        out_dim: int,
        hidden: Sequence[int] = (64, 64),
        *,
        activation: str = "relu",
        orthogonal_gains: Sequence[float] | None = None,
        generator: torch.Generator | None = None,
    ) -> None:
        super().__init__()
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}, got {activation!r}")
        self.activation = activation
        sizes = [int(in_dim), *(int(h) for h in hidden), int(out_dim)]
        layers: list[nn.Linear] = []
        with torch.random.fork_rng(devices=[]):
            if generator is not None:
                torch.manual_seed(int(torch.randint(0, 2**62, (1,), generator=generator)))
            for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
                layer = nn.Linear(fan_in, fan_out)
                if orthogonal_gains is not None:
                    nn.init.orthogonal_(layer.weight, gain=float(orthogonal_gains[i]))
                    nn.init.zeros_(layer.bias)
                layers.append(layer)
        self.linears = nn.ModuleList(layers)
        self._act = ACTIVATIONS[activation]
        # The parameters themselves, listed once: calling each nn.Linear costs more Python
        # than its arithmetic on these tiny layers. (FlatParameters moves their data, not them.)
        self._layers = [(layer.weight, layer.bias) for layer in layers]
        self._numpy_layers: list[tuple[np.ndarray, np.ndarray]] | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        last = len(self._layers) - 1
        for i, (weight, bias) in enumerate(self._layers):
            x = F.linear(x, weight, bias)
            if i < last:
                x = self._act(x)
        return x

    def numpy_forward(self, x: np.ndarray) -> np.ndarray:
        """The same forward pass in NumPy (CPU only), on views of the live weights:
        no copy, and every optimizer step is seen at once."""
        if self._numpy_layers is None:
            if self.linears[0].weight.device.type != "cpu":
                raise RuntimeError("numpy_forward needs the network on the CPU")
            self._numpy_layers = [
                (weight.detach().numpy(), bias.detach().numpy()) for weight, bias in self._layers
            ]
        last = len(self._numpy_layers) - 1
        for i, (weight, bias) in enumerate(self._numpy_layers):
            x = x @ weight.T
            x += bias
            if i < last:
                if self.activation == "relu":
                    np.maximum(x, 0.0, out=x)
                else:
                    np.tanh(x, out=x)
        return x


class EnsembleMLP(nn.Module):
    """``members`` ReLU perceptrons of one shape computed as one: each layer's weights are
    stacked, and one batched matrix product (``torch.baddbmm``) computes every member.

    SAC's twin critics are one of these with two members: one call where two MLPs
    would need two, and half the calls in the backward pass too. Each member is
    initialised as ``nn.Linear`` initialises a layer (uniform within 1/sqrt(fan_in)).
    """

    def __init__(
        self,
        members: int,
        in_dim: int,
        out_dim: int,
        hidden: Sequence[int] = (64, 64),
        *,
        generator: torch.Generator | None = None,
    ) -> None:
        super().__init__()
        sizes = [int(in_dim), *(int(h) for h in hidden), int(out_dim)]
        weights, biases = [], []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
            bound = 1.0 / math.sqrt(fan_in)
            draw = [(members, fan_in, fan_out), (members, 1, fan_out)]
            weight, bias = (
                (torch.rand(shape, generator=generator) * 2 - 1) * bound for shape in draw
            )
            weights.append(nn.Parameter(weight))
            biases.append(nn.Parameter(bias))
        self.members = members
        self.weights = nn.ParameterList(weights)
        self.biases = nn.ParameterList(biases)
        self._layers: list[tuple[torch.Tensor, torch.Tensor]] = list(zip(weights, biases, strict=True))  # listed once, as in MLP

    def forward(self, x: torch.Tensor, *, frozen: bool = False) -> torch.Tensor:
        """Outputs of every member, shape (members, batch, out_dim), for inputs of shape
        (batch, in_dim) that every member reads. ``frozen``: the weights are treated as
        constants, so gradients reach ``x`` but not them (SAC's actor loss)."""
        x = x.expand(self.members, *x.shape)
        last = len(self._layers) - 1
        for i, (weight, bias) in enumerate(self._layers):
            if frozen:
                weight, bias = weight.detach(), bias.detach()
            x = torch.baddbmm(bias, x, weight)
            if i < last:
                x = torch.relu(x)
        return x


class FlatParameters:
    """All parameters of some modules in one flat tensor, their gradients in another.

    Each module parameter becomes a view into ``params`` (its ``.grad`` a view
    into ``grads``, where backward accumulates), so the whole set is copied,
    snapshotted or updated by one operation. Do not call ``module.zero_grad()``
    (it would detach the gradient views); call :meth:`zero_grad`.
    """

    def __init__(self, modules: Sequence[nn.Module], device: torch.device | str = "cpu") -> None:
        tensors = [p for module in modules for p in module.parameters()]
        self.params = torch.cat([p.detach().reshape(-1) for p in tensors]).to(device)
        self.grads = torch.zeros_like(self.params)
        offset = 0
        for param in tensors:
            n = param.numel()
            param.data = self.params[offset : offset + n].view_as(param)
            param.grad = self.grads[offset : offset + n].view_as(param)
            offset += n
        ends = np.cumsum([0, *(sum(p.numel() for p in module.parameters()) for module in modules)])
        self._spans = list(zip(ends[:-1].tolist(), ends[1:].tolist(), strict=True))
        for module in modules:
            for sub in module.modules():
                if isinstance(sub, MLP):
                    sub._numpy_layers = None  # views must point at the new storage

    def __len__(self) -> int:
        return self.params.numel()

    def zero_grad(self) -> None:
        self.grads.zero_()

    def part(self, index: int) -> torch.Tensor:
        """The parameters of ``modules[index]`` alone: a view into ``params`` (SAC's critics
        inside the one tensor of everything it learns)."""
        start, end = self._spans[index]
        return self.params[start:end]

    @torch.no_grad()
    def copy_from(self, other: FlatParameters | torch.Tensor) -> None:
        """Set every parameter from another set of the same layout (or a snapshot)."""
        self.params.copy_(other.params if isinstance(other, FlatParameters) else other)

    def snapshot(self) -> torch.Tensor:
        """A detached copy of all parameters (e.g. the best policy so far)."""
        return self.params.detach().clone()

    def to_numpy(self) -> np.ndarray:
        """All parameters as one NumPy vector (what a saved agent stores)."""
        return self.params.detach().cpu().numpy()

    def load_numpy(self, array: np.ndarray, name: str) -> None:
        """Set every parameter from a vector written by :meth:`to_numpy` (``name`` for errors)."""
        flat = np.asarray(array, dtype=np.float32)
        if flat.shape != (len(self),):
            raise ValueError(f"{name} has {flat.size} weights, expected {len(self)}")
        self.copy_from(torch.from_numpy(flat).to(self.params.device))


class FlatAdam:
    """Adam (Kingma & Ba, 2015) on one flat parameter tensor and its flat gradient.

    Same arithmetic as ``torch.optim.Adam`` without weight decay or amsgrad;
    ``max_grad_norm`` optionally clips the gradient's global norm first (as PPO
    does). ``lr`` can be changed between steps (learning-rate schedules).
    """

    def __init__(
        self,
        flat: FlatParameters,
        *,
        lr: float,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        max_grad_norm: float | None = None,
    ) -> None:
        self.params, self.grads = flat.params, flat.grads
        self.lr = float(lr)
        self.beta1, self.beta2 = betas
        self.eps = float(eps)
        self.max_grad_norm = max_grad_norm
        self.first_moment = torch.zeros_like(self.params)
        self.second_moment = torch.zeros_like(self.params)
        self.steps = 0

    @torch.no_grad()
    def step(self) -> None:
        grads = self.grads
        if self.max_grad_norm is not None:
            norm = torch.linalg.vector_norm(grads)
            grads.mul_(torch.clamp(self.max_grad_norm / (norm + 1e-6), max=1.0))
        self.steps += 1
        self.first_moment.lerp_(grads, 1.0 - self.beta1)
        self.second_moment.mul_(self.beta2).addcmul_(grads, grads, value=1.0 - self.beta2)
        bias1 = 1.0 - self.beta1**self.steps
        bias2 = 1.0 - self.beta2**self.steps
        denom = (self.second_moment.sqrt() / math.sqrt(bias2)).add_(self.eps)
        self.params.addcdiv_(self.first_moment, denom, value=-self.lr / bias1)


#: Networks with no hidden layer wider than this compute on the CPU under ``device="auto"``.
SMALL_NETWORK_UNITS = 256


def network_device(device: str, hidden: Sequence[int]) -> torch.device:
    """The ``torch.device`` for a deep agent's ``device`` setting.

    ``auto`` prefers the CPU for small networks: their cost is per-call overhead,
    not arithmetic, and a GPU adds a kernel launch and a copy per operation, so
    CartPole's 64-unit layers train faster on one CPU thread. Wider networks go
    to CUDA when there is one (see :func:`paradigms.devices.resolve_device`).
    """
    return resolve_device(device, prefer_cpu=max(hidden, default=0) <= SMALL_NETWORK_UNITS)


def outputs(network: MLP, x: np.ndarray, device: torch.device) -> np.ndarray:
    """The network's outputs for a float32 batch, without autograd: NumPy on the CPU
    (microseconds per call), PyTorch on another device."""
    if device.type == "cpu":
        return network.numpy_forward(x)
    with torch.no_grad():
        return network(torch.from_numpy(x).to(device)).cpu().numpy()


#: log(sqrt(2 pi)), the constant of a Gaussian's log-density.
HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def gaussian_log_prob(z: torch.Tensor, log_std: torch.Tensor) -> torch.Tensor:
    """Log-density of actions under a diagonal Gaussian, summed over the action numbers, from their
    standardised distance ``z = (action - mean) / std`` (PPO's Gaussian policy, SAC's actor)."""
    return (-0.5 * z.pow(2) - log_std - HALF_LOG_2PI).sum(1)
