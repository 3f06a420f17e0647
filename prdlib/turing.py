r"""Linear stability of a homogeneous state of a two-species reaction-diffusion system.

The system is

.. math::

    u_t = f(u, v) + D_u \nabla^2 u, \qquad v_t = g(u, v) + D_v \nabla^2 v .

Every function here takes the reaction Jacobian at a homogeneous steady state,
``jacobian`` :math:`= J = [[f_u, f_v], [g_u, g_v]]`, and the diffusion coefficients
``Du`` :math:`= D_u > 0` and ``Dv`` :math:`= D_v > 0`. A spatial mode whose Laplacian eigenvalue
is :math:`-s` (:math:`s = k^2` in the continuum, :func:`lattice_laplacian_eigenvalue` on a grid)
evolves with the matrix :math:`J - s\,\mathrm{diag}(D_u, D_v)`, so it grows when that matrix has
an eigenvalue with positive real part.

Wavenumbers are in radians per unit length; :math:`s` is in inverse length squared.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from prdlib.errors import require_positive

__all__ = [
    "NO_STEADY_STATE",
    "REGION_NAMES",
    "STABLE",
    "TURING_UNSTABLE",
    "UNSTABLE_WITHOUT_DIFFUSION",
    "TuringConditions",
    "as_jacobian",
    "classify",
    "critical_ratio",
    "critical_wavenumber",
    "dispersion_relation",
    "fastest_growing_mode",
    "growth_rate",
    "lattice_laplacian_eigenvalue",
    "turing_conditions",
    "turing_space",
    "unstable_band",
    "unstable_intervals",
    "unstable_ratio_interval",
]


def as_jacobian(jacobian: Any) -> np.ndarray:
    """Convert ``jacobian`` to a finite float64 array of shape (2, 2), raising ValueError if not.

    Accepts nested sequences, numpy arrays and torch tensors (detached and moved to the CPU).
    """
    if hasattr(jacobian, "detach"):
        jacobian = jacobian.detach().cpu().numpy()
    try:
        matrix = np.asarray(jacobian, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"jacobian must be a 2x2 array of real numbers [[f_u, f_v], [g_u, g_v]], "
            f"got {jacobian!r}"
        ) from None
    if matrix.shape != (2, 2):
        raise ValueError(
            f"jacobian must have shape (2, 2) as [[f_u, f_v], [g_u, g_v]], got shape {matrix.shape}"
        )
    if not np.all(np.isfinite(matrix)):
        raise ValueError(f"jacobian entries must be finite, got {matrix.tolist()}")
    return matrix


def _as_laplacian_eigenvalue(s: Any) -> np.ndarray:
    values = np.asarray(s, dtype=np.float64)
    if not np.all(np.isfinite(values)):
        raise ValueError("s (Laplacian eigenvalue) must be finite, got a NaN or Inf entry")
    if np.any(values < 0):
        raise ValueError(
            f"s (Laplacian eigenvalue, s = k^2 in the continuum) must be >= 0, "
            f"got minimum {float(values.min())}"
        )
    return values


def _diffusion(Du: Any, Dv: Any) -> tuple[float, float]:
    return require_positive("Du", Du), require_positive("Dv", Dv)


def dispersion_relation(jacobian: Any, Du: float, Dv: float, s: Any) -> np.ndarray:
    r"""Compute the eigenvalues of :math:`J - s\,\mathrm{diag}(D_u, D_v)` for each ``s``.

    .. math::

        \lambda_\pm(s) = \frac{\tau(s)}{2} \pm \sqrt{\frac{\tau(s)^2}{4} - \delta(s)},

    where :math:`\tau(s)` and :math:`\delta(s)` are the trace and determinant of
    :math:`J - s\,\mathrm{diag}(D_u, D_v)`.

    Parameters
    ----------
    jacobian
        Reaction Jacobian :math:`J = [[f_u, f_v], [g_u, g_v]]`, shape (2, 2).
    Du, Dv
        Diffusion coefficients :math:`D_u, D_v > 0`.
    s
        Laplacian eigenvalue(s) :math:`s \ge 0`, any shape: :math:`k^2` in the continuum or
        :func:`lattice_laplacian_eigenvalue` on a grid.

    Returns
    -------
    numpy.ndarray
        Complex array of shape ``s.shape + (2,)``. Index 0 is the eigenvalue with the larger
        real part (:math:`\lambda_+`), index 1 the other.

    Raises
    ------
    ValueError
        If ``jacobian`` is not a finite 2x2 array, ``Du`` or ``Dv`` is not positive, or ``s`` has
        a negative or non-finite entry.
    """
    matrix = as_jacobian(jacobian)
    Du, Dv = _diffusion(Du, Dv)
    s = _as_laplacian_eigenvalue(s)
    # Underflow of tiny products to zero is harmless here, so its numpy warning is suppressed.
    (fu, fv), (gu, gv) = matrix
    with np.errstate(under="ignore"):
        diagonal_u = fu - s * Du
        diagonal_v = gv - s * Dv
        half = (diagonal_u + diagonal_v) / 2.0
        det = diagonal_u * diagonal_v - fv * gu
        # tau^2/4 - delta written as ((a - d)/2)^2 + b c, which keeps its digits when the two
        # eigenvalues nearly coincide (tau^2/4 - delta would cancel).
        discriminant = ((diagonal_u - diagonal_v) / 2.0) ** 2 + fv * gu
        root = np.sqrt(np.abs(discriminant))
        real = discriminant >= 0

        # Real pair: compute the root of larger magnitude directly and the other as det / root,
        # which avoids cancellation when one eigenvalue is much smaller than the other.
        big = half + np.copysign(root, half)
        safe_big = np.where(big == 0, 1.0, big)
        small = np.where(big == 0, 0.0, det / safe_big)
        upper_real = np.maximum(big, small)
        lower_real = np.minimum(big, small)

        upper = np.where(real, upper_real + 0j, half + 1j * root)
        lower = np.where(real, lower_real + 0j, half - 1j * root)
    return np.stack([upper, lower], axis=-1)


def growth_rate(jacobian: Any, Du: float, Dv: float, s: Any) -> np.ndarray:
    r"""Compute the growth rate :math:`\max \mathrm{Re}\,\lambda(s)` of the mode(s) with eigenvalue ``s``.

    Arguments are those of :func:`dispersion_relation`. Returns a float array of the same shape
    as ``s`` (a numpy scalar when ``s`` is a scalar). A positive value means the mode grows.
    """
    return dispersion_relation(jacobian, Du, Dv, s)[..., 0].real[()]


def lattice_laplacian_eigenvalue(kx: Any, ky: Any = 0.0, spacing: float = 1.0) -> np.ndarray:
    r"""Compute :math:`s` for the discrete (5-point, or 3-point in 1D) Laplacian on a grid.

    .. math::

        s = \frac{4}{h^2} \sin^2\!\left(\frac{k_x h}{2}\right)
          + \frac{4}{h^2} \sin^2\!\left(\frac{k_y h}{2}\right),

    the negative of the eigenvalue of the finite-difference Laplacian for the Fourier mode
    :math:`e^{i(k_x x + k_y y)}`. It equals :math:`k_x^2 + k_y^2` up to
    :math:`O(k^4 h^2)` as :math:`k h \to 0`.

    Parameters
    ----------
    kx, ky
        Wavenumber components :math:`k_x, k_y` in radians per unit length (broadcast together).
    spacing
        Grid spacing :math:`h > 0`.

    Raises
    ------
    ValueError
        If ``spacing`` is not positive or a wavenumber is not finite.
    """
    h = require_positive("spacing", spacing)
    kx = np.asarray(kx, dtype=np.float64)
    ky = np.asarray(ky, dtype=np.float64)
    for name, value in (("kx", kx), ("ky", ky)):
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{name} (wavenumber) must be finite, got a NaN or Inf entry")
    s = 4.0 / h**2 * (np.sin(kx * h / 2.0) ** 2 + np.sin(ky * h / 2.0) ** 2)
    return s[()]


@dataclass(frozen=True)
class TuringConditions:
    r"""The four Turing conditions evaluated for one Jacobian and one pair of diffusion coefficients.

    (i) :math:`\mathrm{tr}\,J < 0`; (ii) :math:`\det J > 0`;
    (iii) :math:`D_v f_u + D_u g_v > 0`; (iv) :math:`(D_v f_u + D_u g_v)^2 > 4 D_u D_v \det J`.
    (i) and (ii) make the homogeneous state stable without diffusion. All four together make it
    Turing-unstable: a band of modes with :math:`k > 0` grows.
    """

    trace: float
    det: float
    condition_i: bool
    condition_ii: bool
    stable_without_diffusion: bool
    condition_iii: bool
    condition_iv: bool
    turing_unstable: bool

    def as_dict(self) -> dict[str, float | bool]:
        """Return the fields as a plain dictionary (for JSON output or tables)."""
        return asdict(self)


def turing_conditions(jacobian: Any, Du: float, Dv: float) -> TuringConditions:
    r"""Evaluate the four Turing conditions.

    Parameters
    ----------
    jacobian
        Reaction Jacobian :math:`J = [[f_u, f_v], [g_u, g_v]]`, shape (2, 2).
    Du, Dv
        Diffusion coefficients :math:`D_u, D_v > 0`.

    Returns
    -------
    TuringConditions
        Trace, determinant and each condition. ``turing_unstable`` is true exactly when some
        continuum wavenumber :math:`k > 0` grows while :math:`k = 0` decays.

    Raises
    ------
    ValueError
        If ``jacobian`` is not a finite 2x2 array or ``Du`` or ``Dv`` is not positive.
    """
    matrix = as_jacobian(jacobian)
    Du, Dv = _diffusion(Du, Dv)
    (fu, fv), (gu, gv) = matrix
    trace = float(fu + gv)
    det = float(fu * gv - fv * gu)
    weighted = Dv * fu + Du * gv
    condition_i = trace < 0
    condition_ii = det > 0
    condition_iii = weighted > 0
    condition_iv = weighted**2 > 4.0 * Du * Dv * det
    stable = condition_i and condition_ii
    return TuringConditions(
        trace=trace,
        det=det,
        condition_i=bool(condition_i),
        condition_ii=bool(condition_ii),
        stable_without_diffusion=bool(stable),
        condition_iii=bool(condition_iii),
        condition_iv=bool(condition_iv),
        turing_unstable=bool(stable and condition_iii and condition_iv),
    )


def _critical_ratio_and_side(matrix: np.ndarray) -> tuple[float, str] | None:
    (fu, fv), (gu, gv) = matrix
    trace = fu + gv
    det = fu * gv - fv * gu
    if not (trace < 0 and det > 0):
        return None
    # A stable J has at most one of f_u, g_v positive. That species is the activator, and the
    # other one has to diffuse faster.
    root_sum = math.sqrt(det) + math.sqrt(det - fu * gv)
    if fu > 0:
        return (root_sum / fu) ** 2, "above"
    if gv > 0:
        return (gv / root_sum) ** 2, "below"
    return None


def critical_ratio(jacobian: Any) -> float | None:
    r"""Compute the critical diffusion ratio :math:`d_c` of ``d = Dv / Du`` for a stable Jacobian.

    With :math:`d = D_v / D_u`, conditions (iii) and (iv) of :func:`turing_conditions` read
    :math:`d f_u + g_v > 0` and :math:`f_u^2 d^2 + 2 (2 f_v g_u - f_u g_v) d + g_v^2 > 0`.
    :math:`d_c` is the positive root of that quadratic at which :math:`d f_u + g_v > 0`:

    .. math::

        d_c = \left(\frac{\sqrt{\det J} + \sqrt{\det J - f_u g_v}}{f_u}\right)^2
        \ \text{if } f_u > 0, \qquad
        d_c = \left(\frac{g_v}{\sqrt{\det J} + \sqrt{\det J - f_u g_v}}\right)^2
        \ \text{if } g_v > 0 .

    Convention. When the first species is the activator (:math:`f_u > 0`, hence
    :math:`g_v < 0`), :math:`d_c` is the larger root and the state is Turing-unstable exactly
    for :math:`d > d_c`. When the second species is the activator (:math:`g_v > 0`, so the
    first species is the inhibitor), :math:`d_c` is the smaller root and the state is
    Turing-unstable exactly for :math:`d < d_c`: the first species must diffuse faster. In
    that case :math:`d_c < 1`. :func:`unstable_ratio_interval` returns the interval explicitly,
    so use it when the roles of the species are not known in advance.

    Parameters
    ----------
    jacobian
        Reaction Jacobian :math:`J = [[f_u, f_v], [g_u, g_v]]`, shape (2, 2).

    Returns
    -------
    float or None
        :math:`d_c`, or None when no ratio gives Turing instability: :math:`J` is not stable
        without diffusion (:math:`\mathrm{tr}\,J \ge 0` or :math:`\det J \le 0`), or neither
        species self-activates (:math:`f_u \le 0` and :math:`g_v \le 0`).

    Raises
    ------
    ValueError
        If ``jacobian`` is not a finite 2x2 array.
    """
    result = _critical_ratio_and_side(as_jacobian(jacobian))
    return None if result is None else result[0]


def unstable_ratio_interval(jacobian: Any) -> tuple[float, float] | None:
    r"""Return the open interval of ratios :math:`d = D_v / D_u` that make ``jacobian`` Turing-unstable.

    :math:`(d_c, \infty)` when :math:`f_u > 0` and :math:`(0, d_c)` when :math:`g_v > 0`, with
    :math:`d_c` from :func:`critical_ratio`; None when no ratio gives Turing instability.

    Raises
    ------
    ValueError
        If ``jacobian`` is not a finite 2x2 array.
    """
    result = _critical_ratio_and_side(as_jacobian(jacobian))
    if result is None:
        return None
    d_c, side = result
    return (d_c, math.inf) if side == "above" else (0.0, d_c)


def critical_wavenumber(jacobian: Any, Du: float, Dv: float) -> float:
    r"""Compute the critical wavenumber :math:`k_c`, the first mode to grow at the Turing threshold.

    .. math::

        k_c^2 = \sqrt{\frac{\det J}{D_u D_v}} .

    At the threshold (condition (iv) an equality) :math:`\det(J - k^2 D)` has its double root
    at :math:`k_c^2`, so :math:`k_c` is the wavenumber that turns unstable first as the
    diffusion ratio crosses :math:`d_c`. The formula is evaluated with the given ``Du`` and
    ``Dv``; off the threshold it still gives the geometric mean of the band edges in
    :math:`k^2`, :math:`k_c^2 = \sqrt{k_-^2 k_+^2}`, whenever a band exists.

    Parameters
    ----------
    jacobian
        Reaction Jacobian :math:`J = [[f_u, f_v], [g_u, g_v]]`, shape (2, 2).
    Du, Dv
        Diffusion coefficients :math:`D_u, D_v > 0`.

    Raises
    ------
    ValueError
        If the inputs are invalid or :math:`\det J \le 0` (no Turing threshold exists then).
    """
    matrix = as_jacobian(jacobian)
    Du, Dv = _diffusion(Du, Dv)
    (fu, fv), (gu, gv) = matrix
    det = float(fu * gv - fv * gu)
    if det <= 0:
        raise ValueError(
            f"critical wavenumber is undefined unless det J > 0 (required for stability "
            f"without diffusion), got det J = {det}"
        )
    return float(math.sqrt(math.sqrt(det / (Du * Dv))))


def _stationary_points(matrix: np.ndarray, Du: float, Dv: float) -> list[float]:
    """Values s >= 0 where the real eigenvalue branch of J - s D is stationary in s.

    On a branch of real eigenvalues, lambda(s) solves P(lambda, s) = lambda^2 - tau(s) lambda +
    delta(s) = 0. A stationary point also solves dP/ds = 0, which is linear in s:
    s = alpha + beta lambda. Substituting gives a quadratic in lambda.
    """
    (fu, fv), (gu, gv) = matrix
    sigma = Du + Dv
    alpha = (Du * gv + Dv * fu) / (2.0 * Du * Dv)
    beta = -sigma / (2.0 * Du * Dv)
    lam = np.polynomial.Polynomial([0.0, 1.0])
    s = np.polynomial.Polynomial([alpha, beta])
    trace0 = fu + gv
    polynomial = lam**2 - (trace0 - sigma * s) * lam + (fu - Du * s) * (gv - Dv * s) - fv * gu
    polynomial = polynomial.trim()
    if polynomial.degree() < 1:
        return []
    # The largest real part of J - s D is at most ||J||_2 - s min(Du, Dv), and growth at s = 0 is
    # at least -||J||_2, so no maximiser lies beyond this bound. Larger roots come from a nearly
    # vanishing leading coefficient and are dropped.
    bound = 2.0 * float(np.linalg.norm(matrix, 2)) / min(Du, Dv)
    points = []
    for root in polynomial.roots():
        # A double root can come back with an imaginary part of order sqrt(machine epsilon), so
        # every root's real part is kept. The caller evaluates the growth rate at each
        # candidate, which makes a spurious candidate harmless.
        candidate = alpha + beta * root.real
        if 0 < candidate <= bound:
            points.append(float(candidate))
    return points


def fastest_growing_mode(jacobian: Any, Du: float, Dv: float) -> tuple[float, float]:
    r"""Find the continuum wavenumber with the largest growth rate.

    .. math::

        k_{\max} = \operatorname*{arg\,max}_{k \ge 0} \max \mathrm{Re}\,
        \lambda\!\left(J - k^2 \mathrm{diag}(D_u, D_v)\right).

    The maximum lies either at :math:`k = 0` or at an interior point of a branch of real
    eigenvalues. There the eigenvalue :math:`\lambda` and :math:`s = k^2` solve both the
    characteristic equation and its derivative in :math:`s`, which reduces to a quadratic in
    :math:`\lambda`. The function evaluates the growth rate at :math:`s = 0` and at each root
    and returns the best. It is closed form; the tests check it against a brute-force grid.

    Parameters
    ----------
    jacobian
        Reaction Jacobian :math:`J = [[f_u, f_v], [g_u, g_v]]`, shape (2, 2).
    Du, Dv
        Diffusion coefficients :math:`D_u, D_v > 0`.

    Returns
    -------
    tuple of float
        ``(k_max, growth_max)``: the wavenumber (radians per unit length) and its growth rate.
        ``k_max`` is 0 when the uniform mode grows fastest; ``growth_max`` is negative when
        every mode decays.

    Raises
    ------
    ValueError
        If ``jacobian`` is not a finite 2x2 array or ``Du`` or ``Dv`` is not positive.
    """
    matrix = as_jacobian(jacobian)
    Du, Dv = _diffusion(Du, Dv)
    candidates = np.array([0.0] + _stationary_points(matrix, Du, Dv))
    rates = growth_rate(matrix, Du, Dv, candidates)
    best = int(np.argmax(rates))
    return float(math.sqrt(candidates[best])), float(rates[best])


def unstable_intervals(jacobian: Any, Du: float, Dv: float) -> list[tuple[float, float]]:
    r"""Return the intervals of continuum wavenumbers :math:`k \ge 0` whose growth rate is positive.

    A mode grows exactly when :math:`\tau(k^2) > 0` or :math:`\delta(k^2) < 0` (trace and
    determinant of :math:`J - k^2 D`). The first set is an interval starting at 0 and the second
    an interval between the roots of a quadratic, so the union is at most two intervals. For a
    Turing-unstable state it is the single band :math:`(k_-, k_+)` with

    .. math::

        k_\pm^2 = \frac{(D_v f_u + D_u g_v) \pm
        \sqrt{(D_v f_u + D_u g_v)^2 - 4 D_u D_v \det J}}{2 D_u D_v}.

    Returns
    -------
    list of (float, float)
        Open intervals ``(k_low, k_high)`` in increasing order; empty when no mode grows.

    Raises
    ------
    ValueError
        If ``jacobian`` is not a finite 2x2 array or ``Du`` or ``Dv`` is not positive.
    """
    matrix = as_jacobian(jacobian)
    Du, Dv = _diffusion(Du, Dv)
    (fu, fv), (gu, gv) = matrix
    trace0 = fu + gv
    det0 = fu * gv - fv * gu
    weighted = Dv * fu + Du * gv

    intervals_s: list[tuple[float, float]] = []
    if trace0 > 0:
        intervals_s.append((0.0, trace0 / (Du + Dv)))
    discriminant = weighted**2 - 4.0 * Du * Dv * det0
    if discriminant > 0:
        root = math.sqrt(discriminant)
        # Larger-magnitude root first, the other from the product det0 / (Du Dv), to avoid
        # cancellation.
        big = (weighted + math.copysign(root, weighted)) / (2.0 * Du * Dv)
        other = det0 / (Du * Dv * big) if big != 0 else 0.0
        low, high = min(big, other), max(big, other)
        if high > 0:
            intervals_s.append((max(low, 0.0), high))

    intervals_s.sort()
    merged: list[tuple[float, float]] = []
    for low, high in intervals_s:
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return [(math.sqrt(low), math.sqrt(high)) for low, high in merged]


def unstable_band(jacobian: Any, Du: float, Dv: float) -> tuple[float, float] | None:
    r"""Return the band ``(k_low, k_high)`` of growing continuum wavenumbers, or None if none grows.

    For a Turing-unstable state this is the band of :func:`unstable_intervals`, with
    ``k_low > 0``. When the state is unstable without diffusion, ``k_low`` is 0.

    Raises
    ------
    ValueError
        If the inputs are invalid, or if the growing wavenumbers form two separate intervals.
        That happens only when :math:`J` is itself unstable, and :func:`unstable_intervals`
        handles it.
    """
    intervals = unstable_intervals(jacobian, Du, Dv)
    if not intervals:
        return None
    if len(intervals) > 1:
        raise ValueError(
            f"the growing wavenumbers form {len(intervals)} separate intervals {intervals}; "
            "use unstable_intervals for this Jacobian"
        )
    return intervals[0]


NO_STEADY_STATE = 0
"""Region code of :func:`turing_space` where the parameters give no steady state to analyse."""
STABLE = 1
"""Region code of :func:`turing_space` where the state is stable with and without diffusion."""
TURING_UNSTABLE = 2
"""Region code of :func:`turing_space` where the state is stable without diffusion only."""
UNSTABLE_WITHOUT_DIFFUSION = 3
"""Region code of :func:`turing_space` where the state is unstable already without diffusion."""

REGION_NAMES = {
    NO_STEADY_STATE: "no steady state",
    STABLE: "stable",
    TURING_UNSTABLE: "Turing-unstable",
    UNSTABLE_WITHOUT_DIFFUSION: "unstable without diffusion",
}
"""Label of each region code of :func:`turing_space`."""


def classify(jacobian: Any, Du: float, Dv: float) -> int:
    """Return the region code (see :func:`turing_space`) of one Jacobian and diffusion pair."""
    conditions = turing_conditions(jacobian, Du, Dv)
    if not conditions.stable_without_diffusion:
        return UNSTABLE_WITHOUT_DIFFUSION
    return TURING_UNSTABLE if conditions.turing_unstable else STABLE


def turing_space(
    model_name: str,
    fixed_params: dict[str, float],
    x_name: str,
    x_values: Any,
    y_name: str,
    y_values: Any,
    Du: float,
    Dv: float,
) -> np.ndarray:
    r"""Map the stability of a model's homogeneous state over two of its parameters.

    Each point of the grid builds the model with :func:`prdlib.models.get_model`, takes the
    Jacobian at its steady state and classifies it. ``x_name`` and ``y_name`` may also be
    ``"Du"`` or ``"Dv"``, in which case that axis replaces the fixed diffusion coefficient.

    ========================================  ====  ================================
    constant                                  code  meaning
    ========================================  ====  ================================
    ``NO_STEADY_STATE``                       0     the model rejects the parameters
    ``STABLE``                                1     every mode decays
    ``TURING_UNSTABLE``                       2     conditions (i)-(iv) all hold
    ``UNSTABLE_WITHOUT_DIFFUSION``            3     (i) or (ii) fails
    ========================================  ====  ================================

    Parameters
    ----------
    model_name
        A name accepted by :func:`prdlib.models.get_model`.
    fixed_params
        Values of the parameters that do not vary (others take the model's defaults).
    x_name, x_values
        Parameter on the horizontal axis and its values.
    y_name, y_values
        Parameter on the vertical axis and its values.
    Du, Dv
        Diffusion coefficients :math:`D_u, D_v > 0` (unless an axis varies them).

    Returns
    -------
    numpy.ndarray
        Integer codes of shape ``(len(y_values), len(x_values))``, row ``i`` for ``y_values[i]``.

    Raises
    ------
    ValueError
        For an unknown model or parameter name, equal axis names, or an invalid ``Du``/``Dv``.
    """
    from prdlib.models import MODELS, get_model

    if model_name not in MODELS:
        raise ValueError(f"unknown model {model_name!r}; accepted models: {', '.join(MODELS)}")
    if x_name == y_name:
        raise ValueError(f"x_name and y_name must differ, got {x_name!r} for both")
    accepted = MODELS[model_name].parameter_names()
    for label, name in (("x_name", x_name), ("y_name", y_name)):
        if name not in accepted + ("Du", "Dv"):
            raise ValueError(
                f"{label} {name!r} is not a parameter of model {model_name!r}; accepted: "
                f"{', '.join(accepted)}, Du, Dv"
            )
    for name in fixed_params:
        if name not in accepted:
            raise ValueError(
                f"unknown parameter {name!r} in fixed_params for model {model_name!r}; "
                f"accepted parameters: {', '.join(accepted)}"
            )
    x_values = np.asarray(x_values, dtype=np.float64).ravel()
    y_values = np.asarray(y_values, dtype=np.float64).ravel()
    for label, values in (("x_values", x_values), ("y_values", y_values)):
        if values.size == 0 or not np.all(np.isfinite(values)):
            raise ValueError(f"{label} must be a non-empty array of finite numbers, got {values}")
    diffusion = {"Du": Du, "Dv": Dv}
    for name in ("Du", "Dv"):
        if name not in (x_name, y_name):
            require_positive(name, diffusion[name])

    codes = np.empty((y_values.size, x_values.size), dtype=np.int64)
    for row, y in enumerate(y_values):
        for column, x in enumerate(x_values):
            point = {**fixed_params, **diffusion, x_name: x, y_name: y}
            point_Du = point.pop("Du")
            point_Dv = point.pop("Dv")
            require_positive("Du", point_Du)
            require_positive("Dv", point_Dv)
            try:
                model = get_model(model_name, **point)
            except ValueError:
                codes[row, column] = NO_STEADY_STATE
                continue
            codes[row, column] = classify(model.jacobian(), point_Du, point_Dv)
    return codes
