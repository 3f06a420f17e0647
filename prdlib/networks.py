r"""Two-layer ReLU networks in the over-parameterised setting of Du et al. (2019).

The network is

.. math::

    f(x) = \frac{1}{\sqrt{m}} \sum_{r=1}^{m} a_r \, \mathrm{relu}(w_r \cdot x),

with ``m`` hidden neurons, first-layer weights :math:`w_r \in \mathbb{R}^d` (the rows of ``W``)
and output weights :math:`a_r \in \{-1, +1\}` that stay fixed. Inputs lie on the unit sphere and
the loss over ``n`` examples is :math:`L = \tfrac12 \sum_i (f(x_i) - y_i)^2`. Only ``W`` is
trained, by gradient descent with gradients from torch autograd.

The module provides the data, the network, its loss, the finite-width Gram matrix
:math:`H(t)`, its infinite-width limit :math:`H^\infty` (closed form and Monte Carlo), a trainer
that records the quantities of the convergence theory, and two small fitting helpers for the
rates and slopes that the chapters measure. Everything is torch ``float64``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from prdlib.errors import (
    NonFiniteError,
    require_positive,
    require_positive_int,
)

__all__ = [
    "UNIT_NORM_TOLERANCE",
    "TARGETS",
    "FitResult",
    "TrainingRecord",
    "unit_sphere_data",
    "h_infinity",
    "h_infinity_monte_carlo",
    "init_network",
    "forward",
    "gram_matrix",
    "loss",
    "train",
    "gradient_flow",
    "fit_exponential_rate",
    "fit_power_law",
]

UNIT_NORM_TOLERANCE = 1e-8
"""Largest accepted deviation of an input's Euclidean norm from 1."""

TARGETS = ("random", "smooth")
"""Target rules accepted by :func:`unit_sphere_data`."""

# The arccos argument may exceed 1 in magnitude only by floating-point round-off.
_COSINE_ROUND_OFF = 1e-12

# Inputs whose cosine is this close to +-1 count as parallel (Du et al. assume none are).
_PARALLEL_COSINE = 1.0 - 1e-6

_DTYPE = torch.float64

# Weight vectors drawn at a time by the Monte Carlo estimate: bounds memory to a few megabytes.
# The estimate depends on this value through the random stream, so it is fixed.
_MONTE_CARLO_BLOCK = 16_384


# ----------------------------------------------------------------------------------------------
# Input checks
# ----------------------------------------------------------------------------------------------


def _as_tensor(name: str, value: Any, ndim: int, device: torch.device | str | None = None) -> torch.Tensor:
    try:
        tensor = torch.as_tensor(value, dtype=_DTYPE, device=device)
    except (TypeError, ValueError, RuntimeError):
        raise ValueError(f"{name} must be an array of real numbers, got {type(value).__name__}") from None
    if tensor.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-dimensional array, got shape {tuple(tensor.shape)}")
    if tensor.numel() == 0:
        raise ValueError(f"{name} must not be empty, got shape {tuple(tensor.shape)}")
    if not bool(torch.isfinite(tensor).all()):
        raise ValueError(f"{name} must contain only finite numbers, found NaN or Inf")
    return tensor


def _check_inputs(X: Any) -> torch.Tensor:
    """Return ``X`` as a float64 tensor of shape (n, d) after checking its rows are unit vectors."""
    X = _as_tensor("X", X, 2)
    norms = torch.linalg.vector_norm(X, dim=1)
    deviation = (norms - 1.0).abs()
    worst = int(torch.argmax(deviation))
    if float(deviation[worst]) > UNIT_NORM_TOLERANCE:
        raise ValueError(
            f"X must have unit-norm rows (|norm - 1| <= {UNIT_NORM_TOLERANCE:g}), but row {worst} "
            f"has norm {float(norms[worst]):.12g}; divide each row by its norm"
        )
    return X


def _check_targets(y: Any, n: int, device: torch.device) -> torch.Tensor:
    y = _as_tensor("y", y, 1, device)
    if y.shape[0] != n:
        raise ValueError(f"y must have one target per input row: X has {n} rows, y has {y.shape[0]} entries")
    return y


def _check_network(W: Any, a: Any, d: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    if isinstance(W, torch.Tensor):
        W = _check_tensor("W", W, 2)
    else:
        W = _as_tensor("W", W, 2)
    a = _as_tensor("a", a, 1, W.device)
    if a.shape[0] != W.shape[0]:
        raise ValueError(
            f"a must have one entry per hidden neuron: W has {W.shape[0]} rows, a has {a.shape[0]} entries"
        )
    if not bool((a.abs() == 1.0).all()):
        raise ValueError("a must contain only -1 and +1 (the output weights of Du et al.'s network)")
    if d is not None and W.shape[1] != d:
        raise ValueError(f"W must have one column per input dimension: X has d = {d}, W has {W.shape[1]} columns")
    return W, a


def _check_tensor(name: str, tensor: torch.Tensor, ndim: int) -> torch.Tensor:
    """Check a tensor that may carry autograd history, without detaching or copying it."""
    if tensor.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-dimensional array, got shape {tuple(tensor.shape)}")
    if tensor.numel() == 0:
        raise ValueError(f"{name} must not be empty, got shape {tuple(tensor.shape)}")
    if tensor.dtype != _DTYPE:
        tensor = tensor.to(_DTYPE)
    if not bool(torch.isfinite(tensor.detach()).all()):
        raise ValueError(f"{name} must contain only finite numbers, found NaN or Inf")
    return tensor


# ----------------------------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------------------------


def unit_sphere_data(
    n: int,
    d: int,
    *,
    seed: int,
    target: str = "random",
    device: torch.device | str = "cpu",
) -> tuple[torch.Tensor, torch.Tensor]:
    r"""Draw ``n`` distinct, pairwise non-parallel unit vectors in :math:`\mathbb{R}^d` and targets.

    Each input is a standard Gaussian vector divided by its norm, so the inputs are uniform on the
    sphere :math:`S^{d-1}`. Draws are repeated (at most ten times) until no two inputs have
    :math:`|x_i \cdot x_j| > 1 - 10^{-6}`; this happens with probability one at the first draw.

    Parameters
    ----------
    n : int
        Number of examples, ``n >= 1``.
    d : int
        Input dimension, ``d >= 2`` (on the circle :math:`S^0` two points are always parallel).
    seed : int
        Seed of the torch generator; the same seed gives the same data.
    target : {"random", "smooth"}
        ``"random"``: :math:`y_i` drawn independently and uniformly from :math:`[-1, 1]`, labels
        with no structure (the hardest case for the convergence theory).
        ``"smooth"``: :math:`y_i = \sin(\pi\, x_i \cdot e)` for a random unit direction ``e``, a
        target a network learns easily. Both lie in :math:`[-1, 1]`.
    device : torch device
        Where the tensors are created.

    Returns
    -------
    X : torch.Tensor
        Inputs, shape ``(n, d)``, unit-norm rows.
    y : torch.Tensor
        Targets, shape ``(n,)``.
    """
    n = require_positive_int("n", n)
    d = require_positive_int("d", d, minimum=2)
    if target not in TARGETS:
        raise ValueError(f"target must be one of {TARGETS}, got {target!r}")
    generator = torch.Generator(device="cpu").manual_seed(int(seed))

    for _attempt in range(10):
        raw = torch.randn(n, d, generator=generator, dtype=_DTYPE)
        X = raw / torch.linalg.vector_norm(raw, dim=1, keepdim=True)
        cosines = (X @ X.T).abs().fill_diagonal_(0.0)
        if n == 1 or float(cosines.max()) <= _PARALLEL_COSINE:
            break
    else:  # pragma: no cover - probability zero for d >= 2
        raise ValueError(f"could not draw {n} non-parallel unit vectors in d = {d}; use another seed")

    if target == "random":
        y = 2.0 * torch.rand(n, generator=generator, dtype=_DTYPE) - 1.0
    else:
        direction = torch.randn(d, generator=generator, dtype=_DTYPE)
        direction = direction / torch.linalg.vector_norm(direction)
        y = torch.sin(math.pi * (X @ direction))
    return X.to(device), y.to(device)


# ----------------------------------------------------------------------------------------------
# Gram matrices
# ----------------------------------------------------------------------------------------------


def h_infinity(X: Any) -> torch.Tensor:
    r"""Compute the infinite-width Gram matrix :math:`H^\infty` in closed form.

    .. math::

        H^\infty_{ij} = \mathbb{E}_{w \sim N(0, I)}\big[x_i \cdot x_j\,
        \mathbb{1}\{w \cdot x_i \ge 0,\ w \cdot x_j \ge 0\}\big]
        = \frac{x_i \cdot x_j\,(\pi - \arccos(x_i \cdot x_j))}{2\pi}.

    The angle is computed from the rows normalised to unit length, and its cosine is clamped to
    :math:`[-1, 1]` only when it lies outside by at most :math:`10^{-12}` (round-off).

    Parameters
    ----------
    X : array, shape (n, d)
        Inputs :math:`x_i`, unit-norm rows (tolerance :data:`UNIT_NORM_TOLERANCE`).

    Returns
    -------
    torch.Tensor
        :math:`H^\infty`, shape ``(n, n)``, symmetric positive semi-definite (positive definite
        when no two inputs are parallel).
    """
    X = _check_inputs(X)
    inner = X @ X.T
    unit = X / torch.linalg.vector_norm(X, dim=1, keepdim=True)
    cosine = unit @ unit.T
    excess = float((cosine.abs() - 1.0).max())
    if excess > _COSINE_ROUND_OFF:  # pragma: no cover - unreachable for normalised rows
        raise ValueError(f"cosine of two inputs exceeds 1 by {excess:.3g}, more than round-off")
    cosine = cosine.clamp(-1.0, 1.0)
    return inner * (math.pi - torch.arccos(cosine)) / (2.0 * math.pi)


def h_infinity_monte_carlo(X: Any, samples: int, *, seed: int) -> torch.Tensor:
    r"""Estimate :math:`H^\infty` by Monte Carlo over ``samples`` Gaussian weight vectors.

    .. math::

        \hat H_{ij} = \frac{x_i \cdot x_j}{S} \sum_{s=1}^{S}
        \mathbb{1}\{w_s \cdot x_i \ge 0\}\,\mathbb{1}\{w_s \cdot x_j \ge 0\},
        \qquad w_s \sim N(0, I_d).

    Each entry has standard error at most :math:`|x_i \cdot x_j| / (2\sqrt{S})`.

    Parameters
    ----------
    X : array, shape (n, d)
        Inputs :math:`x_i`, unit-norm rows.
    samples : int
        Number of weight vectors :math:`S`.
    seed : int
        Seed of the torch generator for the :math:`w_s`; the same seed and ``samples`` give the
        same estimate.
    """
    X = _check_inputs(X)
    samples = require_positive_int("samples", samples)
    generator = torch.Generator(device="cpu").manual_seed(int(seed))
    n, d = X.shape
    counts = torch.zeros(n, n, dtype=_DTYPE)
    X_cpu = X.cpu()
    drawn = 0
    while drawn < samples:
        size = min(_MONTE_CARLO_BLOCK, samples - drawn)
        weights = torch.randn(size, d, generator=generator, dtype=_DTYPE)
        active = (weights @ X_cpu.T >= 0).to(_DTYPE)
        counts += active.T @ active
        drawn += size
    return ((X_cpu @ X_cpu.T) * counts / samples).to(X.device)


def gram_matrix(W: Any, X: Any) -> torch.Tensor:
    r"""Compute the finite-width Gram matrix :math:`H` of the network at weights ``W``.

    .. math::

        H_{ij} = \frac{x_i \cdot x_j}{m} \sum_{r=1}^{m}
        \mathbb{1}\{w_r \cdot x_i \ge 0\}\,\mathbb{1}\{w_r \cdot x_j \ge 0\}.

    Because :math:`a_r^2 = 1`, this equals :math:`J J^\top` with :math:`J` the Jacobian of the
    outputs :math:`f(x_i)` with respect to ``W`` (the neural tangent kernel of the first layer),
    and the outputs follow :math:`\dot u = -H (u - y)` under gradient flow.

    Parameters
    ----------
    W : array, shape (m, d)
        First-layer weights :math:`w_r`.
    X : array, shape (n, d)
        Inputs :math:`x_i`, unit-norm rows.
    """
    X = _check_inputs(X)
    W = _check_tensor("W", torch.as_tensor(W, dtype=_DTYPE), 2).detach()
    if W.shape[1] != X.shape[1]:
        raise ValueError(f"W must have one column per input dimension: X has d = {X.shape[1]}, W has {W.shape[1]} columns")
    active = (X @ W.T >= 0).to(_DTYPE)
    return (X @ X.T) * (active @ active.T) / W.shape[0]


def _lambda_min(matrix: torch.Tensor) -> float:
    return float(torch.linalg.eigvalsh(matrix)[0])


# ----------------------------------------------------------------------------------------------
# The network
# ----------------------------------------------------------------------------------------------


def init_network(
    m: int,
    d: int,
    *,
    seed: int,
    scale: float = 1.0,
    device: torch.device | str = "cpu",
) -> tuple[torch.Tensor, torch.Tensor]:
    r"""Draw the random initialisation of Du et al.: :math:`w_r \sim N(0, \kappa^2 I)`, :math:`a_r \sim U\{-1, 1\}`.

    Parameters
    ----------
    m : int
        Width (number of hidden neurons), ``m >= 1``.
    d : int
        Input dimension, ``d >= 1``.
    seed : int
        Seed of the torch generator.
    scale : float
        Standard deviation :math:`\kappa > 0` of each weight.
    device : torch device
        Where the tensors are created.

    Returns
    -------
    W : torch.Tensor
        Shape ``(m, d)``.
    a : torch.Tensor
        Shape ``(m,)``, entries in :math:`\{-1, +1\}`.
    """
    m = require_positive_int("m", m)
    d = require_positive_int("d", d)
    scale = require_positive("scale", scale)
    generator = torch.Generator(device="cpu").manual_seed(int(seed))
    W = scale * torch.randn(m, d, generator=generator, dtype=_DTYPE)
    a = 2.0 * torch.randint(0, 2, (m,), generator=generator).to(_DTYPE) - 1.0
    return W.to(device), a.to(device)


def forward(W: Any, a: Any, X: Any) -> torch.Tensor:
    r"""Evaluate :math:`f(x_i) = m^{-1/2} \sum_r a_r \mathrm{relu}(w_r \cdot x_i)` for every row of ``X``.

    ``W`` may require gradients; the result then carries the autograd graph.

    Parameters
    ----------
    W : array, shape (m, d)
        First-layer weights :math:`w_r`.
    a : array, shape (m,)
        Output weights :math:`a_r \in \{-1, +1\}`.
    X : array, shape (n, d)
        Inputs :math:`x_i`, unit-norm rows.

    Returns
    -------
    torch.Tensor
        The outputs :math:`u_i = f(x_i)`, shape ``(n,)``.
    """
    X = _check_inputs(X)
    W, a = _check_network(W, a, X.shape[1])
    return torch.relu(X.to(W.device) @ W.T) @ a / math.sqrt(W.shape[0])


def loss(W: Any, a: Any, X: Any, y: Any) -> torch.Tensor:
    r"""Compute the squared loss :math:`L = \tfrac12 \sum_i (f(x_i) - y_i)^2` (a 0-d tensor).

    Parameters
    ----------
    W, a, X
        As in :func:`forward`.
    y : array, shape (n,)
        Targets :math:`y_i`.
    """
    outputs = forward(W, a, X)
    y = _check_targets(y, outputs.shape[0], outputs.device)
    return 0.5 * torch.sum((outputs - y) ** 2)


# ----------------------------------------------------------------------------------------------
# Training
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingRecord:
    r"""Trajectory of one gradient-descent run, sampled every ``record_every`` steps.

    Every array has one entry (or row) per recorded step, and the first record is the
    initialisation.

    Attributes
    ----------
    steps : numpy.ndarray
        Step numbers :math:`k`.
    times : numpy.ndarray
        Continuous time :math:`t = \eta k` (step size times step number).
    losses : numpy.ndarray
        :math:`L(W(t))`.
    outputs : numpy.ndarray
        Network outputs :math:`u_i(t)`, shape ``(records, n)``.
    max_displacement : numpy.ndarray
        :math:`\max_r \lVert w_r(t) - w_r(0) \rVert`.
    lambda_min : numpy.ndarray
        Smallest eigenvalue of the finite-width Gram matrix :math:`H(t)`.
    weights : torch.Tensor
        The final weights ``W`` (after the last step).
    initial_weights : torch.Tensor
        The weights ``W`` at the start (a copy).
    lr : float
        The step size :math:`\eta`.
    """

    steps: np.ndarray
    times: np.ndarray
    losses: np.ndarray
    outputs: np.ndarray
    max_displacement: np.ndarray
    lambda_min: np.ndarray
    weights: torch.Tensor
    initial_weights: torch.Tensor
    lr: float

    @property
    def residual_norms(self) -> np.ndarray:
        r""":math:`\lVert u(t) - y \rVert = \sqrt{2 L}` at each record."""
        return np.sqrt(2.0 * self.losses)


def train(
    X: Any,
    y: Any,
    W: Any,
    a: Any,
    *,
    lr: float,
    steps: int,
    record_every: int | None = None,
    progress: bool = False,
) -> TrainingRecord:
    r"""Train the first layer by gradient descent, :math:`W_{k+1} = W_k - \eta \nabla_W L(W_k)`.

    The gradient comes from torch autograd; ``a`` stays fixed, as in Du et al. (2019). With a
    small step the iterates follow the gradient flow :math:`\dot W = -\nabla_W L` at time
    :math:`t = \eta k` (see :func:`gradient_flow`).

    Parameters
    ----------
    X : array, shape (n, d)
        Inputs :math:`x_i`, unit-norm rows.
    y : array, shape (n,)
        Targets :math:`y_i`.
    W : array, shape (m, d)
        Initial weights :math:`w_r(0)`; not modified.
    a : array, shape (m,)
        Output weights :math:`a_r \in \{-1, +1\}`.
    lr : float
        Step size :math:`\eta > 0`.
    steps : int
        Number of steps, ``>= 1``.
    record_every : int, optional
        Record every this many steps (the last step is always recorded). Default: about 200
        records over the run.
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    TrainingRecord

    Raises
    ------
    prdlib.errors.NonFiniteError
        If the loss becomes NaN or Inf (the step size is too large for this data).
    """
    X = _check_inputs(X)
    W0, a = _check_network(torch.as_tensor(W, dtype=_DTYPE).detach(), a, X.shape[1])
    X = X.to(W0.device)
    y = _check_targets(y, X.shape[0], W0.device)
    lr = require_positive("lr", lr)
    steps = require_positive_int("steps", steps)
    if record_every is None:
        record_every = max(1, steps // 200)
    record_every = require_positive_int("record_every", record_every)

    initial = W0.clone()
    weights = W0.clone().requires_grad_(True)
    scale = 1.0 / math.sqrt(weights.shape[0])
    inner = X @ X.T
    rows: dict[str, list] = {key: [] for key in ("steps", "losses", "outputs", "displacement", "lambda_min")}

    def record(step: int, current_loss: float, outputs: torch.Tensor) -> None:
        with torch.no_grad():
            active = (X @ weights.T >= 0).to(_DTYPE)
            gram = inner * (active @ active.T) / weights.shape[0]
            displacement = torch.linalg.vector_norm(weights - initial, dim=1).max()
        rows["steps"].append(step)
        rows["losses"].append(current_loss)
        rows["outputs"].append(outputs.detach().cpu().numpy().copy())
        rows["displacement"].append(float(displacement))
        rows["lambda_min"].append(_lambda_min(gram))

    iterator = range(steps + 1)
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(iterator, desc="gradient descent", unit="step")
    for step in iterator:
        outputs = torch.relu(X @ weights.T) @ a * scale
        current = 0.5 * torch.sum((outputs - y) ** 2)
        current_loss = float(current.detach())
        if not math.isfinite(current_loss):
            raise NonFiniteError("training loss", step, lr * step)
        if step % record_every == 0 or step == steps:
            record(step, current_loss, outputs)
        if step == steps:
            break
        (gradient,) = torch.autograd.grad(current, weights)
        with torch.no_grad():
            weights -= lr * gradient

    steps_array = np.asarray(rows["steps"], dtype=np.int64)
    return TrainingRecord(
        steps=steps_array,
        times=lr * steps_array.astype(np.float64),
        losses=np.asarray(rows["losses"]),
        outputs=np.stack(rows["outputs"]),
        max_displacement=np.asarray(rows["displacement"]),
        lambda_min=np.asarray(rows["lambda_min"]),
        weights=weights.detach().clone(),
        initial_weights=initial,
        lr=lr,
    )


def gradient_flow(
    X: Any,
    y: Any,
    W: Any,
    a: Any,
    *,
    t_final: float,
    dt: float = 1e-2,
    record_every: int | None = None,
    progress: bool = False,
) -> TrainingRecord:
    r"""Approximate the gradient flow :math:`\dot W = -\nabla_W L(W)` on :math:`[0, t_{\mathrm{final}}]`.

    This is :func:`train` with step ``dt`` and ``ceil(t_final / dt)`` steps (forward Euler). Its
    error in the weights is of order ``dt`` on a fixed time interval, so halve ``dt`` to check that
    a result does not depend on it.

    Parameters
    ----------
    X, y, W, a
        As in :func:`train`.
    t_final : float
        Length of the time interval, ``> 0``.
    dt : float
        Euler step, ``> 0``.
    record_every, progress
        As in :func:`train`.
    """
    t_final = require_positive("t_final", t_final)
    dt = require_positive("dt", dt)
    steps = max(1, math.ceil(t_final / dt - 1e-9))
    return train(X, y, W, a, lr=dt, steps=steps, record_every=record_every, progress=progress)


# ----------------------------------------------------------------------------------------------
# Fitting rates and slopes
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FitResult:
    """Least-squares line through transformed data, with the standard errors of its coefficients.

    Attributes
    ----------
    slope, intercept : float
        Coefficients of the fitted line.
    slope_stderr, intercept_stderr : float
        Their standard errors from the residuals (NaN with only two points).
    points : int
        Number of points used.
    """

    slope: float
    intercept: float
    slope_stderr: float
    intercept_stderr: float
    points: int


def _fit_line(x: np.ndarray, y: np.ndarray) -> FitResult:
    from scipy import stats

    result = stats.linregress(x, y)
    if x.size > 2:
        slope_stderr = float(result.stderr)
        intercept_stderr = float(result.intercept_stderr)
    else:
        slope_stderr = intercept_stderr = float("nan")
    return FitResult(float(result.slope), float(result.intercept), slope_stderr, intercept_stderr, int(x.size))


def _positive_series(name_x: str, x: Any, name_y: str, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.ndim != 1 or y.ndim != 1 or x.shape != y.shape:
        raise ValueError(f"{name_x} and {name_y} must be 1-dimensional arrays of equal length, got shapes {x.shape} and {y.shape}")
    if x.size < 2:
        raise ValueError(f"{name_x} must contain at least 2 points, got {x.size}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError(f"{name_x} and {name_y} must contain only finite numbers")
    if np.any(y <= 0):
        raise ValueError(f"{name_y} must be positive to take its logarithm, got minimum {y.min():.6g}")
    return x, y


def fit_exponential_rate(times: Any, values: Any) -> FitResult:
    r"""Fit :math:`v(t) \approx C e^{-\rho t}` by least squares on :math:`\log v`.

    Returns the fit of :math:`\log v` against :math:`t`, so the decay rate is
    :math:`\rho = -` ``slope`` (with standard error ``slope_stderr``).
    """
    times, values = _positive_series("times", times, "values", values)
    return _fit_line(times, np.log(values))


def fit_power_law(x: Any, y: Any) -> FitResult:
    r"""Fit :math:`y \approx C x^{p}` by least squares on :math:`\log y` against :math:`\log x`.

    The exponent is :math:`p =` ``slope``, with standard error ``slope_stderr``.
    """
    x, y = _positive_series("x", x, "y", y)
    if np.any(x <= 0):
        raise ValueError(f"x must be positive to take its logarithm, got minimum {x.min():.6g}")
    return _fit_line(np.log(x), np.log(y))
