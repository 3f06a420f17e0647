"""Notebook explorer of Part 1: the dispersion relation of a classic model."""

from __future__ import annotations

import matplotlib.pyplot as plt

from prdlib import models, turing
from prdlib.plotting.turing import plot_dispersion

__all__ = ["EXPLORER_MODELS", "dispersion_explorer"]

EXPLORER_MODELS = ("schnakenberg", "gierer-meinhardt", "brusselator")
"""Models offered by :func:`dispersion_explorer` (each has parameters ``a`` and ``b``)."""


def dispersion_explorer(
    model: str = "schnakenberg",
    a: float = 0.1,
    b: float = 0.9,
    ratio: float = 20.0,
) -> plt.Figure:
    """Draw the growth rate against k for ``model`` with parameters ``a``, ``b`` and Dv/Du = ``ratio``.

    ``Du`` is 1. The title gives the Turing verdict, the critical ratio and the fastest mode.
    Parameters without a positive steady state give a figure that states this instead of
    raising, because a slider can reach them.
    """
    if model not in EXPLORER_MODELS:
        raise ValueError(f"model must be one of {', '.join(EXPLORER_MODELS)}, got {model!r}")
    figure, ax = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
    try:
        reaction = models.get_model(model, a=a, b=b)
    except ValueError as error:
        ax.text(0.5, 0.5, str(error), ha="center", va="center", wrap=True,
                transform=ax.transAxes)
        ax.set_axis_off()
        return figure
    jacobian = reaction.jacobian()
    conditions = turing.turing_conditions(jacobian, 1.0, ratio)
    d_c = turing.critical_ratio(jacobian)
    k_max, growth_max = turing.fastest_growing_mode(jacobian, 1.0, ratio)
    plot_dispersion(ax, jacobian, 1.0, ratio, k_upper=2.0, label=f"Dv/Du = {ratio:g}")
    if d_c is not None:
        plot_dispersion(ax, jacobian, 1.0, d_c, k_upper=2.0, shade_band=False, mark_max=False,
                        color="0.5", linestyle="--", label=f"threshold d_c = {d_c:.3g}")
    ax.set_ylim(-1.0, max(0.5, 1.2 * growth_max))
    verdict = "Turing-unstable" if conditions.turing_unstable else (
        "stable" if conditions.stable_without_diffusion else "unstable without diffusion")
    ax.set_title(f"{model}, a = {a:g}, b = {b:g}: {verdict}; k_max = {k_max:.3f}")
    ax.legend(loc="lower left")
    return figure
