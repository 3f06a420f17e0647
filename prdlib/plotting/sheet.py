"""Figures of the trained neural sheet: growth curves, dispersion relations, the Turing-space map.

These functions draw results computed by :mod:`prdlib.sheet` and :mod:`prdlib.sweeps`. They do
no training themselves.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from prdlib import prd, turing
from prdlib.plotting import FIELD_CMAP, SIGNED_CMAP
from prdlib.sweeps import PlanePoint

__all__ = [
    "side_by_side_frames",
    "plot_fields",
    "plot_std_history",
    "plot_dispersion",
    "plot_turing_map",
    "plot_sweep_fields",
]


def side_by_side_frames(left: np.ndarray, right: np.ndarray, *, gap: int = 2) -> np.ndarray:
    """Join two stacks of fields of shape (K, N, N) into one stack of shape (K, N, 2N + gap).

    Each field is shown as its deviation from its own spatial mean, and the two are separated by
    ``gap`` columns of zeros (white in the diverging colour map), so one signed animation shows
    both sheets on the same colour scale.
    """
    left, right = np.asarray(left, dtype=float), np.asarray(right, dtype=float)
    if left.shape != right.shape or left.ndim != 3:
        raise ValueError(f"left and right must be stacks of the same shape (K, N, N), got "
                         f"{left.shape} and {right.shape}")
    if gap < 0:
        raise ValueError(f"gap must be >= 0 columns, got {gap}")
    centred_left = left - left.mean(axis=(1, 2), keepdims=True)
    centred_right = right - right.mean(axis=(1, 2), keepdims=True)
    spacer = np.zeros((left.shape[0], left.shape[1], gap))
    return np.concatenate([centred_left, spacer, centred_right], axis=2)


def plot_fields(fields: Sequence[np.ndarray], titles: Sequence[str], *,
                colorbar_label: str = "u - mean(u)") -> plt.Figure:
    """Draw fields side by side as deviations from their means, on one shared colour scale.

    The scale is symmetric about zero and set by the largest deviation over all panels, with one
    colour bar for the whole row. A field that is uniform up to rounding therefore shows as
    white next to a patterned one, instead of having its rounding noise stretched to full
    contrast by a colour bar of its own.
    """
    if len(fields) == 0 or len(fields) != len(titles):
        raise ValueError(f"fields and titles must be non-empty and of the same length, got "
                         f"{len(fields)} and {len(titles)}")
    deviations = [np.asarray(field, dtype=float) - np.mean(field) for field in fields]
    limit = max(float(np.max(np.abs(deviation))) for deviation in deviations) or 1.0
    figure, axes = plt.subplots(1, len(fields), figsize=(3.9 * len(fields) + 1.0, 3.6),
                                squeeze=False)
    axes = axes[0]
    for ax, deviation, title in zip(axes, deviations, titles):
        image = ax.imshow(deviation, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit, origin="lower")
        ax.grid(False)
        ax.set_xlabel("x (sites)")
        ax.set_ylabel("y (sites)")
        ax.set_title(title)
    figure.colorbar(image, ax=list(axes), shrink=0.85, label=colorbar_label)
    return figure


def plot_std_history(times: np.ndarray, stds: Sequence[np.ndarray], labels: Sequence[str], *,
                     growth: float | None = None, growth_window: tuple[float, float] | None = None
                     ) -> plt.Figure:
    """Plot std(u) against training time on a log scale, with an optional predicted slope.

    Values below 1e-16 (a sheet that is uniform to rounding) are drawn at 1e-16, the bottom of
    the axis. ``growth`` is a predicted growth rate drawn as a dashed line through the first
    curve over ``growth_window`` (a pair of times).
    """
    figure, ax = plt.subplots(figsize=(6.4, 3.8))
    for std, label in zip(stds, labels):
        ax.semilogy(times, np.maximum(std, 1e-16), label=label)
    ax.set_ylim(bottom=1e-16)
    if growth is not None and growth_window is not None:
        start, stop = growth_window
        anchor = int(np.argmin(np.abs(times - start)))
        line_t = np.linspace(start, stop, 20)
        ax.semilogy(line_t, stds[0][anchor] * np.exp(growth * (line_t - times[anchor])), "k--",
                    label=f"linear theory, growth {growth:.3f} per unit time")
    ax.set_xlabel("training time t = lr x steps")
    ax.set_ylabel("std(u) over the sheet")
    ax.legend()
    figure.tight_layout()
    return figure


def plot_dispersion(jacobian: np.ndarray, Du: float, Dv: float, n: int, *,
                    measured: dict[str, float] | None = None, ax: plt.Axes | None = None
                    ) -> plt.Figure:
    """Plot the growth rate against wavenumber: continuum curve and the lattice modes of an N x N sheet.

    ``measured`` maps labels to wavenumbers (radians per site) drawn as vertical lines.
    """
    if ax is None:
        figure, ax = plt.subplots(figsize=(6.4, 3.8))
    else:
        figure = ax.figure
    k = np.linspace(0.0, np.pi, 400)
    ax.plot(k, turing.growth_rate(jacobian, Du, Dv, k**2), label="continuum, s = k^2")
    kx = 2.0 * np.pi * np.arange(0, n // 2 + 1) / n
    s_lattice = turing.lattice_laplacian_eigenvalue(kx, 0.0)
    ax.plot(kx, turing.growth_rate(jacobian, Du, Dv, s_lattice), "o", ms=3,
            label=f"lattice modes (k_x, 0), N = {n}")
    styles = iter(["--", ":", "-."])
    for label, value in (measured or {}).items():
        ax.axvline(value, color="k", linestyle=next(styles, "--"), label=label)
    ax.axhline(0.0, color="0.5", linewidth=0.8)
    ax.set_xlabel("wavenumber k (radians per site)")
    ax.set_ylabel("growth rate (per unit time)")
    ax.legend()
    return figure


def _draw_map(ax: plt.Axes, space: prd.TuringSpace, points: Sequence[PlanePoint],
              ratio_range: tuple[float, float], limit: float) -> None:
    ratios = np.geomspace(*ratio_range, 160)
    region = np.array([space.turing_unstable(d) for d in ratios])
    ax.contourf(space.lam, ratios, region.astype(float), levels=[0.5, 1.5], colors=["#f3d9b1"])
    ax.plot(space.lam, space.d_critical, color="C1", label="critical ratio d_c(lambda)")
    ax.axvspan(min(0.0, min(p.lam for p in points)) - 1.0, float(space.lam.min()), color="0.92",
               label="no compromise branch")
    for point in points:
        value = np.clip(np.log10(max(point.amplification, 1e-300)), -limit, limit)
        ax.scatter(point.lam, point.ratio, c=[value], cmap=SIGNED_CMAP, vmin=-limit, vmax=limit,
                   marker="o" if point.patterned else "s", s=70, zorder=3,
                   edgecolors="red" if not point.agrees else "k", linewidths=1.5)
        if point.near_boundary:
            ax.scatter(point.lam, point.ratio, marker="x", color="k", s=25, zorder=4)
    ax.set_yscale("log")
    ax.set_ylim(*ratio_range)
    ax.set_xlabel("adversarial weight lambda")


def plot_turing_map(space: prd.TuringSpace, points: Sequence[PlanePoint], *,
                    ratio_range: tuple[float, float] = (5.0, 200.0),
                    zoom: tuple[float, float] | None = None, limit: float = 3.0) -> plt.Figure:
    r"""Draw the predicted Turing region of a branch and the trained sheets on it.

    The shaded region is where the branch's equilibrium is Turing-unstable, and the solid curve
    is :math:`d_c(\lambda)`. Each trained sheet is a marker coloured by :math:`\log_{10}` of its
    amplification std(u_final) / std(u_initial), clipped to ``[-limit, limit]``. Circles were
    classified patterned and squares homogeneous. A red edge marks disagreement with the
    prediction and a cross marks a point near a boundary. With ``zoom = (low, high)`` a second
    panel repeats the map for that range of :math:`\lambda`.
    """
    panels = 1 if zoom is None else 2
    figure, axes = plt.subplots(1, panels, figsize=(5.2 * panels + 1.4, 4.4), squeeze=False)
    axes = axes[0]
    for ax in axes:
        _draw_map(ax, space, points, ratio_range, limit)
    axes[0].set_xlim(min(0.0, min(p.lam for p in points)) - 0.1,
                     max(float(space.lam.max()), max(p.lam for p in points)) + 0.1)
    axes[0].set_ylabel("coupling ratio d = Dv / Du")
    if zoom is not None:
        axes[1].set_xlim(*zoom)
        axes[1].set_title("zoom on the Turing window", fontsize=10)
    mappable = plt.cm.ScalarMappable(cmap=SIGNED_CMAP, norm=plt.Normalize(-limit, limit))
    figure.colorbar(mappable, ax=list(axes), label="log10 of std(u) amplification (clipped)",
                    extend="both")
    handles = axes[0].get_legend_handles_labels()[0] + [
        Line2D([], [], marker="o", color="w", markeredgecolor="k", label="classified patterned"),
        Line2D([], [], marker="s", color="w", markeredgecolor="k", label="classified homogeneous"),
        Line2D([], [], marker="x", color="k", linestyle="", label="near a boundary (5 %)"),
    ]
    axes[0].legend(handles=handles, loc="upper left", fontsize=8)
    return figure


def plot_sweep_fields(points: Sequence[PlanePoint], *, columns: int = 5,
                      labels: Sequence[str] | None = None) -> plt.Figure:
    """Draw the final field u of each swept sheet, titled by its point and its label.

    Each panel is scaled to its own largest deviation from its mean, so that the texture of a
    small pattern is as visible as that of a large one. The panels therefore do not share a
    colour scale, and a caller should give each sheet's amplitude in ``labels``.
    """
    rows = int(np.ceil(len(points) / columns))
    figure, axes = plt.subplots(rows, columns, figsize=(2.6 * columns, 2.7 * rows))
    axes = np.atleast_1d(axes).ravel()
    for index, ax in enumerate(axes):
        ax.grid(False)
        if index >= len(points):
            ax.axis("off")
            continue
        point = points[index]
        field = point.final_u - point.final_u.mean()
        limit = float(np.max(np.abs(field))) or 1.0
        ax.imshow(field, cmap=SIGNED_CMAP if labels is None else FIELD_CMAP, vmin=-limit,
                  vmax=limit, origin="lower")
        extra = "" if labels is None else f"\n{labels[index]}"
        ax.set_title(f"lambda={point.lam:g}, d={point.ratio:g}{extra}", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    figure.tight_layout()
    return figure
