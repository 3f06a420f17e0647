r"""Gradient systems: gradient descent as a flow, and why a shared loss cannot form Turing patterns.

A gradient system follows :math:`\dot x = -\nabla E(x)`. On a sheet of sites coupled by
diffusion with non-negative strengths :math:`D = \mathrm{diag}(D_1, \dots, D_p)`, its linearisation
at a homogeneous state :math:`x^*` is, mode by mode,

.. math::

    A(s) = -\big(H + s\,D\big), \qquad H = \nabla^2 E(x^*), \quad s \ge 0,

with :math:`-s` an eigenvalue of the Laplacian. When :math:`H` is symmetric positive definite
(a strict local minimum), :math:`A(s)` is symmetric negative definite for every :math:`s \ge 0`,
so every mode decays. This module draws random instances of that statement and computes their
largest growth rate by brute-force eigenvalues (not by the theorem), and does the same for
non-symmetric stable Jacobians (games), which diffusion can destabilise.

It also integrates gradient descent and the gradient flow of a small energy written in torch,
with gradients from autograd, for the chapter on learning as a flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
import torch

from prdlib.errors import (
    NonFiniteError,
    require_non_negative,
    require_positive,
    require_positive_int,
)
from prdlib.turing import lattice_laplacian_eigenvalue

__all__ = [
    "Instance",
    "SurveyResult",
    "random_spd_matrix",
    "random_stable_matrix",
    "random_coupling",
    "continuum_laplacian_eigenvalues",
    "lattice_laplacian_eigenvalues",
    "periodic_lattice_laplacian",
    "mode_growth_rates",
    "sheet_jacobian",
    "random_instances",
    "survey_growth_rates",
    "energy_gradient",
    "gradient_descent_path",
    "gradient_flow_path",
]

Energy = Callable[[torch.Tensor], torch.Tensor]


# ----------------------------------------------------------------------------------------------
# Random instances
# ----------------------------------------------------------------------------------------------


def _random_orthogonal(size: int, rng: np.random.Generator) -> np.ndarray:
    """Draw a Haar-random orthogonal matrix (QR of a Gaussian matrix with the sign fix)."""
    q, r = np.linalg.qr(rng.standard_normal((size, size)))
    return q * np.sign(np.diag(r))


def random_spd_matrix(
    size: int,
    rng: np.random.Generator,
    *,
    eigenvalue_range: tuple[float, float] = (1e-3, 10.0),
) -> np.ndarray:
    r"""Draw a random symmetric positive definite matrix :math:`H = Q \Lambda Q^\top`.

    :math:`Q` is Haar-random orthogonal and the eigenvalues are log-uniform in
    ``eigenvalue_range``, so both well- and ill-conditioned Hessians appear.

    Parameters
    ----------
    size : int
        Dimension :math:`p \ge 1`.
    rng : numpy.random.Generator
        Source of randomness.
    eigenvalue_range : (float, float)
        Smallest and largest eigenvalue allowed, ``0 < low <= high``.
    """
    size = require_positive_int("size", size)
    low = require_positive("eigenvalue_range[0]", eigenvalue_range[0])
    high = require_positive("eigenvalue_range[1]", eigenvalue_range[1])
    if low > high:
        raise ValueError(f"eigenvalue_range must satisfy low <= high, got {eigenvalue_range}")
    eigenvalues = np.exp(rng.uniform(np.log(low), np.log(high), size))
    q = _random_orthogonal(size, rng)
    matrix = (q * eigenvalues) @ q.T
    return 0.5 * (matrix + matrix.T)


def random_stable_matrix(size: int, rng: np.random.Generator, *, skew: float = 3.0) -> np.ndarray:
    r"""Draw a random non-symmetric matrix whose eigenvalues all have negative real part.

    The matrix is :math:`-H + K` with :math:`H` from :func:`random_spd_matrix` and
    :math:`K` a Gaussian matrix of standard deviation ``skew``, redrawn until it is stable
    (every eigenvalue has real part below zero). It is the Jacobian of a game, not of a
    gradient system, because its symmetric part need not be negative definite.

    Parameters
    ----------
    size : int
        Dimension :math:`p \ge 1`.
    rng : numpy.random.Generator
        Source of randomness.
    skew : float
        Standard deviation of the entries of :math:`K`, ``>= 0``.
    """
    size = require_positive_int("size", size)
    skew = require_non_negative("skew", skew)
    for _attempt in range(1000):
        matrix = -random_spd_matrix(size, rng) + skew * rng.standard_normal((size, size))
        if np.max(np.linalg.eigvals(matrix).real) < 0:
            return matrix
    raise ValueError(f"no stable matrix found in 1000 draws with skew = {skew}; use a smaller skew")  # pragma: no cover


def random_coupling(
    size: int,
    rng: np.random.Generator,
    *,
    max_strength: float = 100.0,
    zero_probability: float = 0.2,
) -> np.ndarray:
    r"""Draw non-negative coupling strengths :math:`D_1, \dots, D_p`.

    Each strength is zero with probability ``zero_probability`` and otherwise log-uniform in
    ``[1e-3 max_strength, max_strength]``, so very unequal ratios appear.
    """
    size = require_positive_int("size", size)
    max_strength = require_positive("max_strength", max_strength)
    if not 0.0 <= zero_probability <= 1.0:
        raise ValueError(f"zero_probability must lie in [0, 1], got {zero_probability}")
    strengths = max_strength * np.exp(rng.uniform(np.log(1e-3), 0.0, size))
    strengths[rng.uniform(size=size) < zero_probability] = 0.0
    return strengths


# ----------------------------------------------------------------------------------------------
# Laplacian eigenvalues
# ----------------------------------------------------------------------------------------------


def continuum_laplacian_eigenvalues(k_max: float, points: int) -> np.ndarray:
    r"""Return :math:`s = k^2` for ``points`` wavenumbers :math:`k` evenly spaced in :math:`[0, k_{\max}]`."""
    k_max = require_positive("k_max", k_max)
    points = require_positive_int("points", points, minimum=2)
    return np.linspace(0.0, k_max, points) ** 2


def lattice_laplacian_eigenvalues(size: int, spacing: float = 1.0) -> np.ndarray:
    r"""Return :math:`s` for every Fourier mode of a periodic ``size`` x ``size`` lattice.

    The wavenumbers are :math:`k = 2\pi j / (N h)`, :math:`j = 0, \dots, N - 1`, in both
    directions, and :math:`s` comes from :func:`prdlib.turing.lattice_laplacian_eigenvalue`.
    Returns a flat array of :math:`N^2` values (with repeats).
    """
    size = require_positive_int("size", size)
    spacing = require_positive("spacing", spacing)
    k = 2.0 * np.pi * np.arange(size) / (size * spacing)
    kx, ky = np.meshgrid(k, k, indexing="ij")
    return np.asarray(lattice_laplacian_eigenvalue(kx, ky, spacing)).ravel()


def periodic_lattice_laplacian(size: int) -> np.ndarray:
    r"""Return the graph Laplacian :math:`L` of the periodic ``size`` x ``size`` lattice.

    :math:`L = 4 I - (\text{adjacency})` with unit spacing, so :math:`-L` is the 5-point
    Laplacian and :math:`L` is symmetric positive semi-definite. Sites are numbered row by row.
    Requires ``size >= 3`` so that the four neighbours of a site are distinct.
    """
    size = require_positive_int("size", size, minimum=3)
    cycle = 2.0 * np.eye(size) - np.roll(np.eye(size), 1, axis=1) - np.roll(np.eye(size), -1, axis=1)
    identity = np.eye(size)
    return np.kron(identity, cycle) + np.kron(cycle, identity)


# ----------------------------------------------------------------------------------------------
# Growth rates by brute force
# ----------------------------------------------------------------------------------------------


def _square(name: str, matrix: Any) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"{name} must be a square matrix, got shape {matrix.shape}")
    if not np.all(np.isfinite(matrix)):
        raise ValueError(f"{name} must contain only finite numbers")
    return matrix


def _coupling(diffusion: Any, size: int) -> np.ndarray:
    diffusion = np.asarray(diffusion, dtype=np.float64)
    if diffusion.shape != (size,):
        raise ValueError(f"diffusion must have one strength per species ({size}), got shape {diffusion.shape}")
    if not np.all(np.isfinite(diffusion)) or np.any(diffusion < 0):
        raise ValueError(f"diffusion strengths must be finite and non-negative (>= 0), got {diffusion.tolist()}")
    return diffusion


def mode_growth_rates(jacobian: Any, diffusion: Any, s: Any) -> np.ndarray:
    r"""Compute :math:`\max \mathrm{Re}\,\mathrm{eig}(J - s\,\mathrm{diag}(D))` for each ``s``.

    The eigenvalues come from :func:`numpy.linalg.eigvals` (a general, non-symmetric solver),
    so the result does not assume any structure of :math:`J`.

    Parameters
    ----------
    jacobian : array, shape (p, p)
        Reaction Jacobian :math:`J` (for a gradient system, :math:`-H`).
    diffusion : array, shape (p,)
        Coupling strengths :math:`D_i \ge 0`.
    s : array
        Laplacian eigenvalues :math:`s \ge 0`.

    Returns
    -------
    numpy.ndarray
        The growth rate of each mode, same shape as ``s``.
    """
    jacobian = _square("jacobian", jacobian)
    diffusion = _coupling(diffusion, jacobian.shape[0])
    s = np.asarray(s, dtype=np.float64)
    if not np.all(np.isfinite(s)) or np.any(s < 0):
        raise ValueError("s (Laplacian eigenvalues) must be finite and non-negative (>= 0)")
    matrices = jacobian - s.reshape(-1, 1, 1) * np.diag(diffusion)
    rates = np.linalg.eigvals(matrices).real.max(axis=-1)
    return rates.reshape(s.shape)


def sheet_jacobian(jacobian: Any, diffusion: Any, size: int) -> np.ndarray:
    r"""Assemble the linearisation of a whole periodic ``size`` x ``size`` sheet.

    .. math::

        \mathcal{J} = I_{N^2} \otimes J - L \otimes \mathrm{diag}(D),

    with :math:`L` from :func:`periodic_lattice_laplacian`; the state is ordered site by site.
    Its eigenvalues are those of :math:`J - s\,\mathrm{diag}(D)` over the lattice's :math:`s`,
    which a test checks, so it is an independent route to the same growth rates.
    """
    jacobian = _square("jacobian", jacobian)
    diffusion = _coupling(diffusion, jacobian.shape[0])
    laplacian = periodic_lattice_laplacian(size)
    return np.kron(np.eye(laplacian.shape[0]), jacobian) - np.kron(laplacian, np.diag(diffusion))


@dataclass(frozen=True)
class Instance:
    """One random linearised sheet: a per-site Jacobian, coupling strengths and its modes.

    Attributes
    ----------
    jacobian : numpy.ndarray
        Per-site Jacobian :math:`J` (``-H`` for a gradient system).
    diffusion : numpy.ndarray
        Coupling strengths :math:`D_i \\ge 0`.
    s : numpy.ndarray
        Laplacian eigenvalues of the modes checked (lattice and continuum).
    lattice_size : int
        Side :math:`N` of the periodic lattice whose modes are in ``s``.
    """

    jacobian: np.ndarray
    diffusion: np.ndarray
    s: np.ndarray
    lattice_size: int


def random_instances(
    count: int,
    *,
    seed: int,
    kind: str = "gradient",
    sizes: Sequence[int] = (2, 3, 4, 5),
    lattice_sizes: Sequence[int] = (8, 16, 32),
    continuum_k_max: float = 10.0,
    continuum_points: int = 200,
) -> list[Instance]:
    r"""Draw ``count`` random linearised sheets.

    Each instance picks a size :math:`p` from ``sizes``, a per-site Jacobian, coupling strengths
    from :func:`random_coupling`, and the modes of a periodic lattice with side from
    ``lattice_sizes`` together with continuum modes :math:`s = k^2`, :math:`0 \le k \le`
    ``continuum_k_max``.

    Parameters
    ----------
    count : int
        Number of instances.
    seed : int
        Seed of the numpy generator.
    kind : {"gradient", "game"}
        ``"gradient"``: :math:`J = -H` with :math:`H` from :func:`random_spd_matrix`.
        ``"game"``: :math:`J` from :func:`random_stable_matrix` (stable, not symmetric).
    """
    count = require_positive_int("count", count)
    if kind not in ("gradient", "game"):
        raise ValueError(f"kind must be 'gradient' or 'game', got {kind!r}")
    if len(sizes) == 0 or len(lattice_sizes) == 0:
        raise ValueError("sizes and lattice_sizes must each contain at least one value")
    sizes = [require_positive_int("sizes[...]", size) for size in sizes]
    lattice_sizes = [require_positive_int("lattice_sizes[...]", size) for size in lattice_sizes]
    continuum = continuum_laplacian_eigenvalues(continuum_k_max, continuum_points)
    rng = np.random.default_rng(seed)
    instances = []
    for _ in range(count):
        size = int(rng.choice(sizes))
        if kind == "gradient":
            jacobian = -random_spd_matrix(size, rng)
        else:
            jacobian = random_stable_matrix(size, rng)
        lattice_size = int(rng.choice(lattice_sizes))
        s = np.concatenate([lattice_laplacian_eigenvalues(lattice_size), continuum])
        instances.append(Instance(jacobian, random_coupling(size, rng), s, lattice_size))
    return instances


@dataclass(frozen=True)
class SurveyResult:
    """Largest growth rate over the modes of each instance.

    Attributes
    ----------
    max_growth : numpy.ndarray
        For each instance, the largest :math:`\\max \\mathrm{Re}\\,\\mathrm{eig}(J - sD)` over its
        modes (brute force).
    homogeneous_growth : numpy.ndarray
        For each instance, the growth rate of the homogeneous mode :math:`s = 0`.
    patterned : numpy.ndarray
        Boolean, true where some mode grows (``max_growth > 0``) although the homogeneous mode
        decays: a Turing instability.
    """

    max_growth: np.ndarray
    homogeneous_growth: np.ndarray
    patterned: np.ndarray

    @property
    def count(self) -> int:
        """Number of instances surveyed."""
        return int(self.max_growth.size)


def survey_growth_rates(instances: Sequence[Instance]) -> SurveyResult:
    """Compute the largest growth rate over modes of every instance by brute-force eigenvalues."""
    if len(instances) == 0:
        raise ValueError("instances must contain at least one instance")
    max_growth = np.empty(len(instances))
    homogeneous = np.empty(len(instances))
    for index, instance in enumerate(instances):
        rates = mode_growth_rates(instance.jacobian, instance.diffusion, instance.s)
        max_growth[index] = rates.max()
        homogeneous[index] = mode_growth_rates(instance.jacobian, instance.diffusion, 0.0)
    return SurveyResult(max_growth, homogeneous, (max_growth > 0) & (homogeneous < 0))


# ----------------------------------------------------------------------------------------------
# Gradient descent and gradient flow of a small energy
# ----------------------------------------------------------------------------------------------


def _start(x0: Any) -> np.ndarray:
    x0 = np.asarray(x0, dtype=np.float64)
    if x0.ndim != 1 or x0.size == 0:
        raise ValueError(f"x0 must be a non-empty 1-dimensional array, got shape {x0.shape}")
    if not np.all(np.isfinite(x0)):
        raise ValueError("x0 must contain only finite numbers")
    return x0


def energy_gradient(energy: Energy, x: Any) -> np.ndarray:
    r"""Compute :math:`\nabla E(x)` with torch autograd (``energy`` maps a float64 tensor to a scalar)."""
    point = torch.as_tensor(np.asarray(x, dtype=np.float64)).clone().requires_grad_(True)
    value = energy(point)
    if value.ndim != 0:
        raise ValueError(f"energy must return a scalar (0-d tensor), got shape {tuple(value.shape)}")
    (gradient,) = torch.autograd.grad(value, point)
    return gradient.numpy()


def gradient_descent_path(energy: Energy, x0: Any, *, lr: float, steps: int) -> np.ndarray:
    r"""Iterate :math:`x_{k+1} = x_k - \eta \nabla E(x_k)` and return every iterate.

    Parameters
    ----------
    energy : callable
        :math:`E`, a function of a float64 tensor returning a scalar tensor.
    x0 : array, shape (p,)
        Start :math:`x_0`.
    lr : float
        Step size :math:`\eta > 0`. Iterate ``k`` approximates the flow at time :math:`\eta k`.
    steps : int
        Number of steps.

    Returns
    -------
    numpy.ndarray
        Shape ``(steps + 1, p)``.

    Raises
    ------
    prdlib.errors.NonFiniteError
        If an iterate becomes NaN or Inf.
    """
    x = _start(x0)
    lr = require_positive("lr", lr)
    steps = require_positive_int("steps", steps)
    path = np.empty((steps + 1, x.size))
    path[0] = x
    for step in range(1, steps + 1):
        x = x - lr * energy_gradient(energy, x)
        if not np.all(np.isfinite(x)):
            raise NonFiniteError("gradient-descent iterate", step, lr * step)
        path[step] = x
    return path


def gradient_flow_path(
    energy: Energy,
    x0: Any,
    times: Any,
    *,
    rtol: float = 1e-11,
    atol: float = 1e-13,
) -> np.ndarray:
    r"""Solve the gradient flow :math:`\dot x = -\nabla E(x)` accurately at the given times.

    Uses :func:`scipy.integrate.solve_ivp` with the 8th-order Dormand-Prince method and the
    tolerances given, with the gradient from torch autograd. This is the reference against which
    gradient descent's error is measured.

    Parameters
    ----------
    energy : callable
        :math:`E`, as in :func:`gradient_descent_path`.
    x0 : array, shape (p,)
        Start :math:`x(0)`.
    times : array
        Increasing times :math:`\ge 0` at which to report :math:`x(t)`.
    rtol, atol : float
        Relative and absolute tolerances of the integrator.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(times), p)``.
    """
    from scipy.integrate import solve_ivp

    x = _start(x0)
    times = np.asarray(times, dtype=np.float64)
    if times.ndim != 1 or times.size == 0 or np.any(times < 0) or np.any(np.diff(times) < 0):
        raise ValueError("times must be a non-empty 1-dimensional array of non-negative, increasing times")
    if not np.all(np.isfinite(times)):
        raise ValueError("times must contain only finite numbers")
    rtol = require_positive("rtol", rtol)
    atol = require_positive("atol", atol)
    if times[-1] == 0.0:
        return np.repeat(x[None, :], times.size, axis=0)
    solution = solve_ivp(
        lambda _t, state: -energy_gradient(energy, state),
        (0.0, float(times[-1])),
        x,
        method="DOP853",
        t_eval=times,
        rtol=rtol,
        atol=atol,
    )
    if not solution.success:
        raise ValueError(f"gradient-flow integration failed: {solution.message}")
    return solution.y.T
