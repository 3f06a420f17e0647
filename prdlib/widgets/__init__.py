"""Callbacks for the notebooks' interactive explorers.

Each callback is a plain function that takes the slider values as keyword arguments and returns
a matplotlib figure. It can therefore be tested at its defaults, and called directly to draw the
static figures that the website shows in place of the sliders. Topic modules hold the callbacks of each part;
:func:`explore` wires any of them to ipywidgets sliders.
"""

from __future__ import annotations

from typing import Any, Callable

import matplotlib.pyplot as plt

__all__ = ["explore"]


def explore(callback: Callable[..., plt.Figure], **sliders: Any):
    """Show ``callback`` with one ipywidgets control per keyword argument.

    Each value in ``sliders`` is what :func:`ipywidgets.interact` accepts: a ``(min, max, step)``
    tuple, a list of choices, or a widget. Returns the ``interactive`` widget.
    """
    import ipywidgets
    from IPython.display import display

    def draw(**values: Any) -> None:
        figure = callback(**values)
        display(figure)
        plt.close(figure)

    widget = ipywidgets.interactive(draw, **sliders)
    display(widget)
    return widget
