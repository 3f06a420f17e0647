"""Figures of part 5: concentration, eigenvalues, residual envelopes and weight displacement."""

from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

from prdlib.networks import FitResult

__all__ = [
    "plot_power_law",
    "plot_series_with_bounds",
    "plot_gram_minimum",
    "plot_floors",
]


def plot_power_law(
    ax: plt.Axes,
    x: Sequence[float],
    samples: np.ndarray,
    fit: FitResult,
    *,
    label: str,
    ylabel: str,
    colour: str = "C0",
    bound: Sequence[float] | None = None,
    bound_label: str = "bound",
) -> None:
    """Draw seed samples (points), their mean, a fitted power law and optionally a bound.

    ``samples`` has shape ``(seeds, len(x))``. The fitted line is
    ``exp(intercept) * x ** slope`` and its legend entry gives the slope and standard error.
    """
    x = np.asarray(x, dtype=float)
    samples = np.atleast_2d(np.asarray(samples, dtype=float))
    for row in samples:
        ax.scatter(x, row, s=10, color=colour, alpha=0.35)
    ax.plot(x, samples.mean(axis=0), "o", color=colour, label=f"{label} (mean over seeds)")
    fitted = np.exp(fit.intercept) * x**fit.slope
    ax.plot(x, fitted, "-", color=colour,
            label=f"fit: slope {fit.slope:.3f} ± {fit.slope_stderr:.3f}")
    if bound is not None:
        ax.plot(x, bound, "--", color=colour, alpha=0.7, label=bound_label)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("width m (neurons)")
    ax.set_ylabel(ylabel)
    ax.legend()


def plot_series_with_bounds(
    ax: plt.Axes,
    times: np.ndarray,
    series: Mapping[str, np.ndarray],
    bounds: Mapping[str, np.ndarray],
    *,
    ylabel: str,
) -> None:
    """Draw measured series (solid) and their bounds (dashed) against time on a log scale.

    Zero entries (a speed at step 0, a residual at round-off) are left out of the log plot.
    """
    for index, (label, values) in enumerate(series.items()):
        positive = np.where(np.asarray(values) > 0, values, np.nan)
        ax.semilogy(times, positive, "-", color=f"C{index}", label=label)
    for index, (label, values) in enumerate(bounds.items()):
        ax.semilogy(times, values, "--", color=f"C{index}", alpha=0.8, label=label)
    ax.set_xlabel("time t = η k (step size × steps)")
    ax.set_ylabel(ylabel)
    ax.legend()


def plot_gram_minimum(
    ax: plt.Axes,
    runs: Mapping[str, tuple[np.ndarray, np.ndarray]],
    lambda0: float,
) -> None:
    """Draw λ_min(H(t)) of several runs against time, with the levels λ_0 and λ_0 / 2."""
    for label, (times, values) in runs.items():
        ax.plot(times, values, label=label)
    ax.axhline(lambda0, color="k", lw=0.8, label="λ_0 = λ_min(H∞)")
    ax.axhline(lambda0 / 2, color="k", lw=0.8, ls="--", label="λ_0 / 2")
    ax.set_xlabel("time t = η k (step size × steps)")
    ax.set_ylabel("λ_min(H(t))")
    ax.legend()


def plot_floors(
    ax: plt.Axes,
    lams: Sequence[float],
    measured: Sequence[float],
    bounds: Mapping[str, Sequence[float]],
) -> None:
    """Draw the measured residual floor against λ with the bounds that the theorem gives."""
    ax.plot(lams, measured, "o-", color="C0", label="measured ‖u(T) − y‖")
    for index, (label, values) in enumerate(bounds.items(), start=1):
        ax.plot(lams, values, "s--", color=f"C{index}", label=label)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("adversarial weight λ")
    ax.set_ylabel("residual norm")
    ax.legend()
