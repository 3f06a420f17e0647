"""Figures of Part 1: dispersion relations, Turing-space maps, space-time plots, spectra."""

from __future__ import annotations

from typing import Any, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.patches import Patch

from prdlib import turing
from prdlib.plotting import FIELD_CMAP, SIGNED_CMAP

__all__ = [
    "REGION_COLOURS",
    "figure_grid",
    "plot_dispersion",
    "plot_kymograph",
    "plot_turing_space",
]

REGION_COLOURS = {
    turing.NO_STEADY_STATE: "#d9d9d9",
    turing.STABLE: "#9ecae1",
    turing.TURING_UNSTABLE: "#fd8d3c",
    turing.UNSTABLE_WITHOUT_DIFFUSION: "#756bb1",
}
"""Colour of each region code of :func:`prdlib.turing.turing_space`."""


def plot_dispersion(
    ax: plt.Axes,
    jacobian: Any,
    Du: float,
    Dv: float,
    *,
    k_upper: float | None = None,
    label: str | None = None,
    spacing: float | None = None,
    shade_band: bool = True,
    mark_max: bool = True,
    **line_options: Any,
):
    """Draw the growth rate against the wavenumber, with the unstable band shaded.

    With ``spacing`` the lattice relation (finite-difference Laplacian of that spacing) is drawn
    instead of the continuum one. Returns the line.
    """
    if k_upper is None:
        band = turing.unstable_intervals(jacobian, Du, Dv)
        k_upper = 2.0 * band[-1][1] if band else 2.0
    k = np.linspace(0.0, k_upper, 600)
    if spacing is None:
        s = k**2
    else:
        s = turing.lattice_laplacian_eigenvalue(k, spacing=spacing)
    rates = turing.growth_rate(jacobian, Du, Dv, s)
    (line,) = ax.plot(k, rates, label=label, **line_options)
    ax.axhline(0.0, color="0.3", linewidth=0.8)
    if shade_band and spacing is None:
        for low, high in turing.unstable_intervals(jacobian, Du, Dv):
            ax.axvspan(low, min(high, k_upper), color=line.get_color(), alpha=0.12)
    if mark_max:
        best = int(np.argmax(rates))
        if rates[best] > 0:
            ax.plot(k[best], rates[best], "o", color=line.get_color(), markersize=4)
    ax.set_xlabel("wavenumber k (rad per unit length)")
    ax.set_ylabel("growth rate max Re λ (per unit time)")
    return line


def plot_turing_space(
    ax: plt.Axes,
    codes: np.ndarray,
    x_values: Sequence[float],
    y_values: Sequence[float],
    *,
    x_label: str,
    y_label: str,
    legend: bool = True,
):
    """Draw a region map from :func:`prdlib.turing.turing_space` with one colour per region."""
    codes = np.asarray(codes)
    x_values = np.asarray(x_values, dtype=float)
    y_values = np.asarray(y_values, dtype=float)
    order = sorted(REGION_COLOURS)
    colour_map = ListedColormap([REGION_COLOURS[code] for code in order])
    norm = BoundaryNorm(np.arange(len(order) + 1) - 0.5, colour_map.N)
    image = ax.pcolormesh(x_values, y_values, codes, cmap=colour_map, norm=norm, shading="auto")
    ax.grid(False)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    if legend:
        present = [code for code in order if np.any(codes == code)]
        handles = [Patch(color=REGION_COLOURS[code], label=turing.REGION_NAMES[code])
                   for code in present]
        ax.legend(handles=handles, loc="upper right", frameon=True, framealpha=0.9)
    return image


def plot_kymograph(
    ax: plt.Axes,
    times: Sequence[float],
    snapshots: np.ndarray,
    length: float,
    *,
    signed: bool = True,
    colorbar_label: str | None = None,
):
    """Draw 1D snapshots as a space-time image, time upwards.

    With ``signed`` the deviation from the mean over all snapshots is drawn on a diverging map
    centred on zero.
    """
    snapshots = np.asarray(snapshots)
    times = np.asarray(times)
    if signed:
        field = snapshots - snapshots.mean()
        limit = float(np.max(np.abs(field))) or 1.0
        image = ax.imshow(field, aspect="auto", origin="lower", cmap=SIGNED_CMAP, vmin=-limit,
                          vmax=limit, extent=(0, length, times[0], times[-1]))
    else:
        image = ax.imshow(snapshots, aspect="auto", origin="lower", cmap=FIELD_CMAP,
                          extent=(0, length, times[0], times[-1]))
    ax.grid(False)
    ax.set_xlabel("x (length units)")
    ax.set_ylabel("t (time units)")
    colorbar = ax.figure.colorbar(image, ax=ax, shrink=0.9)
    if colorbar_label:
        colorbar.set_label(colorbar_label)
    return image


def figure_grid(
    figures: Sequence[plt.Figure], ncols: int = 2, *, width: float | None = None
) -> plt.Figure:
    """Tile already drawn figures into one figure (as images), closing the originals.

    The website uses this to show a widget callback at several fixed settings in one figure.
    ``width`` is the grid's width in inches. By default it is ``ncols`` times the first figure's
    width, so each tile keeps the size, and the text the size, that it has on its own.
    """
    if not figures:
        raise ValueError("figures must contain at least one figure, got none")
    if ncols < 1:
        raise ValueError(f"ncols must be an integer >= 1, got {ncols}")
    if width is None:
        width = ncols * float(figures[0].get_figwidth())
    images = []
    for figure in figures:
        figure.canvas.draw()
        images.append(np.asarray(figure.canvas.buffer_rgba()))
        plt.close(figure)
    nrows = -(-len(images) // ncols)
    height_ratio = images[0].shape[0] / images[0].shape[1]
    grid, axes = plt.subplots(nrows, ncols, figsize=(width, width / ncols * height_ratio * nrows),
                              squeeze=False, layout="constrained")
    for ax in axes.flat:
        ax.set_axis_off()
    for ax, image in zip(axes.flat, images):
        ax.imshow(image)
    return grid
