"""Tests of prdlib.turing against brute-force eigenvalues computed with numpy.linalg."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from prdlib import turing

SCHNAKENBERG = np.array([[0.8, 1.0], [-1.8, -1.0]])  # a = 0.1, b = 0.9 at (u, v) = (1, 0.9)


def brusselator_jacobian(a: float, b: float) -> np.ndarray:
    # f = a - (b + 1) u + u^2 v, g = b u - u^2 v at (u, v) = (a, b / a).
    return np.array([[b - 1.0, a * a], [-b, -a * a]])


def gierer_meinhardt_jacobian(a: float, b: float) -> np.ndarray:
    # f = a - b u + u^2 / v, g = u^2 - v at u = (a + 1) / b, v = u^2.
    u = (a + 1.0) / b
    return np.array([[-b + 2.0 / u, -1.0 / u**2], [2.0 * u, -1.0]])


def brute_force_growth(jacobian, Du, Dv, k):
    """Largest real part of the eigenvalues of J - k^2 diag(Du, Dv), one eigvals call per k."""
    jacobian = np.asarray(jacobian, dtype=float)
    diffusion = np.diag([Du, Dv])
    return np.array([np.linalg.eigvals(jacobian - kk**2 * diffusion).real.max() for kk in k])


def brute_force_critical_ratio(jacobian, ratios, k):
    """Smallest ratio Dv/Du on a grid (Du = 1) at which some k on the grid grows."""
    for ratio in ratios:
        if brute_force_growth(jacobian, 1.0, ratio, k).max() > 0:
            return ratio
    return None


# ----------------------------------------------------------------------------- reference numbers


def test_schnakenberg_reference_numbers():
    conditions = turing.turing_conditions(SCHNAKENBERG, 1.0, 20.0)
    assert conditions.trace == pytest.approx(-0.2)
    assert conditions.det == pytest.approx(1.0)
    assert conditions.turing_unstable
    assert turing.critical_ratio(SCHNAKENBERG) == pytest.approx(8.5676, rel=1e-3)


def test_conditions_as_dict_has_all_fields():
    values = turing.turing_conditions(SCHNAKENBERG, 1.0, 20.0).as_dict()
    assert set(values) == {
        "trace", "det", "condition_i", "condition_ii", "stable_without_diffusion",
        "condition_iii", "condition_iv", "turing_unstable",
    }
    assert values["turing_unstable"] is True


def test_conditions_below_threshold():
    conditions = turing.turing_conditions(SCHNAKENBERG, 1.0, 8.0)
    assert conditions.stable_without_diffusion
    assert conditions.condition_iii
    assert not conditions.condition_iv
    assert not conditions.turing_unstable


def test_conditions_unstable_without_diffusion():
    conditions = turing.turing_conditions([[1.0, 1.0], [-1.0, 0.5]], 1.0, 10.0)
    assert not conditions.condition_i
    assert not conditions.stable_without_diffusion
    assert not conditions.turing_unstable


# ----------------------------------------------------------------------------- dispersion relation


def test_dispersion_matches_eigvals_on_grid():
    s = np.linspace(0.0, 2.0, 41)
    values = turing.dispersion_relation(SCHNAKENBERG, 1.0, 20.0, s)
    assert values.shape == (41, 2)
    for si, pair in zip(s, values):
        expected = np.linalg.eigvals(SCHNAKENBERG - si * np.diag([1.0, 20.0]))
        assert np.allclose(np.sort_complex(pair), np.sort_complex(expected), atol=1e-12)
        assert pair[0].real >= pair[1].real


def test_dispersion_keeps_shape_of_s():
    s = np.ones((3, 4))
    assert turing.dispersion_relation(SCHNAKENBERG, 1.0, 20.0, s).shape == (3, 4, 2)
    assert turing.growth_rate(SCHNAKENBERG, 1.0, 20.0, s).shape == (3, 4)
    assert np.ndim(turing.growth_rate(SCHNAKENBERG, 1.0, 20.0, 0.3)) == 0


def test_dispersion_small_eigenvalue_accurate():
    # det tiny compared with trace^2: the small eigenvalue must not lose its digits.
    jacobian = np.array([[-1e8, 0.0], [0.0, -1e-8]])
    values = turing.dispersion_relation(jacobian, 1.0, 1.0, 0.0)
    assert values[0].real == pytest.approx(-1e-8, rel=1e-12)
    assert values[1].real == pytest.approx(-1e8, rel=1e-12)


def test_dispersion_accepts_torch_tensor():
    tensor = torch.tensor(SCHNAKENBERG, requires_grad=True)
    assert turing.growth_rate(tensor, 1.0, 20.0, 0.2) == pytest.approx(
        turing.growth_rate(SCHNAKENBERG, 1.0, 20.0, 0.2)
    )


@settings(max_examples=200, deadline=None)
@given(
    entries=st.lists(st.floats(-5, 5, allow_nan=False), min_size=4, max_size=4),
    Du=st.floats(0.01, 10),
    Dv=st.floats(0.01, 100),
    s=st.floats(0, 50),
)
def test_dispersion_matches_eigvals_random(entries, Du, Dv, s):
    jacobian = np.array(entries).reshape(2, 2)
    values = turing.dispersion_relation(jacobian, Du, Dv, s)
    expected = np.linalg.eigvals(jacobian - s * np.diag([Du, Dv]))
    # A nearly defective matrix has eigenvalues sensitive at the level sqrt(machine epsilon),
    # about 1e-8, in numpy and here alike, so the tolerance sits above that.
    scale = 1.0 + np.abs(expected).max()
    assert values[0].real == pytest.approx(expected.real.max(), abs=1e-7 * scale)
    assert np.allclose(np.sort_complex(values), np.sort_complex(expected), atol=1e-7 * scale)


# ----------------------------------------------------------------------------- lattice


def test_lattice_eigenvalue_matches_matrix_spectrum():
    # Eigenvalues of the periodic 3-point Laplacian matrix are -s at k = 2 pi n / (N h).
    n_sites, spacing = 16, 0.5
    laplacian = (np.roll(np.eye(n_sites), 1, axis=1) + np.roll(np.eye(n_sites), -1, axis=1)
                 - 2 * np.eye(n_sites)) / spacing**2
    k = 2 * np.pi * np.arange(n_sites) / (n_sites * spacing)
    predicted = np.sort(turing.lattice_laplacian_eigenvalue(k, spacing=spacing))
    assert np.allclose(predicted, np.sort(-np.linalg.eigvalsh(laplacian)), atol=1e-10)


def test_lattice_eigenvalue_2d_is_sum():
    s = turing.lattice_laplacian_eigenvalue(0.3, 0.7, spacing=0.8)
    expected = (turing.lattice_laplacian_eigenvalue(0.3, spacing=0.8)
                + turing.lattice_laplacian_eigenvalue(0.7, spacing=0.8))
    assert s == pytest.approx(expected)


def test_lattice_matches_continuum_for_small_k():
    k = np.array([0.01, 0.05, 0.1])
    spacing = 0.5
    s = turing.lattice_laplacian_eigenvalue(k, spacing=spacing)
    # Taylor series: s = k^2 - k^4 h^2 / 12 + O(k^6 h^4).
    assert np.allclose(s, k**2 - k**4 * spacing**2 / 12, rtol=1e-6)
    rates_lattice = turing.growth_rate(SCHNAKENBERG, 1.0, 20.0, s)
    rates_continuum = turing.growth_rate(SCHNAKENBERG, 1.0, 20.0, k**2)
    assert np.allclose(rates_lattice, rates_continuum, atol=1e-4)


# ----------------------------------------------------------------------------- critical ratio


@pytest.mark.parametrize(
    "name, jacobian",
    [
        ("brusselator", brusselator_jacobian(4.5, 7.5)),
        ("gierer-meinhardt", gierer_meinhardt_jacobian(0.4, 1.0)),
        ("schnakenberg", SCHNAKENBERG),
    ],
)
def test_critical_ratio_brute_force(name, jacobian):
    d_c = turing.critical_ratio(jacobian)
    assert d_c is not None
    k = np.linspace(0.0, 3.0, 3001)
    step = 1e-3 * d_c
    ratios = np.arange(0.95 * d_c, 1.05 * d_c, step)
    found = brute_force_critical_ratio(jacobian, ratios, k)
    assert found is not None
    assert found == pytest.approx(d_c, rel=3e-3)


@pytest.mark.parametrize(
    "jacobian",
    [brusselator_jacobian(4.5, 7.5), gierer_meinhardt_jacobian(0.4, 1.0), SCHNAKENBERG],
)
def test_critical_ratio_is_threshold(jacobian):
    d_c = turing.critical_ratio(jacobian)
    assert turing.turing_conditions(jacobian, 1.0, d_c * 1.001).turing_unstable
    assert not turing.turing_conditions(jacobian, 1.0, d_c * 0.999).turing_unstable
    assert turing.unstable_ratio_interval(jacobian) == (d_c, math.inf)


def test_critical_ratio_roots_of_quadratic():
    (fu, fv), (gu, gv) = SCHNAKENBERG
    d_c = turing.critical_ratio(SCHNAKENBERG)
    roots = np.roots([fu**2, 2 * (2 * fv * gu - fu * gv), gv**2]).real
    assert d_c == pytest.approx(roots.max(), rel=1e-12)
    assert d_c * fu + gv > 0


def test_critical_ratio_second_species_activator():
    # Swapping the species turns d into 1/d: the swapped system is unstable for d < 1/d_c.
    swapped = SCHNAKENBERG[::-1, ::-1]
    d_c = turing.critical_ratio(SCHNAKENBERG)
    assert turing.critical_ratio(swapped) == pytest.approx(1.0 / d_c, rel=1e-12)
    low, high = turing.unstable_ratio_interval(swapped)
    assert low == 0.0
    assert high == pytest.approx(1.0 / d_c, rel=1e-12)
    assert turing.turing_conditions(swapped, 1.0, 0.999 / d_c).turing_unstable
    assert not turing.turing_conditions(swapped, 1.0, 1.001 / d_c).turing_unstable


@pytest.mark.parametrize(
    "jacobian",
    [
        [[-1.0, 1.0], [-1.0, -1.0]],  # no self-activation
        [[1.0, 1.0], [-1.0, 0.5]],  # unstable without diffusion (trace > 0)
        [[1.0, 1.0], [1.0, -2.0]],  # det < 0
    ],
)
def test_critical_ratio_none(jacobian):
    assert turing.critical_ratio(jacobian) is None
    assert turing.unstable_ratio_interval(jacobian) is None


@settings(max_examples=200, deadline=None)
@given(
    fu=st.floats(0.05, 3),
    trace_margin=st.floats(0.01, 3),
    fv=st.floats(0.05, 3),
    det=st.floats(0.01, 5),
)
def test_critical_ratio_threshold_random(fu, trace_margin, fv, det):
    # Stable activator-inhibitor Jacobian built to have trace -trace_margin and determinant det.
    gv = -(fu + trace_margin)
    gu = (fu * gv - det) / fv
    jacobian = np.array([[fu, fv], [gu, gv]])
    d_c = turing.critical_ratio(jacobian)
    assert d_c is not None
    assert turing.turing_conditions(jacobian, 1.0, d_c * (1 + 1e-6)).turing_unstable
    assert not turing.turing_conditions(jacobian, 1.0, d_c * (1 - 1e-6)).turing_unstable


# ----------------------------------------------------------------------------- wavenumbers


@pytest.mark.parametrize(
    "jacobian, Dv",
    [
        (brusselator_jacobian(4.5, 7.5), 8.0),
        (gierer_meinhardt_jacobian(0.4, 1.0), 30.0),
        (SCHNAKENBERG, 20.0),
    ],
)
def test_fastest_mode_brute_force(jacobian, Dv):
    k_max, growth_max = turing.fastest_growing_mode(jacobian, 1.0, Dv)
    k = np.linspace(0.0, 4.0, 8001)
    rates = brute_force_growth(jacobian, 1.0, Dv, k)
    best = int(np.argmax(rates))
    assert growth_max > 0
    assert growth_max == pytest.approx(rates[best], abs=1e-6)
    assert growth_max >= rates[best] - 1e-12
    assert k_max == pytest.approx(k[best], abs=1e-3)


@settings(max_examples=150, deadline=None)
@given(
    entries=st.lists(st.floats(-3, 3, allow_nan=False), min_size=4, max_size=4),
    Du=st.floats(0.05, 5),
    Dv=st.floats(0.05, 50),
)
def test_fastest_mode_random_not_beaten_by_grid(entries, Du, Dv):
    jacobian = np.array(entries).reshape(2, 2)
    k_max, growth_max = turing.fastest_growing_mode(jacobian, Du, Dv)
    k = np.linspace(0.0, 10.0, 2001)
    rates = turing.growth_rate(jacobian, Du, Dv, k**2)
    assert growth_max >= rates.max() - 1e-9
    assert turing.growth_rate(jacobian, Du, Dv, k_max**2) == pytest.approx(growth_max, abs=1e-9)


def test_fastest_mode_stable_everywhere():
    k_max, growth_max = turing.fastest_growing_mode([[-1.0, 0.0], [0.0, -2.0]], 1.0, 1.0)
    assert k_max == 0.0
    assert growth_max == pytest.approx(-1.0)


def test_critical_wavenumber_is_first_unstable_mode():
    d_c = turing.critical_ratio(SCHNAKENBERG)
    Dv = d_c * (1 + 1e-8)
    k_c = turing.critical_wavenumber(SCHNAKENBERG, 1.0, Dv)
    k_max, growth_max = turing.fastest_growing_mode(SCHNAKENBERG, 1.0, Dv)
    assert k_c == pytest.approx((1.0 / d_c) ** 0.25)
    assert growth_max == pytest.approx(0.0, abs=1e-6)
    assert k_max == pytest.approx(k_c, rel=1e-3)


def test_critical_wavenumber_needs_positive_det():
    with pytest.raises(ValueError, match="unless det J > 0"):
        turing.critical_wavenumber([[1.0, 1.0], [1.0, -2.0]], 1.0, 1.0)


def test_unstable_band_edges_have_zero_growth():
    band = turing.unstable_band(SCHNAKENBERG, 1.0, 20.0)
    assert band is not None
    k_low, k_high = band
    assert 0 < k_low < k_high
    edges = turing.growth_rate(SCHNAKENBERG, 1.0, 20.0, np.array([k_low, k_high]) ** 2)
    assert np.allclose(edges, 0.0, atol=1e-12)
    inside = np.linspace(k_low, k_high, 50)[1:-1]
    assert np.all(turing.growth_rate(SCHNAKENBERG, 1.0, 20.0, inside**2) > 0)
    k_max, _ = turing.fastest_growing_mode(SCHNAKENBERG, 1.0, 20.0)
    assert k_low < k_max < k_high
    assert turing.critical_wavenumber(SCHNAKENBERG, 1.0, 20.0) == pytest.approx(
        math.sqrt(k_low * k_high)
    )


def test_unstable_band_none_below_threshold():
    assert turing.unstable_band(SCHNAKENBERG, 1.0, 8.0) is None
    assert turing.unstable_intervals(SCHNAKENBERG, 1.0, 8.0) == []


def test_unstable_band_from_zero_when_unstable_without_diffusion():
    jacobian = [[0.5, 1.0], [-1.0, -0.2]]  # trace > 0, det > 0
    k_low, k_high = turing.unstable_band(jacobian, 1.0, 1.0)
    assert k_low == 0.0
    assert turing.growth_rate(jacobian, 1.0, 1.0, k_high**2) == pytest.approx(0.0, abs=1e-12)


def test_unstable_band_two_intervals_raises():
    # Oscillatory instability at k = 0 plus a separate Turing band.
    jacobian = np.array([[3.0, 5.0], [-5.0, -2.9]])
    Du, Dv = 0.1, 100.0
    intervals = turing.unstable_intervals(jacobian, Du, Dv)
    assert len(intervals) == 2
    gap = 0.5 * (intervals[0][1] + intervals[1][0])
    assert turing.growth_rate(jacobian, Du, Dv, gap**2) < 0
    with pytest.raises(ValueError, match="unstable_intervals"):
        turing.unstable_band(jacobian, Du, Dv)


@settings(max_examples=150, deadline=None)
@given(
    entries=st.lists(st.floats(-3, 3, allow_nan=False), min_size=4, max_size=4),
    Du=st.floats(0.05, 5),
    Dv=st.floats(0.05, 50),
)
def test_unstable_intervals_match_grid(entries, Du, Dv):
    jacobian = np.array(entries).reshape(2, 2)
    intervals = turing.unstable_intervals(jacobian, Du, Dv)
    k = np.linspace(0.0, 10.0, 1001)
    rates = turing.growth_rate(jacobian, Du, Dv, k**2)
    inside = np.zeros_like(k, dtype=bool)
    for low, high in intervals:
        inside |= (k > low) & (k < high)
        inside |= (low == 0.0) & (k == 0.0)
    clear = np.abs(rates) > 1e-9
    assert np.array_equal(inside[clear], rates[clear] > 0)


# ----------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "bad, message",
    [
        ([[1.0, 2.0, 3.0]], "shape"),
        ([[1.0, np.nan], [0.0, 1.0]], "finite"),
        ([[1.0, np.inf], [0.0, 1.0]], "finite"),
        ("not a matrix", "jacobian"),
    ],
)
def test_invalid_jacobian_raises(bad, message):
    with pytest.raises(ValueError, match=message):
        turing.turing_conditions(bad, 1.0, 1.0)
    with pytest.raises(ValueError, match=message):
        turing.critical_ratio(bad)


@pytest.mark.parametrize("name", ["Du", "Dv"])
@pytest.mark.parametrize("value", [0.0, -1.0, np.nan, np.inf])
def test_invalid_diffusion_raises(name, value):
    kwargs = {"Du": 1.0, "Dv": 1.0, name: value}
    for function in (turing.turing_conditions, turing.fastest_growing_mode,
                     turing.unstable_band, turing.critical_wavenumber):
        with pytest.raises(ValueError, match=name):
            function(SCHNAKENBERG, **kwargs)
    with pytest.raises(ValueError, match=name):
        turing.growth_rate(SCHNAKENBERG, s=1.0, **kwargs)


@pytest.mark.parametrize("s", [-0.1, np.nan, [0.0, -1.0]])
def test_invalid_laplacian_eigenvalue_raises(s):
    with pytest.raises(ValueError, match="s \\(Laplacian eigenvalue"):
        turing.dispersion_relation(SCHNAKENBERG, 1.0, 1.0, s)


def test_invalid_lattice_arguments_raise():
    with pytest.raises(ValueError, match="spacing"):
        turing.lattice_laplacian_eigenvalue(0.1, spacing=0.0)
    with pytest.raises(ValueError, match="kx"):
        turing.lattice_laplacian_eigenvalue(np.nan)
    with pytest.raises(ValueError, match="ky"):
        turing.lattice_laplacian_eigenvalue(0.1, np.inf)


# ----------------------------------------------------------------------------- Turing space


def test_turing_space_matches_pointwise_classification():
    a_values = np.linspace(-0.2, 0.5, 8)
    b_values = np.linspace(0.0, 2.0, 6)
    codes = turing.turing_space("schnakenberg", {}, "a", a_values, "b", b_values, 1.0, 20.0)
    assert codes.shape == (6, 8)
    for row, b in enumerate(b_values):
        for column, a in enumerate(a_values):
            if b <= 0 or a + b <= 0:
                expected = turing.NO_STEADY_STATE
            else:
                # Independent Jacobian of f = a - u + u^2 v, g = b - u^2 v at (a + b, b/(a+b)^2).
                u, v = a + b, b / (a + b) ** 2
                jacobian = np.array([[-1 + 2 * u * v, u * u], [-2 * u * v, -u * u]])
                eigenvalues = np.linalg.eigvals(jacobian)
                if eigenvalues.real.max() >= 0:
                    expected = turing.UNSTABLE_WITHOUT_DIFFUSION
                else:
                    k = np.linspace(0.0, 3.0, 3001)
                    unstable = brute_force_growth(jacobian, 1.0, 20.0, k).max() > 0
                    expected = turing.TURING_UNSTABLE if unstable else turing.STABLE
            assert codes[row, column] == expected, (a, b)
    assert {int(code) for code in np.unique(codes)} == set(turing.REGION_NAMES)


def test_turing_space_diffusion_axis():
    ratios = np.array([5.0, 8.0, 9.0, 20.0])
    codes = turing.turing_space("schnakenberg", {"a": 0.1}, "Dv", ratios, "b", [0.9], 1.0, 1.0)
    assert codes.tolist() == [[turing.STABLE, turing.STABLE, turing.TURING_UNSTABLE,
                               turing.TURING_UNSTABLE]]


@pytest.mark.parametrize(
    "arguments, message",
    [
        (("nope", {}, "a", [0.1], "b", [0.9], 1.0, 1.0), "unknown model"),
        (("schnakenberg", {}, "c", [0.1], "b", [0.9], 1.0, 1.0), "x_name 'c'"),
        (("schnakenberg", {}, "a", [0.1], "a", [0.9], 1.0, 1.0), "must differ"),
        (("schnakenberg", {"z": 1.0}, "a", [0.1], "b", [0.9], 1.0, 1.0), "fixed_params"),
        (("schnakenberg", {}, "a", [np.nan], "b", [0.9], 1.0, 1.0), "x_values"),
        (("schnakenberg", {}, "a", [0.1], "b", [], 1.0, 1.0), "y_values"),
        (("schnakenberg", {}, "a", [0.1], "b", [0.9], 0.0, 1.0), "Du"),
        (("schnakenberg", {}, "a", [0.1], "Dv", [-1.0], 1.0, 1.0), "Dv"),
    ],
)
def test_turing_space_invalid_input_raises(arguments, message):
    with pytest.raises(ValueError, match=message):
        turing.turing_space(*arguments)
