"""Explorers of Part 2: which per-site Jacobians can diffusion destabilise?

Each callback returns a matplotlib Figure and can be wired to sliders with
:func:`prdlib.widgets.explore`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from prdlib.gradient_systems import mode_growth_rates

__all__ = ["dispersion_explorer"]

# Reaction Jacobian of the course's reference adversarial equilibrium (Part 3): an activator
# (f_u > 0) with cross terms of opposite sign.
_REFERENCE = {"f_u": 0.227, "f_v": 2.132, "g_u": -0.713, "g_v": -0.294}


def dispersion_explorer(
    f_u: float = _REFERENCE["f_u"],
    f_v: float = _REFERENCE["f_v"],
    g_u: float = _REFERENCE["g_u"],
    g_v: float = _REFERENCE["g_v"],
    ratio: float = 200.0,
    *,
    k_max: float = 1.5,
    ax: plt.Axes | None = None,
) -> plt.Figure:
    r"""Draw the growth rate :math:`\sigma(k)` of :math:`J - k^2 \mathrm{diag}(1, d)` for a 2 x 2 Jacobian.

    :math:`J = [[f_u, f_v], [g_u, g_v]]` and :math:`d` = ``ratio`` :math:`= D_v / D_u` (with
    :math:`D_u = 1`). The title states whether :math:`J` is symmetric (the linearisation of a
    shared loss), whether it is stable without diffusion, and the largest growth rate over
    :math:`0 \le k \le` ``k_max``; growing modes are shaded.

    Parameters
    ----------
    f_u, f_v, g_u, g_v : float
        Entries of the reaction Jacobian.
    ratio : float
        Diffusion ratio :math:`d = D_v / D_u \ge 0`.
    k_max : float
        Largest wavenumber drawn.
    ax : matplotlib Axes, optional
        Draw into these axes (for a grid of static settings); a new figure otherwise.
    """
    if not np.isfinite(ratio) or ratio < 0:
        raise ValueError(f"ratio (D_v / D_u) must be finite and non-negative, got {ratio}")
    jacobian = np.array([[f_u, f_v], [g_u, g_v]], dtype=float)
    wavenumbers = np.linspace(0.0, k_max, 400)
    rates = mode_growth_rates(jacobian, [1.0, ratio], wavenumbers**2)
    if ax is None:
        figure, ax = plt.subplots(figsize=(5.6, 3.6))
    else:
        figure = ax.figure
    ax.plot(wavenumbers, rates, color="C0")
    ax.fill_between(wavenumbers, 0.0, rates, where=rates > 0, color="C3", alpha=0.3, label="growing modes")
    ax.axhline(0.0, color="black", linewidth=0.8)
    symmetric = np.isclose(f_v, g_u)
    stable = bool(mode_growth_rates(jacobian, [1.0, ratio], 0.0) < 0)
    kind = "symmetric (shared loss)" if symmetric else "non-symmetric (game)"
    ax.set_title(f"{kind}, {'stable' if stable else 'unstable'} at k = 0, d = {ratio:g}\n"
                 f"max growth {rates.max():.3g}", fontsize=9)
    ax.set_xlabel("wavenumber $k$")
    ax.set_ylabel(r"growth rate $\sigma(k)$")
    if np.any(rates > 0):
        ax.legend(loc="lower left")
    return figure
