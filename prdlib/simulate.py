r"""Reaction-diffusion solvers on periodic 1D and 2D grids, with torch tensors.

The system is

.. math::

    u_t = f(u, v) + D_u \nabla^2 u, \qquad v_t = g(u, v) + D_v \nabla^2 v

on a periodic interval or square of side :math:`L` sampled at :math:`N` points per side
(spacing :math:`h = L / N`). Two time steppers are offered, both first order in the step
:math:`\Delta t`:

``"euler"``
    Explicit Euler with the finite-difference Laplacian (3-point in 1D, 5-point in 2D). It is
    stable for diffusion only when :math:`\Delta t \le h^2 / (2 d D_{\max})` in :math:`d`
    dimensions; a larger step raises ValueError.
``"spectral"``
    Semi-implicit (IMEX) Euler in Fourier space: diffusion implicit, reaction explicit,

    .. math::

        \hat u^{n+1} = \frac{\hat u^n + \Delta t\, \widehat{f(u^n, v^n)}}{1 + \Delta t\, D_u s(k)} .

    The Laplacian symbol :math:`s(k)` is either ``"continuum"`` (:math:`|k|^2`, the exact
    Laplacian of the trigonometric interpolant) or ``"lattice"``
    (:math:`\sum_i 4 \sin^2(k_i h / 2) / h^2`, the symbol of the finite-difference Laplacian).
    With the lattice symbol both steppers discretise the same system of ODEs in time, which
    gives a like-for-like comparison. Diffusion puts no limit on the step.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
import torch
from tqdm.auto import tqdm

from prdlib.errors import NonFiniteError, require_positive, require_positive_int
from prdlib.models import ReactionModel

__all__ = [
    "SimulationResult",
    "default_time_step",
    "euler_stability_limit",
    "initial_state",
    "simulate",
]

METHODS = ("spectral", "euler")
SYMBOLS = ("continuum", "lattice")
DTYPE = torch.float64


@dataclass(frozen=True)
class SimulationResult:
    """Outcome of :func:`simulate`. Arrays are numpy arrays on the CPU.

    Attributes
    ----------
    times
        Times of the snapshots, shape ``(n_snapshots,)``.
    u_snapshots, v_snapshots
        Fields at those times, shape ``(n_snapshots,) + grid shape``.
    u, v
        Fields at the final time ``t_end``.
    steps
        Number of time steps taken.
    dt
        Time step used (``t_end / steps``, at most the requested step).
    seconds
        Wall-clock duration of the time stepping.
    method, symbol
        Stepper and Laplacian symbol (``symbol`` is None for ``"euler"``).
    length, spacing
        Domain side :math:`L` and grid spacing :math:`h = L / N`.
    """

    times: np.ndarray
    u_snapshots: np.ndarray
    v_snapshots: np.ndarray
    u: np.ndarray
    v: np.ndarray
    steps: int
    dt: float
    seconds: float
    method: str
    symbol: str | None
    length: float
    spacing: float


def euler_stability_limit(Du: float, Dv: float, spacing: float, dims: int) -> float:
    r"""Return the explicit Euler diffusion limit :math:`h^2 / (2 d \max(D_u, D_v))`."""
    Du = require_positive("Du", Du)
    Dv = require_positive("Dv", Dv)
    spacing = require_positive("spacing", spacing)
    return spacing**2 / (2.0 * dims * max(Du, Dv))


def default_time_step(
    model: ReactionModel, Du: float, Dv: float, spacing: float, dims: int, method: str
) -> float:
    r"""Return a default time step from the reaction rate and, for ``"euler"``, the diffusion limit.

    The step is :math:`0.05 / \rho(J)`, capped for ``"euler"`` at half of
    :func:`euler_stability_limit`. :math:`\rho(J)` is the spectral radius of the reaction
    Jacobian at the steady state, taken as at least 0.1. This is a rule of thumb for the linear
    stage: a pattern of large amplitude can have faster reaction rates, and then needs a
    smaller step.
    """
    radius = float(np.max(np.abs(np.linalg.eigvals(model.jacobian()))))
    dt = 0.05 / max(radius, 0.1)
    if method == "euler":
        dt = min(dt, 0.5 * euler_stability_limit(Du, Dv, spacing, dims))
    return dt


def initial_state(
    model: ReactionModel,
    grid: int,
    *,
    dims: int = 2,
    noise: float = 1e-2,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Return the steady state plus independent Gaussian noise of standard deviation ``noise``.

    The noise comes from ``numpy.random.default_rng(seed)``, first for :math:`u`, then for
    :math:`v`, so the same seed gives the same state on every device.
    """
    grid = require_positive_int("grid", grid)
    noise = float(noise)
    if not (math.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite number >= 0, got {noise}")
    shape = (grid,) * dims
    u_star, v_star = model.steady_state()
    rng = np.random.default_rng(seed)
    u0 = u_star + noise * rng.standard_normal(shape)
    v0 = v_star + noise * rng.standard_normal(shape)
    return u0, v0


def _finite_difference_laplacian(field: torch.Tensor, spacing: float, dims: int) -> torch.Tensor:
    axes = tuple(range(-dims, 0))
    total = -2.0 * dims * field
    for axis in axes:
        total = total + torch.roll(field, 1, dims=axis) + torch.roll(field, -1, dims=axis)
    return total / spacing**2


def _symbol(grid: int, length: float, dims: int, symbol: str, device: torch.device) -> torch.Tensor:
    """Laplacian symbol s(k) >= 0 on the rfftn frequency grid."""
    spacing = length / grid
    full = 2.0 * math.pi * torch.fft.fftfreq(grid, d=spacing, dtype=DTYPE, device=device)
    half = 2.0 * math.pi * torch.fft.rfftfreq(grid, d=spacing, dtype=DTYPE, device=device)
    components = [full] * (dims - 1) + [half]
    mesh = torch.meshgrid(*components, indexing="ij")
    if symbol == "continuum":
        terms = [k**2 for k in mesh]
    else:
        terms = [4.0 * torch.sin(k * spacing / 2.0) ** 2 / spacing**2 for k in mesh]
    return sum(terms)


def _check_choice(name: str, value: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def _snapshot_steps(snapshot_times: Sequence[float] | None, t_end: float, dt: float,
                    steps: int) -> list[int]:
    if snapshot_times is None:
        return [0, steps]
    requested = np.asarray(snapshot_times, dtype=np.float64).ravel()
    if requested.size == 0 or not np.all(np.isfinite(requested)):
        raise ValueError("snapshot_times must be a non-empty list of finite times")
    if np.any(requested < 0) or np.any(requested > t_end * (1 + 1e-12)):
        raise ValueError(
            f"snapshot_times must lie in [0, t_end] = [0, {t_end}], got "
            f"[{requested.min()}, {requested.max()}]"
        )
    return sorted({min(int(round(t / dt)), steps) for t in requested})


def simulate(
    model: ReactionModel,
    Du: float,
    Dv: float,
    *,
    grid: int,
    length: float,
    t_end: float,
    dims: int = 2,
    dt: float | None = None,
    method: str = "spectral",
    symbol: str = "continuum",
    seed: int = 0,
    noise: float = 1e-2,
    initial: tuple[Any, Any] | None = None,
    snapshot_times: Sequence[float] | None = None,
    progress: bool = False,
    device: str | torch.device = "cpu",
    num_threads: int | None = 1,
) -> SimulationResult:
    r"""Integrate :math:`u_t = f + D_u \nabla^2 u,\ v_t = g + D_v \nabla^2 v` on a periodic grid.

    Parameters
    ----------
    model
        Reaction model (:mod:`prdlib.models`) giving :math:`f, g` and the steady state.
    Du, Dv
        Diffusion coefficients :math:`D_u, D_v > 0`.
    grid
        Number of points per side :math:`N \ge 2`.
    length
        Side :math:`L > 0` of the periodic domain; the spacing is :math:`h = L / N`.
    t_end
        Final time :math:`T > 0`.
    dims
        1 or 2 space dimensions.
    dt
        Time step :math:`\Delta t`; :func:`default_time_step` when None. The step is reduced to
        ``t_end / ceil(t_end / dt)`` so that the run ends exactly at ``t_end``.
    method
        ``"spectral"`` (semi-implicit Fourier) or ``"euler"`` (explicit finite differences).
    symbol
        Laplacian symbol of the spectral method, ``"continuum"`` or ``"lattice"``.
    seed, noise
        Initial state: steady state plus Gaussian noise of standard deviation ``noise``
        (see :func:`initial_state`). Ignored when ``initial`` is given.
    initial
        Optional ``(u0, v0)`` arrays of the grid's shape.
    snapshot_times
        Times in :math:`[0, T]` at which to store the fields, each rounded to the nearest step;
        by default :math:`0` and :math:`T`.
    progress
        Show a tqdm progress bar.
    device
        torch device for the computation.
    num_threads
        torch intra-op threads during the run (restored afterwards); None keeps the current
        setting. The default is 1 because each step is a handful of small operations, where
        thread synchronisation costs more than it saves. On a loaded 2-core machine a 64 x 64
        spectral step took about 0.12 ms with 1 thread and 8 ms with 2.

    Returns
    -------
    SimulationResult

    Raises
    ------
    ValueError
        For invalid input, including ``dt`` above the explicit Euler stability limit (the
        message gives the limit).
    prdlib.errors.NonFiniteError
        If :math:`u` or :math:`v` becomes NaN or Inf; the message gives the step and time.
    """
    Du = require_positive("Du", Du)
    Dv = require_positive("Dv", Dv)
    grid = require_positive_int("grid", grid, minimum=2)
    length = require_positive("length", length)
    t_end = require_positive("t_end", t_end)
    if dims not in (1, 2):
        raise ValueError(f"dims must be 1 or 2, got {dims!r}")
    _check_choice("method", method, METHODS)
    _check_choice("symbol", symbol, SYMBOLS)
    spacing = length / grid

    if dt is None:
        dt = default_time_step(model, Du, Dv, spacing, dims, method)
    dt = require_positive("dt", dt)
    if method == "euler":
        limit = euler_stability_limit(Du, Dv, spacing, dims)
        if dt > limit:
            raise ValueError(
                f"dt = {dt:.6g} exceeds the explicit Euler stability limit "
                f"h^2 / (2 d max(Du, Dv)) = {limit:.6g} (h = {spacing:.6g}, d = {dims}); "
                f"use dt <= {limit:.6g} or method='spectral'"
            )
    steps = max(1, math.ceil(t_end / dt - 1e-9))
    dt = t_end / steps
    record = set(_snapshot_steps(snapshot_times, t_end, dt, steps))

    shape = (grid,) * dims
    if initial is None:
        u0, v0 = initial_state(model, grid, dims=dims, noise=noise, seed=seed)
    else:
        u0, v0 = (np.asarray(part.detach().cpu() if hasattr(part, "detach") else part,
                             dtype=np.float64) for part in initial)
        for name, part in (("initial u", u0), ("initial v", v0)):
            if part.shape != shape:
                raise ValueError(f"{name} must have shape {shape}, got {part.shape}")
            if not np.all(np.isfinite(part)):
                raise ValueError(f"{name} contains NaN or Inf")
    device = torch.device(device)
    u = torch.as_tensor(u0, dtype=DTYPE, device=device).clone()
    v = torch.as_tensor(v0, dtype=DTYPE, device=device).clone()

    step_function = _make_stepper(model, Du, Dv, dt, grid, length, dims, method, symbol, device)
    times: list[float] = []
    u_frames: list[np.ndarray] = []
    v_frames: list[np.ndarray] = []
    if 0 in record:
        times.append(0.0)
        u_frames.append(u.cpu().numpy().copy())
        v_frames.append(v.cpu().numpy().copy())

    previous_threads = torch.get_num_threads()
    if num_threads is not None:
        torch.set_num_threads(require_positive_int("num_threads", num_threads))
    start = time.perf_counter()
    try:
        for step in tqdm(range(1, steps + 1), disable=not progress,
                         desc=f"{model.name} {method}"):
            u, v = step_function(u, v)
            if not (torch.isfinite(u).all() and torch.isfinite(v).all()):
                raise NonFiniteError("u or v", step, step * dt)
            if step in record:
                times.append(step * dt)
                u_frames.append(u.cpu().numpy().copy())
                v_frames.append(v.cpu().numpy().copy())
    finally:
        torch.set_num_threads(previous_threads)
    seconds = time.perf_counter() - start

    return SimulationResult(
        times=np.array(times),
        u_snapshots=np.stack(u_frames),
        v_snapshots=np.stack(v_frames),
        u=u.cpu().numpy(),
        v=v.cpu().numpy(),
        steps=steps,
        dt=dt,
        seconds=seconds,
        method=method,
        symbol=symbol if method == "spectral" else None,
        length=length,
        spacing=spacing,
    )


def _make_stepper(
    model: ReactionModel,
    Du: float,
    Dv: float,
    dt: float,
    grid: int,
    length: float,
    dims: int,
    method: str,
    symbol: str,
    device: torch.device,
) -> Callable[[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:
    spacing = length / grid
    if method == "euler":

        def euler_step(u: torch.Tensor, v: torch.Tensor):
            f, g = model.reaction(u, v)
            u_next = u + dt * (f + Du * _finite_difference_laplacian(u, spacing, dims))
            v_next = v + dt * (g + Dv * _finite_difference_laplacian(v, spacing, dims))
            return u_next, v_next

        return euler_step

    s = _symbol(grid, length, dims, symbol, device)
    damping_u = 1.0 / (1.0 + dt * Du * s)
    damping_v = 1.0 / (1.0 + dt * Dv * s)
    axes = tuple(range(-dims, 0))
    shape = (grid,) * dims

    def spectral_step(u: torch.Tensor, v: torch.Tensor):
        f, g = model.reaction(u, v)
        u_hat = torch.fft.rfftn(u + dt * f, dim=axes) * damping_u
        v_hat = torch.fft.rfftn(v + dt * g, dim=axes) * damping_v
        return (torch.fft.irfftn(u_hat, s=shape, dim=axes),
                torch.fft.irfftn(v_hat, s=shape, dim=axes))

    return spectral_step
