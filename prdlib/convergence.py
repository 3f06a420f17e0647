r"""Convergence of gradient descent on an over-parameterised two-layer ReLU network.

The network is the one of :mod:`prdlib.networks`,

.. math::

    f(x) = \frac{1}{\sqrt{m}} \sum_{r=1}^{m} a_r \,\mathrm{relu}(w_r^\top x),
    \qquad a_r \in \{-1, 1\} \text{ fixed}, \quad \|x_i\| = 1,

trained on the squared loss :math:`\tfrac12 \|u - y\|^2` with outputs :math:`u_i = f(x_i)`. Its
Gram matrix :math:`H(t)` and the limit :math:`H^\infty` drive the outputs through
:math:`\dot u = -H(t)(u - y)`.

The module has two parts.

* The constants of the supervised convergence theorem (Du et al., ICLR 2019) in the form the
  course proves it, as functions that can be evaluated on data. They are :math:`\lambda_0`, the
  Hoeffding bound on :math:`\|H(0) - H^\infty\|_2`, the radius :math:`R` inside which activation
  patterns barely change, the displacement bound :math:`R'`, the width requirement and the
  predicted residual envelope.
* The adversarial trainer: the same network as a generator, played against a per-output logistic
  discriminator (the reaction term of the course's pseudo-reaction-diffusion model), with the
  constants of the course's adversarial convergence theorem.

Every function here takes float64 torch tensors on any device; gradients for learning come from
torch autograd.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from prdlib import networks
from prdlib.errors import (
    NonFiniteError,
    require_finite,
    require_in_range,
    require_non_negative,
    require_positive,
    require_positive_int,
)

__all__ = [
    "lambda_zero",
    "gram_deviation_bound",
    "width_for_initial_gram",
    "activation_radius",
    "expected_initial_residual_sq",
    "displacement_bound",
    "width_requirement",
    "activation_flip_bound",
    "residual_envelope",
    "gram_eigenvalues",
    "AdversarialSettings",
    "AdversarialRecord",
    "adversarial_pull",
    "train_adversarial",
    "residual_floor",
    "adversarial_residual_envelope",
    "stationarity_envelope",
    "stationarity_bound",
    "displacement_envelope",
    "adversarial_displacement_bound",
]

_UNIT_NORM_TOLERANCE = networks.UNIT_NORM_TOLERANCE


# ---------------------------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------------------------


def _check_inputs(X: torch.Tensor) -> torch.Tensor:
    if not isinstance(X, torch.Tensor) or X.ndim != 2 or X.shape[0] < 1 or X.shape[1] < 1:
        shape = tuple(X.shape) if isinstance(X, torch.Tensor) else type(X).__name__
        raise ValueError(f"X must be a 2-D tensor of shape (n, d) with n, d >= 1, got {shape}")
    if not torch.isfinite(X).all():
        raise ValueError("X must contain only finite values")
    norms = X.norm(dim=1)
    worst = float((norms - 1.0).abs().max())
    if worst > _UNIT_NORM_TOLERANCE:
        raise ValueError(
            f"every row of X must have unit norm (within {_UNIT_NORM_TOLERANCE}), but one row "
            f"is off by {worst:.3g}; normalise the inputs first"
        )
    return X


def _check_targets(y: torch.Tensor, n: int) -> torch.Tensor:
    if not isinstance(y, torch.Tensor) or tuple(y.shape) != (n,):
        shape = tuple(y.shape) if isinstance(y, torch.Tensor) else type(y).__name__
        raise ValueError(f"y must be a tensor of shape ({n},), one target per input, got {shape}")
    if not torch.isfinite(y).all():
        raise ValueError("y must contain only finite values")
    return y


def _check_network(W: torch.Tensor, a: torch.Tensor, d: int) -> None:
    if not isinstance(W, torch.Tensor) or W.ndim != 2 or W.shape[0] < 1 or W.shape[1] != d:
        shape = tuple(W.shape) if isinstance(W, torch.Tensor) else type(W).__name__
        raise ValueError(f"W must have shape (m, {d}) with width m >= 1, got {shape}")
    if not isinstance(a, torch.Tensor) or tuple(a.shape) != (W.shape[0],):
        shape = tuple(a.shape) if isinstance(a, torch.Tensor) else type(a).__name__
        raise ValueError(f"a must have shape ({W.shape[0]},), one sign per neuron, got {shape}")
    if not torch.isfinite(W).all():
        raise ValueError("W must contain only finite values")
    if not bool(((a == 1) | (a == -1)).all()):
        raise ValueError("a must contain only the output weights -1 and +1")


def _check_probability(name: str, value: float) -> float:
    return require_in_range(name, value, 0.0, 1.0, low_open=True, high_open=True)


# ---------------------------------------------------------------------------------------------
# Constants of the supervised theorem
# ---------------------------------------------------------------------------------------------


def lambda_zero(X: torch.Tensor) -> float:
    r"""Compute :math:`\lambda_0 = \lambda_{\min}(H^\infty)` for unit-norm inputs ``X``.

    Parameters
    ----------
    X : torch.Tensor
        Inputs :math:`x_1, \dots, x_n`, shape ``(n, d)``, each of unit norm.

    Returns
    -------
    float
        The smallest eigenvalue of :math:`H^\infty(X)`; positive when no two inputs are parallel.
    """
    X = _check_inputs(X)
    return float(torch.linalg.eigvalsh(networks.h_infinity(X))[0])


def gram_deviation_bound(n: int, m: int, delta: float) -> float:
    r"""Bound :math:`\|H(0) - H^\infty\|_2` with probability at least :math:`1 - \delta`.

    .. math::

        \|H(0) - H^\infty\|_2 \le n \sqrt{\frac{\log(2 n^2 / \delta)}{2 m}}

    Each entry of :math:`H(0)` is a mean of :math:`m` independent terms lying in an interval of
    length at most 1. Hoeffding's inequality and a union bound over the :math:`n^2` entries bound
    every entry, and the Frobenius norm then bounds the spectral norm.

    Parameters
    ----------
    n : int
        Number of inputs :math:`n`.
    m : int
        Width :math:`m` (number of hidden neurons).
    delta : float
        Failure probability :math:`\delta \in (0, 1)`.
    """
    n = require_positive_int("n", n)
    m = require_positive_int("m", m)
    delta = _check_probability("delta", delta)
    return n * math.sqrt(math.log(2 * n**2 / delta) / (2 * m))


def width_for_initial_gram(n: int, lambda0: float, delta: float) -> float:
    r"""Width above which :math:`\|H(0) - H^\infty\|_2 \le \lambda_0 / 4` w.p. :math:`1-\delta`.

    .. math::

        m \ge \frac{8 n^2 \log(2 n^2 / \delta)}{\lambda_0^2}

    Parameters
    ----------
    n : int
        Number of inputs :math:`n`.
    lambda0 : float
        :math:`\lambda_0 = \lambda_{\min}(H^\infty) > 0`.
    delta : float
        Failure probability :math:`\delta \in (0, 1)`.
    """
    n = require_positive_int("n", n)
    lambda0 = require_positive("lambda0", lambda0)
    delta = _check_probability("delta", delta)
    return 8 * n**2 * math.log(2 * n**2 / delta) / lambda0**2


def activation_radius(n: int, lambda0: float, delta: float) -> float:
    r"""Radius :math:`R` within which :math:`\lambda_{\min}(H) > \lambda_0/2` w.p. :math:`1-\delta`.

    .. math::

        R = \frac{\sqrt{2\pi}\, \delta\, \lambda_0}{16\, n^2}

    If every :math:`w_r` lies within :math:`R` of :math:`w_r(0) \sim N(0, I)`, then with
    probability at least :math:`1 - \delta` over the draw, :math:`\|H - H(0)\|_2 \le \lambda_0/4`.

    Parameters
    ----------
    n : int
        Number of inputs :math:`n`.
    lambda0 : float
        :math:`\lambda_0 > 0`.
    delta : float
        Failure probability :math:`\delta \in (0, 1)`.
    """
    n = require_positive_int("n", n)
    lambda0 = require_positive("lambda0", lambda0)
    delta = _check_probability("delta", delta)
    return math.sqrt(2 * math.pi) * delta * lambda0 / (16 * n**2)


def expected_initial_residual_sq(y: torch.Tensor) -> float:
    r"""Return :math:`\mathbb{E}\|u(0) - y\|^2 = \|y\|^2 + n/2` for :math:`w_r(0) \sim N(0, I)`.

    Each :math:`u_i(0)` has mean 0 (the signs :math:`a_r` are symmetric) and second moment
    :math:`\mathbb{E}[\mathrm{relu}(g)^2] = 1/2` for :math:`g \sim N(0, 1)`.

    Parameters
    ----------
    y : torch.Tensor
        Targets :math:`y`, shape ``(n,)``.
    """
    if not isinstance(y, torch.Tensor) or y.ndim != 1:
        raise ValueError(f"y must be a 1-D tensor of targets, got {getattr(y, 'shape', y)!r}")
    y = _check_targets(y, int(y.shape[0]))
    return float((y**2).sum()) + 0.5 * y.shape[0]


def displacement_bound(residual0: float, n: int, m: int, lambda0: float) -> float:
    r"""Bound :math:`R'` on every neuron's displacement under supervised gradient flow.

    .. math::

        \|w_r(t) - w_r(0)\| \le R' = \frac{2 \sqrt{n}\, \|u(0) - y\|}{\sqrt{m}\, \lambda_0}

    valid for all :math:`t` as long as :math:`\lambda_{\min}(H(s)) \ge \lambda_0/2` on
    :math:`[0, t]`.

    Parameters
    ----------
    residual0 : float
        :math:`\|u(0) - y\|`.
    n : int
        Number of inputs :math:`n`.
    m : int
        Width :math:`m`.
    lambda0 : float
        :math:`\lambda_0 > 0`.
    """
    residual0 = require_non_negative("residual0", residual0)
    n = require_positive_int("n", n)
    m = require_positive_int("m", m)
    lambda0 = require_positive("lambda0", lambda0)
    return 2 * math.sqrt(n) * residual0 / (math.sqrt(m) * lambda0)


def width_requirement(n: int, lambda0: float, delta: float, target_norm_sq: float) -> float:
    r"""Width above which the supervised theorem holds with probability at least :math:`1-3\delta`.

    .. math::

        m > \max\left( \frac{512\, n^5 (\|y\|^2 + n/2)}{\pi\, \delta^3 \lambda_0^4},\;
        \frac{8 n^2 \log(2n^2/\delta)}{\lambda_0^2} \right)

    The first term makes :math:`R' < R` once :math:`\|u(0) - y\|^2 \le (\|y\|^2 + n/2)/\delta`
    (Markov's inequality); the second makes :math:`\lambda_{\min}(H(0)) \ge 3\lambda_0/4`.

    Parameters
    ----------
    n : int
        Number of inputs :math:`n`.
    lambda0 : float
        :math:`\lambda_0 > 0`.
    delta : float
        Failure probability of each of the three events, :math:`\delta \in (0, 1)`.
    target_norm_sq : float
        :math:`\|y\|^2`.
    """
    n = require_positive_int("n", n)
    lambda0 = require_positive("lambda0", lambda0)
    delta = _check_probability("delta", delta)
    target_norm_sq = require_non_negative("target_norm_sq", target_norm_sq)
    from_radius = 512 * n**5 * (target_norm_sq + n / 2) / (math.pi * delta**3 * lambda0**4)
    return max(from_radius, width_for_initial_gram(n, lambda0, delta))


def activation_flip_bound(W0: torch.Tensor, X: torch.Tensor, radius: float) -> float:
    r"""Bound :math:`\|H - H(0)\|_2` over all weights within ``radius`` of ``W0``, for this draw.

    A neuron can change its activation on input :math:`x_i` only if
    :math:`|w_r(0)^\top x_i| \le \rho`. With :math:`S_i` the set of such neurons,

    .. math::

        |H_{ij} - H_{ij}(0)| \le M_{ij} = |x_i^\top x_j| \, \frac{|S_i \cup S_j|}{m},
        \qquad \|H - H(0)\|_2 \le \|M\|_2 ,

    because a matrix dominated entrywise in absolute value by a non-negative matrix has the
    smaller spectral norm. This is the deterministic version of the bound behind
    :func:`activation_radius`.

    Parameters
    ----------
    W0 : torch.Tensor
        Initial hidden weights :math:`w_r(0)`, shape ``(m, d)``.
    X : torch.Tensor
        Unit-norm inputs, shape ``(n, d)``.
    radius : float
        :math:`\rho \ge 0`, the largest displacement allowed to any neuron.
    """
    X = _check_inputs(X)
    radius = require_non_negative("radius", radius)
    if not isinstance(W0, torch.Tensor) or W0.ndim != 2 or W0.shape[1] != X.shape[1]:
        raise ValueError(f"W0 must have shape (m, {X.shape[1]}), got {getattr(W0, 'shape', W0)}")
    near = ((X @ W0.T).abs() <= radius).to(X.dtype)  # (n, m): neuron r may flip on x_i
    both = near @ near.T
    union = near.sum(dim=1, keepdim=True) + near.sum(dim=1) - both
    dominating = (X @ X.T).abs() * union / W0.shape[0]
    return float(torch.linalg.matrix_norm(dominating, ord=2))


def residual_envelope(times: np.ndarray, residual0: float, lambda0: float) -> np.ndarray:
    r"""Supervised envelope :math:`\|u(t) - y\| \le e^{-\lambda_0 t / 2} \|u(0) - y\|`.

    Parameters
    ----------
    times : numpy.ndarray
        Times :math:`t \ge 0` (for gradient descent with step :math:`\eta`, :math:`t = \eta k`).
    residual0 : float
        :math:`\|u(0) - y\|`.
    lambda0 : float
        :math:`\lambda_0 > 0`.
    """
    residual0 = require_non_negative("residual0", residual0)
    lambda0 = require_positive("lambda0", lambda0)
    return residual0 * np.exp(-lambda0 * np.asarray(times, dtype=float) / 2)


def gram_eigenvalues(W: torch.Tensor, X: torch.Tensor) -> tuple[float, float]:
    r"""Return :math:`(\lambda_{\min}, \lambda_{\max})` of the Gram matrix :math:`H(W)`.

    Parameters
    ----------
    W : torch.Tensor
        Hidden weights, shape ``(m, d)``.
    X : torch.Tensor
        Unit-norm inputs, shape ``(n, d)``.
    """
    eigenvalues = torch.linalg.eigvalsh(networks.gram_matrix(W.detach(), X))
    return float(eigenvalues[0]), float(eigenvalues[-1])


# ---------------------------------------------------------------------------------------------
# The adversarial game
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdversarialSettings:
    r"""The per-output discriminator of the adversarial game and its learning.

    Output :math:`i` of the generator is judged by its own logistic discriminator
    :math:`D_i(z) = \sigma(v_i (z - c))`, which is trained to tell the real value
    :math:`y_d` from the generated :math:`u_i`:

    .. math::

        L_D(v) = -\sum_i \left[\log D_i(y_d) + \log(1 - D_i(u_i))\right]
                 + \frac{\gamma}{2} \|v\|^2 .

    Attributes
    ----------
    lam : float
        Weight :math:`\lambda \ge 0` of the adversarial term in the generator's loss.
    real : float
        The real value :math:`y_d` the discriminator learns to accept.
    centre : float
        Decision centre :math:`c` of every discriminator.
    gamma : float
        Regularisation :math:`\gamma \ge 0` of the discriminator's parameters.
    disc_lr_ratio : float
        Discriminator step divided by the generator step (:math:`> 0`; below 1 the
        discriminator moves more slowly).
    """

    lam: float = 1.0
    real: float = 0.5
    centre: float = 0.0
    gamma: float = 0.5
    disc_lr_ratio: float = 1.0

    def __post_init__(self) -> None:
        require_non_negative("lam", self.lam)
        require_finite("real", self.real)
        require_finite("centre", self.centre)
        require_non_negative("gamma", self.gamma)
        require_positive("disc_lr_ratio", self.disc_lr_ratio)


def _adversarial_term(u: torch.Tensor, v: torch.Tensor, centre: float) -> torch.Tensor:
    # sum_i log(1 - sigmoid(v_i (u_i - c))) = -sum_i softplus(v_i (u_i - c)), written stably.
    return -torch.nn.functional.softplus(v * (u - centre)).sum()


def _discriminator_loss(
    u: torch.Tensor, v: torch.Tensor, settings: AdversarialSettings
) -> torch.Tensor:
    # -log sigmoid(s) = softplus(-s) and -log(1 - sigmoid(s)) = softplus(s).
    real_term = torch.nn.functional.softplus(-v * (settings.real - settings.centre)).sum()
    fake_term = torch.nn.functional.softplus(v * (u - settings.centre)).sum()
    return real_term + fake_term + 0.5 * settings.gamma * (v**2).sum()


def adversarial_pull(u: torch.Tensor, v: torch.Tensor, centre: float) -> torch.Tensor:
    r"""Compute the pull :math:`a = \nabla_u \sum_i \log(1 - D_i(u_i))` by autograd.

    Analytically :math:`a_i = -v_i\, \sigma(v_i (u_i - c))`, so :math:`|a_i| \le |v_i|`.

    Parameters
    ----------
    u : torch.Tensor
        Generator outputs :math:`u`, shape ``(n,)``.
    v : torch.Tensor
        Discriminator parameters :math:`v`, shape ``(n,)``.
    centre : float
        Decision centre :math:`c`.
    """
    centre = require_finite("centre", centre)
    outputs = u.detach().clone().requires_grad_(True)
    (pull,) = torch.autograd.grad(_adversarial_term(outputs, v.detach(), centre), outputs)
    return pull


@dataclass(frozen=True)
class AdversarialRecord:
    r"""Trajectory of one adversarial (or, with :math:`\lambda = 0`, supervised) training run.

    Arrays indexed by record hold one entry per recorded step, the first at step 0.

    Attributes
    ----------
    steps, times : numpy.ndarray
        Recorded step numbers :math:`k` and times :math:`t = \eta k`.
    residual_norm : numpy.ndarray
        :math:`\|u - y\|`.
    grad_norm : numpy.ndarray
        :math:`\|\nabla_W L_G\|_F`, the generator's gradient norm.
    output_grad_norm : numpy.ndarray
        :math:`\|g\|` with :math:`g = (u - y) + \lambda a`, the generator's gradient in output
        space.
    pull : numpy.ndarray
        The pull :math:`a(t)`, shape ``(records, n)``.
    pull_norm : numpy.ndarray
        :math:`\|a(t)\|`.
    pull_speed : numpy.ndarray
        :math:`\|a(t_k) - a(t_{k-1})\| / \eta`, the rate at which the pull moves (0 at step 0).
    max_pull_speed : numpy.ndarray
        Largest ``pull_speed`` over all steps since the previous record.
    gram_min, gram_max : numpy.ndarray
        :math:`\lambda_{\min}(H(t))` and :math:`\lambda_{\max}(H(t))`.
    max_displacement : numpy.ndarray
        :math:`\max_r \|w_r(t) - w_r(0)\|`.
    discriminator : numpy.ndarray
        The discriminator's parameters :math:`v(t)`, shape ``(records, n)``.
    generator_curvature : numpy.ndarray
        :math:`1 + \lambda\, \partial a_i / \partial u_i` per output, shape ``(records, n)``: the
        second derivative of the generator's loss in :math:`u_i`. A negative entry is local
        concavity (self-activation).
    W, v : torch.Tensor
        Final hidden weights and discriminator parameters.
    lr : float
        Generator step :math:`\eta`.
    """

    steps: np.ndarray
    times: np.ndarray
    residual_norm: np.ndarray
    grad_norm: np.ndarray
    output_grad_norm: np.ndarray
    pull: np.ndarray
    pull_norm: np.ndarray
    pull_speed: np.ndarray
    max_pull_speed: np.ndarray
    gram_min: np.ndarray
    gram_max: np.ndarray
    max_displacement: np.ndarray
    discriminator: np.ndarray
    generator_curvature: np.ndarray
    W: torch.Tensor
    v: torch.Tensor
    lr: float


def _as_parameters(v0: float | torch.Tensor, n: int, like: torch.Tensor) -> torch.Tensor:
    if isinstance(v0, torch.Tensor):
        if tuple(v0.shape) != (n,):
            raise ValueError(f"v0 must be a float or a tensor of shape ({n},), got {tuple(v0.shape)}")
        if not torch.isfinite(v0).all():
            raise ValueError("v0 must contain only finite values")
        return v0.detach().to(dtype=like.dtype, device=like.device).clone()
    value = require_finite("v0", v0)
    return torch.full((n,), value, dtype=like.dtype, device=like.device)


def train_adversarial(
    X: torch.Tensor,
    y: torch.Tensor,
    W: torch.Tensor,
    a: torch.Tensor,
    settings: AdversarialSettings,
    *,
    lr: float,
    steps: int,
    v0: float | torch.Tensor = 0.0,
    record_every: int = 1,
    record_gram: bool = True,
    progress: bool = False,
) -> AdversarialRecord:
    r"""Train the generator against the per-output discriminator by simultaneous gradient descent.

    The generator (the network with hidden weights :math:`W`) and the discriminator (parameters
    :math:`v`) take simultaneous steps on their own losses,

    .. math::

        L_G(W; v) = \tfrac12 \|u - y\|^2 + \lambda \sum_i \log\bigl(1 - \sigma(v_i (u_i - c))\bigr),
        \qquad
        W \leftarrow W - \eta \nabla_W L_G, \quad v \leftarrow v - \eta_D \nabla_v L_D,

    with :math:`L_D` of :class:`AdversarialSettings` and :math:`\eta_D = \eta \cdot`
    ``settings.disc_lr_ratio``. Both gradients come from autograd. In output space the
    generator's step is :math:`\dot u \approx -H(t)\,(r + \lambda a(t))` with :math:`r = u - y`.
    With ``settings.lam = 0`` the generator's run is plain supervised gradient descent.

    Parameters
    ----------
    X : torch.Tensor
        Unit-norm inputs :math:`x_i`, shape ``(n, d)``.
    y : torch.Tensor
        Targets :math:`y`, shape ``(n,)``.
    W : torch.Tensor
        Initial hidden weights :math:`w_r(0)`, shape ``(m, d)`` (not modified).
    a : torch.Tensor
        Fixed output signs :math:`a_r \in \{-1, 1\}`, shape ``(m,)``.
    settings : AdversarialSettings
        :math:`\lambda`, :math:`y_d`, :math:`c`, :math:`\gamma` and the step ratio.
    lr : float
        Generator step :math:`\eta > 0`.
    steps : int
        Number of simultaneous steps (>= 1).
    v0 : float or torch.Tensor
        Initial discriminator parameters :math:`v(0)`, a scalar for all outputs or shape ``(n,)``.
    record_every : int
        Record every this many steps (the last step is always recorded).
    record_gram : bool
        Record the eigenvalues of :math:`H(t)` (costs one :math:`n \times n` eigenproblem per
        record).
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    AdversarialRecord

    Raises
    ------
    ValueError
        For invalid inputs, naming the parameter and the accepted range.
    prdlib.errors.NonFiniteError
        If a loss, the weights or the discriminator become NaN or Inf, with the step and time.
    """
    if not isinstance(settings, AdversarialSettings):
        raise ValueError(f"settings must be an AdversarialSettings, got {type(settings).__name__}")
    X = _check_inputs(X)
    n, d = X.shape
    y = _check_targets(y, n)
    _check_network(W, a, d)
    lr = require_positive("lr", lr)
    steps = require_positive_int("steps", steps)
    record_every = require_positive_int("record_every", record_every)
    v = _as_parameters(v0, n, X)

    lam = settings.lam
    disc_lr = lr * settings.disc_lr_ratio
    weights0 = W.detach().clone()
    weights = W.detach().clone()
    signs = a.detach().to(dtype=X.dtype)

    columns: dict[str, list] = {name: [] for name in (
        "steps", "residual_norm", "grad_norm", "output_grad_norm", "pull", "pull_norm",
        "pull_speed", "max_pull_speed", "gram_min", "gram_max", "max_displacement",
        "discriminator", "generator_curvature")}
    previous_pull: torch.Tensor | None = None
    window_max_speed = 0.0

    iterator = range(steps + 1)
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(iterator, desc="adversarial training")

    for step in iterator:
        weights.requires_grad_(True)
        outputs = networks.forward(weights, signs, X)
        residual = outputs - y
        adversarial = _adversarial_term(outputs, v, settings.centre)
        generator_loss = 0.5 * (residual**2).sum() + lam * adversarial
        if not torch.isfinite(generator_loss):
            raise NonFiniteError("the generator's loss", step, step * lr)
        (grad_w,) = torch.autograd.grad(generator_loss, weights)

        recording = step % record_every == 0 or step == steps

        # The pull (and, when recording, the generator's curvature along each output) come
        # from autograd on a detached copy of the outputs, outside the weights' graph.
        detached = outputs.detach().clone().requires_grad_(True)
        (pull,) = torch.autograd.grad(
            _adversarial_term(detached, v, settings.centre), detached, create_graph=recording
        )
        if recording:
            # The adversarial term is a sum over outputs, so its Hessian is diagonal and
            # d(sum of pull)/du is that diagonal.
            (pull_slope,) = torch.autograd.grad(pull.sum(), detached)
        pull = pull.detach()

        v_leaf = v.clone().requires_grad_(True)
        disc_loss = _discriminator_loss(outputs.detach(), v_leaf, settings)
        if not torch.isfinite(disc_loss):
            raise NonFiniteError("the discriminator's loss", step, step * lr)
        (grad_v,) = torch.autograd.grad(disc_loss, v_leaf)

        speed = 0.0 if previous_pull is None else float((pull - previous_pull).norm()) / lr
        window_max_speed = max(window_max_speed, speed)
        previous_pull = pull

        if recording:
            residual = residual.detach()
            columns["steps"].append(step)
            columns["residual_norm"].append(float(residual.norm()))
            columns["grad_norm"].append(float(grad_w.norm()))
            columns["output_grad_norm"].append(float((residual + lam * pull).norm()))
            columns["pull"].append(pull.cpu().numpy())
            columns["pull_norm"].append(float(pull.norm()))
            columns["pull_speed"].append(speed)
            columns["max_pull_speed"].append(window_max_speed)
            window_max_speed = 0.0
            if record_gram:
                low, high = gram_eigenvalues(weights, X)
            else:
                low, high = math.nan, math.nan
            columns["gram_min"].append(low)
            columns["gram_max"].append(high)
            displacement = (weights.detach() - weights0).norm(dim=1).max()
            columns["max_displacement"].append(float(displacement))
            columns["discriminator"].append(v.cpu().numpy().copy())
            columns["generator_curvature"].append((1.0 + lam * pull_slope).cpu().numpy())

        if step == steps:
            break
        with torch.no_grad():
            weights = weights.detach() - lr * grad_w
            v = v - disc_lr * grad_v
        if not (torch.isfinite(weights).all() and torch.isfinite(v).all()):
            raise NonFiniteError("the weights or the discriminator", step + 1, (step + 1) * lr)

    recorded_steps = np.asarray(columns.pop("steps"))
    arrays = {name: np.asarray(values) for name, values in columns.items()}
    return AdversarialRecord(
        steps=recorded_steps,
        times=recorded_steps * lr,
        W=weights.detach(),
        v=v.detach(),
        lr=lr,
        **arrays,
    )


# ---------------------------------------------------------------------------------------------
# Constants of the adversarial theorem
# ---------------------------------------------------------------------------------------------


def residual_floor(lam: float, pull_bound: float, gram_max: float, lambda0: float) -> float:
    r"""Radius :math:`\varepsilon_r = 2 \lambda \Lambda A / \lambda_0` the residual converges into.

    Parameters
    ----------
    lam : float
        :math:`\lambda \ge 0`.
    pull_bound : float
        :math:`A \ge \sup_t \|a(t)\|`.
    gram_max : float
        :math:`\Lambda \ge \sup_t \lambda_{\max}(H(t))`.
    lambda0 : float
        :math:`\lambda_0 > 0`.
    """
    lam = require_non_negative("lam", lam)
    pull_bound = require_non_negative("pull_bound", pull_bound)
    gram_max = require_non_negative("gram_max", gram_max)
    lambda0 = require_positive("lambda0", lambda0)
    return 2 * lam * gram_max * pull_bound / lambda0


def adversarial_residual_envelope(
    times: np.ndarray, residual0: float, lam: float, pull_bound: float, gram_max: float,
    lambda0: float,
) -> np.ndarray:
    r"""Envelope :math:`e^{-\lambda_0 t/2}\|r(0)\| + \varepsilon_r (1 - e^{-\lambda_0 t/2})`.

    Parameters
    ----------
    times : numpy.ndarray
        Times :math:`t \ge 0`.
    residual0 : float
        :math:`\|r(0)\| = \|u(0) - y\|`.
    lam, pull_bound, gram_max, lambda0 : float
        :math:`\lambda`, :math:`A`, :math:`\Lambda`, :math:`\lambda_0` as in
        :func:`residual_floor`.
    """
    residual0 = require_non_negative("residual0", residual0)
    floor = residual_floor(lam, pull_bound, gram_max, lambda0)
    decay = np.exp(-lambda0 * np.asarray(times, dtype=float) / 2)
    return residual0 * decay + floor * (1 - decay)


def stationarity_envelope(
    times: np.ndarray, output_grad0: float, lam: float, pull_speed_bound: float, lambda0: float
) -> np.ndarray:
    r"""Envelope of :math:`\|g(t)\|`, :math:`g = r + \lambda a`, when :math:`\|\dot a\| \le \dot A`.

    .. math::

        \|g(t)\| \le e^{-\lambda_0 t/2} \|g(0)\|
        + \frac{2 \lambda \dot A}{\lambda_0}\left(1 - e^{-\lambda_0 t/2}\right)

    The generator's gradient norm is :math:`\|\nabla_W L_G\| = \|g\|_{H} \le
    \sqrt{\Lambda}\, \|g\|`.

    Parameters
    ----------
    times : numpy.ndarray
        Times :math:`t \ge 0`.
    output_grad0 : float
        :math:`\|g(0)\|`.
    lam : float
        :math:`\lambda \ge 0`.
    pull_speed_bound : float
        :math:`\dot A \ge \sup_t \|\dot a(t)\|`.
    lambda0 : float
        :math:`\lambda_0 > 0`.
    """
    output_grad0 = require_non_negative("output_grad0", output_grad0)
    lam = require_non_negative("lam", lam)
    pull_speed_bound = require_non_negative("pull_speed_bound", pull_speed_bound)
    lambda0 = require_positive("lambda0", lambda0)
    decay = np.exp(-lambda0 * np.asarray(times, dtype=float) / 2)
    return output_grad0 * decay + 2 * lam * pull_speed_bound / lambda0 * (1 - decay)


def stationarity_bound(
    times: np.ndarray, max_pull_speed: np.ndarray, output_grad0: float, lam: float,
    lambda0: float,
) -> np.ndarray:
    r"""Time-resolved bound on :math:`\|g(t)\|` from the measured speed of the pull.

    .. math::

        \|g(t_k)\| \le e^{-\lambda_0 t_k/2} \|g(0)\|
        + \lambda \sum_{j=1}^{k} e^{-\lambda_0 (t_k - t_j)/2}\, S_j\, (t_j - t_{j-1}),

    where :math:`S_j` bounds :math:`\|\dot a\|` on :math:`(t_{j-1}, t_j]`. This is the
    variation-of-constants form of :func:`stationarity_envelope`; when the pull settles
    (:math:`S_j \to 0`) the bound decays to zero.

    Parameters
    ----------
    times : numpy.ndarray
        Increasing record times :math:`t_0 = 0 < t_1 < \dots`.
    max_pull_speed : numpy.ndarray
        :math:`S_j`, the largest pull speed since the previous record (the ``max_pull_speed``
        of :class:`AdversarialRecord`); its first entry is ignored.
    output_grad0 : float
        :math:`\|g(0)\|`.
    lam : float
        :math:`\lambda \ge 0`.
    lambda0 : float
        :math:`\lambda_0 > 0`.
    """
    times = np.asarray(times, dtype=float)
    speeds = np.asarray(max_pull_speed, dtype=float)
    if times.ndim != 1 or times.shape != speeds.shape or times.size < 1:
        raise ValueError(
            f"times and max_pull_speed must be 1-D arrays of equal, non-zero length, got shapes "
            f"{times.shape} and {speeds.shape}"
        )
    if times[0] != 0 or np.any(np.diff(times) <= 0):
        raise ValueError("times must start at 0 and increase strictly")
    if np.any(speeds[1:] < 0) or not np.all(np.isfinite(speeds)):
        raise ValueError("max_pull_speed must contain finite, non-negative numbers")
    output_grad0 = require_non_negative("output_grad0", output_grad0)
    lam = require_non_negative("lam", lam)
    lambda0 = require_positive("lambda0", lambda0)

    contraction = np.exp(-lambda0 * np.diff(times) / 2)
    bound = np.empty_like(times)
    bound[0] = output_grad0
    for k in range(1, times.size):
        increment = lam * speeds[k] * (times[k] - times[k - 1])
        bound[k] = contraction[k - 1] * bound[k - 1] + increment
    return bound


def displacement_envelope(
    times: np.ndarray, output_grad_bound: np.ndarray, max_pull_speed: np.ndarray, lam: float,
    n: int, m: int,
) -> np.ndarray:
    r"""Time-resolved bound on :math:`\max_r \|w_r(t) - w_r(0)\|` from a bound on :math:`\|g\|`.

    Each neuron moves at speed :math:`\|\dot w_r\| \le \sqrt{n/m}\, \|g\|`, so

    .. math::

        \|w_r(t_k) - w_r(0)\| \le \sqrt{\frac{n}{m}} \sum_{j=1}^{k}
        (t_j - t_{j-1}) \bigl(B_{j-1} + \lambda S_j (t_j - t_{j-1})\bigr),

    where :math:`B_j` is the bound of :func:`stationarity_bound` at :math:`t_j` (which bounds
    :math:`\|g\|` on the window :math:`(t_{j-1}, t_j]` by
    :math:`B_{j-1} + \lambda S_j (t_j - t_{j-1})`).

    Parameters
    ----------
    times : numpy.ndarray
        Record times, starting at 0 and increasing.
    output_grad_bound : numpy.ndarray
        :math:`B_j`, from :func:`stationarity_bound`.
    max_pull_speed : numpy.ndarray
        :math:`S_j`, as passed to :func:`stationarity_bound`.
    lam : float
        :math:`\lambda \ge 0`.
    n : int
        Number of inputs :math:`n`.
    m : int
        Width :math:`m`.
    """
    times = np.asarray(times, dtype=float)
    bound = np.asarray(output_grad_bound, dtype=float)
    speeds = np.asarray(max_pull_speed, dtype=float)
    if not (times.ndim == 1 and times.shape == bound.shape == speeds.shape and times.size >= 1):
        raise ValueError(
            f"times, output_grad_bound and max_pull_speed must be 1-D arrays of equal, non-zero "
            f"length, got shapes {times.shape}, {bound.shape} and {speeds.shape}"
        )
    lam = require_non_negative("lam", lam)
    n = require_positive_int("n", n)
    m = require_positive_int("m", m)
    widths = np.diff(times)
    window = widths * (bound[:-1] + lam * speeds[1:] * widths)
    return math.sqrt(n / m) * np.concatenate([[0.0], np.cumsum(window)])


def adversarial_displacement_bound(
    t: float, output_grad0: float, lam: float, pull_speed_bound: float, n: int, m: int,
    lambda0: float,
) -> float:
    r"""Bound on :math:`\max_r \|w_r(t) - w_r(0)\|` under the adversarial flow.

    .. math::

        \|w_r(t) - w_r(0)\| \le \sqrt{\frac{n}{m}} \left[
            \frac{2 \|g(0)\|}{\lambda_0}\left(1 - e^{-\lambda_0 t/2}\right)
            + \frac{2 \lambda \dot A}{\lambda_0}\, t \right]

    The first term is the supervised bound :math:`R'` with :math:`g(0)` in place of
    :math:`r(0)`; the second grows with :math:`t` unless the pull settles
    (:math:`\dot A = 0`).

    Parameters
    ----------
    t : float
        Time :math:`t \ge 0`.
    output_grad0 : float
        :math:`\|g(0)\|`.
    lam : float
        :math:`\lambda \ge 0`.
    pull_speed_bound : float
        :math:`\dot A \ge \sup_{s \le t} \|\dot a(s)\|`.
    n : int
        Number of inputs :math:`n`.
    m : int
        Width :math:`m`.
    lambda0 : float
        :math:`\lambda_0 > 0`.
    """
    t = require_non_negative("t", t)
    output_grad0 = require_non_negative("output_grad0", output_grad0)
    lam = require_non_negative("lam", lam)
    pull_speed_bound = require_non_negative("pull_speed_bound", pull_speed_bound)
    n = require_positive_int("n", n)
    m = require_positive_int("m", m)
    lambda0 = require_positive("lambda0", lambda0)
    transient = 2 * output_grad0 / lambda0 * (1 - math.exp(-lambda0 * t / 2))
    drift = 2 * lam * pull_speed_bound / lambda0 * t
    return math.sqrt(n / m) * (transient + drift)
