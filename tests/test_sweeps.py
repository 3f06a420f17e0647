"""Tests of prdlib.sweeps: classification, start choice, batched training and a small sweep."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from prdlib import prd, sheet, sweeps, turing
from prdlib.errors import NonFiniteError

COURSE = prd.PRDParams(mu=0.925, lam=3.2, gamma=0.243, ys=1.839, yd=-1.086, c=-0.224)


@pytest.fixture(scope="module", autouse=True)
def single_torch_thread():
    """Run these small-tensor tests on one thread: extra threads only add contention here."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.fixture(scope="module")
def course_branch() -> prd.Branch:
    start = sheet.default_equilibrium(COURSE)
    return prd.follow_branch(COURSE, (start.u, start.v), np.linspace(3.0, 4.3, 27))


def closed_form_critical_ratio(jacobian: np.ndarray) -> float:
    """Largest root d of (d f_u + g_v)^2 = 4 d det J, written out independently of prdlib."""
    (fu, fv), (gu, gv) = jacobian
    det = fu * gv - fv * gu
    roots = np.roots([fu**2, 2 * fu * gv - 4 * det, gv**2])
    return float(np.max(roots.real))


# classify_pattern -------------------------------------------------------------------------------

def test_classify_pattern_above_and_below():
    assert sweeps.classify_pattern(1e-3, 1.1e-2)
    assert not sweeps.classify_pattern(1e-3, 0.9e-2)
    assert not sweeps.classify_pattern(1e-3, 0.0)
    assert sweeps.classify_pattern(1e-3, 2.1e-3, threshold=2.0)


@pytest.mark.parametrize(
    ("initial", "final", "threshold", "name"),
    [(0.0, 1.0, 10.0, "initial_std"), (1e-3, -1.0, 10.0, "final_std"),
     (1e-3, math.nan, 10.0, "final_std"), (1e-3, 1.0, 1.0, "threshold"),
     (1e-3, 1.0, math.inf, "threshold")],
)
def test_classify_pattern_rejects_bad_input(initial, final, threshold, name):
    with pytest.raises(ValueError, match=name):
        sweeps.classify_pattern(initial, final, threshold)


def test_run_duration_for_growth_closed_form():
    assert sweeps.run_duration_for_growth(0.1, math.e**2) == pytest.approx(20.0)
    with pytest.raises(ValueError, match="growth_rate"):
        sweeps.run_duration_for_growth(-0.1, 10.0)
    with pytest.raises(ValueError, match="factor"):
        sweeps.run_duration_for_growth(0.1, 0.5)


# batch_coupling_energy --------------------------------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=1, max_value=3), st.integers(min_value=3, max_value=7),
       st.integers(min_value=0, max_value=10_000))
def test_batch_coupling_matches_sheet(batch, n, seed):
    w = torch.randn((batch, n, n), generator=torch.Generator().manual_seed(seed),
                    dtype=torch.float64)
    batched = sweeps.batch_coupling_energy(w)
    for b in range(batch):
        assert float(batched[b]) == pytest.approx(float(sheet.coupling_energy(w[b])), rel=1e-13)


def test_batch_coupling_rejects_bad_shape():
    with pytest.raises(ValueError, match="shape"):
        sweeps.batch_coupling_energy(torch.zeros((4, 4), dtype=torch.float64))
    with pytest.raises(ValueError, match="shape"):
        sweeps.batch_coupling_energy(torch.zeros((1, 2, 2), dtype=torch.float64))


# train_batch ------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["simultaneous", "alternating"])
def test_train_batch_matches_train_sheet(method):
    params = prd.FAST_PARAMS
    start = sheet.default_equilibrium(params)
    lr = 0.8 * sheet.max_stable_lr(prd.FAST_DU, prd.FAST_DV)
    lams, Dvs = [params.lam, 0.3], [prd.FAST_DV, 2.0]
    batch = sweeps.train_batch(params, lams, Dvs, [(start.u, start.v)] * 2, Du=prd.FAST_DU,
                               lr=lr, steps=150, n=8, method=method, seed=5)
    for index, (lam, Dv) in enumerate(zip(lams, Dvs)):
        single = sheet.train_sheet(params.with_lam(lam), prd.FAST_DU, Dv, n=8, steps=150, lr=lr,
                                   method=method, equilibrium=(start.u, start.v), seed=5)
        np.testing.assert_allclose(batch.u[index], single.u, rtol=0, atol=1e-12)
        np.testing.assert_allclose(batch.v[index], single.v, rtol=0, atol=1e-12)


def test_train_batch_records_history_and_snapshots():
    start = sheet.default_equilibrium(COURSE)
    run = sweeps.train_batch(COURSE, [3.2], [6.0], [(start.u, start.v)], Du=0.1, lr=0.03,
                             steps=25, n=6, record_every=10, snapshot_every=20)
    assert run.history_steps.tolist() == [0, 10, 20, 25]
    assert run.std_u.shape == (1, 4)
    assert run.snapshot_steps.tolist() == [0, 20, 25]
    assert run.snapshots_u.shape == (3, 1, 6, 6)
    np.testing.assert_array_equal(run.snapshots_u[-1, 0], run.u[0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"lams": []}, "same non-zero length"),
     ({"Dvs": [1.0, 1.0]}, "same non-zero length"),
     ({"lams": [-1.0]}, "lams"),
     ({"Dvs": [-1.0]}, "Dvs"),
     ({"lr": 0.3}, "stability limit"),
     ({"method": "sequential"}, "method"),
     ({"snapshot_every": 0}, "snapshot_every")],
)
def test_train_batch_rejects_bad_input(kwargs, message):
    arguments = {"lams": [3.2], "Dvs": [6.0], "starts": [(0.0, -1.2)], "Du": 0.1, "lr": 0.03,
                 "steps": 2, "n": 4}
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        sweeps.train_batch(COURSE, **arguments)


def test_train_batch_reports_non_finite_step():
    # At u = v = 1e308 the adversarial gradient lam * v * sigmoid(v (u - c)) overflows to Inf.
    with pytest.raises(NonFiniteError, match="step 1"):
        sweeps.train_batch(COURSE, [3.2], [1.0], [(1e308, 1e308)], Du=0.1, lr=0.01, steps=5, n=4)


# start choice and prediction --------------------------------------------------------------------

def test_choose_start_on_branch_and_off(course_branch):
    on = sweeps.choose_start(COURSE, 3.2, course_branch)
    assert on.kind == "branch"
    assert on.u == pytest.approx(-0.0624, abs=1e-3)
    residual = prd.reaction(COURSE, on.u, on.v)
    assert max(abs(float(residual[0])), abs(float(residual[1]))) < 1e-10

    off = sweeps.choose_start(COURSE, 0.0, course_branch)
    assert off.kind == "largest f_u"
    # With lambda = 0 the only equilibrium has the generator at its target.
    assert off.u == pytest.approx(COURSE.ys, abs=1e-9)


def test_predict_pattern_at_critical_ratio(course_branch):
    start = sweeps.choose_start(COURSE, 3.2, course_branch)
    critical = closed_form_critical_ratio(start.jacobian)
    assert critical == pytest.approx(turing.critical_ratio(start.jacobian), rel=1e-9)
    assert not sweeps.predict_pattern(COURSE, 3.2, 0.97 * critical, course_branch)
    assert sweeps.predict_pattern(COURSE, 3.2, 1.03 * critical, course_branch)
    # Without the adversary no coupling ratio gives a pattern.
    assert not sweeps.predict_pattern(COURSE, 0.0, 1e4, course_branch)


def test_near_boundary_flags(course_branch):
    start = sweeps.choose_start(COURSE, 3.2, course_branch)
    critical = closed_form_critical_ratio(start.jacobian)
    assert sweeps.near_boundary(COURSE, 3.2, 1.02 * critical, course_branch)
    assert not sweeps.near_boundary(COURSE, 3.2, 100.0, course_branch)
    assert not sweeps.near_boundary(COURSE, 0.0, 100.0, course_branch)
    with pytest.raises(ValueError, match="margin"):
        sweeps.near_boundary(COURSE, 3.2, 100.0, course_branch, margin=0.0)


# sweep_plane ------------------------------------------------------------------------------------

def test_sweep_small_grid_matches_prediction(course_branch):
    points = [(0.0, 100.0), (3.2, 100.0), (3.6, 100.0), (4.2, 100.0)]
    results = sweeps.sweep_plane(COURSE, points, Du=0.06, duration=60.0, n=12,
                                 branch=course_branch, noise=1e-2)
    predicted = [p.predicted for p in results]
    assert predicted == [False, True, False, False]
    for point in results:
        assert point.agrees, (point.lam, point.ratio, point.amplification)
    # Every point ran for the same time with the step of the largest ratio.
    assert results[0].lr == pytest.approx(0.8 / (4 * 0.06 * 100.0))
    assert results[0].steps * results[0].lr >= 60.0
    # Outside the region the noise decays, and inside it grows by more than the threshold.
    assert results[0].amplification < 1.0
    assert results[1].amplification > sweeps.PATTERN_THRESHOLD
    assert results[1].start.kind == "branch"
    assert results[0].start.kind == "largest f_u"


@pytest.mark.parametrize(
    ("points", "message"),
    [([], "at least one"), ([(3.2,)], "pair"), ([(3.2, -1.0)], "ratio"),
     ([(-0.1, 10.0)], "lam")],
)
def test_sweep_rejects_bad_points(points, message):
    with pytest.raises(ValueError, match=message):
        sweeps.sweep_plane(COURSE, points, Du=0.1, duration=1.0, n=4)


# figures and the explorer built on sweeps ------------------------------------------------------

def test_explorer_draws_at_defaults():
    from prdlib.widgets.prd import turing_space_explorer

    figure = turing_space_explorer()
    left, right = figure.axes[:2]
    assert "Turing-unstable" in left.get_title()
    assert right.get_yscale() == "log"


def test_explorer_outside_branch_says_no_instability():
    from prdlib.widgets.prd import turing_space_explorer

    figure = turing_space_explorer(lam=0.0, ratio=60.0)
    assert "no Turing instability" in figure.axes[0].get_title()


def test_turing_map_marks_each_point(course_branch):
    from prdlib.plotting.sheet import plot_turing_map

    start = sheet.default_equilibrium(COURSE)
    space = prd.turing_space(COURSE, (start.u, start.v), np.linspace(3.0, 4.3, 27))
    results = sweeps.sweep_plane(COURSE, [(0.0, 50.0), (3.2, 50.0)], Du=0.06, duration=1.0, n=6,
                                 branch=course_branch)
    figure = plot_turing_map(space, results)
    # One coloured marker per point, plus a cross for each point near a boundary.
    crosses = sum(p.near_boundary for p in results)
    assert len(figure.axes[0].collections) >= len(results) + crosses


def test_side_by_side_frames_shape_and_centring():
    from prdlib.plotting.sheet import side_by_side_frames

    left = np.ones((3, 4, 4)) * 5.0
    right = np.arange(48, dtype=float).reshape(3, 4, 4)
    frames = side_by_side_frames(left, right, gap=1)
    assert frames.shape == (3, 4, 9)
    np.testing.assert_allclose(frames[:, :, :4], 0.0)
    np.testing.assert_allclose(frames[:, :, 5:].mean(axis=(1, 2)), 0.0, atol=1e-12)
    with pytest.raises(ValueError, match="same shape"):
        side_by_side_frames(left, right[:, :3])


def test_plot_fields_shares_one_colour_scale():
    from prdlib.plotting.sheet import plot_fields

    rng = np.random.default_rng(0)
    patterned = rng.standard_normal((8, 8))
    flat = 3.0 + 1e-16 * rng.standard_normal((8, 8))
    figure = plot_fields([patterned, flat], ["patterned", "flat"])
    images = [ax.images[0] for ax in figure.axes if ax.images]
    assert len(images) == 2
    limit = np.max(np.abs(patterned - patterned.mean()))
    for image in images:
        np.testing.assert_allclose(image.get_clim(), (-limit, limit))
    # One colour bar for the row: two field axes and one colour-bar axis.
    assert len(figure.axes) == 3
    with pytest.raises(ValueError, match="same length"):
        plot_fields([patterned], ["a", "b"])


# classify_texture -------------------------------------------------------------------------------

def test_texture_of_synthetic_stripes_and_spots():
    x = np.arange(32)
    stripes = np.sin(2 * np.pi * x / 8)[None, :] * np.ones((32, 1))
    stripes = stripes + 0.01 * np.random.default_rng(0).standard_normal((32, 32))
    column, row = np.meshgrid(x, x)
    spots = np.cos(2 * np.pi * column / 8) + np.cos(2 * np.pi * row / 8)

    assert sweeps.classify_texture(stripes).label == "stripes"
    spot_texture = sweeps.classify_texture(spots)
    assert spot_texture.label == "spots"
    # A 4 x 4 lattice of spots, each a separate piece of the minority phase.
    assert spot_texture.components == 16
    assert spot_texture.elongated_fraction == 0.0


def test_texture_counts_thin_ring_as_extended():
    # A thin ring is round (aspect 1) but spreads over a large area, like a labyrinth piece.
    column, row = np.meshgrid(np.arange(40), np.arange(40))
    radius = np.hypot(column - 19.5, row - 19.5)
    ring = ((radius > 12) & (radius < 14)).astype(float)
    texture = sweeps.classify_texture(ring)
    assert texture.components == 1
    assert texture.label == "stripes"
    assert texture.elongated_fraction == 1.0


def test_texture_rejects_bad_fields():
    with pytest.raises(ValueError, match="square"):
        sweeps.classify_texture(np.zeros((4, 5)))
    with pytest.raises(ValueError, match="uniform"):
        sweeps.classify_texture(np.full((4, 4), 2.0))
    with pytest.raises(ValueError, match="aspect"):
        sweeps.classify_texture(np.eye(4), aspect=1.0)
    with pytest.raises(ValueError, match="filling"):
        sweeps.classify_texture(np.eye(4), filling=0.0)
