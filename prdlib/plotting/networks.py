"""Figures of Part 2: gradient descent as a flow, the Gram matrix, lazy training, homogeneity.

Each function draws one figure from results computed elsewhere (it runs no training) and returns
the matplotlib Figure.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.ticker import FixedLocator, FormatStrFormatter, FuncFormatter, MaxNLocator, NullFormatter

from prdlib.networks import FitResult, TrainingRecord
from prdlib.plotting import SIGNED_CMAP

__all__ = [
    "plot_descent_and_flow",
    "plot_convergence_order",
    "plot_lyapunov_check",
    "plot_h_infinity_check",
    "plot_output_velocity",
    "plot_residual_decay",
    "plot_growth_survey",
    "plot_dispersion_contrast",
    "plot_displacement_against_width",
    "plot_mode_decay",
]


def plot_descent_and_flow(
    energy: Callable[[torch.Tensor], torch.Tensor],
    flow_path: np.ndarray,
    descent_paths: Mapping[float, np.ndarray],
    *,
    limits: tuple[float, float, float, float] = (-1.6, 1.6, -0.6, 2.0),
) -> plt.Figure:
    """Draw contours of a 2D energy with its gradient-flow path and gradient-descent paths.

    ``descent_paths`` maps a step size to its iterates (one row per step).
    """
    x_low, x_high, y_low, y_high = limits
    grid_x, grid_y = np.meshgrid(np.linspace(x_low, x_high, 200), np.linspace(y_low, y_high, 200))
    points = torch.as_tensor(np.stack([grid_x, grid_y]))
    values = energy(points).numpy()
    figure, ax = plt.subplots(figsize=(6.0, 4.6))
    levels = np.quantile(values, np.linspace(0.0, 0.9, 18))
    ax.contour(grid_x, grid_y, values, levels=np.unique(levels), colors="0.75", linewidths=0.8)
    ax.plot(flow_path[:, 0], flow_path[:, 1], color="black", linewidth=2.0, label="gradient flow")
    markers = ["o", "s", "^", "D"]
    for index, (lr, path) in enumerate(sorted(descent_paths.items(), reverse=True)):
        ax.plot(path[:, 0], path[:, 1], marker=markers[index % len(markers)], markersize=3,
                linewidth=0.8, label=f"gradient descent, step {lr:g}")
    ax.plot(*flow_path[0], "k*", markersize=12, label="start")
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    ax.legend(loc="upper right")
    return figure


def plot_convergence_order(step_sizes: Sequence[float], errors: Sequence[float], fit: FitResult) -> plt.Figure:
    """Draw the gap between gradient descent and the flow against the step size, log-log, with the fit."""
    step_sizes = np.asarray(step_sizes)
    figure, ax = plt.subplots(figsize=(5.0, 3.6))
    ax.loglog(step_sizes, errors, "o", label="measured gap")
    line = np.exp(fit.intercept) * step_sizes ** fit.slope
    ax.loglog(step_sizes, line, "-", label=f"fit: slope {fit.slope:.2f}")
    ax.set_xlabel(r"step size $\eta$")
    ax.set_ylabel(r"$\max_k \|\theta_k - \theta(\eta k)\|$")
    # The data span about one decade, where matplotlib labels the minor ticks too and their
    # labels (3e-3, 4e-3, ...) overlap. Label the measured points instead.
    ax.xaxis.set_major_locator(FixedLocator(step_sizes))
    ax.xaxis.set_major_formatter(FormatStrFormatter("%g"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_major_locator(FixedLocator(np.asarray(errors)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.2g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.legend()
    return figure


def plot_lyapunov_check(times: np.ndarray, energy_rate: np.ndarray, gradient_norm_squared: np.ndarray) -> plt.Figure:
    """Draw ``dE/dt`` measured along the flow against ``-||grad E||^2``."""
    figure, ax = plt.subplots(figsize=(5.6, 3.6))
    ax.plot(times, -gradient_norm_squared, color="black", linewidth=2.0, label=r"$-\|\nabla E\|^2$")
    ax.plot(times, energy_rate, "o", markersize=4, label=r"$dE/dt$ (central difference)")
    ax.set_xlabel("time $t$")
    ax.set_ylabel("rate of change of the energy")
    ax.legend()
    return figure


def plot_h_infinity_check(closed_form: np.ndarray, monte_carlo: np.ndarray) -> plt.Figure:
    """Draw the closed-form H_inf, the Monte Carlo estimate, and their entries against each other."""
    # Two panels per row keep the text readable in a page column about 700 px wide.
    figure, axes = plt.subplots(2, 2, figsize=(8.0, 6.8), layout="constrained")
    axes[1, 1].set_axis_off()
    limit = float(np.max(np.abs(closed_form)))
    for ax, matrix, title in ((axes[0, 0], closed_form, r"$H^\infty$ (closed form)"),
                              (axes[0, 1], monte_carlo, r"$H^\infty$ (Monte Carlo)")):
        image = ax.imshow(matrix, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
        ax.grid(False)
        ax.set_title(title)
        ax.set_xlabel("input $j$")
        ax.set_ylabel("input $i$")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        figure.colorbar(image, ax=ax, shrink=0.8)
    scatter_ax = axes[1, 0]
    scatter_ax.plot(closed_form.ravel(), monte_carlo.ravel(), ".", markersize=4)
    scatter_ax.plot([-limit, limit], [-limit, limit], color="black", linewidth=0.8)
    scatter_ax.set_xlabel("closed form")
    scatter_ax.set_ylabel("Monte Carlo")
    scatter_ax.set_title("entries")
    return figure


def plot_output_velocity(measured: np.ndarray, predicted: np.ndarray) -> plt.Figure:
    """Draw the measured output velocity du/dt against the prediction -H(t)(u - y), entry by entry."""
    figure, ax = plt.subplots(figsize=(4.4, 4.0))
    limit = 1.05 * float(np.max(np.abs(np.concatenate([measured.ravel(), predicted.ravel()]))))
    ax.plot(predicted.ravel(), measured.ravel(), "o", markersize=4)
    ax.plot([-limit, limit], [-limit, limit], color="black", linewidth=0.8, label="equality")
    ax.set_xlabel(r"predicted $-H(t)(u - y)$")
    ax.set_ylabel(r"measured $(u_{k+1} - u_k)/\eta$")
    ax.legend()
    return figure


def plot_residual_decay(records: Mapping[int, TrainingRecord], lambda_0: float) -> plt.Figure:
    """Draw the residual norm against time for several widths, with the envelopes set by lambda_0.

    The envelopes start at the mean initial residual: exp(-lambda_0 t) (the slowest eigen-direction
    of H_inf) and exp(-lambda_0 t / 2) (the rate Du et al. guarantee).
    """
    figure, ax = plt.subplots(figsize=(6.2, 4.0))
    start = np.mean([record.residual_norms[0] for record in records.values()])
    longest = max(record.times[-1] for record in records.values())
    for width, record in sorted(records.items()):
        ax.semilogy(record.times, record.residual_norms, label=f"width $m$ = {width}")
    times = np.linspace(0.0, longest, 100)
    ax.semilogy(times, start * np.exp(-lambda_0 * times), "k--", label=r"$e^{-\lambda_0 t}$")
    ax.semilogy(times, start * np.exp(-lambda_0 * times / 2), "k:", label=r"$e^{-\lambda_0 t/2}$")
    ax.set_xlabel(r"time $t = \eta k$")
    ax.set_ylabel(r"residual $\|u(t) - y\|$")
    ax.legend()
    return figure


def plot_growth_survey(gradient_growth: np.ndarray, game_growth: np.ndarray) -> plt.Figure:
    """Draw histograms of the largest growth rate per instance, gradient systems against games."""
    figure, ax = plt.subplots(figsize=(6.2, 3.8))
    low = min(gradient_growth.min(), game_growth.min())
    high = max(gradient_growth.max(), game_growth.max())
    # A symmetric log scale shows the many tiny negative rates and the few large positive ones.
    bins = np.concatenate([-np.logspace(np.log10(max(-low, 1e-6)), -6, 25), np.logspace(-6, np.log10(max(high, 1e-5)), 20)])
    ax.hist(gradient_growth, bins=np.sort(bins), alpha=0.7, label="shared loss (gradient system)")
    ax.hist(game_growth, bins=np.sort(bins), alpha=0.7, label="stable game Jacobian")
    ax.axvline(0.0, color="black", linewidth=1.0)
    ax.set_xscale("symlog", linthresh=1e-3)
    ax.set_xlabel("largest growth rate over all modes")
    ax.set_ylabel("number of instances")
    ax.legend()
    return figure


def plot_dispersion_contrast(
    wavenumbers: np.ndarray,
    curves: Mapping[str, np.ndarray],
    *,
    title: str | None = None,
    ax: plt.Axes | None = None,
) -> plt.Figure:
    """Draw growth rate against wavenumber for several systems, with the zero line."""
    if ax is None:
        figure, ax = plt.subplots(figsize=(5.8, 3.8))
    else:
        figure = ax.figure
    for label, rates in curves.items():
        ax.plot(wavenumbers, rates, label=label)
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.set_xlabel("wavenumber $k$ (radians per site)")
    ax.set_ylabel(r"growth rate $\sigma$")
    if title:
        ax.set_title(title)
    ax.legend()
    return figure


def plot_displacement_against_width(widths: np.ndarray, displacements: np.ndarray, fit: FitResult) -> plt.Figure:
    """Draw ``max_r ||w_r(T) - w_r(0)||`` against width, log-log; ``displacements`` has one row per seed."""
    widths = np.asarray(widths, dtype=float)
    displacements = np.atleast_2d(displacements)
    figure, ax = plt.subplots(figsize=(5.6, 3.8))
    for row in displacements:
        ax.loglog(widths, row, "o", color="C0", alpha=0.5, markersize=4)
    ax.loglog(widths, np.exp(fit.intercept) * widths ** fit.slope, "-", color="C1",
              label=f"fit: slope {fit.slope:.3f} ± {fit.slope_stderr:.3f}")
    reference = displacements.mean(axis=0)[0] * (widths / widths[0]) ** -0.5
    ax.loglog(widths, reference, "k--", label=r"$m^{-1/2}$")
    ax.set_xlabel("width $m$ (neurons)")
    ax.set_ylabel(r"$\max_r \|w_r(T) - w_r(0)\|$")
    ax.legend()
    return figure


def plot_mode_decay(
    times: np.ndarray,
    amplitudes: Mapping[str, np.ndarray],
    predicted_rates: Mapping[str, float],
) -> plt.Figure:
    """Draw Fourier-mode amplitudes against time, log scale, with the predicted exponential decay."""
    figure, ax = plt.subplots(figsize=(6.2, 4.0))
    for index, (label, amplitude) in enumerate(amplitudes.items()):
        color = f"C{index % 10}"
        ax.semilogy(times, amplitude, "o", markersize=3, color=color, label=label)
        ax.semilogy(times, amplitude[0] * np.exp(predicted_rates[label] * times), "-", color=color, linewidth=1.0)
    ax.set_xlabel(r"time $t = \eta k$")
    ax.set_ylabel("mode amplitude")
    ax.set_title("markers: sheet; lines: predicted rate")
    ax.legend(fontsize=8)
    return figure
