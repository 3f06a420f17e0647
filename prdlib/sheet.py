r"""The neural sheet: an N x N periodic lattice of per-site games with lateral coupling.

Site :math:`r` carries a generator parameter :math:`u_r` and a discriminator parameter :math:`v_r`.
With the per-site losses :math:`\ell_G, \ell_D` of :mod:`prdlib.prd` and the lateral coupling

.. math::

    S(w) = \frac{1}{2} \sum_{\langle r, s \rangle} (w_r - w_s)^2

over nearest-neighbour pairs of the periodic lattice (each pair once), the players minimise

.. math::

    L_G(u, v) = \sum_r \ell_G(u_r, v_r) + D_u S(u), \qquad
    L_D(u, v) = \sum_r \ell_D(u_r, v_r) + D_v S(v).

Because :math:`-\partial S / \partial w_r = (\Delta w)_r`, the 5-point lattice Laplacian with
unit spacing, gradient descent with step :math:`\eta` is the explicit Euler scheme of

.. math::

    \dot u = R_u(u, v) + D_u \Delta u, \qquad \dot v = R_v(u, v) + D_v \Delta v,

a reaction-diffusion system whose "reaction" is the per-site game: the pseudo-reaction-diffusion
model. Training computes the gradients with torch autograd through :mod:`prdlib.games`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import torch

from prdlib import games, patterns, prd, turing
from prdlib.errors import (
    NonFiniteError,
    require_non_negative,
    require_positive,
    require_positive_int,
)

__all__ = [
    "coupling_energy",
    "lattice_laplacian",
    "sheet_losses",
    "sheet_rhs",
    "max_stable_lr",
    "default_equilibrium",
    "initial_state",
    "lattice_wavenumbers",
    "lattice_growth_rates",
    "fastest_lattice_mode",
    "sheet_lr_limit",
    "homogeneous_basins",
    "SheetRun",
    "check_schedule",
    "train_sheet",
]

DTYPE = torch.float64

def _check_field(name: str, w: torch.Tensor) -> None:
    if w.dim() != 2 or w.shape[0] != w.shape[1]:
        raise ValueError(f"{name} must be a square N x N tensor, got shape {tuple(w.shape)}")
    if w.shape[0] < 3:
        raise ValueError(
            f"{name} must be at least 3 x 3 (on a smaller periodic grid a site's two neighbours "
            f"along an axis coincide), got {w.shape[0]} x {w.shape[1]}"
        )


def coupling_energy(w: torch.Tensor) -> torch.Tensor:
    r"""Compute the lateral coupling :math:`S(w) = \frac{1}{2}\sum_{\langle r,s\rangle}(w_r - w_s)^2`.

    Each nearest-neighbour pair of the periodic N x N lattice (N >= 3) is counted once: the pair
    of a site with its right neighbour and the pair with its upper neighbour.

    Parameters
    ----------
    w
        Field :math:`w`, a square tensor of shape (N, N) with N >= 3.

    Returns
    -------
    torch.Tensor
        A scalar tensor, differentiable in ``w``.
    """
    _check_field("w", w)
    right = w - torch.roll(w, shifts=-1, dims=1)
    up = w - torch.roll(w, shifts=-1, dims=0)
    # Products instead of squares, because their backward is cheaper in autograd.
    return 0.5 * ((right * right).sum() + (up * up).sum())


def lattice_laplacian(w: torch.Tensor) -> torch.Tensor:
    r"""Apply the periodic 5-point Laplacian with unit spacing, :math:`(\Delta w)_r = \sum_{s \sim r} w_s - 4 w_r`."""
    _check_field("w", w)
    return (torch.roll(w, 1, 0) + torch.roll(w, -1, 0) + torch.roll(w, 1, 1)
            + torch.roll(w, -1, 1) - 4.0 * w)


def sheet_losses(params: prd.PRDParams, Du: float, Dv: float, u: torch.Tensor, v: torch.Tensor
                 ) -> tuple[torch.Tensor, torch.Tensor]:
    r"""Evaluate the total losses :math:`L_G` and :math:`L_D` of the sheet.

    .. math::

        L_G = \sum_r \ell_G(u_r, v_r) + D_u S(u), \qquad
        L_D = \sum_r \ell_D(u_r, v_r) + D_v S(v).

    Parameters
    ----------
    params
        The per-site game's parameters.
    Du, Dv
        Coupling strengths :math:`D_u, D_v \ge 0` of the generators and of the discriminators.
    u, v
        The fields, square tensors of shape (N, N) with N >= 3.
    """
    Du, Dv = require_non_negative("Du", Du), require_non_negative("Dv", Dv)
    generator = prd.generator_site_loss(params, u, v).sum() + Du * coupling_energy(u)
    discriminator = prd.discriminator_site_loss(params, u, v).sum() + Dv * coupling_energy(v)
    return generator, discriminator


def sheet_rhs(params: prd.PRDParams, Du: float, Dv: float, u: torch.Tensor, v: torch.Tensor
              ) -> tuple[torch.Tensor, torch.Tensor]:
    r"""Evaluate the reaction-diffusion right-hand side :math:`(R_u + D_u \Delta u, R_v + D_v \Delta v)`.

    This is the continuous-time limit of gradient play on :func:`sheet_losses`, written as
    reaction plus lattice diffusion (the reaction from :func:`prdlib.prd.reaction`).
    """
    Du, Dv = require_non_negative("Du", Du), require_non_negative("Dv", Dv)
    r_u, r_v = prd.reaction(params, u, v)
    return r_u + Du * lattice_laplacian(u), r_v + Dv * lattice_laplacian(v)


def max_stable_lr(Du: float, Dv: float) -> float:
    r"""Return the explicit stability limit of the step from the coupling, :math:`1 / (4 \max(D_u, D_v))`.

    A Fourier mode of the 5-point Laplacian has eigenvalue :math:`-s` with
    :math:`0 \le s \le 8` (unit spacing, 2D). Under the coupling alone one step multiplies it by
    :math:`1 - \eta D s`, which stays inside :math:`(-1, 1]` for every such :math:`s` exactly
    when :math:`\eta < 1 / (4 D)`. The bound ignores the reaction, whose Jacobian can shift the
    limit a little either way.
    """
    Du, Dv = require_non_negative("Du", Du), require_non_negative("Dv", Dv)
    largest = max(Du, Dv)
    return float("inf") if largest == 0 else 1.0 / (4.0 * largest)


def default_equilibrium(params: prd.PRDParams) -> prd.Equilibrium:
    r"""Return the stable equilibrium with the largest :math:`f_u` (the adversarial compromise if any).

    Of the stable equilibria of the per-site game, the one whose generator self-activates most is
    the one that can be Turing-unstable. With :math:`\lambda = 0` it is the single equilibrium.

    Raises
    ------
    ValueError
        If the game has no stable equilibrium (or none is found).
    """
    stable = [eq for eq in prd.find_equilibria(params) if eq.stable]
    if not stable:
        raise ValueError(
            f"the per-site game has no stable homogeneous equilibrium for {params}; pass "
            "equilibrium=(u, v) or start=(u0, v0) explicitly"
        )
    return max(stable, key=lambda eq: float(eq.jacobian[0, 0]))


def initial_state(
    n: int,
    equilibrium: tuple[float, float],
    *,
    noise: float = 1e-3,
    seed: int = 0,
    device: Any = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    r"""Return a homogeneous state :math:`(u^*, v^*)` plus independent Gaussian noise at every site.

    Parameters
    ----------
    n
        Side of the sheet, N >= 3.
    equilibrium
        The homogeneous state :math:`(u^*, v^*)`.
    noise
        Standard deviation of the perturbation of each site (>= 0).
    seed
        Seed of the torch generator that draws the noise.
    device
        Torch device of the returned tensors (CPU by default).
    """
    n = require_positive_int("n", n, minimum=3)
    noise = require_non_negative("noise", noise)
    generator = torch.Generator().manual_seed(int(seed))
    perturbation = torch.randn((2, n, n), generator=generator, dtype=DTYPE) * noise
    u = (float(equilibrium[0]) + perturbation[0]).to(device)
    v = (float(equilibrium[1]) + perturbation[1]).to(device)
    return u, v


def lattice_wavenumbers(n: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Return the wavenumber components :math:`(k_x, k_y)` of the N x N lattice's Fourier modes.

    Both are arrays of shape (N, N) in radians per site, :math:`2\pi j / N` folded into
    :math:`[-\pi, \pi)` (numpy's FFT order).
    """
    n = require_positive_int("n", n, minimum=3)
    k = 2.0 * np.pi * np.fft.fftfreq(n)
    kx, ky = np.meshgrid(k, k, indexing="xy")
    return kx, ky


def lattice_growth_rates(jacobian: Any, Du: float, Dv: float, n: int) -> np.ndarray:
    r"""Compute the linear growth rate of every Fourier mode of the N x N sheet.

    Mode :math:`(k_x, k_y)` grows at the largest real part of the eigenvalues of
    :math:`J - s\,\mathrm{diag}(D_u, D_v)` with the lattice eigenvalue
    :math:`s = 4\sin^2(k_x/2) + 4\sin^2(k_y/2)` (from :mod:`prdlib.turing`).

    Returns
    -------
    numpy.ndarray
        Shape (N, N), in FFT order like :func:`lattice_wavenumbers`.
    """
    kx, ky = lattice_wavenumbers(n)
    s = turing.lattice_laplacian_eigenvalue(kx, ky)
    return np.asarray(turing.growth_rate(jacobian, Du, Dv, s))


def fastest_lattice_mode(jacobian: Any, Du: float, Dv: float, n: int
                         ) -> tuple[float, float]:
    r"""Return ``(k, growth)`` of the fastest-growing non-uniform mode of the N x N sheet.

    ``k`` is the radial wavenumber :math:`\sqrt{k_x^2 + k_y^2}` (radians per site) of the mode
    with the largest growth rate among the modes with :math:`k > 0`.
    """
    kx, ky = lattice_wavenumbers(n)
    rates = lattice_growth_rates(jacobian, Du, Dv, n)
    rates = np.where((kx == 0) & (ky == 0), -np.inf, rates)
    index = np.unravel_index(int(np.argmax(rates)), rates.shape)
    return float(np.hypot(kx[index], ky[index])), float(rates[index])


def _dominant_wavenumber(u_field: np.ndarray) -> float:
    """Dominant radial wavenumber of u (radians per site) from prdlib.patterns; 0 when uniform."""
    if np.ptp(u_field) == 0:
        return 0.0
    return patterns.dominant_wavenumber(u_field, length=float(u_field.shape[0]))


def sheet_lr_limit(jacobian: Any, Du: float, Dv: float, n: int) -> float:
    r"""Return the largest step for which simultaneous play keeps every decaying lattice mode decaying.

    Mode :math:`s` of the linearised sheet evolves with :math:`J - s\,\mathrm{diag}(D_u, D_v)`.
    The limit is the smallest :func:`prdlib.prd.simultaneous_lr_limit` over the eigenvalues with
    negative real part of all modes of the N x N lattice. Modes that grow in continuous time
    (Turing-unstable ones) grow for every step and are left out. With :math:`J = 0` it reduces to
    the coupling limit :func:`max_stable_lr` when N is even.
    """
    Du, Dv = require_non_negative("Du", Du), require_non_negative("Dv", Dv)
    matrix = turing.as_jacobian(jacobian)
    kx, ky = lattice_wavenumbers(n)
    limit = float("inf")
    for s in np.unique(np.round(turing.lattice_laplacian_eigenvalue(kx, ky), 12)):
        for eigenvalue in np.linalg.eigvals(matrix - s * np.diag([Du, Dv])):
            if eigenvalue.real < 0:
                limit = min(limit, -2.0 * eigenvalue.real / abs(eigenvalue) ** 2)
    return limit


def homogeneous_basins(
    params: prd.PRDParams,
    u_values: Any,
    v_values: Any,
    *,
    lr: float,
    steps: int,
    equilibria: Sequence[prd.Equilibrium] | None = None,
) -> tuple[np.ndarray, np.ndarray, list[prd.Equilibrium]]:
    r"""Find which equilibrium the per-site game reaches from each homogeneous start.

    A homogeneous sheet evolves like one uncoupled site, so a sheet without coupling
    (:math:`D_u = D_v = 0`) whose sites hold a grid of starts :math:`(u_0, v_0)` runs every
    start at once with the same gradient play as :func:`train_sheet`.

    Parameters
    ----------
    params
        The per-site game's parameters.
    u_values, v_values
        Start values along each axis (1D, equal lengths N >= 3): site ``[i, j]`` starts at
        ``(u_values[j], v_values[i])``.
    lr
        Step of the simultaneous play. Keep it below :func:`prdlib.prd.simultaneous_lr_limit`
        of the equilibria, or a stable focus turns unstable in discrete time.
    steps
        Number of steps.
    equilibria
        The equilibria to classify by; found with :func:`prdlib.prd.find_equilibria` when None.

    Returns
    -------
    tuple
        ``(labels, distances, equilibria)``: for each start the index (into ``equilibria``)
        of the nearest equilibrium at the end and the distance to it. A large distance means the
        run had not settled.
    """
    u_values = np.asarray(u_values, dtype=np.float64)
    v_values = np.asarray(v_values, dtype=np.float64)
    if u_values.ndim != 1 or u_values.shape != v_values.shape:
        raise ValueError(
            f"u_values and v_values must be 1D of equal length, got shapes {u_values.shape} "
            f"and {v_values.shape}"
        )
    grid_u, grid_v = np.meshgrid(u_values, v_values)
    run = train_sheet(params, 0.0, 0.0, start=(grid_u, grid_v), steps=steps, lr=lr,
                      record_every=max(steps, 1))
    equilibria = list(prd.find_equilibria(params) if equilibria is None else equilibria)
    points = np.array([[eq.u, eq.v] for eq in equilibria])
    final = np.stack([run.u, run.v], axis=-1)
    distances = np.linalg.norm(final[:, :, None, :] - points[None, None, :, :], axis=-1)
    return distances.argmin(axis=-1), distances.min(axis=-1), equilibria


@dataclass
class SheetRun:
    r"""The record of one training run of the sheet.

    Attributes
    ----------
    params, Du, Dv, lr, method, n, steps, seed, noise
        The settings of the run.
    equilibrium
        The homogeneous state :math:`(u^*, v^*)` that was perturbed, or None for a given start.
    u, v
        Final fields, arrays of shape (N, N).
    snapshot_steps
        Steps at which snapshots were taken (step 0 and the last step included).
    snapshots_u, snapshots_v
        Arrays of shape (K, N, N).
    history_steps
        Steps at which the history was recorded (step 0 and the last step included).
    std_u, std_v
        Spatial standard deviations of :math:`u` and :math:`v` at those steps.
    mean_u, mean_v
        Spatial means of :math:`u` and :math:`v`.
    dominant_k
        Dominant radial wavenumber of :math:`u` (radians per site) at those steps, from
        :func:`prdlib.patterns.dominant_wavenumber` (0 for a uniform field).
    seconds
        Wall-clock time of the training loop.
    """

    params: prd.PRDParams
    Du: float
    Dv: float
    lr: float
    method: str
    n: int
    steps: int
    seed: int
    noise: float
    equilibrium: tuple[float, float] | None
    u: np.ndarray = field(repr=False)
    v: np.ndarray = field(repr=False)
    snapshot_steps: np.ndarray = field(repr=False)
    snapshots_u: np.ndarray = field(repr=False)
    snapshots_v: np.ndarray = field(repr=False)
    history_steps: np.ndarray = field(repr=False)
    std_u: np.ndarray = field(repr=False)
    std_v: np.ndarray = field(repr=False)
    mean_u: np.ndarray = field(repr=False)
    mean_v: np.ndarray = field(repr=False)
    dominant_k: np.ndarray = field(repr=False)
    seconds: float

    @property
    def history_times(self) -> np.ndarray:
        """Continuous time :math:`t = \\eta \\times \\text{step}` of each history entry."""
        return self.lr * self.history_steps

    @property
    def snapshot_times(self) -> np.ndarray:
        """Continuous time of each snapshot."""
        return self.lr * self.snapshot_steps

    def summary(self) -> str:
        """Return one line describing the end of the run."""
        return (f"{self.method} GD, {self.n}x{self.n} sheet, {self.steps} steps of lr={self.lr:.4g} "
                f"in {self.seconds:.2f} s: std(u) {self.std_u[0]:.3g} -> {self.std_u[-1]:.3g}, "
                f"dominant k = {self.dominant_k[-1]:.3f} rad/site")


def _record_steps(steps: int, every: int | None) -> set[int]:
    marks = {0, steps}
    if every:
        marks.update(range(0, steps + 1, every))
    return marks


def check_schedule(steps: Any, record_every: Any, snapshot_every: Any, method: str
                   ) -> tuple[int, int, int | None]:
    """Validate the step count, recording intervals and update method of a training run.

    Returns ``(steps, record_every, snapshot_every)`` as integers (``snapshot_every`` may be None).

    Raises
    ------
    ValueError
        If ``steps`` is not an integer >= 0, an interval is not an integer >= 1, or ``method`` is
        not one of :data:`prdlib.games.METHODS`.
    """
    steps = require_positive_int("steps", steps, minimum=0)
    record_every = require_positive_int("record_every", record_every)
    if snapshot_every is not None:
        snapshot_every = require_positive_int("snapshot_every", snapshot_every)
    if method not in games.METHODS:
        raise ValueError(f"method must be one of {', '.join(games.METHODS)}, got {method!r}")
    return steps, record_every, snapshot_every


def train_sheet(
    params: prd.PRDParams,
    Du: float,
    Dv: float,
    *,
    n: int = 64,
    steps: int = 1000,
    lr: float | None = None,
    method: str = "simultaneous",
    equilibrium: tuple[float, float] | None = None,
    start: tuple[Any, Any] | None = None,
    noise: float = 1e-3,
    seed: int = 0,
    snapshot_every: int | None = None,
    record_every: int = 10,
    progress: bool = False,
    device: Any = None,
) -> SheetRun:
    r"""Train the sheet by gradient play on :math:`L_G` (in :math:`u`) and :math:`L_D` (in :math:`v`).

    Each step is :func:`prdlib.games.game_step` on the total losses of :func:`sheet_losses`, with
    gradients from autograd: with ``method="simultaneous"`` both fields move from the same state,
    with ``"alternating"`` the generators move first and the discriminators respond to their new values.

    Parameters
    ----------
    params
        The per-site game's parameters :math:`\mu, \lambda, \gamma, y_s, y_d, c`.
    Du, Dv
        Coupling strengths :math:`D_u, D_v \ge 0`.
    n
        Side :math:`N \ge 3` of the periodic sheet (ignored when ``start`` is given).
    steps
        Number of gradient steps (>= 0).
    lr
        Step :math:`\eta`; must be below :func:`max_stable_lr`. Default: 0.8 times that limit
        (or 0.1 when both couplings are zero).
    method
        ``"simultaneous"`` (default) or ``"alternating"``.
    equilibrium
        The homogeneous state :math:`(u^*, v^*)` to perturb. It is not checked against
        ``params``: the chapters perturb one game's equilibrium and train it under another
        :math:`\lambda`, for example. Default:
        :func:`default_equilibrium` (the stable equilibrium with the largest :math:`f_u`).
    start
        Initial fields ``(u0, v0)`` (arrays of shape (N, N)); overrides ``equilibrium``,
        ``noise`` and ``seed``.
    noise, seed
        Standard deviation and seed of the perturbation (see :func:`initial_state`).
    snapshot_every
        Store the fields every this many steps (and at the first and last step). None stores only
        the first and the last.
    record_every
        Record std, mean and dominant wavenumber every this many steps (and at the first and
        last step).
    progress
        Show a tqdm progress bar.
    device
        Torch device (CPU by default).

    Returns
    -------
    SheetRun

    Raises
    ------
    ValueError
        For invalid arguments, including ``lr`` at or above the explicit stability limit.
    prdlib.errors.NonFiniteError
        If :math:`u` or :math:`v` becomes NaN or Inf; the message gives the step.
    """
    Du, Dv = require_non_negative("Du", Du), require_non_negative("Dv", Dv)
    steps, record_every, snapshot_every = check_schedule(steps, record_every, snapshot_every, method)
    limit = max_stable_lr(Du, Dv)
    if lr is None:
        lr = 0.8 * limit if np.isfinite(limit) else 0.1
    lr = require_positive("lr", lr)
    if lr >= limit:
        raise ValueError(
            f"lr = {lr:.6g} is at or above the explicit stability limit 1 / (4 max(Du, Dv)) = "
            f"{limit:.6g} of the 5-point Laplacian coupling; use a smaller lr"
        )

    if start is not None:
        u = torch.as_tensor(np.asarray(start[0], dtype=np.float64), dtype=DTYPE, device=device)
        v = torch.as_tensor(np.asarray(start[1], dtype=np.float64), dtype=DTYPE, device=device)
        _check_field("start[0] (u0)", u)
        _check_field("start[1] (v0)", v)
        if u.shape != v.shape:
            raise ValueError(f"start fields must have the same shape, got {tuple(u.shape)} and {tuple(v.shape)}")
        if not (bool(torch.isfinite(u).all()) and bool(torch.isfinite(v).all())):
            raise ValueError("start fields must be finite, got a NaN or Inf entry")
        n = u.shape[0]
        equilibrium_used = None
    else:
        n = require_positive_int("n", n, minimum=3)
        if equilibrium is None:
            found = default_equilibrium(params)
            equilibrium = (found.u, found.v)
        equilibrium_used = (float(equilibrium[0]), float(equilibrium[1]))
        u, v = initial_state(n, equilibrium_used, noise=noise, seed=seed, device=device)

    def generator_loss(u_field: torch.Tensor, v_field: torch.Tensor) -> torch.Tensor:
        return prd.generator_site_loss(params, u_field, v_field).sum() + Du * coupling_energy(u_field)

    def discriminator_loss(u_field: torch.Tensor, v_field: torch.Tensor) -> torch.Tensor:
        return prd.discriminator_site_loss(params, u_field, v_field).sum() + Dv * coupling_energy(v_field)

    snapshot_marks = _record_steps(steps, snapshot_every)
    history_marks = _record_steps(steps, record_every)
    snapshots_u, snapshots_v, snapshot_steps = [], [], []
    history: dict[str, list[float]] = {key: [] for key in ("step", "std_u", "std_v", "mean_u",
                                                           "mean_v", "k")}

    def record_history(step: int) -> None:
        u_np = u.detach().cpu().numpy()
        history["step"].append(step)
        history["std_u"].append(float(u_np.std()))
        history["std_v"].append(float(v.std(unbiased=False)))
        history["mean_u"].append(float(u_np.mean()))
        history["mean_v"].append(float(v.mean()))
        history["k"].append(_dominant_wavenumber(u_np))

    def record(step: int) -> None:
        if step in snapshot_marks:
            snapshot_steps.append(step)
            snapshots_u.append(u.detach().cpu().numpy().copy())
            snapshots_v.append(v.detach().cpu().numpy().copy())
        if step in history_marks:
            # A diverging run is stopped by the NaN/Inf check of the next step. Until then its
            # huge values may overflow the statistics, which are then recorded as Inf silently.
            with np.errstate(over="ignore", invalid="ignore"):
                record_history(step)

    iterator = range(1, steps + 1)
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(iterator, desc="training sheet", unit="step")

    began = time.perf_counter()
    record(0)
    # Near a homogeneous equilibrium the deviations decay into subnormal numbers (below 2.2e-308),
    # whose arithmetic is many times slower on x86 CPUs. Flushing them to zero changes no
    # meaningful digit. torch offers no getter for the flag, so it is reset to torch's default
    # (off) afterwards.
    flushing = torch.set_flush_denormal(True)
    threads = torch.get_num_threads()
    if n * n < prd.SMALL_TENSOR_ELEMENTS:
        torch.set_num_threads(1)
    try:
        for step in iterator:
            u, v = games.game_step(generator_loss, discriminator_loss, u, v, lr, method=method)
            # A NaN or Inf anywhere makes the sum non-finite: one reduction instead of two checks.
            if not bool(torch.isfinite(u.sum() + v.sum())):
                raise NonFiniteError("the sheet's fields u, v", step, lr * step)
            record(step)
    finally:
        torch.set_num_threads(threads)
        if flushing:
            torch.set_flush_denormal(False)
    seconds = time.perf_counter() - began

    return SheetRun(
        params=params, Du=Du, Dv=Dv, lr=lr, method=method, n=n, steps=steps, seed=seed,
        noise=noise if start is None else 0.0, equilibrium=equilibrium_used,
        u=u.cpu().numpy(), v=v.cpu().numpy(),
        snapshot_steps=np.array(snapshot_steps), snapshots_u=np.array(snapshots_u),
        snapshots_v=np.array(snapshots_v),
        history_steps=np.array(history["step"]), std_u=np.array(history["std_u"]),
        std_v=np.array(history["std_v"]), mean_u=np.array(history["mean_u"]),
        mean_v=np.array(history["mean_v"]), dominant_k=np.array(history["k"]),
        seconds=seconds,
    )
