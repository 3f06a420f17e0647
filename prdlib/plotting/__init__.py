"""Figures for the course: one style, colour maps chosen by the kind of quantity.

This package imports the mathematical modules of prdlib, never the other way round. Topic
modules (``prdlib.plotting.turing``, ``prdlib.plotting.networks``, ...) contain the figures
of each part, and this module contains what they share.
"""

from __future__ import annotations

from typing import Sequence

import re

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation

__all__ = [
    "FIELD_CMAP",
    "SIGNED_CMAP",
    "use_course_style",
    "show_field",
    "animate_fields",
    "animation_html",
]

FIELD_CMAP = "viridis"
"""Colour map for a field of one sign (a concentration, a power spectrum)."""

SIGNED_CMAP = "RdBu_r"
"""Diverging colour map for a signed field (a deviation from the homogeneous state)."""

_STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "image.cmap": FIELD_CMAP,
    "animation.embed_limit": 20.0,
}


def use_course_style() -> None:
    """Apply the course's matplotlib settings (call once at the top of a chapter)."""
    mpl.rcParams.update(_STYLE)


def show_field(
    ax: plt.Axes,
    field: np.ndarray,
    *,
    signed: bool = False,
    title: str | None = None,
    colorbar_label: str | None = None,
    extent: Sequence[float] | None = None,
) -> mpl.image.AxesImage:
    """Draw a 2D field on ``ax`` with a colour bar.

    A signed field is drawn with a diverging map centred on zero, so white means "no deviation".
    """
    field = np.asarray(field)
    if signed:
        limit = float(np.max(np.abs(field))) or 1.0
        image = ax.imshow(field, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit, origin="lower",
                          extent=extent)
    else:
        image = ax.imshow(field, cmap=FIELD_CMAP, origin="lower", extent=extent)
    ax.grid(False)
    ax.set_xlabel("x (sites)" if extent is None else "x")
    ax.set_ylabel("y (sites)" if extent is None else "y")
    if title:
        ax.set_title(title)
    colorbar = ax.figure.colorbar(image, ax=ax, shrink=0.85)
    if colorbar_label:
        colorbar.set_label(colorbar_label)
    return image


def animate_fields(
    frames: Sequence[np.ndarray],
    times: Sequence[float],
    *,
    signed: bool = False,
    time_label: str = "t",
    colorbar_label: str | None = None,
    interval_ms: int = 120,
) -> FuncAnimation:
    """Build an animation of 2D snapshots, one frame per snapshot.

    Embed it in a page with ``IPython.display.HTML(animation_html(animation))``: the frames are
    stored in the page itself, so the website needs no video codec and no network. The colour
    scale is fixed over all frames so that growth is visible.
    """
    if len(frames) == 0:
        raise ValueError("frames must contain at least one snapshot, got none")
    if len(frames) != len(times):
        raise ValueError(f"frames and times must have the same length, got {len(frames)} and {len(times)}")
    stack = np.stack([np.asarray(frame) for frame in frames])
    figure, ax = plt.subplots(figsize=(4.6, 4.0))
    if signed:
        limit = float(np.max(np.abs(stack))) or 1.0
        image = ax.imshow(stack[0], cmap=SIGNED_CMAP, vmin=-limit, vmax=limit, origin="lower")
    else:
        image = ax.imshow(stack[0], cmap=FIELD_CMAP, vmin=float(stack.min()),
                          vmax=float(stack.max()), origin="lower")
    ax.grid(False)
    ax.set_xlabel("x (sites)")
    ax.set_ylabel("y (sites)")
    colorbar = figure.colorbar(image, ax=ax, shrink=0.85)
    if colorbar_label:
        colorbar.set_label(colorbar_label)
    title = ax.set_title(f"{time_label} = {times[0]:.4g}")

    def draw(index: int):
        image.set_data(stack[index])
        title.set_text(f"{time_label} = {times[index]:.4g}")
        return image, title

    animation = FuncAnimation(figure, draw, frames=len(stack), interval=interval_ms, blit=False)
    plt.close(figure)
    return animation


# Text labels for the player buttons of matplotlib's HTML animation, in place of Font Awesome
# icons. The order matters: the reversed-play icon must be replaced before the plain play icon.
_PLAYER_LABELS = (
    ("fa fa-play fa-flip-horizontal", "\u25c0"),  # play backwards
    ("fa fa-fast-backward", "\u21e4"),  # first frame
    ("fa fa-step-backward", "\u2039"),  # previous frame
    ("fa fa-fast-forward", "\u21e5"),  # last frame
    ("fa fa-step-forward", "\u203a"),  # next frame
    ("fa fa-pause", "\u275a\u275a"),
    ("fa fa-play", "\u25b6"),
    ("fa fa-minus", "\u2212"),  # slower
    ("fa fa-plus", "+"),  # faster
)


def animation_html(animation: FuncAnimation) -> str:
    """Return the animation as self-contained HTML with a JavaScript player.

    matplotlib's ``to_jshtml`` links a Font Awesome stylesheet from a CDN for the player's icons.
    This function removes that link and labels the buttons with Unicode symbols instead, so the
    page loads nothing from another host.
    """
    html = animation.to_jshtml()
    html = re.sub(r"<link[^>]*font-awesome[^>]*>", "", html)
    for icon, label in _PLAYER_LABELS:
        html = html.replace(f'<i class="{icon}"></i>', label)
    if "fa fa-" in html:
        raise RuntimeError("matplotlib's animation player has an icon this function does not label")
    return html
