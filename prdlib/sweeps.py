r"""Sweeps of the neural sheet over the plane of :math:`\lambda` and :math:`d = D_v / D_u`.

Each point :math:`(\lambda, d)` of the plane is one sheet trained with :math:`D_v = d\,D_u`,
started from a homogeneous equilibrium of the per-site game plus small noise. All points of a
sweep are trained side by side in one batch (:func:`train_batch`), which gives the same fields as
training each with :func:`prdlib.sheet.train_sheet` at the same step. The linear theory
predicts a pattern when the start equilibrium satisfies the four Turing conditions at
:math:`(D_u, D_v)` (:func:`prdlib.turing.turing_conditions`). The run is classified by how much the spatial standard
deviation of :math:`u` changed:

.. math::

    \text{patterned} \iff \frac{\operatorname{std}(u_{\text{final}})}
                               {\operatorname{std}(u_{\text{initial}})} > \theta,

with the threshold :math:`\theta` = :data:`PATTERN_THRESHOLD` by default. A homogeneous
prediction means every non-uniform mode decays, so the ratio falls below one. A Turing-unstable
state amplifies its fastest mode by :math:`e^{\sigma T}` over a run of duration :math:`T`, so
the run must be long enough for that factor to pass :math:`\theta` (see
:func:`run_duration_for_growth`).

The sheet is multistable: with the adversary the per-site game typically has a supervised-like
equilibrium, an adversarial compromise and a saddle. Every point therefore records which
equilibrium it started from. A point whose prediction changes when :math:`\lambda` or :math:`d`
moves by a relative ``margin`` (5 % by default) is *near a boundary* of the predicted region;
:func:`sweep_plane` reports such points like the others.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import torch

from prdlib import games, patterns, prd, sheet, turing
from prdlib.errors import (
    NonFiniteError,
    require_in_range,
    require_non_negative,
    require_positive,
    require_positive_int,
)

__all__ = [
    "PATTERN_THRESHOLD",
    "BOUNDARY_MARGIN",
    "StartChoice",
    "PlanePoint",
    "Texture",
    "classify_texture",
    "classify_pattern",
    "choose_start",
    "predict_pattern",
    "near_boundary",
    "run_duration_for_growth",
    "batch_coupling_energy",
    "BatchRun",
    "train_batch",
    "sweep_plane",
]

PATTERN_THRESHOLD = 10.0
"""Default :math:`\\theta`: a run is patterned when std(u) grew by more than this factor."""

BOUNDARY_MARGIN = 0.05
"""Default relative margin in :math:`\\lambda` and :math:`d` that defines "near a boundary"."""


@dataclass(frozen=True)
class StartChoice:
    r"""The homogeneous equilibrium a sheet starts from, and why that one.

    Attributes
    ----------
    u, v
        The equilibrium :math:`(u^*, v^*)`.
    jacobian
        Its reaction Jacobian, shape (2, 2).
    kind
        ``"branch"`` when it lies on the equilibrium branch that was followed in
        :math:`\lambda` (usually the adversarial compromise), ``"largest f_u"`` when
        :math:`\lambda` is outside that branch's range and the stable equilibrium with the
        largest :math:`f_u` was taken (at :math:`\lambda = 0` the only equilibrium).
    """

    u: float
    v: float
    jacobian: np.ndarray
    kind: str


@dataclass(frozen=True)
class PlanePoint:
    r"""The outcome of training the sheet at one point :math:`(\lambda, d)` of the plane.

    Attributes
    ----------
    lam, ratio
        The point: adversarial weight :math:`\lambda` and coupling ratio :math:`d = D_v / D_u`.
    Du, Dv, lr, steps, n
        Couplings, step, number of steps and side of the sheet of the run.
    start
        The equilibrium the sheet was perturbed around (see :class:`StartChoice`).
    d_critical
        Critical ratio :math:`d_c` of that equilibrium (NaN where no ratio gives instability).
    predicted
        True when the continuum Turing conditions hold at the start equilibrium.
    lattice_growth
        Growth rate of the fastest non-uniform Fourier mode of the :math:`N \times N` sheet
        (positive: some lattice mode grows).
    near_boundary
        True when the prediction changes within the relative margin in :math:`\lambda` or
        :math:`d` (see :func:`near_boundary`).
    initial_std, final_std, peak_std
        Spatial standard deviation of :math:`u` at the first step, the last step and its maximum
        over the recorded history.
    final_mean
        Spatial mean of :math:`u` at the last step (which homogeneous state or mixture it reached).
    dominant_k
        Dominant radial wavenumber of the final :math:`u` in radians per site (NaN for a uniform
        sheet).
    patterned
        The classification of :func:`classify_pattern`.
    threshold
        The threshold :math:`\theta` used.
    final_u
        The final field :math:`u`, shape (N, N).
    seconds
        Wall-clock time of the batched run that trained this point with the others.
    """

    lam: float
    ratio: float
    Du: float
    Dv: float
    lr: float
    steps: int
    n: int
    start: StartChoice
    d_critical: float
    predicted: bool
    lattice_growth: float
    near_boundary: bool
    initial_std: float
    final_std: float
    peak_std: float
    final_mean: float
    dominant_k: float
    patterned: bool
    threshold: float
    final_u: np.ndarray
    seconds: float

    @property
    def amplification(self) -> float:
        """The factor std(u_final) / std(u_initial)."""
        return self.final_std / self.initial_std

    @property
    def agrees(self) -> bool:
        """True when the classification matches the linear prediction."""
        return self.patterned == self.predicted


def classify_pattern(initial_std: float, final_std: float,
                     threshold: float = PATTERN_THRESHOLD) -> bool:
    r"""Return True when std(u) grew by more than ``threshold``: the sheet is patterned.

    Parameters
    ----------
    initial_std
        :math:`\operatorname{std}(u)` at the start (the injected noise), > 0.
    final_std
        :math:`\operatorname{std}(u)` at the end, >= 0.
    threshold
        Growth factor :math:`\theta > 1` above which the run counts as patterned.

    Raises
    ------
    ValueError
        If ``initial_std`` is not positive, ``final_std`` is negative or not finite, or
        ``threshold`` is not above 1.
    """
    initial_std = require_positive("initial_std", initial_std)
    final_std = require_in_range("final_std", final_std, 0.0, math.inf, high_open=True)
    threshold = require_in_range("threshold", threshold, 1.0, math.inf, low_open=True,
                                 high_open=True)
    return final_std > threshold * initial_std


@dataclass(frozen=True)
class Texture:
    r"""Shape description of a pattern's minority phase (see :func:`classify_texture`).

    Attributes
    ----------
    label
        ``"spots"`` or ``"stripes"``.
    components
        Number of connected pieces of the minority phase.
    elongated_fraction
        Fraction of the minority phase's sites that lie in pieces that are not spot-like
        (elongated or thinly spread).
    minority_fraction
        Fraction of the sheet covered by the minority phase.
    """

    label: str
    components: int
    elongated_fraction: float
    minority_fraction: float


def classify_texture(field: Any, *, aspect: float = 2.0, filling: float = 0.5) -> Texture:
    r"""Classify a pattern as spots or stripes from the shapes of its minority phase.

    The sites on the less common side of the spatial mean form the minority phase. It is split
    into 4-connected pieces (:func:`scipy.ndimage.label`). For each piece with covariance
    eigenvalues :math:`\ell_1 \ge \ell_2` of its sites' coordinates, the aspect ratio is
    :math:`\sqrt{\ell_1 / \ell_2}` and the filling is :math:`n / (4\pi\sqrt{\ell_1 \ell_2})`
    for :math:`n` sites. A disc has aspect 1 and filling 1, a bar of length :math:`\ell` and
    width :math:`w` has aspect about :math:`\ell / w`, and a winding labyrinth piece has a small
    filling because it spreads thinly over a large area. A piece is *spot-like* when its aspect
    is at most ``aspect`` and its filling is at least ``filling``. Pieces of fewer than three
    sites count as spot-like. The pattern is ``"stripes"`` when more than half of the minority sites
    lie in pieces that are not spot-like, else ``"spots"``.

    NOTE: pieces are not joined across the periodic boundary, so a stripe that wraps around is
    measured as two shorter pieces.

    Raises
    ------
    ValueError
        If ``field`` is not a square 2D array or is uniform, if ``aspect`` is not above 1, or if
        ``filling`` is not in (0, 1].
    """
    from scipy import ndimage

    values = np.asarray(field, dtype=np.float64)
    if values.ndim != 2 or values.shape[0] != values.shape[1]:
        raise ValueError(f"field must be a square 2D array, got shape {values.shape}")
    aspect = require_in_range("aspect", aspect, 1.0, math.inf, low_open=True, high_open=True)
    filling = require_in_range("filling", filling, 0.0, 1.0, low_open=True)
    deviation = values - values.mean()
    if not np.any(np.abs(deviation) > 1e-12 * (1.0 + np.abs(values).max())):
        raise ValueError("field is uniform, so it has no texture")
    above = deviation > 0
    minority = above if above.mean() <= 0.5 else ~above
    labels, count = ndimage.label(minority)

    extended_sites = 0
    for piece in range(1, count + 1):
        rows, cols = np.nonzero(labels == piece)
        if rows.size < 3:
            continue
        small, large = np.linalg.eigvalsh(np.cov(np.vstack([rows, cols])))
        if small <= 0:
            extended_sites += rows.size  # all sites on one line: a bar
            continue
        spot_like = (math.sqrt(large / small) <= aspect
                     and rows.size / (4.0 * math.pi * math.sqrt(large * small)) >= filling)
        if not spot_like:
            extended_sites += rows.size

    total = int(minority.sum())
    fraction = extended_sites / total
    return Texture("stripes" if fraction > 0.5 else "spots", int(count), fraction,
                   total / minority.size)


def choose_start(params: prd.PRDParams, lam: float, branch: prd.Branch | None = None
                 ) -> StartChoice:
    r"""Choose the homogeneous equilibrium at ``lam`` from which to start a sheet.

    When ``branch`` covers ``lam``, the point of that branch at ``lam`` is refined with Newton's
    method, so every point of a sweep starts on the same branch (the adversarial compromise,
    whose Turing space is being mapped). Otherwise the stable equilibrium with the largest
    :math:`f_u` is taken (:func:`prdlib.sheet.default_equilibrium`).

    Parameters
    ----------
    params
        The game's parameters; their ``lam`` is replaced by ``lam``.
    lam
        Adversarial weight :math:`\lambda \ge 0`.
    branch
        An equilibrium branch from :func:`prdlib.prd.follow_branch` or
        :attr:`prdlib.prd.TuringSpace.branch`, or None.
    """
    at_lam = params.with_lam(lam)
    if branch is not None and float(branch.lam.min()) <= at_lam.lam <= float(branch.lam.max()):
        guess = branch.equilibrium_near(at_lam.lam)
        point = prd.refine_equilibrium(at_lam, guess[0], guess[1])
        return StartChoice(point.u, point.v, np.asarray(point.jacobian), "branch")
    point = sheet.default_equilibrium(at_lam)
    return StartChoice(point.u, point.v, np.asarray(point.jacobian), "largest f_u")


def predict_pattern(params: prd.PRDParams, lam: float, ratio: float,
                    branch: prd.Branch | None = None) -> bool:
    r"""Predict a pattern at :math:`(\lambda, d)`: the start equilibrium is Turing-unstable.

    The continuum conditions depend only on :math:`d = D_v / D_u`, so they are evaluated at
    :math:`D_u = 1, D_v = d`. The start equilibrium is chosen by :func:`choose_start`.
    """
    ratio = require_positive("ratio", ratio)
    start = choose_start(params, lam, branch)
    return bool(turing.turing_conditions(start.jacobian, 1.0, ratio).turing_unstable)


def near_boundary(params: prd.PRDParams, lam: float, ratio: float,
                  branch: prd.Branch | None = None, margin: float = BOUNDARY_MARGIN) -> bool:
    r"""Return True when the prediction changes within a relative ``margin`` of the point.

    The prediction of :func:`predict_pattern` is compared at :math:`\lambda (1 \pm m)` and
    :math:`d (1 \pm m)` with :math:`m` = ``margin``. A point where all four agree with the point
    itself is more than ``margin`` from every boundary along both axes. At :math:`\lambda = 0`
    the two :math:`\lambda` neighbours coincide with the point.
    """
    margin = require_in_range("margin", margin, 0.0, 1.0, low_open=True, high_open=True)
    centre = predict_pattern(params, lam, ratio, branch)
    neighbours = [(lam * (1 - margin), ratio), (lam * (1 + margin), ratio),
                  (lam, ratio * (1 - margin)), (lam, ratio * (1 + margin))]
    return any(predict_pattern(params, a, d, branch) != centre for a, d in neighbours)


def run_duration_for_growth(growth_rate: float, factor: float) -> float:
    r"""Return the time :math:`T = \ln(\text{factor}) / \sigma` a mode growing at :math:`\sigma` needs.

    Linear growth multiplies a mode by :math:`e^{\sigma T}`, so this is the duration after which
    the factor is reached. It ignores the transient in which the noise projects onto the growing
    mode, which makes real runs need somewhat longer.

    Raises
    ------
    ValueError
        If ``growth_rate`` is not positive or ``factor`` is not above 1.
    """
    growth_rate = require_positive("growth_rate", growth_rate)
    factor = require_in_range("factor", factor, 1.0, math.inf, low_open=True, high_open=True)
    return math.log(factor) / growth_rate


def batch_coupling_energy(w: torch.Tensor) -> torch.Tensor:
    r"""Compute :math:`S(w_b)` for each sheet of a stack ``w`` of shape (B, N, N), N >= 3.

    Equal to :func:`prdlib.sheet.coupling_energy` applied to each ``w[b]``, in one vectorised
    expression (a Python loop over the sheets costs several times more per step).
    """
    if w.dim() != 3 or w.shape[1] != w.shape[2] or w.shape[1] < 3:
        raise ValueError(f"w must have shape (B, N, N) with N >= 3, got {tuple(w.shape)}")
    right = w - torch.roll(w, shifts=-1, dims=2)
    up = w - torch.roll(w, shifts=-1, dims=1)
    return 0.5 * (right.square().sum(dim=(1, 2)) + up.square().sum(dim=(1, 2)))


def _batch_losses(params: prd.PRDParams, lams: torch.Tensor, Du: float, Dvs: torch.Tensor):
    """Build the summed generator and discriminator losses of a stack of independent sheets."""
    without = params.with_lam(0.0)
    with_unit = params.with_lam(1.0)
    shape = (-1, 1, 1)

    def generator_loss(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        # The generator's site loss is affine in lambda, so l(lam) = l(0) + lam * (l(1) - l(0)).
        base = prd.generator_site_loss(without, u, v)
        adversarial = prd.generator_site_loss(with_unit, u, v) - base
        site = (base + lams.view(shape) * adversarial).sum()
        return site + Du * batch_coupling_energy(u).sum()

    def discriminator_loss(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        site = prd.discriminator_site_loss(params, u, v).sum()
        return site + (Dvs * batch_coupling_energy(v)).sum()

    return generator_loss, discriminator_loss


@dataclass(frozen=True)
class BatchRun:
    r"""The record of a stack of sheets trained side by side by :func:`train_batch`.

    Attributes
    ----------
    lr, steps
        The common step :math:`\eta` and number of steps.
    u, v
        Final fields, shape (B, N, N).
    history_steps
        Steps at which the history was recorded (first and last included).
    std_u, mean_u
        Spatial standard deviation and mean of each sheet's :math:`u`, shape (B, len(history)).
    snapshot_steps
        Steps at which the fields :math:`u` were stored (first and last included).
    snapshots_u
        Stored fields :math:`u`, shape (K, B, N, N).
    seconds
        Wall-clock time of the training loop.
    """

    lr: float
    steps: int
    u: np.ndarray
    v: np.ndarray
    history_steps: np.ndarray
    std_u: np.ndarray
    mean_u: np.ndarray
    snapshot_steps: np.ndarray
    snapshots_u: np.ndarray
    seconds: float


def train_batch(
    params: prd.PRDParams,
    lams: Sequence[float],
    Dvs: Sequence[float],
    starts: Sequence[tuple[float, float]],
    *,
    Du: float,
    lr: float,
    steps: int,
    n: int = 32,
    method: str = "simultaneous",
    noise: float = 1e-3,
    seed: int = 0,
    record_every: int = 50,
    snapshot_every: int | None = None,
) -> BatchRun:
    r"""Train B independent sheets, one per :math:`(\lambda_b, D_{v,b})`, in one autograd graph.

    The sheets do not interact: the total losses are sums of the B sheets' losses
    (:func:`prdlib.sheet.sheet_losses`), so the gradient with respect to sheet :math:`b`'s fields
    is that sheet's own gradient. One step of :func:`prdlib.games.game_step` then advances every
    sheet. Because the per-step cost of autograd on a few thousand sites is mostly fixed
    overhead, ten 32 x 32 sheets cost about twice as much per step as one (measured on a
    two-core CPU), far less than ten separate runs. Each sheet starts from
    ``starts[b]`` plus the noise of :func:`prdlib.sheet.initial_state` with the same seed.

    Parameters
    ----------
    params
        The game's parameters; their ``lam`` is replaced by each :math:`\lambda_b`.
    lams, Dvs, starts
        Per-sheet :math:`\lambda_b \ge 0`, discriminator coupling :math:`D_{v,b} \ge 0` and
        homogeneous start :math:`(u^*_b, v^*_b)`, sequences of the same length B >= 1.
    Du
        Generator coupling :math:`D_u \ge 0`, shared.
    lr
        Common step; must be below :func:`prdlib.sheet.max_stable_lr` for the largest coupling.
    steps, n, method, noise, seed, record_every
        As in :func:`prdlib.sheet.train_sheet`.
    snapshot_every
        Store the fields :math:`u` every this many steps (and at the first and last step). None
        stores only the first and the last.

    Raises
    ------
    ValueError
        For sequences of different or zero length, a negative coupling or weight, or a step at
        or above the stability limit.
    prdlib.errors.NonFiniteError
        If a field becomes NaN or Inf; the message gives the step.
    """
    size = len(lams)
    if size == 0 or len(Dvs) != size or len(starts) != size:
        raise ValueError(
            f"lams, Dvs and starts must have the same non-zero length, got {len(lams)}, "
            f"{len(Dvs)} and {len(starts)}"
        )
    lam_values = [require_non_negative(f"lams[{i}]", lam) for i, lam in enumerate(lams)]
    Dv_values = [require_non_negative(f"Dvs[{i}]", Dv) for i, Dv in enumerate(Dvs)]
    Du = require_non_negative("Du", Du)
    lr = require_positive("lr", lr)
    steps, record_every, snapshot_every = sheet.check_schedule(
        steps, record_every, snapshot_every, method
    )
    limit = sheet.max_stable_lr(Du, max(Dv_values))
    if lr >= limit:
        raise ValueError(
            f"lr = {lr:.6g} is at or above the explicit stability limit 1 / (4 max(Du, Dv)) = "
            f"{limit:.6g} for the largest coupling; use a smaller lr"
        )

    fields = [sheet.initial_state(n, (float(s[0]), float(s[1])), noise=noise, seed=seed)
              for s in starts]
    u = torch.stack([pair[0] for pair in fields])
    v = torch.stack([pair[1] for pair in fields])
    generator_loss, discriminator_loss = _batch_losses(
        params, torch.tensor(lam_values, dtype=torch.float64), Du,
        torch.tensor(Dv_values, dtype=torch.float64))

    marks = set(range(0, steps + 1, record_every)) | {steps}
    snapshot_marks = {0, steps} | (set(range(0, steps + 1, snapshot_every)) if snapshot_every else set())
    history_steps, std_u, mean_u, snapshot_steps, snapshots_u = [], [], [], [], []

    def record(step: int) -> None:
        if step in snapshot_marks:
            snapshot_steps.append(step)
            snapshots_u.append(u.numpy().copy())
        if step in marks:
            history_steps.append(step)
            std_u.append(u.std(dim=(1, 2), unbiased=False).numpy().copy())
            mean_u.append(u.mean(dim=(1, 2)).numpy().copy())

    began = time.perf_counter()
    record(0)
    for step in range(1, steps + 1):
        u, v = games.game_step(generator_loss, discriminator_loss, u, v, lr, method=method)
        if not bool(torch.isfinite(u.sum() + v.sum())):
            raise NonFiniteError("the sheets' fields u, v", step, lr * step)
        record(step)
    seconds = time.perf_counter() - began
    return BatchRun(lr=lr, steps=steps, u=u.numpy(), v=v.numpy(),
                    history_steps=np.array(history_steps), std_u=np.array(std_u).T,
                    mean_u=np.array(mean_u).T, snapshot_steps=np.array(snapshot_steps),
                    snapshots_u=np.array(snapshots_u), seconds=seconds)


def sweep_plane(
    params: prd.PRDParams,
    points: Sequence[tuple[float, float]],
    *,
    Du: float,
    duration: float,
    n: int = 32,
    branch: prd.Branch | None = None,
    lr_fraction: float = 0.8,
    noise: float = 1e-3,
    seed: int = 0,
    threshold: float = PATTERN_THRESHOLD,
    margin: float = BOUNDARY_MARGIN,
    record_every: int = 50,
) -> list[PlanePoint]:
    r"""Train the sheet at each point :math:`(\lambda, d)` of ``points`` and classify it.

    All points are trained together by :func:`train_batch` with one common step, ``lr_fraction``
    times the explicit stability limit :math:`1 / (4 D_u \max d)` of the largest ratio, for
    :math:`\lceil T / \eta \rceil` steps, so every point is trained for the same continuous time
    :math:`T`. Each starts from :func:`choose_start` at its :math:`\lambda` plus the same noise.

    Parameters
    ----------
    params
        The game's parameters; each point replaces their :math:`\lambda`.
    points
        Pairs :math:`(\lambda, d)` with :math:`\lambda \ge 0` and :math:`d = D_v / D_u > 0`.
    Du
        Generator coupling :math:`D_u > 0`; at each point :math:`D_v = d D_u`.
    duration
        Continuous training time :math:`T > 0`.
    n
        Side :math:`N \ge 3` of each periodic sheet.
    branch
        Branch to start on where it covers a point's :math:`\lambda` (see :func:`choose_start`).
    lr_fraction
        Step as a fraction of the stability limit, in (0, 1).
    noise, seed
        Standard deviation (> 0) and seed of the initial perturbation.
    threshold
        Growth factor :math:`\theta` of :func:`classify_pattern`.
    margin
        Relative margin of :func:`near_boundary`.
    record_every
        Steps between history records (for ``peak_std``).

    Raises
    ------
    ValueError
        If ``points`` is empty, a point is not a pair of numbers, or an argument is out of range.
    """
    if len(points) == 0:
        raise ValueError("points must contain at least one (lam, ratio) pair, got none")
    pairs = []
    for index, point in enumerate(points):
        if len(point) != 2:
            raise ValueError(f"points[{index}] must be a pair (lam, ratio), got {point!r}")
        pairs.append((require_non_negative(f"points[{index}][0] (lam)", point[0]),
                      require_positive(f"points[{index}][1] (ratio)", point[1])))
    Du = require_positive("Du", Du)
    duration = require_positive("duration", duration)
    n = require_positive_int("n", n, minimum=3)
    lr_fraction = require_in_range("lr_fraction", lr_fraction, 0.0, 1.0, low_open=True,
                                   high_open=True)
    noise = require_positive("noise", noise)

    lr = lr_fraction * sheet.max_stable_lr(Du, Du * max(ratio for _, ratio in pairs))
    steps = max(1, math.ceil(duration / lr))
    starts = [choose_start(params, lam, branch) for lam, _ in pairs]
    run = train_batch(params, [lam for lam, _ in pairs], [ratio * Du for _, ratio in pairs],
                      [(s.u, s.v) for s in starts], Du=Du, lr=lr, steps=steps, n=n,
                      noise=noise, seed=seed, record_every=record_every)

    results = []
    for index, ((lam, ratio), start) in enumerate(zip(pairs, starts)):
        d_critical = turing.critical_ratio(start.jacobian)
        _, lattice_growth = sheet.fastest_lattice_mode(start.jacobian, Du, ratio * Du, n)
        initial_std, final_std = float(run.std_u[index, 0]), float(run.std_u[index, -1])
        final_mean = float(run.mean_u[index, -1])
        uniform = final_std <= 1e-12 * (1.0 + abs(final_mean))
        results.append(PlanePoint(
            lam=lam, ratio=ratio, Du=Du, Dv=ratio * Du, lr=lr, steps=steps, n=n, start=start,
            d_critical=math.nan if d_critical is None else float(d_critical),
            predicted=bool(turing.turing_conditions(start.jacobian, Du, ratio * Du).turing_unstable),
            lattice_growth=float(lattice_growth),
            near_boundary=near_boundary(params, lam, ratio, branch, margin),
            initial_std=initial_std, final_std=final_std,
            peak_std=float(np.max(run.std_u[index])), final_mean=final_mean,
            dominant_k=math.nan if uniform else patterns.dominant_wavenumber(run.u[index], float(n)),
            patterned=classify_pattern(initial_std, final_std, threshold), threshold=threshold,
            final_u=run.u[index], seconds=run.seconds,
        ))
    return results
