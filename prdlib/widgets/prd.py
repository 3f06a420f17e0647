r"""Explorer of the neural sheet's Turing space: pick :math:`\lambda` and :math:`D_v / D_u`.

The callback draws, for the equilibrium a sheet would start from at the chosen point (see
:func:`prdlib.sweeps.choose_start`), the dispersion relation of the sheet and the point's place
on the Turing-space map of the adversarial-compromise branch. It trains nothing, so a slider
move redraws in well under a second once the branch has been computed.
"""

from __future__ import annotations

from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np

from prdlib import prd, sheet, sweeps, turing
from prdlib.plotting.sheet import plot_dispersion
from prdlib.prd import COURSE_DU, COURSE_PARAMS

__all__ = ["turing_space_explorer"]


@lru_cache(maxsize=4)
def _course_space(params: prd.PRDParams) -> prd.TuringSpace:
    start = sheet.default_equilibrium(params)
    return prd.turing_space(params, (start.u, start.v), np.linspace(2.9, 4.3, 71))


def turing_space_explorer(lam: float = 3.2, ratio: float = 60.0, n: int = 64) -> plt.Figure:
    r"""Draw the dispersion relation and the Turing-space map at :math:`(\lambda, d)`.

    Parameters
    ----------
    lam
        Adversarial weight :math:`\lambda \ge 0` (the other parameters are
        :data:`prdlib.prd.COURSE_PARAMS`).
    ratio
        Coupling ratio :math:`d = D_v / D_u > 0`, with :math:`D_u` = :data:`prdlib.prd.COURSE_DU`.
    n
        Side of the sheet whose lattice modes are marked, N >= 3.

    Returns
    -------
    matplotlib.figure.Figure
        Left: growth rate against wavenumber. Right: the predicted region (shaded), the
        critical-ratio curve and the chosen point.
    """
    space = _course_space(COURSE_PARAMS)
    start = sweeps.choose_start(COURSE_PARAMS, lam, space.branch)
    Dv = ratio * COURSE_DU
    conditions = turing.turing_conditions(start.jacobian, COURSE_DU, Dv)

    figure, (left, right) = plt.subplots(1, 2, figsize=(11.0, 4.0))
    plot_dispersion(start.jacobian, COURSE_DU, Dv, n, ax=left)
    verdict = "Turing-unstable" if conditions.turing_unstable else "no Turing instability"
    left.set_title(f"start ({start.kind}) u*={start.u:.3f}, v*={start.v:.3f}: {verdict}",
                   fontsize=9)

    ratios = np.geomspace(2.0, 500.0, 120)
    region = np.array([space.turing_unstable(d) for d in ratios])
    right.contourf(space.lam, ratios, region.astype(float), levels=[0.5, 1.5],
                   colors=["#f3d9b1"])
    right.plot(space.lam, space.d_critical, color="C1", label="critical ratio d_c(lambda)")
    right.axvspan(min(0.0, lam) - 0.1, float(space.lam.min()), color="0.92",
                  label="no compromise branch")
    right.plot([lam], [ratio], marker="*", color="k", markersize=14, linestyle="",
               label="chosen point")
    right.set_yscale("log")
    right.set_xlim(min(2.8, lam - 0.1), max(4.3, lam + 0.1))
    right.set_ylim(2.0, 500.0)
    right.set_xlabel("adversarial weight lambda")
    right.set_ylabel("coupling ratio d = Dv / Du")
    right.legend(fontsize=8, loc="upper right")
    figure.tight_layout()
    return figure
