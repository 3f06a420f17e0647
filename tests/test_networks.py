"""Tests of prdlib.networks against independent computations.

The closed-form H_inf is compared with a Monte Carlo estimate written here in numpy, the
finite-width Gram matrix with J J^T from the autograd Jacobian, and one training step with the
gradient written out by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from prdlib.errors import NonFiniteError
from prdlib.networks import (
    UNIT_NORM_TOLERANCE,
    fit_exponential_rate,
    fit_power_law,
    forward,
    gradient_flow,
    gram_matrix,
    h_infinity,
    h_infinity_monte_carlo,
    init_network,
    loss,
    train,
    unit_sphere_data,
)


@pytest.fixture(scope="module")
def data():
    return unit_sphere_data(10, 5, seed=3)


# ----------------------------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["random", "smooth"])
def test_data_unit_norm_and_bounded(target):
    X, y = unit_sphere_data(30, 4, seed=0, target=target)
    assert X.shape == (30, 4)
    assert y.shape == (30,)
    assert X.dtype == torch.float64
    assert torch.allclose(torch.linalg.vector_norm(X, dim=1), torch.ones(30, dtype=torch.float64), atol=1e-14)
    assert float(y.abs().max()) <= 1.0


def test_data_inputs_not_parallel():
    X, _ = unit_sphere_data(50, 3, seed=1)
    cosines = (X @ X.T).abs().fill_diagonal_(0.0)
    assert float(cosines.max()) < 1.0 - 1e-6


def test_data_same_seed_same_numbers():
    first = unit_sphere_data(8, 3, seed=5)
    second = unit_sphere_data(8, 3, seed=5)
    third = unit_sphere_data(8, 3, seed=6)
    assert torch.equal(first[0], second[0])
    assert torch.equal(first[1], second[1])
    assert not torch.equal(first[0], third[0])


def test_smooth_target_is_function_of_inputs():
    X, y = unit_sphere_data(40, 3, seed=2, target="smooth")
    # Replay the generator: the inputs are drawn first, then the direction e of y = sin(pi x.e).
    generator = torch.Generator().manual_seed(2)
    torch.randn(40, 3, generator=generator, dtype=torch.float64)
    direction = torch.randn(3, generator=generator, dtype=torch.float64)
    direction = direction / torch.linalg.vector_norm(direction)
    assert torch.allclose(y, torch.sin(math.pi * X @ direction), atol=1e-14)


# ----------------------------------------------------------------------------------------------
# H_inf
# ----------------------------------------------------------------------------------------------


def _monte_carlo_numpy(X: np.ndarray, samples: int, seed: int) -> np.ndarray:
    """E_w[x_i.x_j 1{w.x_i >= 0} 1{w.x_j >= 0}] with w ~ N(0, I), written without prdlib."""
    rng = np.random.default_rng(seed)
    weights = rng.standard_normal((samples, X.shape[1]))
    active = (weights @ X.T >= 0).astype(np.float64)
    return (X @ X.T) * (active.T @ active) / samples


def test_h_infinity_matches_numpy_monte_carlo(data):
    X, _ = data
    samples = 200_000
    estimate = _monte_carlo_numpy(X.numpy(), samples, seed=11)
    # Each entry has standard error <= 1/(2 sqrt(S)); allow 5 standard errors.
    tolerance = 5 * 0.5 / math.sqrt(samples)
    assert np.max(np.abs(h_infinity(X).numpy() - estimate)) < tolerance


def test_h_infinity_matches_prdlib_monte_carlo(data):
    X, _ = data
    samples = 100_000
    estimate = h_infinity_monte_carlo(X, samples, seed=4)
    assert float((h_infinity(X) - estimate).abs().max()) < 5 * 0.5 / math.sqrt(samples)


def test_monte_carlo_same_seed_same_estimate(data):
    X, _ = data
    # 40,000 samples span three blocks of draws.
    first = h_infinity_monte_carlo(X, 40_000, seed=9)
    second = h_infinity_monte_carlo(X, 40_000, seed=9)
    other = h_infinity_monte_carlo(X, 40_000, seed=10)
    assert torch.equal(first, second)
    assert not torch.equal(first, other)


def test_h_infinity_special_angles():
    X = torch.tensor([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [math.sqrt(0.5), math.sqrt(0.5)]], dtype=torch.float64)
    H = h_infinity(X)
    assert float(H[0, 0]) == pytest.approx(0.5, abs=1e-15)
    assert float(H[0, 1]) == pytest.approx(0.0, abs=1e-15)  # orthogonal
    assert float(H[0, 2]) == pytest.approx(0.0, abs=1e-15)  # opposite: never both active
    # 45 degrees: cos = 1/sqrt 2, both active with probability (pi - pi/4)/(2 pi) = 3/8.
    assert float(H[0, 3]) == pytest.approx(math.sqrt(0.5) * 3 / 8, abs=1e-15)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 12), d=st.integers(2, 6), seed=st.integers(0, 10_000))
def test_h_infinity_symmetric_positive_definite(n, d, seed):
    X, _ = unit_sphere_data(n, d, seed=seed)
    H = h_infinity(X)
    assert torch.equal(H, H.T)
    assert torch.allclose(torch.diagonal(H), torch.full((n,), 0.5, dtype=torch.float64), atol=1e-15)
    assert float(H.abs().max()) <= 0.5 + 1e-15
    assert float(torch.linalg.eigvalsh(H)[0]) > 0.0


def test_gram_at_init_converges_to_h_infinity(data):
    X, _ = data
    H = h_infinity(X)

    def mean_error(width: int) -> float:
        errors = [float(torch.linalg.matrix_norm(gram_matrix(init_network(width, 5, seed=s)[0], X) - H))
                  for s in range(6)]
        return float(np.mean(errors))

    narrow, wide = mean_error(64), mean_error(4096)
    # The entries are averages of m independent terms, so the error scales like m^{-1/2}: the
    # ratio for a 64-fold width is about 8.
    assert 4.0 < narrow / wide < 16.0
    assert wide < 0.05


# ----------------------------------------------------------------------------------------------
# Network, Gram matrix, loss
# ----------------------------------------------------------------------------------------------


def test_init_network_shapes_and_signs():
    W, a = init_network(500, 3, seed=0, scale=0.5)
    assert W.shape == (500, 3)
    assert a.shape == (500,)
    assert set(a.tolist()) == {-1.0, 1.0}
    assert float(W.std()) == pytest.approx(0.5, rel=0.1)


def test_forward_matches_loop(data):
    X, _ = data
    W, a = init_network(7, 5, seed=1)
    expected = torch.zeros(X.shape[0], dtype=torch.float64)
    for i in range(X.shape[0]):
        for r in range(7):
            expected[i] += a[r] * max(float(W[r] @ X[i]), 0.0)
    assert torch.allclose(forward(W, a, X), expected / math.sqrt(7), atol=1e-14)


def test_loss_is_half_squared_residual(data):
    X, y = data
    W, a = init_network(9, 5, seed=2)
    residual = forward(W, a, X) - y
    assert float(loss(W, a, X, y)) == pytest.approx(0.5 * float(residual @ residual), rel=1e-14)


def test_gram_matrix_equals_jacobian_product(data):
    X, _ = data
    W, a = init_network(40, 5, seed=3)
    jacobian = torch.autograd.functional.jacobian(lambda weights: forward(weights, a, X), W)
    J = jacobian.reshape(X.shape[0], -1)
    assert torch.allclose(gram_matrix(W, X), J @ J.T, atol=1e-13)


def test_identical_neurons_stay_identical(data):
    X, y = data
    W, a = init_network(12, 5, seed=4)
    W = W.clone()
    a = a.clone()
    # Neurons 0-5 share one (w, a); neurons 6-11 keep their random initialisation.
    W[:6] = W[0]
    a[:6] = a[0]
    record = train(X, y, W, a, lr=0.3, steps=300)
    final = record.weights
    assert not torch.equal(final[0], W[0])  # the shared neuron did move
    for r in range(1, 6):
        assert torch.equal(final[r], final[0])


def test_one_step_matches_hand_written_gradient(data):
    X, y = data
    W, a = init_network(30, 5, seed=5)
    lr = 0.1
    record = train(X, y, W, a, lr=lr, steps=1)
    residual = forward(W, a, X) - y
    active = (X @ W.T >= 0).to(torch.float64)  # (n, m)
    # dL/dw_r = m^{-1/2} a_r sum_i (u_i - y_i) 1{w_r.x_i >= 0} x_i
    gradient = (a[:, None] / math.sqrt(30)) * ((active * residual[:, None]).T @ X)
    assert torch.allclose(record.weights, W - lr * gradient, atol=1e-14)


def test_output_dynamics_follow_gram_matrix(data):
    X, y = data
    W, a = init_network(2000, 5, seed=6)
    lr = 1e-4
    record = train(X, y, W, a, lr=lr, steps=1)
    velocity = (record.outputs[1] - record.outputs[0]) / lr
    predicted = -(gram_matrix(W, X) @ (forward(W, a, X) - y)).numpy()
    assert np.allclose(velocity, predicted, rtol=0, atol=1e-3 * np.abs(predicted).max())


# ----------------------------------------------------------------------------------------------
# Training records
# ----------------------------------------------------------------------------------------------


def test_train_record_contents(data):
    X, y = data
    W, a = init_network(256, 5, seed=7)
    record = train(X, y, W, a, lr=0.2, steps=101, record_every=25)
    assert record.steps.tolist() == [0, 25, 50, 75, 100, 101]
    assert np.allclose(record.times, 0.2 * record.steps)
    assert record.outputs.shape == (6, 10)
    assert record.max_displacement[0] == 0.0
    assert record.losses[0] == pytest.approx(float(loss(W, a, X, y)), rel=1e-14)
    assert record.losses[-1] < record.losses[0]
    assert np.allclose(record.residual_norms, np.sqrt(2 * record.losses))
    assert record.lambda_min[0] == pytest.approx(float(torch.linalg.eigvalsh(gram_matrix(W, X))[0]), rel=1e-12)
    final_displacement = float(torch.linalg.vector_norm(record.weights - W, dim=1).max())
    assert record.max_displacement[-1] == pytest.approx(final_displacement, rel=1e-12)
    assert torch.equal(record.initial_weights, W)


def test_train_does_not_modify_input_weights(data):
    X, y = data
    W, a = init_network(16, 5, seed=8)
    copy = W.clone()
    train(X, y, W, a, lr=0.2, steps=5)
    assert torch.equal(W, copy)


def test_gradient_flow_step_count_and_time(data):
    X, y = data
    W, a = init_network(16, 5, seed=9)
    record = gradient_flow(X, y, W, a, t_final=1.0, dt=0.01)
    assert record.steps[-1] == 100
    assert record.times[-1] == pytest.approx(1.0)


def test_gradient_flow_euler_error_is_first_order(data):
    X, y = data
    W, a = init_network(64, 5, seed=10)
    reference = gradient_flow(X, y, W, a, t_final=2.0, dt=0.0025).weights
    coarse = float((gradient_flow(X, y, W, a, t_final=2.0, dt=0.04).weights - reference).norm())
    fine = float((gradient_flow(X, y, W, a, t_final=2.0, dt=0.02).weights - reference).norm())
    # Halving the step roughly halves the error (against a reference with an 8x smaller step
    # the ratio is (0.04 - 0.0025) / (0.02 - 0.0025) = 2.1 for an exactly first-order method).
    assert 1.6 < coarse / fine < 2.8


def test_wider_network_moves_less(data):
    X, y = data
    displacement = {}
    for width in (64, 4096):
        W, a = init_network(width, 5, seed=11)
        displacement[width] = train(X, y, W, a, lr=0.2, steps=150, record_every=150).max_displacement[-1]
    # Lazy training: the displacement scales like m^{-1/2}, a ratio of about 8 here.
    assert 4.0 < displacement[64] / displacement[4096] < 16.0


# ----------------------------------------------------------------------------------------------
# Fits
# ----------------------------------------------------------------------------------------------


def test_fit_exponential_rate_recovers_rate():
    times = np.linspace(0, 5, 20)
    fit = fit_exponential_rate(times, 3.0 * np.exp(-0.7 * times))
    assert -fit.slope == pytest.approx(0.7, rel=1e-12)
    assert math.exp(fit.intercept) == pytest.approx(3.0, rel=1e-12)
    assert fit.slope_stderr == pytest.approx(0.0, abs=1e-10)
    assert fit.points == 20


def test_fit_power_law_recovers_exponent_with_noise():
    rng = np.random.default_rng(0)
    widths = np.array([64, 128, 256, 512, 1024, 4096])
    values = 2.0 * widths ** -0.5 * np.exp(0.05 * rng.standard_normal(widths.size))
    fit = fit_power_law(widths, values)
    assert abs(fit.slope + 0.5) < 4 * fit.slope_stderr + 1e-3
    assert 0 < fit.slope_stderr < 0.1


def test_fit_two_points_has_nan_stderr():
    fit = fit_power_law([1.0, 4.0], [1.0, 0.5])
    assert fit.slope == pytest.approx(-0.5)
    assert math.isnan(fit.slope_stderr)


# ----------------------------------------------------------------------------------------------
# Bad input
# ----------------------------------------------------------------------------------------------


def test_rejects_non_unit_inputs(data):
    X, y = data
    W, a = init_network(4, 5, seed=0)
    bad = X.clone()
    bad[3] *= 1.0 + 10 * UNIT_NORM_TOLERANCE
    for call in (lambda: h_infinity(bad), lambda: h_infinity_monte_carlo(bad, 10, seed=0),
                 lambda: gram_matrix(W, bad), lambda: forward(W, a, bad), lambda: train(bad, y, W, a, lr=0.1, steps=1)):
        with pytest.raises(ValueError, match=r"X must have unit-norm rows.*row 3"):
            call()


def test_accepts_round_off_in_norm(data):
    X, _ = data
    nearly = X * (1.0 + 0.1 * UNIT_NORM_TOLERANCE)
    assert torch.allclose(h_infinity(nearly), h_infinity(X), atol=1e-8)


@pytest.mark.parametrize("name, value", [("X", float("nan")), ("X", float("inf")), ("y", float("nan"))])
def test_rejects_non_finite_data(data, name, value):
    X, y = data
    X, y = X.clone(), y.clone()
    W, a = init_network(4, 5, seed=0)
    if name == "X":
        X[0, 0] = value
    else:
        y[0] = value
    with pytest.raises(ValueError, match=f"{name} must contain only finite numbers"):
        train(X, y, W, a, lr=0.1, steps=1)


@pytest.mark.parametrize("m", [0, -3])
def test_rejects_width_below_one(m):
    with pytest.raises(ValueError, match=r"m must be an integer >= 1"):
        init_network(m, 3, seed=0)


def test_rejects_non_integer_width():
    with pytest.raises(ValueError, match=r"m must be an integer"):
        init_network(2.5, 3, seed=0)


def test_rejects_non_positive_scale():
    with pytest.raises(ValueError, match=r"scale must be positive"):
        init_network(3, 3, seed=0, scale=0.0)


def test_rejects_mismatched_shapes(data):
    X, y = data
    W, a = init_network(4, 5, seed=0)
    with pytest.raises(ValueError, match=r"W must have one column per input dimension.*d = 5.*6 columns"):
        forward(torch.zeros(4, 6, dtype=torch.float64), a, X)
    with pytest.raises(ValueError, match=r"W must have one column per input dimension"):
        gram_matrix(torch.zeros(4, 6, dtype=torch.float64), X)
    with pytest.raises(ValueError, match=r"a must have one entry per hidden neuron.*4 rows.*3 entries"):
        forward(W, a[:3], X)
    with pytest.raises(ValueError, match=r"y must have one target per input row.*10 rows.*9 entries"):
        loss(W, a, X, y[:9])
    with pytest.raises(ValueError, match=r"X must be a 2-dimensional array"):
        h_infinity(X[0])
    with pytest.raises(ValueError, match=r"X must not be empty"):
        h_infinity(torch.zeros(0, 3, dtype=torch.float64))


def test_rejects_output_weights_other_than_signs(data):
    X, _ = data
    W, a = init_network(4, 5, seed=0)
    with pytest.raises(ValueError, match=r"a must contain only -1 and \+1"):
        forward(W, 0.5 * a, X)


@pytest.mark.parametrize("lr", [0.0, -0.1, float("nan"), float("inf")])
def test_rejects_bad_step_size(data, lr):
    X, y = data
    W, a = init_network(4, 5, seed=0)
    with pytest.raises(ValueError, match=r"lr must be"):
        train(X, y, W, a, lr=lr, steps=1)


def test_rejects_bad_step_counts(data):
    X, y = data
    W, a = init_network(4, 5, seed=0)
    with pytest.raises(ValueError, match=r"steps must be an integer >= 1"):
        train(X, y, W, a, lr=0.1, steps=0)
    with pytest.raises(ValueError, match=r"record_every must be an integer >= 1"):
        train(X, y, W, a, lr=0.1, steps=3, record_every=0)
    with pytest.raises(ValueError, match=r"t_final must be positive"):
        gradient_flow(X, y, W, a, t_final=0.0)
    with pytest.raises(ValueError, match=r"dt must be positive"):
        gradient_flow(X, y, W, a, t_final=1.0, dt=-1.0)


def test_divergence_raises_non_finite_error(data):
    X, y = data
    W, a = init_network(4, 5, seed=0)
    with pytest.raises(NonFiniteError, match=r"training loss became NaN or Inf at step 1 \(t = 1e\+200\)") as caught:
        train(X, y, W, a, lr=1e200, steps=5)
    assert caught.value.step == 1


def test_rejects_bad_data_requests():
    with pytest.raises(ValueError, match=r"d must be an integer >= 2"):
        unit_sphere_data(3, 1, seed=0)
    with pytest.raises(ValueError, match=r"n must be an integer >= 1"):
        unit_sphere_data(0, 3, seed=0)
    with pytest.raises(ValueError, match=r"target must be one of \('random', 'smooth'\), got 'labels'"):
        unit_sphere_data(3, 3, seed=0, target="labels")
    with pytest.raises(ValueError, match=r"samples must be an integer >= 1"):
        h_infinity_monte_carlo(unit_sphere_data(3, 3, seed=0)[0], 0, seed=0)


def test_fit_rejects_bad_series():
    with pytest.raises(ValueError, match=r"values must be positive"):
        fit_exponential_rate([0.0, 1.0], [1.0, 0.0])
    with pytest.raises(ValueError, match=r"x must be positive"):
        fit_power_law([0.0, 1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match=r"at least 2 points"):
        fit_power_law([1.0], [1.0])
    with pytest.raises(ValueError, match=r"equal length"):
        fit_exponential_rate([0.0, 1.0, 2.0], [1.0, 2.0])
    with pytest.raises(ValueError, match=r"finite"):
        fit_exponential_rate([0.0, float("nan")], [1.0, 2.0])


# ----------------------------------------------------------------------------------------------
# Figures
# ----------------------------------------------------------------------------------------------


def test_network_figures_draw(data):
    import matplotlib.pyplot as plt

    from prdlib.plotting import networks as figs

    X, y = data
    H = h_infinity(X).numpy()
    assert isinstance(figs.plot_h_infinity_check(H, H + 1e-3), plt.Figure)
    assert isinstance(figs.plot_output_velocity(np.ones(3), np.ones(3)), plt.Figure)
    W, a = init_network(32, 5, seed=0)
    record = train(X, y, W, a, lr=0.2, steps=20)
    assert isinstance(figs.plot_residual_decay({32: record}, 0.1), plt.Figure)
    widths = np.array([16, 64, 256])
    displacements = np.array([[1.0, 0.5, 0.25], [1.1, 0.55, 0.3]])
    fit = fit_power_law(np.tile(widths, 2), displacements.ravel())
    assert isinstance(figs.plot_displacement_against_width(widths, displacements, fit), plt.Figure)
    assert isinstance(figs.plot_convergence_order([0.1, 0.05], [0.2, 0.1], fit_power_law([0.1, 0.05], [0.2, 0.1])), plt.Figure)
    assert isinstance(figs.plot_lyapunov_check(np.arange(3.0), -np.ones(3), np.ones(3)), plt.Figure)


def test_descent_flow_figure_draws():
    import matplotlib.pyplot as plt

    from prdlib.plotting import networks as figs

    def energy(theta):
        return 0.5 * (theta[0] ** 2 + theta[1] ** 2)

    path = np.array([[1.0, 1.0], [0.5, 0.5], [0.0, 0.0]])
    assert isinstance(figs.plot_descent_and_flow(energy, path, {0.5: path}), plt.Figure)
