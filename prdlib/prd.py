r"""The per-site game of the pseudo-reaction-diffusion (PRD) model, its equilibria and their analysis.

Each site of the neural sheet carries a generator parameter :math:`u` and a discriminator parameter
:math:`v`. The discriminator judges a value :math:`x` by :math:`D(x) = \sigma(v (x - c))`, with
:math:`\sigma` the logistic sigmoid. The two per-site losses are

.. math::

    \ell_G(u, v) &= \frac{\mu}{2} (u - y_s)^2 + \lambda \log\bigl(1 - \sigma(v (u - c))\bigr), \\
    \ell_D(u, v) &= -\log \sigma\bigl(v (y_d - c)\bigr) - \log\bigl(1 - \sigma(v (u - c))\bigr)
                   + \frac{\gamma}{2} v^2 .

The generator descends :math:`\ell_G` in :math:`u` and the discriminator descends :math:`\ell_D`
in :math:`v`, so without coupling the site follows the "reaction"

.. math::

    R(u, v) = \Bigl(-\frac{\partial \ell_G}{\partial u}, -\frac{\partial \ell_D}{\partial v}\Bigr).

Every derivative here comes from torch autograd. The sheet that couples the sites is in
:mod:`prdlib.sheet`; the Turing analysis of a Jacobian is in :mod:`prdlib.turing`.
"""

from __future__ import annotations

import functools
import math
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Callable, Iterator, Sequence, TypeVar

import numpy as np
import torch
import torch.nn.functional as F

from prdlib import turing
from prdlib.errors import (
    require_finite,
    require_non_negative,
    require_positive,
    require_positive_int,
)

__all__ = [
    "PRDParams",
    "single_threaded",
    "PARAMETER_NAMES",
    "REFERENCE_PARAMS",
    "REFERENCE_DU",
    "REFERENCE_DV",
    "FAST_PARAMS",
    "FAST_DU",
    "FAST_DV",
    "COURSE_PARAMS",
    "COURSE_DU",
    "COURSE_DV",
    "generator_site_loss",
    "discriminator_site_loss",
    "reaction",
    "reaction_jacobian",
    "Equilibrium",
    "EquilibriumAnalysis",
    "find_equilibria",
    "refine_equilibrium",
    "analyse_equilibrium",
    "analyse_equilibria",
    "simultaneous_lr_limit",
    "Branch",
    "continue_branch",
    "follow_branch",
    "TuringSpace",
    "turing_space",
]

DTYPE = torch.float64

SMALL_TENSOR_ELEMENTS = 32768
"""Tensors below this size gain nothing from several torch threads. Torch 2.x parallelises an
elementwise operation only above a grain size of 32768 elements, and the threads' synchronisation
can make small computations many times slower when other processes share the cores."""


@contextmanager
def single_threaded() -> Iterator[None]:
    """Run torch on one intra-op thread inside the block, and restore the thread count after it."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


_Function = TypeVar("_Function", bound=Callable[..., Any])


def _small_tensors(function: _Function) -> _Function:
    """Decorate a function whose torch work is on small tensors to run it single-threaded."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with single_threaded():
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


@dataclass(frozen=True)
class PRDParams:
    r"""Parameters of the per-site game.

    Attributes
    ----------
    mu
        Weight :math:`\mu > 0` of the supervised loss :math:`\frac{\mu}{2}(u - y_s)^2`.
    lam
        Weight :math:`\lambda \ge 0` of the adversarial term in the generator's loss
        (``lambda`` is a Python keyword, hence ``lam``). :math:`\lambda = 0` is sole supervision.
    gamma
        Weight :math:`\gamma \ge 0` of the discriminator's weight decay :math:`\frac{\gamma}{2} v^2`.
    ys
        Supervised target :math:`y_s` of the generator.
    yd
        "Real" value :math:`y_d` the discriminator is shown.
    c
        Decision threshold :math:`c` of the discriminator :math:`\sigma(v (x - c))`.
    """

    mu: float
    lam: float
    gamma: float
    ys: float
    yd: float
    c: float

    def __post_init__(self) -> None:
        checked = {
            "mu": require_positive("mu", self.mu),
            "lam": require_non_negative("lam", self.lam),
            "gamma": require_non_negative("gamma", self.gamma),
            "ys": require_finite("ys", self.ys),
            "yd": require_finite("yd", self.yd),
            "c": require_finite("c", self.c),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    def with_lam(self, lam: float) -> "PRDParams":
        """Return a copy with the adversarial weight :math:`\\lambda` replaced."""
        return replace(self, lam=lam)

    def as_dict(self) -> dict[str, float]:
        """Return the parameters as a plain dictionary."""
        return asdict(self)


PARAMETER_NAMES: tuple[str, ...] = ("mu", "lam", "gamma", "ys", "yd", "c")

REFERENCE_PARAMS = PRDParams(mu=0.675, lam=2.99, gamma=0.007, ys=1.968, yd=-1.94, c=-0.673)
"""Reference regime: three equilibria, the compromise Turing-unstable at ``Dv / Du = 200``."""
REFERENCE_DU = 1.0
REFERENCE_DV = 200.0

FAST_PARAMS = PRDParams(mu=0.357, lam=1.124, gamma=0.147, ys=-2.457, yd=0.631, c=-0.222)
"""Fast regime: its compromise's critical ratio is 18.48 (computed by :func:`prdlib.turing.critical_ratio`).

With ``FAST_DU`` and ``FAST_DV`` a 64 x 64 sheet forms spots within about 5,000 steps, but they do
not last: by about step 7,500 the sheet has returned to the uniform supervised-like equilibrium
(measured in the symmetry-breaking chapter)."""
FAST_DU = 0.188
FAST_DV = 2 * 18.2 * 0.188
"""Twice the critical ratio 18.2 (as rounded to three digits) times ``FAST_DU``."""

COURSE_PARAMS = PRDParams(mu=0.925, lam=3.2, gamma=0.243, ys=1.839, yd=-1.086, c=-0.224)
"""The regime of the preface and the symmetry-breaking chapter, whose pattern persists.

Its compromise equilibrium is Turing-unstable above the critical ratio 29.4; at ``COURSE_DV /
COURSE_DU = 60`` a 64 x 64 sheet keeps its pattern over a 90,000-step run."""
COURSE_DU = 0.1
"""Generator coupling used with :data:`COURSE_PARAMS` (fastest linear wavelength about 6.8 sites at
ratio 60)."""
COURSE_DV = 60 * COURSE_DU
"""Discriminator coupling used with :data:`COURSE_PARAMS`: about twice the critical ratio."""


def _tensor(value: Any, device: Any = None) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        return value.to(dtype=DTYPE, device=device if device is not None else value.device)
    return torch.as_tensor(np.asarray(value, dtype=np.float64), dtype=DTYPE, device=device)


def _softplus(t: torch.Tensor) -> torch.Tensor:
    """softplus(t) = log(1 + e^t), as -log sigmoid(-t).

    torch's ``F.softplus`` switches to the identity above t = 20, which sets its second
    derivative to zero there; ``logsigmoid`` is stable and exact in every derivative.
    """
    return -F.logsigmoid(-t)


def generator_site_loss(params: PRDParams, u: Any, v: Any) -> torch.Tensor:
    r"""Evaluate the generator's per-site loss :math:`\ell_G(u, v)` elementwise.

    .. math::

        \ell_G(u, v) = \frac{\mu}{2} (u - y_s)^2 - \lambda\, \mathrm{softplus}\bigl(v (u - c)\bigr),

    which equals :math:`\frac{\mu}{2}(u - y_s)^2 + \lambda \log(1 - \sigma(v (u - c)))` because
    :math:`\log(1 - \sigma(t)) = -\mathrm{softplus}(t)`; the softplus form stays finite for
    any :math:`t`.

    Parameters
    ----------
    params
        The game's parameters :math:`\mu, \lambda, y_s, c` (``gamma`` and ``yd`` are unused here).
    u, v
        Generator parameter(s) :math:`u` and discriminator parameter(s) :math:`v`, tensors or
        array-likes of broadcastable shapes. Tensors keep their autograd graph.
    """
    u, v = _tensor(u), _tensor(v)
    # Products instead of ** 2: autograd's backward of a product is several times cheaper than
    # that of a power, which matters in a training loop of thousands of steps.
    error = u - params.ys
    return 0.5 * params.mu * error * error - params.lam * _softplus(v * (u - params.c))


def discriminator_site_loss(params: PRDParams, u: Any, v: Any) -> torch.Tensor:
    r"""Evaluate the discriminator's per-site loss :math:`\ell_D(u, v)` elementwise.

    .. math::

        \ell_D(u, v) = \mathrm{softplus}\bigl(-v (y_d - c)\bigr)
                       + \mathrm{softplus}\bigl(v (u - c)\bigr) + \frac{\gamma}{2} v^2,

    which equals :math:`-\log\sigma(v(y_d - c)) - \log(1 - \sigma(v(u - c))) + \frac{\gamma}{2}v^2`
    because :math:`-\log\sigma(t) = \mathrm{softplus}(-t)`.

    Parameters
    ----------
    params
        The game's parameters :math:`\gamma, y_d, c` (``mu``, ``lam`` and ``ys`` are unused here).
    u, v
        Generator and discriminator parameter(s), as in :func:`generator_site_loss`.
    """
    u, v = _tensor(u), _tensor(v)
    return (_softplus(-v * (params.yd - params.c)) + _softplus(v * (u - params.c))
            + 0.5 * params.gamma * v * v)


def reaction(params: PRDParams, u: Any, v: Any, *, create_graph: bool = False
             ) -> tuple[torch.Tensor, torch.Tensor]:
    r"""Compute the reaction :math:`R(u, v) = (-\partial_u \ell_G, -\partial_v \ell_D)` by autograd.

    The per-site losses are separable across sites, so the gradient of their sum with respect to
    an array of sites gives each site's derivative.

    Parameters
    ----------
    params
        The game's parameters.
    u, v
        Generator and discriminator parameters (any broadcastable shapes).
    create_graph
        Keep the graph of the derivatives, so that they can be differentiated again. This is
        also done whenever ``u`` or ``v`` requires grad, so that :math:`R` is differentiable in
        the caller's tensors (for example inside :func:`torch.autograd.functional.jacobian`).

    Returns
    -------
    tuple of torch.Tensor
        :math:`(R_u, R_v)`, float64, of the broadcast shape.
    """
    u, v = torch.broadcast_tensors(_tensor(u), _tensor(v))
    if create_graph or u.requires_grad or v.requires_grad:
        u_var = u if u.requires_grad else u.detach().clone().requires_grad_(True)
        v_var = v if v.requires_grad else v.detach().clone().requires_grad_(True)
        grad_u, = torch.autograd.grad(generator_site_loss(params, u_var, v).sum(), u_var,
                                      create_graph=True)
        grad_v, = torch.autograd.grad(discriminator_site_loss(params, u, v_var).sum(), v_var,
                                      create_graph=True)
        return -grad_u, -grad_v
    u_var = u.detach().clone().requires_grad_(True)
    v_var = v.detach().clone().requires_grad_(True)
    # The generator's loss is differentiated only in u and the discriminator's only in v, so one
    # backward pass of the sum gives both partial derivatives.
    total = (generator_site_loss(params, u_var, v_var.detach()).sum()
             + discriminator_site_loss(params, u_var.detach(), v_var).sum())
    grad_u, grad_v = torch.autograd.grad(total, (u_var, v_var))
    return -grad_u, -grad_v


def _reaction_and_jacobian(params: PRDParams, u: torch.Tensor, v: torch.Tensor):
    """Return R and the per-site Jacobian (shape (..., 2, 2)) for leaf tensors u, v."""
    u_var = u.detach().clone().requires_grad_(True)
    v_var = v.detach().clone().requires_grad_(True)
    generator = generator_site_loss(params, u_var, v_var).sum()
    discriminator = discriminator_site_loss(params, u_var, v_var).sum()
    dg_du, = torch.autograd.grad(generator, u_var, create_graph=True)
    dd_dv, = torch.autograd.grad(discriminator, v_var, create_graph=True)
    r_u, r_v = -dg_du, -dd_dv
    # Sites are independent, so the gradient of a sum over sites is the per-site derivative.
    fu, fv = torch.autograd.grad(r_u.sum(), (u_var, v_var), retain_graph=True)
    gu, gv = torch.autograd.grad(r_v.sum(), (u_var, v_var))
    jacobian = torch.stack([torch.stack([fu, fv], dim=-1), torch.stack([gu, gv], dim=-1)], dim=-2)
    return r_u.detach(), r_v.detach(), jacobian.detach()


def reaction_jacobian(params: PRDParams, u: Any, v: Any) -> torch.Tensor:
    r"""Compute the per-site reaction Jacobian by autograd.

    .. math::

        J(u, v) = \begin{pmatrix} f_u & f_v \\ g_u & g_v \end{pmatrix}
                = \begin{pmatrix} \partial_u R_u & \partial_v R_u \\
                                  \partial_u R_v & \partial_v R_v \end{pmatrix}.

    Parameters
    ----------
    params
        The game's parameters.
    u, v
        Generator and discriminator parameters (any broadcastable shapes).

    Returns
    -------
    torch.Tensor
        Shape ``(*shape, 2, 2)``: one Jacobian per site; ``(2, 2)`` for scalar ``u``, ``v``.
    """
    u, v = torch.broadcast_tensors(_tensor(u), _tensor(v))
    return _reaction_and_jacobian(params, u, v)[2]


# ---------------------------------------------------------------------------------------------
# Homogeneous equilibria


@dataclass(frozen=True)
class Equilibrium:
    r"""A homogeneous equilibrium :math:`R(u^*, v^*) = 0` of the per-site game.

    Attributes
    ----------
    u, v
        The equilibrium :math:`(u^*, v^*)`.
    jacobian
        Reaction Jacobian :math:`J` at the equilibrium, a (2, 2) array.
    residual
        :math:`\max(|R_u|, |R_v|)` at the returned point.
    """

    u: float
    v: float
    jacobian: np.ndarray = field(repr=False)
    residual: float = 0.0

    @property
    def trace(self) -> float:
        """Trace of the Jacobian."""
        return float(np.trace(self.jacobian))

    @property
    def det(self) -> float:
        """Determinant of the Jacobian."""
        return float(np.linalg.det(self.jacobian))

    @property
    def stable(self) -> bool:
        """Linear stability without coupling: ``trace < 0`` and ``det > 0``."""
        return self.trace < 0 and self.det > 0


def _default_box(params: PRDParams) -> tuple[tuple[float, float], tuple[float, float]]:
    anchors = (params.ys, params.yd, params.c)
    spread = max(anchors) - min(anchors)
    margin = max(4.0, spread)
    u_range = (min(anchors) - margin, max(anchors) + margin)
    # The discriminator's weight grows like 1 / gamma when it separates the data well, so a weak
    # weight decay needs a wide search in v.
    v_limit = 30.0 if params.gamma >= 0.05 else min(300.0, 30.0 + 1.5 / max(params.gamma, 1e-3))
    return u_range, (-v_limit, v_limit)


def _newton(params: PRDParams, u: torch.Tensor, v: torch.Tensor, *, max_iter: int, tol: float):
    """Damped Newton iteration on R = 0 from a batch of starts.

    Returns the points, their residuals max(|R_u|, |R_v|) and a mask of the converged ones.

    Only the starts that have not yet converged are iterated. A start whose iterate leaves the
    finite numbers is marked NaN and dropped.
    """
    u, v = u.clone(), v.clone()
    active = torch.arange(u.numel())
    for _ in range(max_iter):
        r_u, r_v, jacobian = _reaction_and_jacobian(params, u[active], v[active])
        residual = torch.maximum(r_u.abs(), r_v.abs())
        keep = residual > tol
        active, r_u, r_v, jacobian = active[keep], r_u[keep], r_v[keep], jacobian[keep]
        if active.numel() == 0:
            break
        # Solve J step = -R by Cramer's rule: batched LAPACK calls are slow for 2 x 2 systems.
        fu, fv = jacobian[:, 0, 0], jacobian[:, 0, 1]
        gu, gv = jacobian[:, 1, 0], jacobian[:, 1, 1]
        det = fu * gv - fv * gu
        solvable = torch.isfinite(det) & (det.abs() > 1e-14)
        safe_det = torch.where(solvable, det, torch.ones_like(det))
        step = torch.stack([-(gv * r_u - fv * r_v) / safe_det, -(fu * r_v - gu * r_u) / safe_det],
                           dim=-1)
        # Damping: cap a step at length 2, which keeps a start far from any root from jumping
        # across the whole domain in one iteration.
        length = torch.linalg.vector_norm(step, dim=-1, keepdim=True)
        step = step * torch.clamp(2.0 / torch.clamp(length, min=1e-300), max=1.0)
        new_u, new_v = u[active] + step[:, 0], v[active] + step[:, 1]
        finite = torch.isfinite(new_u) & torch.isfinite(new_v) & solvable
        u[active] = torch.where(finite, new_u, torch.full_like(new_u, float("nan")))
        v[active] = torch.where(finite, new_v, torch.full_like(new_v, float("nan")))
        active = active[finite]
    r_u, r_v, jacobian = _reaction_and_jacobian(params, u, v)
    residual = torch.maximum(r_u.abs(), r_v.abs())
    # A small residual is not enough, because far out in v (a discriminator whose weight grows
    # without bound) the reaction and its derivatives all vanish. A regular root also has a
    # short Newton step, and such a point at infinity does not.
    det = jacobian[..., 0, 0] * jacobian[..., 1, 1] - jacobian[..., 0, 1] * jacobian[..., 1, 0]
    step_u = (jacobian[..., 1, 1] * r_u - jacobian[..., 0, 1] * r_v) / det
    step_v = (jacobian[..., 0, 0] * r_v - jacobian[..., 1, 0] * r_u) / det
    step = torch.hypot(step_u, step_v)
    converged = (torch.isfinite(residual) & (residual <= tol) & torch.isfinite(step)
                 & (step <= 1e-6 * (1.0 + u.abs() + v.abs())))
    return u, v, residual, converged


@_small_tensors
def refine_equilibrium(params: PRDParams, u: float, v: float, *, tol: float = 1e-12,
                       max_iter: int = 60, max_distance: float = 1.0) -> Equilibrium:
    """Polish an approximate equilibrium with Newton's method on R.

    Parameters
    ----------
    params
        The game's parameters.
    u, v
        The approximate equilibrium.
    tol
        Convergence tolerance on ``max(|R_u|, |R_v|)``.
    max_iter
        Newton iterations.
    max_distance
        The equilibrium must lie within this Euclidean distance of ``(u, v)``.

    Raises
    ------
    ValueError
        If Newton's method does not converge from ``(u, v)``, or converges farther away than
        ``max_distance``.
    """
    u0, v0 = require_finite("u", u), require_finite("v", v)
    max_distance = require_positive("max_distance", max_distance)
    u_t, v_t, residual, converged = _newton(params, _tensor([u0]), _tensor([v0]),
                                            max_iter=max_iter, tol=tol)
    found_u, found_v = float(u_t[0]), float(v_t[0])
    if not bool(converged[0]) or math.hypot(found_u - u0, found_v - v0) > max_distance:
        raise ValueError(
            f"Newton's method found no equilibrium near (u, v) = ({u0:.6g}, {v0:.6g}) (within "
            f"distance {max_distance:g}) for {params}; call find_equilibria to list them all"
        )
    jacobian = reaction_jacobian(params, found_u, found_v).numpy()
    return Equilibrium(found_u, found_v, jacobian, float(residual[0]))


@_small_tensors
def find_equilibria(
    params: PRDParams,
    *,
    u_range: tuple[float, float] | None = None,
    v_range: tuple[float, float] | None = None,
    starts: tuple[int, int] = (31, 61),
    tol: float = 1e-11,
    max_iter: int = 80,
) -> list[Equilibrium]:
    r"""Find every homogeneous equilibrium :math:`R(u^*, v^*) = 0` of the per-site game.

    Damped Newton iterations on :math:`R` (autograd Jacobian) start from a grid of points in the
    box ``u_range`` x ``v_range``. Converged points closer than ``1e-6`` are merged.

    Parameters
    ----------
    params
        The game's parameters.
    u_range, v_range
        The box of starting points. The default box spans the data :math:`y_s, y_d, c` with a
        margin of at least 4 in :math:`u`, and :math:`|v| \le 30` (wider when :math:`\gamma` is
        small). An equilibrium far outside the box can be missed.
    starts
        Number of starting points along :math:`u` and :math:`v`.
    tol
        Convergence tolerance on :math:`\max(|R_u|, |R_v|)`, relative to
        :math:`\max(1, \mu, \lambda)`: the reaction scales with these weights, so an absolute
        tolerance would be below round-off for large :math:`\mu`.
    max_iter
        Newton iterations per start.

    Returns
    -------
    list of Equilibrium
        Sorted by :math:`u` (then :math:`v`).

    Raises
    ------
    ValueError
        If no start converges (for example with :math:`\gamma = 0` and a discriminator that can
        separate :math:`y_d` from every :math:`u`, its weight grows without bound), or if an
        argument is invalid.
    """
    default_u, default_v = _default_box(params)
    u_range = default_u if u_range is None else u_range
    v_range = default_v if v_range is None else v_range
    for name, (low, high) in (("u_range", u_range), ("v_range", v_range)):
        low, high = require_finite(f"{name}[0]", low), require_finite(f"{name}[1]", high)
        if not low < high:
            raise ValueError(f"{name} must be an interval (low, high) with low < high, got {(low, high)}")
    n_u = require_positive_int("starts[0]", starts[0], minimum=2)
    n_v = require_positive_int("starts[1]", starts[1], minimum=2)
    tol = require_positive("tol", tol)
    max_iter = require_positive_int("max_iter", max_iter)

    grid_u, grid_v = torch.meshgrid(torch.linspace(*u_range, n_u, dtype=DTYPE),
                                    torch.linspace(*v_range, n_v, dtype=DTYPE), indexing="ij")
    scale = max(1.0, params.mu, params.lam)
    u, v, _, converged = _newton(params, grid_u.reshape(-1), grid_v.reshape(-1),
                                 max_iter=max_iter, tol=tol * scale)
    points = sorted(zip(u[converged].tolist(), v[converged].tolist()))
    if not points:
        raise ValueError(
            f"no homogeneous equilibrium found for {params} from {n_u * n_v} starts in "
            f"u in {tuple(u_range)}, v in {tuple(v_range)}. An equilibrium may lie outside "
            f"this box (pass a wider u_range or v_range), or, with gamma = {params.gamma}, the "
            "discriminator's weight may grow without bound (gamma > 0 prevents that)"
        )

    distinct: list[tuple[float, float]] = []
    for point in points:
        if all(math.hypot(point[0] - p[0], point[1] - p[1]) > 1e-6 * (1 + abs(p[0]) + abs(p[1]))
               for p in distinct):
            distinct.append(point)
    distinct.sort()
    return [_equilibrium_at(params, pu, pv) for pu, pv in distinct]


def _equilibrium_at(params: PRDParams, u: float, v: float) -> Equilibrium:
    r_u, r_v, jacobian = _reaction_and_jacobian(params, _tensor(u), _tensor(v))
    return Equilibrium(u, v, jacobian.numpy(), max(abs(float(r_u)), abs(float(r_v))))


@dataclass(frozen=True)
class EquilibriumAnalysis:
    """An equilibrium with its stability and its Turing analysis at given coupling strengths.

    Attributes
    ----------
    u, v
        The equilibrium.
    jacobian
        Reaction Jacobian, nested lists ``[[f_u, f_v], [g_u, g_v]]``.
    trace, det
        Trace and determinant of the Jacobian.
    stable
        Stable without coupling (``trace < 0`` and ``det > 0``).
    turing_unstable
        All four Turing conditions hold at ``Du``, ``Dv`` (continuum).
    d_critical
        Critical ratio ``Dv / Du`` from :func:`prdlib.turing.critical_ratio`, or None.
    ratio_interval
        Ratios ``Dv / Du`` that make the state Turing-unstable, from
        :func:`prdlib.turing.unstable_ratio_interval`, or None.
    k_max, growth_max
        Fastest-growing continuum wavenumber and its growth rate at ``Du``, ``Dv``.
    Du, Dv
        The coupling strengths used.
    """

    u: float
    v: float
    jacobian: list[list[float]]
    trace: float
    det: float
    stable: bool
    turing_unstable: bool
    d_critical: float | None
    ratio_interval: tuple[float, float] | None
    k_max: float
    growth_max: float
    Du: float
    Dv: float

    def as_dict(self) -> dict[str, Any]:
        """Return the fields as a plain dictionary (for JSON output)."""
        return asdict(self)


def analyse_equilibrium(equilibrium: Equilibrium, Du: float, Dv: float) -> EquilibriumAnalysis:
    """Analyse one equilibrium with :mod:`prdlib.turing` at coupling strengths ``Du``, ``Dv`` (> 0)."""
    Du, Dv = require_positive("Du", Du), require_positive("Dv", Dv)
    jacobian = equilibrium.jacobian
    conditions = turing.turing_conditions(jacobian, Du, Dv)
    k_max, growth_max = turing.fastest_growing_mode(jacobian, Du, Dv)
    return EquilibriumAnalysis(
        u=equilibrium.u,
        v=equilibrium.v,
        jacobian=np.asarray(jacobian).tolist(),
        trace=conditions.trace,
        det=conditions.det,
        stable=conditions.stable_without_diffusion,
        turing_unstable=conditions.turing_unstable,
        d_critical=turing.critical_ratio(jacobian),
        ratio_interval=turing.unstable_ratio_interval(jacobian),
        k_max=k_max,
        growth_max=growth_max,
        Du=Du,
        Dv=Dv,
    )


def analyse_equilibria(params: PRDParams, Du: float, Dv: float, **search: Any
                       ) -> list[EquilibriumAnalysis]:
    """Find every equilibrium (see :func:`find_equilibria`, which takes ``search``) and analyse each."""
    Du, Dv = require_positive("Du", Du), require_positive("Dv", Dv)
    return [analyse_equilibrium(eq, Du, Dv) for eq in find_equilibria(params, **search)]


def simultaneous_lr_limit(jacobian: Any) -> float:
    r"""Return the largest step for which simultaneous gradient play is stable at an equilibrium.

    Near an equilibrium one step multiplies a deviation by :math:`I + \eta J`, whose eigenvalues
    are :math:`1 + \eta \lambda` for the eigenvalues :math:`\lambda` of :math:`J`. For
    :math:`\mathrm{Re}\,\lambda < 0`, :math:`|1 + \eta\lambda| < 1` exactly when

    .. math::

        \eta < \frac{-2\,\mathrm{Re}\,\lambda}{|\lambda|^2},

    so a stable focus with weak damping (small :math:`|\mathrm{Re}\,\lambda|`, large
    :math:`|\mathrm{Im}\,\lambda|`) needs a small step: larger steps spiral outwards even
    though the continuous-time flow spirals in.

    Parameters
    ----------
    jacobian
        A (2, 2) (or any square) Jacobian :math:`J` of the flow at the equilibrium.

    Returns
    -------
    float
        The limit; ``inf`` when :math:`J = 0`, and 0 when an eigenvalue has
        :math:`\mathrm{Re}\,\lambda \ge 0` with :math:`\lambda \ne 0` (no step makes the
        equilibrium stable).
    """
    matrix = np.asarray(jacobian, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or not np.all(np.isfinite(matrix)):
        raise ValueError(f"jacobian must be a finite square matrix, got {matrix!r}")
    limit = math.inf
    for eigenvalue in np.linalg.eigvals(matrix):
        if eigenvalue == 0:
            continue
        if eigenvalue.real >= 0:
            return 0.0
        limit = min(limit, -2.0 * eigenvalue.real / abs(eigenvalue) ** 2)
    return float(limit)


# ---------------------------------------------------------------------------------------------
# Continuation in lambda and the Turing-space map


@dataclass(frozen=True)
class Branch:
    r"""An equilibrium branch :math:`(u^*(\lambda), v^*(\lambda))` followed in :math:`\lambda`.

    Attributes
    ----------
    params
        The parameters; their ``lam`` is the first value of ``lam`` below.
    lam, u, v
        The branch at each :math:`\lambda` reached, arrays of equal length.
    jacobian
        Reaction Jacobians, shape ``(len(lam), 2, 2)``.
    complete
        True when every requested :math:`\lambda` was reached.
    stop_reason
        Why the continuation stopped early ("" when complete).
    reached
        The smallest and largest :math:`\lambda` the continuation reached, including its
        intermediate steps: where it stopped early, the fold lies just beyond.
    """

    params: PRDParams
    lam: np.ndarray
    u: np.ndarray
    v: np.ndarray
    jacobian: np.ndarray = field(repr=False)
    complete: bool
    stop_reason: str
    reached: tuple[float, float] = (math.nan, math.nan)

    @property
    def trace(self) -> np.ndarray:
        """Trace of the Jacobian along the branch."""
        return np.trace(self.jacobian, axis1=-2, axis2=-1)

    @property
    def det(self) -> np.ndarray:
        """Determinant of the Jacobian along the branch."""
        return np.linalg.det(self.jacobian)

    @property
    def stable(self) -> np.ndarray:
        """Stability without coupling along the branch (``trace < 0`` and ``det > 0``)."""
        return (self.trace < 0) & (self.det > 0)

    def equilibrium_near(self, lam: float) -> tuple[float, float]:
        r"""Return :math:`(u^*, v^*)` at ``lam`` by linear interpolation along the branch."""
        lam = require_finite("lam", lam)
        order = np.argsort(self.lam)
        low, high = float(self.lam.min()), float(self.lam.max())
        if not low <= lam <= high:
            raise ValueError(f"lam must lie in the branch's range [{low}, {high}], got {lam}")
        return (float(np.interp(lam, self.lam[order], self.u[order])),
                float(np.interp(lam, self.lam[order], self.v[order])))


def _correct(params: PRDParams, lam: float, u: float, v: float, tol: float):
    """Newton corrector at fixed lam; returns (u, v, jacobian) or None if it fails."""
    trial = params.with_lam(lam)
    u_t, v_t, _, converged = _newton(trial, _tensor([u]), _tensor([v]), max_iter=12, tol=tol)
    if not bool(converged[0]):
        return None
    jacobian = reaction_jacobian(trial, u_t[0], v_t[0]).numpy()
    return float(u_t[0]), float(v_t[0]), jacobian


@_small_tensors
def continue_branch(
    params: PRDParams,
    start: tuple[float, float],
    lam_values: Sequence[float] | np.ndarray,
    *,
    tol: float = 1e-11,
    max_halvings: int = 12,
) -> Branch:
    r"""Follow an equilibrium branch in :math:`\lambda` by predictor-corrector continuation.

    At each new :math:`\lambda` a secant predictor through the last two points (a constant
    predictor for the first step) is corrected by Newton's method on :math:`R`. A step is
    halved when the corrector fails, when it moves the point by more than
    :math:`0.25 (1 + |u| + |v|)`, or when :math:`\det J` changes sign (the sign of
    :math:`\det J` is fixed along a branch between folds, so a change means the corrector
    jumped to another branch). Continuation stops, with ``complete = False``, after
    ``max_halvings`` halvings: typically at a fold where the branch turns back.

    Parameters
    ----------
    params
        The game's parameters (their ``lam`` is ignored).
    start
        An approximate equilibrium :math:`(u, v)` at ``lam_values[0]``.
    lam_values
        Strictly monotone values of :math:`\lambda \ge 0` at which the branch is recorded.
    tol
        Newton tolerance on :math:`\max(|R_u|, |R_v|)`.
    max_halvings
        How many times one step may be halved before the continuation stops.

    Raises
    ------
    ValueError
        If ``lam_values`` is not strictly monotone, has a negative or non-finite entry or fewer
        than one entry, or if ``start`` is not close to an equilibrium.
    """
    lam_values = np.asarray(lam_values, dtype=np.float64).reshape(-1)
    if lam_values.size < 1 or not np.all(np.isfinite(lam_values)):
        raise ValueError(f"lam_values must be a non-empty sequence of finite numbers, got {lam_values}")
    if np.any(lam_values < 0):
        raise ValueError(f"lam_values must be >= 0, got minimum {lam_values.min()}")
    steps = np.diff(lam_values)
    if lam_values.size > 1 and not (np.all(steps > 0) or np.all(steps < 0)):
        raise ValueError("lam_values must be strictly increasing or strictly decreasing")
    max_halvings = require_positive_int("max_halvings", max_halvings, minimum=0)
    tol = require_positive("tol", tol)

    first = refine_equilibrium(params.with_lam(float(lam_values[0])), start[0], start[1], tol=tol)
    lams, us, vs, jacobians = [float(lam_values[0])], [first.u], [first.v], [first.jacobian]
    stop_reason = ""
    for target in lam_values[1:]:
        lam_now = lams[-1]
        step = float(target) - lam_now
        halvings = 0
        while lams[-1] != float(target):
            lam_next = float(target) if abs(step) >= abs(float(target) - lams[-1]) else lams[-1] + step
            if len(lams) >= 2 and lams[-1] != lams[-2]:
                slope_u = (us[-1] - us[-2]) / (lams[-1] - lams[-2])
                slope_v = (vs[-1] - vs[-2]) / (lams[-1] - lams[-2])
            else:
                slope_u = slope_v = 0.0
            predicted_u = us[-1] + slope_u * (lam_next - lams[-1])
            predicted_v = vs[-1] + slope_v * (lam_next - lams[-1])
            corrected = _correct(params, lam_next, predicted_u, predicted_v, tol)
            accepted = False
            if corrected is not None:
                u_new, v_new, jac_new = corrected
                moved = math.hypot(u_new - predicted_u, v_new - predicted_v)
                same_side = np.sign(np.linalg.det(jac_new)) == np.sign(np.linalg.det(jacobians[-1]))
                accepted = moved <= 0.25 * (1 + abs(us[-1]) + abs(vs[-1])) and bool(same_side)
            if accepted:
                lams.append(lam_next)
                us.append(u_new)
                vs.append(v_new)
                jacobians.append(jac_new)
            else:
                halvings += 1
                step /= 2.0
                if halvings > max_halvings:
                    stop_reason = (
                        f"continuation failed beyond lam = {lams[-1]:.8g} (det J = "
                        f"{np.linalg.det(jacobians[-1]):.3g}): the branch probably ends at a fold"
                    )
                    break
        if stop_reason:
            break

    # Keep only the requested values of lambda (intermediate steps were only for the continuation).
    keep = [i for i, lam in enumerate(lams) if np.any(lam_values == lam)]
    return Branch(
        params=params.with_lam(float(lam_values[0])),
        lam=np.array([lams[i] for i in keep]),
        u=np.array([us[i] for i in keep]),
        v=np.array([vs[i] for i in keep]),
        jacobian=np.array([jacobians[i] for i in keep]),
        complete=not stop_reason,
        stop_reason=stop_reason,
        reached=(min(lams), max(lams)),
    )


def follow_branch(
    params: PRDParams,
    start: tuple[float, float],
    lam_values: Sequence[float] | np.ndarray,
    **continuation: Any,
) -> Branch:
    r"""Follow the branch through an equilibrium at ``params.lam`` both ways in :math:`\lambda`.

    ``start`` approximates an equilibrium at ``params.lam``. The branch is continued with
    :func:`continue_branch` (which takes ``continuation``) down through the values of
    ``lam_values`` below ``params.lam`` and up through those above it. The result is sorted by
    :math:`\lambda` and contains ``params.lam`` itself; values beyond a fold are left out, and
    ``stop_reason`` reports where each side stopped.
    """
    lam_values = np.unique(np.asarray(lam_values, dtype=np.float64).reshape(-1))
    if lam_values.size < 1 or not np.all(np.isfinite(lam_values)):
        raise ValueError(f"lam_values must be a non-empty sequence of finite numbers, got {lam_values}")
    below = np.concatenate([[params.lam], lam_values[lam_values < params.lam][::-1]])
    above = np.concatenate([[params.lam], lam_values[lam_values > params.lam]])
    down = continue_branch(params, start, below, **continuation)
    up = continue_branch(params, start, above, **continuation)
    reasons = [reason for reason in (down.stop_reason, up.stop_reason) if reason]
    return Branch(
        params=params,
        lam=np.concatenate([down.lam[::-1], up.lam[1:]]),
        u=np.concatenate([down.u[::-1], up.u[1:]]),
        v=np.concatenate([down.v[::-1], up.v[1:]]),
        jacobian=np.concatenate([down.jacobian[::-1], up.jacobian[1:]]),
        complete=down.complete and up.complete,
        stop_reason="; ".join(reasons),
        reached=(min(down.reached[0], up.reached[0]), max(down.reached[1], up.reached[1])),
    )


def _stability_margin(jacobian: np.ndarray) -> float:
    """Positive exactly when J is stable: min(-trace, det)."""
    return float(min(-np.trace(jacobian), np.linalg.det(jacobian)))


def _turing_margin(jacobian: np.ndarray, ratio: float) -> float:
    """Positive exactly when all four Turing conditions hold at Du = 1, Dv = ratio."""
    (fu, _), (_, gv) = jacobian
    det = float(np.linalg.det(jacobian))
    weighted = ratio * fu + gv
    return float(min(-np.trace(jacobian), det, weighted, weighted**2 - 4.0 * ratio * det))


@dataclass(frozen=True)
class TuringSpace:
    r"""The Turing-space map of an equilibrium branch in the plane :math:`(\lambda, D_v / D_u)`.

    On the continuum the Turing conditions depend on :math:`D_u` and :math:`D_v` only through
    :math:`d = D_v / D_u`. A point :math:`(\lambda, d)` is Turing-unstable when the branch's
    equilibrium is stable without coupling and :math:`d` lies in its unstable ratio interval
    (:math:`d > d_c(\lambda)` when the generator self-activates, :math:`f_u > 0`).

    Attributes
    ----------
    branch
        The equilibrium branch.
    d_critical
        :math:`d_c(\lambda)` along the branch, NaN where no ratio gives instability.
    stability_boundaries
        Values of :math:`\lambda` where the homogeneous state changes stability along the branch
        (trace or determinant crosses zero), located by root finding between branch points.
    """

    branch: Branch
    d_critical: np.ndarray
    stability_boundaries: tuple[float, ...]

    @property
    def lam(self) -> np.ndarray:
        """The values of :math:`\\lambda` along the branch."""
        return self.branch.lam

    @property
    def stable(self) -> np.ndarray:
        """Stability without coupling along the branch."""
        return self.branch.stable

    def turing_unstable(self, ratio: float) -> np.ndarray:
        """Return, at each branch point, whether ``ratio = Dv / Du`` makes it Turing-unstable."""
        ratio = require_positive("ratio", ratio)
        return np.array([_turing_margin(j, ratio) > 0 for j in self.branch.jacobian])

    def self_activation_intervals(self) -> list[tuple[float, float]]:
        r"""Return the intervals of :math:`\lambda` where the generator self-activates, :math:`f_u > 0`.

        Ends inside the branch are located by root finding, as in :meth:`turing_intervals`.
        Outside these intervals :math:`d_c` does not exist and no ratio gives a pattern.
        """
        return _intervals(self.branch, lambda jac: float(jac[0, 0]))

    def turing_intervals(self, ratio: float) -> list[tuple[float, float]]:
        r"""Return the intervals of :math:`\lambda` where ``ratio = Dv / Du`` gives Turing instability.

        Each end inside the branch is located by root finding on the Turing conditions between
        the two branch points that bracket it. An end at the first or last branch point is
        reported at that point, although the true region may extend beyond the computed branch.
        """
        ratio = require_positive("ratio", ratio)
        return _intervals(self.branch, lambda jac: _turing_margin(jac, ratio))


def _margin_at(branch: Branch, index: int, lam: float, margin) -> float:
    u, v = branch.equilibrium_near(lam)
    corrected = _correct(branch.params, lam, u, v, 1e-11)
    if corrected is None:
        corrected = _correct(branch.params, lam, branch.u[index], branch.v[index], 1e-11)
    if corrected is None:
        raise ValueError(f"lost the equilibrium branch at lam = {lam} while locating a boundary")
    return margin(corrected[2])


def _boundary(branch: Branch, i: int, margin) -> float:
    from scipy.optimize import brentq

    low, high = float(branch.lam[i]), float(branch.lam[i + 1])
    return float(brentq(lambda lam: _margin_at(branch, i, lam, margin), low, high, xtol=1e-10))


@_small_tensors
def _intervals(branch: Branch, margin) -> list[tuple[float, float]]:
    inside = np.array([margin(j) > 0 for j in branch.jacobian])
    intervals: list[tuple[float, float]] = []
    start: float | None = None
    for i, flag in enumerate(inside):
        if flag and start is None:
            start = float(branch.lam[0]) if i == 0 else _boundary(branch, i - 1, margin)
        if not flag and start is not None:
            intervals.append((start, _boundary(branch, i - 1, margin)))
            start = None
    if start is not None:
        intervals.append((start, float(branch.lam[-1])))
    return [(min(a, b), max(a, b)) for a, b in intervals]


@_small_tensors
def turing_space(
    params: PRDParams,
    start: tuple[float, float],
    lam_values: Sequence[float] | np.ndarray,
    **continuation: Any,
) -> TuringSpace:
    r"""Map the Turing space of one equilibrium branch in the plane :math:`(\lambda, D_v / D_u)`.

    The branch through ``start`` (an approximate equilibrium at ``params.lam``) is followed both
    ways through ``lam_values`` with :func:`follow_branch`, which takes ``continuation``. Along it the map gives the
    critical-ratio curve :math:`d_c(\lambda)` and the values of :math:`\lambda` where the
    homogeneous state itself loses stability. At :math:`\lambda = 0` the generator does not
    self-activate (:math:`f_u = -\mu < 0`) and :math:`g_v < 0`, so no ratio gives a pattern there.

    Returns
    -------
    TuringSpace
        The map; :meth:`TuringSpace.turing_intervals` gives the unstable :math:`\lambda` at a
        ratio.
    """
    branch = follow_branch(params, start, lam_values, **continuation)
    d_critical = np.array([
        np.nan if (d := turing.critical_ratio(j)) is None else d for j in branch.jacobian
    ])
    stable_intervals = _intervals(branch, _stability_margin)
    boundaries = sorted({edge for interval in stable_intervals for edge in interval
                         if edge not in (float(branch.lam[0]), float(branch.lam[-1]))})
    return TuringSpace(branch=branch, d_critical=d_critical, stability_boundaries=tuple(boundaries))
