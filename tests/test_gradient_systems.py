"""Tests of prdlib.gradient_systems: random instances, brute-force growth rates, flows.

The growth rates are compared with the eigenvalues of the whole sheet's linearisation, with
prdlib.turing's closed form for 2 x 2 Jacobians, and with the theorem's value -lambda_min(H).
Gradient descent and the flow are compared with closed forms for a quadratic energy.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

from prdlib import turing
from prdlib.errors import NonFiniteError
from prdlib.gradient_systems import (
    continuum_laplacian_eigenvalues,
    energy_gradient,
    gradient_descent_path,
    gradient_flow_path,
    lattice_laplacian_eigenvalues,
    mode_growth_rates,
    periodic_lattice_laplacian,
    random_coupling,
    random_instances,
    random_spd_matrix,
    random_stable_matrix,
    sheet_jacobian,
    survey_growth_rates,
)

# A stable game Jacobian with an activator (f_u > 0) and cross terms of opposite sign.
GAME_JACOBIAN = np.array([[0.227, 2.132], [-0.713, -0.294]])


# ----------------------------------------------------------------------------------------------
# Random matrices
# ----------------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(size=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_random_spd_is_symmetric_positive_definite(size, seed):
    matrix = random_spd_matrix(size, np.random.default_rng(seed), eigenvalue_range=(0.01, 5.0))
    assert np.array_equal(matrix, matrix.T)
    eigenvalues = np.linalg.eigvalsh(matrix)
    assert eigenvalues.min() > 0.01 * (1 - 1e-9)
    assert eigenvalues.max() < 5.0 * (1 + 1e-9)


@settings(max_examples=40, deadline=None)
@given(size=st.integers(1, 5), seed=st.integers(0, 2**32 - 1))
def test_random_stable_matrix_is_stable(size, seed):
    matrix = random_stable_matrix(size, np.random.default_rng(seed))
    assert np.linalg.eigvals(matrix).real.max() < 0


def test_random_stable_matrices_are_not_symmetric():
    rng = np.random.default_rng(0)
    matrix = random_stable_matrix(3, rng)
    assert not np.allclose(matrix, matrix.T)


def test_random_coupling_non_negative_with_zeros():
    strengths = random_coupling(10_000, np.random.default_rng(1), max_strength=50.0)
    assert strengths.min() == 0.0
    assert strengths.max() <= 50.0
    assert 0.15 < np.mean(strengths == 0.0) < 0.25


# ----------------------------------------------------------------------------------------------
# Laplacians
# ----------------------------------------------------------------------------------------------


def test_lattice_eigenvalues_match_graph_laplacian():
    size = 6
    brute = np.sort(np.linalg.eigvalsh(periodic_lattice_laplacian(size)))
    assert np.allclose(np.sort(lattice_laplacian_eigenvalues(size)), brute, atol=1e-12)


def test_graph_laplacian_matches_roll_laplacian():
    rng = np.random.default_rng(2)
    field = rng.standard_normal((5, 5))
    roll = sum(np.roll(field, shift, axis) for shift in (1, -1) for axis in (0, 1)) - 4 * field
    assert np.allclose(-periodic_lattice_laplacian(5) @ field.ravel(), roll.ravel(), atol=1e-12)


def test_continuum_eigenvalues_are_squares():
    s = continuum_laplacian_eigenvalues(2.0, 5)
    assert np.allclose(s, [0.0, 0.25, 1.0, 2.25, 4.0])


# ----------------------------------------------------------------------------------------------
# Growth rates
# ----------------------------------------------------------------------------------------------


def test_mode_growth_matches_turing_closed_form():
    s = np.linspace(0, 1.0, 50)
    brute = mode_growth_rates(GAME_JACOBIAN, [1.0, 200.0], s)
    closed = turing.growth_rate(GAME_JACOBIAN, 1.0, 200.0, s)
    assert np.allclose(brute, closed, atol=1e-12)


def test_game_jacobian_destabilised_by_unequal_diffusion():
    s = continuum_laplacian_eigenvalues(1.0, 400)
    assert mode_growth_rates(GAME_JACOBIAN, [1.0, 1.0], s).max() < 0
    assert mode_growth_rates(GAME_JACOBIAN, [1.0, 200.0], s).max() > 0


@pytest.mark.parametrize("kind", ["gradient", "game"])
def test_sheet_eigenvalues_equal_mode_growth(kind):
    rng = np.random.default_rng(3)
    jacobian = -random_spd_matrix(3, rng) if kind == "gradient" else random_stable_matrix(3, rng)
    diffusion = random_coupling(3, rng)
    size = 4
    whole = np.linalg.eigvals(sheet_jacobian(jacobian, diffusion, size)).real.max()
    by_mode = mode_growth_rates(jacobian, diffusion, lattice_laplacian_eigenvalues(size)).max()
    assert whole == pytest.approx(by_mode, abs=1e-10)


def test_gradient_instances_never_grow():
    instances = random_instances(300, seed=4)
    result = survey_growth_rates(instances)
    assert result.count == 300
    assert result.max_growth.max() < 0
    assert not result.patterned.any()
    # The theorem's value: the slowest mode is the homogeneous one, decaying at lambda_min(H).
    theorem = np.array([-np.linalg.eigvalsh(-instance.jacobian)[0] for instance in instances])
    assert np.allclose(result.max_growth, theorem, rtol=1e-9, atol=1e-12)


def test_game_instances_sometimes_pattern():
    result = survey_growth_rates(random_instances(300, seed=5, kind="game"))
    assert (result.homogeneous_growth < 0).all()
    assert result.patterned.any()


def test_instances_contain_lattice_and_continuum_modes():
    instance = random_instances(1, seed=6, lattice_sizes=(8,), continuum_points=10)[0]
    assert instance.s.size == 64 + 10
    assert instance.lattice_size == 8
    assert instance.jacobian.shape[0] == instance.diffusion.size


# ----------------------------------------------------------------------------------------------
# Gradient descent and flow
# ----------------------------------------------------------------------------------------------

QUADRATIC = np.array([[3.0, 1.0], [1.0, 2.0]])


def quadratic_energy(x: torch.Tensor) -> torch.Tensor:
    return 0.5 * x @ torch.as_tensor(QUADRATIC) @ x


def test_energy_gradient_by_autograd():
    x = np.array([0.3, -1.2])
    assert np.allclose(energy_gradient(quadratic_energy, x), QUADRATIC @ x, atol=1e-15)


def test_gradient_descent_closed_form():
    x0 = np.array([1.0, -0.5])
    path = gradient_descent_path(quadratic_energy, x0, lr=0.1, steps=20)
    step_matrix = np.eye(2) - 0.1 * QUADRATIC
    assert np.allclose(path[20], np.linalg.matrix_power(step_matrix, 20) @ x0, atol=1e-14)
    assert path.shape == (21, 2)


def test_gradient_flow_closed_form():
    x0 = np.array([1.0, -0.5])
    times = np.array([0.0, 0.5, 2.0])
    path = gradient_flow_path(quadratic_energy, x0, times)
    for row, time in zip(path, times):
        assert np.allclose(row, expm(-time * QUADRATIC) @ x0, atol=1e-10)


def test_gradient_descent_error_first_order():
    x0 = np.array([1.0, -0.5])
    errors = []
    for lr in (0.04, 0.02, 0.01):
        steps = round(1.0 / lr)
        final = gradient_descent_path(quadratic_energy, x0, lr=lr, steps=steps)[-1]
        errors.append(np.linalg.norm(final - expm(-QUADRATIC) @ x0))
    assert errors[0] / errors[1] == pytest.approx(2.0, rel=0.1)
    assert errors[1] / errors[2] == pytest.approx(2.0, rel=0.05)


def test_flow_at_time_zero_only():
    path = gradient_flow_path(quadratic_energy, [1.0, 2.0], [0.0, 0.0])
    assert np.array_equal(path, [[1.0, 2.0], [1.0, 2.0]])


# ----------------------------------------------------------------------------------------------
# Bad input
# ----------------------------------------------------------------------------------------------


def test_rejects_bad_matrices():
    with pytest.raises(ValueError, match=r"jacobian must be a square matrix"):
        mode_growth_rates(np.zeros((2, 3)), [1.0, 1.0], 0.0)
    with pytest.raises(ValueError, match=r"jacobian must contain only finite numbers"):
        mode_growth_rates([[np.nan, 0.0], [0.0, -1.0]], [1.0, 1.0], 0.0)
    with pytest.raises(ValueError, match=r"diffusion must have one strength per species \(2\)"):
        mode_growth_rates(-np.eye(2), [1.0], 0.0)
    with pytest.raises(ValueError, match=r"diffusion strengths must be finite and non-negative"):
        mode_growth_rates(-np.eye(2), [1.0, -0.5], 0.0)
    with pytest.raises(ValueError, match=r"s \(Laplacian eigenvalues\) must be finite and non-negative"):
        mode_growth_rates(-np.eye(2), [1.0, 1.0], -1.0)


def test_rejects_bad_random_requests():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"eigenvalue_range must satisfy low <= high"):
        random_spd_matrix(2, rng, eigenvalue_range=(2.0, 1.0))
    with pytest.raises(ValueError, match=r"eigenvalue_range\[0\] must be positive"):
        random_spd_matrix(2, rng, eigenvalue_range=(0.0, 1.0))
    with pytest.raises(ValueError, match=r"size must be an integer >= 1"):
        random_spd_matrix(0, rng)
    with pytest.raises(ValueError, match=r"skew must be non-negative"):
        random_stable_matrix(2, rng, skew=-1.0)
    with pytest.raises(ValueError, match=r"zero_probability must lie in \[0, 1\]"):
        random_coupling(2, rng, zero_probability=1.5)
    with pytest.raises(ValueError, match=r"kind must be 'gradient' or 'game'"):
        random_instances(2, seed=0, kind="minimax")
    with pytest.raises(ValueError, match=r"count must be an integer >= 1"):
        random_instances(0, seed=0)
    with pytest.raises(ValueError, match=r"size must be an integer >= 3"):
        periodic_lattice_laplacian(2)
    with pytest.raises(ValueError, match=r"instances must contain at least one"):
        survey_growth_rates([])


def test_rejects_bad_paths():
    with pytest.raises(ValueError, match=r"lr must be positive"):
        gradient_descent_path(quadratic_energy, [1.0, 0.0], lr=0.0, steps=3)
    with pytest.raises(ValueError, match=r"x0 must contain only finite numbers"):
        gradient_descent_path(quadratic_energy, [np.inf, 0.0], lr=0.1, steps=3)
    with pytest.raises(ValueError, match=r"times must be .* increasing"):
        gradient_flow_path(quadratic_energy, [1.0, 0.0], [1.0, 0.5])
    with pytest.raises(ValueError, match=r"energy must return a scalar"):
        energy_gradient(lambda x: x * 2, [1.0, 0.0])


def test_divergent_descent_raises_non_finite_error():
    with pytest.raises(NonFiniteError, match=r"gradient-descent iterate became NaN or Inf at step"):
        gradient_descent_path(lambda x: torch.exp(x @ x), [3.0, 0.0], lr=1.0, steps=10)


# ----------------------------------------------------------------------------------------------
# Explorer callback and figures
# ----------------------------------------------------------------------------------------------


def test_dispersion_explorer_at_defaults():
    import matplotlib.pyplot as plt

    from prdlib.widgets.networks import dispersion_explorer

    figure = dispersion_explorer()
    assert isinstance(figure, plt.Figure)
    title = figure.axes[0].get_title()
    assert "non-symmetric (game)" in title
    assert "stable at k = 0" in title
    # The default reference Jacobian at D_v/D_u = 200 has a growing band, which is shaded.
    assert len(figure.axes[0].collections) == 1


def test_dispersion_explorer_symmetric_case():
    import matplotlib.pyplot as plt

    from prdlib.widgets.networks import dispersion_explorer

    figure, ax = plt.subplots()
    returned = dispersion_explorer(f_u=-0.3, f_v=0.6, g_u=0.6, g_v=-1.5, ratio=200.0, ax=ax)
    assert returned is figure
    assert "symmetric (shared loss)" in ax.get_title()
    assert "max growth -" in ax.get_title()


def test_dispersion_explorer_rejects_negative_ratio():
    from prdlib.widgets.networks import dispersion_explorer

    with pytest.raises(ValueError, match=r"ratio \(D_v / D_u\) must be finite and non-negative"):
        dispersion_explorer(ratio=-1.0)


def test_survey_and_dispersion_figures_draw():
    import matplotlib.pyplot as plt

    from prdlib.plotting import networks as figs

    gradient = survey_growth_rates(random_instances(20, seed=7)).max_growth
    game = survey_growth_rates(random_instances(20, seed=8, kind="game")).max_growth
    assert isinstance(figs.plot_growth_survey(gradient, game), plt.Figure)
    k = np.linspace(0, 1, 50)
    curves = {"game": mode_growth_rates(GAME_JACOBIAN, [1.0, 200.0], k**2)}
    assert isinstance(figs.plot_dispersion_contrast(k, curves, title="t"), plt.Figure)
    times = np.linspace(0, 1, 5)
    amplitude = {"u (1, 0)": np.exp(-times)}
    assert isinstance(figs.plot_mode_decay(times, amplitude, {"u (1, 0)": -1.0}), plt.Figure)
