"""Tests of the Part 1 explorer callback and figure helpers at their defaults."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from prdlib import turing
from prdlib.plotting.turing import (
    figure_grid,
    plot_dispersion,
    plot_kymograph,
    plot_turing_space,
)
from prdlib.widgets.turing import dispersion_explorer


def test_explorer_defaults_draws_dispersion():
    figure = dispersion_explorer()
    assert isinstance(figure, plt.Figure)
    ax = figure.axes[0]
    assert "Turing-unstable" in ax.get_title()
    assert len(ax.get_lines()) >= 2


@pytest.mark.parametrize("model", ["gierer-meinhardt", "brusselator"])
def test_explorer_other_models(model):
    figure = dispersion_explorer(model=model, a=0.4 if model != "brusselator" else 1.5,
                                 b=1.0 if model != "brusselator" else 2.3, ratio=5.0)
    assert model in figure.axes[0].get_title()


def test_explorer_without_steady_state_explains():
    figure = dispersion_explorer(model="brusselator", a=-1.0, b=1.0)
    texts = [text.get_text() for text in figure.axes[0].texts]
    assert any("a > 0" in text for text in texts)


def test_explorer_unknown_model_raises():
    with pytest.raises(ValueError, match="model must be one of"):
        dispersion_explorer(model="gray-scott")


def test_plot_helpers_draw():
    figure, axes = plt.subplots(1, 3)
    jacobian = [[0.8, 1.0], [-1.8, -1.0]]
    line = plot_dispersion(axes[0], jacobian, 1.0, 20.0, spacing=1.0)
    assert line.get_xdata().max() > 0
    codes = turing.turing_space("schnakenberg", {}, "a", [0.0, 0.1], "b", [0.5, 0.9, 1.5],
                                1.0, 20.0)
    plot_turing_space(axes[1], codes, [0.0, 0.1], [0.5, 0.9, 1.5], x_label="a", y_label="b")
    assert axes[1].get_legend() is not None
    plot_kymograph(axes[2], np.arange(5.0), np.random.default_rng(0).random((5, 16)), 10.0)
    assert axes[2].get_ylabel() == "t (time units)"


def test_figure_grid_tiles_figures():
    figures = [dispersion_explorer(ratio=ratio) for ratio in (5.0, 20.0, 40.0)]
    grid = figure_grid(figures, ncols=2)
    assert len(grid.axes) == 4
    assert len(grid.axes[0].images) == 1
    assert len(grid.axes[3].images) == 0


def test_figure_grid_keeps_tile_size():
    figures = [dispersion_explorer(ratio=ratio) for ratio in (5.0, 20.0)]
    source_width = figures[0].get_figwidth()
    grid = figure_grid(figures, ncols=1)
    assert grid.get_figwidth() == pytest.approx(source_width)


def test_figure_grid_rejects_empty():
    with pytest.raises(ValueError, match="at least one figure"):
        figure_grid([])
