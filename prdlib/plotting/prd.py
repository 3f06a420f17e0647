"""Figures of Part 3: the per-site game's phase plane, basins, branches, dispersion, Turing space."""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

from prdlib import prd, sheet, turing
from prdlib.plotting import SIGNED_CMAP

__all__ = [
    "EQUILIBRIUM_COLOURS",
    "plot_phase_plane",
    "plot_basins",
    "plot_branches",
    "plot_lattice_dispersion",
    "plot_turing_space",
    "show_deviations",
]

EQUILIBRIUM_COLOURS = ("#1b9e77", "#7570b3", "#d95f02", "#e7298a", "#66a61e")
"""Colours of the equilibria, in the order of :func:`prdlib.prd.find_equilibria`."""


def _mark_equilibria(ax: plt.Axes, equilibria: Sequence[prd.Equilibrium],
                     names: Sequence[str] | None) -> None:
    for index, eq in enumerate(equilibria):
        colour = EQUILIBRIUM_COLOURS[index % len(EQUILIBRIUM_COLOURS)]
        label = names[index] if names else f"({eq.u:.2f}, {eq.v:.2f})"
        label += ", stable" if eq.stable else ", unstable"
        ax.plot(eq.u, eq.v, "o", markersize=9, markeredgecolor="black",
                markerfacecolor=colour if eq.stable else "white", markeredgewidth=1.5,
                label=label, zorder=5)


def plot_phase_plane(
    ax: plt.Axes,
    params: prd.PRDParams,
    *,
    u_range: tuple[float, float],
    v_range: tuple[float, float],
    equilibria: Sequence[prd.Equilibrium] | None = None,
    names: Sequence[str] | None = None,
    resolution: int = 160,
) -> None:
    """Draw the reaction's flow field, its nullclines R_u = 0 and R_v = 0, and the equilibria.

    Filled markers are stable equilibria and open markers unstable ones.
    """
    u = np.linspace(*u_range, resolution)
    v = np.linspace(*v_range, resolution)
    grid_u, grid_v = np.meshgrid(u, v)
    r_u, r_v = (field.numpy() for field in prd.reaction(params, grid_u, grid_v))
    speed = np.hypot(r_u, r_v)
    ax.streamplot(u, v, r_u, r_v, color=np.log10(speed + 1e-12), cmap="Greys", density=1.1,
                  linewidth=0.7, arrowsize=0.8)
    ax.contour(grid_u, grid_v, r_u, levels=[0.0], colors="tab:blue", linewidths=2)
    ax.contour(grid_u, grid_v, r_v, levels=[0.0], colors="tab:red", linewidths=2)
    ax.plot([], [], color="tab:blue", lw=2, label="$R_u = 0$ (generator nullcline)")
    ax.plot([], [], color="tab:red", lw=2, label="$R_v = 0$ (discriminator nullcline)")
    if equilibria:
        _mark_equilibria(ax, equilibria, names)
    ax.set_xlim(*u_range)
    ax.set_ylim(*v_range)
    ax.set_xlabel("generator parameter $u$")
    ax.set_ylabel("discriminator parameter $v$")
    ax.legend(loc="upper right", fontsize=8, frameon=True)


def plot_basins(
    ax: plt.Axes,
    u_values: np.ndarray,
    v_values: np.ndarray,
    labels: np.ndarray,
    equilibria: Sequence[prd.Equilibrium],
    *,
    names: Sequence[str] | None = None,
) -> None:
    """Colour each homogeneous start by the equilibrium it reached (see
    :func:`prdlib.sheet.homogeneous_basins`) and mark the equilibria."""
    colours = ListedColormap([EQUILIBRIUM_COLOURS[i % len(EQUILIBRIUM_COLOURS)]
                              for i in range(len(equilibria))])
    du = (u_values[1] - u_values[0]) / 2
    dv = (v_values[1] - v_values[0]) / 2
    ax.imshow(labels, origin="lower", cmap=colours, vmin=-0.5, vmax=len(equilibria) - 0.5,
              extent=(u_values[0] - du, u_values[-1] + du, v_values[0] - dv, v_values[-1] + dv),
              aspect="auto", alpha=0.55, interpolation="nearest")
    _mark_equilibria(ax, equilibria, names)
    ax.grid(False)
    ax.set_xlabel("homogeneous start $u_0$")
    ax.set_ylabel("homogeneous start $v_0$")
    ax.legend(loc="upper right", fontsize=8, frameon=True)


def plot_branches(
    ax: plt.Axes,
    branches: Sequence[prd.Branch],
    names: Sequence[str],
    *,
    colours: Sequence[str] | None = None,
) -> None:
    """Draw u* against lambda along equilibrium branches: solid where stable, dotted where not."""
    for index, (branch, name) in enumerate(zip(branches, names)):
        colour = (colours or EQUILIBRIUM_COLOURS)[index % len(colours or EQUILIBRIUM_COLOURS)]
        stable = branch.stable
        if stable.any():
            ax.plot(branch.lam, np.where(stable, branch.u, np.nan), "-", color=colour, lw=2.2,
                    label=f"{name} (stable)")
        if not stable.all():
            ax.plot(branch.lam, np.where(stable, np.nan, branch.u), ":", color=colour, lw=2.2,
                    label=f"{name} (unstable)")
    ax.set_xlabel(r"adversarial weight $\lambda$")
    ax.set_ylabel(r"equilibrium generator value $u^*$")
    ax.legend(fontsize=8, frameon=True)


def plot_lattice_dispersion(
    ax: plt.Axes,
    jacobian: np.ndarray,
    Du: float,
    Dv: float,
    n: int,
    *,
    label: str | None = None,
    colour: str = "tab:blue",
) -> None:
    """Draw the growth rate of every lattice mode of an N x N sheet (dots) and the continuum curve."""
    kx, ky = sheet.lattice_wavenumbers(n)
    rates = sheet.lattice_growth_rates(jacobian, Du, Dv, n)
    k = np.hypot(kx, ky).ravel()
    ax.plot(k, rates.ravel(), ".", color=colour, markersize=3, alpha=0.5,
            label=f"lattice modes, {n}x{n}" + (f" ({label})" if label else ""))
    k_line = np.linspace(0, float(k.max()), 600)
    ax.plot(k_line, turing.growth_rate(jacobian, Du, Dv, k_line**2), "-", color=colour, lw=1.5,
            label="continuum $s = k^2$" + (f" ({label})" if label else ""))
    ax.axhline(0.0, color="black", lw=0.8)
    ax.set_xlabel("wavenumber $|k|$ (radians per site)")
    ax.set_ylabel(r"growth rate $\max \mathrm{Re}\,\sigma$ (per unit time)")
    ax.legend(fontsize=8, frameon=True)


def plot_turing_space(
    ax: plt.Axes,
    space: prd.TuringSpace,
    *,
    ratio_range: tuple[float, float],
    lam_range: tuple[float, float] | None = None,
    mark: tuple[float, float] | None = None,
) -> None:
    """Shade the Turing-unstable region of the plane (lambda, Dv/Du) along one branch.

    The region is where the branch's equilibrium is stable without coupling and the ratio lies
    above the critical-ratio curve. The figure also draws that curve, the values of lambda
    where the homogeneous state loses stability, the end of the branch, and the line
    lambda = 0.
    """
    lam = space.lam
    ratios = np.geomspace(*ratio_range, 300)
    d_c = space.d_critical
    inside = space.stable[None, :] & (ratios[:, None] > np.where(np.isnan(d_c), np.inf, d_c)[None, :])
    ax.contourf(lam, ratios, inside.astype(float), levels=[0.5, 1.5], colors=["#fdd49e"])
    ax.plot([], [], "s", color="#fdd49e", markersize=10, label="Turing-unstable")
    ax.plot(lam, np.where(space.stable, d_c, np.nan), "-", color="tab:red", lw=2,
            label=r"critical ratio $d_c(\lambda)$")
    unstable = (~space.stable).astype(float)
    if unstable.any():
        ax.contourf(lam, ratios, np.repeat(unstable[None, :], ratios.size, axis=0),
                    levels=[0.5, 1.5], colors=["#dadaeb"])
        ax.plot([], [], "s", color="#dadaeb", markersize=10,
                label="homogeneous state unstable without coupling")
    for index, boundary in enumerate(space.stability_boundaries):
        ax.axvline(boundary, color="tab:purple", ls="--", lw=1.5,
                   label="homogeneous state loses stability" if index == 0 else None)
    ax.axvspan(ax.get_xlim()[0] if lam_range is None else lam_range[0], lam.min(),
               color="0.85", zorder=0, label="branch does not exist")
    ax.axvline(0.0, color="black", lw=2.5, label=r"$\lambda = 0$: no pattern")
    if mark is not None:
        ax.plot(*mark, "*", color="black", markersize=13, label=f"({mark[0]:g}, {mark[1]:g})")
    ax.set_yscale("log")
    ax.set_ylim(*ratio_range)
    ax.set_xlim(*(lam_range if lam_range is not None else (0.0, float(lam.max()))))
    ax.set_xlabel(r"adversarial weight $\lambda$")
    ax.set_ylabel(r"coupling ratio $D_v / D_u$")
    ax.legend(fontsize=8, frameon=True, loc="lower right")


def show_deviations(
    axes: Sequence[plt.Axes],
    fields: Sequence[np.ndarray],
    titles: Sequence[str],
    *,
    colorbar_label: str = r"$u - \bar u$",
) -> None:
    """Draw the deviations of several fields from their means on one shared, zero-centred colour scale.

    With a shared scale a field that has returned to uniform shows as white next to a patterned
    one, instead of having its rounding noise stretched over the whole colour map.
    """
    deviations = [np.asarray(field) - np.mean(field) for field in fields]
    limit = max(float(np.max(np.abs(d))) for d in deviations) or 1.0
    for ax, deviation, title in zip(axes, deviations, titles):
        image = ax.imshow(deviation, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit, origin="lower")
        ax.grid(False)
        ax.set_title(title)
        ax.set_xlabel("x (sites)")
        ax.set_ylabel("y (sites)")
    colorbar = axes[-1].figure.colorbar(image, ax=list(axes), shrink=0.85)
    colorbar.set_label(colorbar_label)
