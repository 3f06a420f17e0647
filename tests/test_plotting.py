"""Tests of the shared figure helpers in prdlib.plotting."""

from __future__ import annotations

import re

import numpy as np
import pytest

from prdlib.plotting import animate_fields, animation_html, show_field


def _frames(count: int = 3) -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    return [rng.standard_normal((8, 8)) for _ in range(count)]


def test_animation_html_loads_nothing_remote():
    html = animation_html(animate_fields(_frames(), [0.0, 1.0, 2.0], signed=True))

    assert "font-awesome" not in html
    assert re.search(r"(src|href)=\"(https?:)?//", html) is None


def test_animation_html_labels_every_button():
    html = animation_html(animate_fields(_frames(), [0.0, 1.0, 2.0]))

    assert "fa fa-" not in html
    assert html.count("<button") == 9
    assert "\u25b6" in html


def test_animate_fields_rejects_mismatched_times():
    with pytest.raises(ValueError, match="same length"):
        animate_fields(_frames(3), [0.0, 1.0])


def test_animate_fields_rejects_no_frames():
    with pytest.raises(ValueError, match="at least one"):
        animate_fields([], [])


def test_show_field_centres_signed_scale():
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots()
    image = show_field(ax, np.array([[-1.0, 3.0], [0.5, 0.0]]), signed=True)

    assert image.get_clim() == (-3.0, 3.0)
