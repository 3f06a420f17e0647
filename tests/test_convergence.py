"""Tests of prdlib.convergence against independent computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from prdlib import convergence as C
from prdlib import networks as N
from prdlib.errors import NonFiniteError

N_INPUTS, DIM = 8, 5


@pytest.fixture(scope="module")
def data():
    X, y = N.unit_sphere_data(N_INPUTS, DIM, seed=3, target="random")
    return X, y, C.lambda_zero(X)


@pytest.fixture(scope="module")
def adversarial_run(data):
    X, y, _ = data
    W, a = N.init_network(512, DIM, seed=4)
    game = C.AdversarialSettings(lam=1.0, real=0.5, centre=0.0, gamma=0.2)
    return C.train_adversarial(X, y, W, a, game, lr=0.5, steps=600, record_every=1)


# ---------------------------------------------------------------------------------------------
# Constants of the supervised theorem
# ---------------------------------------------------------------------------------------------


def test_lambda_zero_matches_brute_force(data):
    X, _, lambda0 = data
    gram = N.h_infinity(X).numpy()
    assert lambda0 == pytest.approx(np.linalg.eigvalsh(gram).min(), rel=1e-12)
    assert lambda0 > 0


def test_gram_deviation_bound_holds_over_draws(data):
    X, _, _ = data
    delta, m = 0.2, 64
    bound = C.gram_deviation_bound(N_INPUTS, m, delta)
    limit = N.h_infinity(X)
    exceed = 0
    for seed in range(200):
        W, _ = N.init_network(m, DIM, seed=seed)
        deviation = torch.linalg.matrix_norm(N.gram_matrix(W, X) - limit, ord=2)
        exceed += int(deviation > bound)
    assert exceed / 200 <= delta


def test_width_for_initial_gram_makes_bound_quarter(data):
    _, _, lambda0 = data
    width = math.ceil(C.width_for_initial_gram(N_INPUTS, lambda0, 0.1))
    assert C.gram_deviation_bound(N_INPUTS, width, 0.1) <= lambda0 / 4
    assert C.gram_deviation_bound(N_INPUTS, int(width * 0.9), 0.1) > lambda0 / 4


def test_expected_initial_residual_monte_carlo(data):
    X, y, _ = data
    samples = np.array([
        float(((N.forward(*N.init_network(64, DIM, seed=s), X) - y) ** 2).sum())
        for s in range(400)
    ])
    stderr = samples.std(ddof=1) / math.sqrt(samples.size)
    assert abs(samples.mean() - C.expected_initial_residual_sq(y)) < 4 * stderr


def test_width_requirement_makes_radius_condition_tight(data):
    _, y, lambda0 = data
    delta = 0.1
    width = C.width_requirement(N_INPUTS, lambda0, delta, float((y**2).sum()))
    residual = math.sqrt(C.expected_initial_residual_sq(y) / delta)
    radius = C.activation_radius(N_INPUTS, lambda0, delta)
    assert C.displacement_bound(residual, N_INPUTS, math.ceil(width * 1.001), lambda0) < radius
    assert C.displacement_bound(residual, N_INPUTS, math.floor(width * 0.999), lambda0) > radius


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), radius=st.floats(0.0, 0.5))
def test_activation_flip_bound_dominates_perturbations(seed, radius):
    X, _ = N.unit_sphere_data(6, 4, seed=seed)
    W0, _ = N.init_network(40, 4, seed=seed + 1)
    bound = C.activation_flip_bound(W0, X, radius)
    generator = torch.Generator().manual_seed(seed)
    for _ in range(5):
        direction = torch.randn(W0.shape, generator=generator, dtype=torch.float64)
        moved = W0 + radius * direction / direction.norm(dim=1, keepdim=True)
        change = torch.linalg.matrix_norm(N.gram_matrix(moved, X) - N.gram_matrix(W0, X), ord=2)
        assert float(change) <= bound + 1e-12
    # A targeted move: every neuron steps straight towards the hyperplane of input 0.
    toward = -torch.sign(W0 @ X[0]).unsqueeze(1) * X[0]
    moved = W0 + radius * toward
    change = torch.linalg.matrix_norm(N.gram_matrix(moved, X) - N.gram_matrix(W0, X), ord=2)
    assert float(change) <= bound + 1e-12


def test_activation_flip_bound_zero_radius_is_zero(data):
    X, _, _ = data
    W0, _ = N.init_network(100, DIM, seed=0)
    assert C.activation_flip_bound(W0, X, 0.0) == 0.0


def test_supervised_run_obeys_envelope_and_radius(data):
    X, y, lambda0 = data
    W, a = N.init_network(2048, DIM, seed=5)
    record = N.train(X, y, W, a, lr=0.2, steps=400, record_every=1)
    assert record.lambda_min.min() >= lambda0 / 2
    envelope = C.residual_envelope(record.times, record.residual_norms[0], lambda0)
    assert np.all(record.residual_norms <= envelope * (1 + 1e-9))
    radius = C.displacement_bound(record.residual_norms[0], N_INPUTS, 2048, lambda0)
    assert record.max_displacement.max() <= radius


def test_gram_eigenvalues_match_numpy(data):
    X, _, _ = data
    W, _ = N.init_network(30, DIM, seed=2)
    low, high = C.gram_eigenvalues(W, X)
    eigenvalues = np.linalg.eigvalsh(N.gram_matrix(W, X).numpy())
    assert low == pytest.approx(eigenvalues[0], abs=1e-12)
    assert high == pytest.approx(eigenvalues[-1], abs=1e-12)


# ---------------------------------------------------------------------------------------------
# The adversarial game
# ---------------------------------------------------------------------------------------------


def test_adversarial_pull_closed_form():
    u = torch.linspace(-2, 2, 9, dtype=torch.float64)
    v = torch.linspace(-3, 1, 9, dtype=torch.float64)
    pull = C.adversarial_pull(u, v, centre=0.3)
    expected = -v * torch.sigmoid(v * (u - 0.3))
    assert torch.allclose(pull, expected, atol=1e-14)
    assert bool((pull.abs() <= v.abs()).all())


def test_zero_lambda_matches_supervised_trainer(data):
    X, y, _ = data
    W, a = N.init_network(256, DIM, seed=6)
    supervised = N.train(X, y, W, a, lr=0.3, steps=200, record_every=20)
    game = C.AdversarialSettings(lam=0.0, real=1.0, centre=0.0, gamma=0.1)
    adversarial = C.train_adversarial(X, y, W, a, game, lr=0.3, steps=200, record_every=20)
    assert np.allclose(adversarial.residual_norm, supervised.residual_norms, rtol=1e-10)
    assert np.allclose(adversarial.max_displacement, supervised.max_displacement, rtol=1e-10)
    assert np.allclose(adversarial.gram_min, supervised.lambda_min, atol=1e-12)


def test_generator_gradient_norm_is_gram_form(data):
    X, y, _ = data
    W, a = N.init_network(128, DIM, seed=7)
    game = C.AdversarialSettings(lam=0.7, real=0.5, centre=0.1, gamma=0.3)
    record = C.train_adversarial(X, y, W, a, game, lr=0.3, steps=1, v0=0.8, record_every=1)
    outputs = N.forward(W, a, X)
    g = (outputs - y) + 0.7 * C.adversarial_pull(outputs, torch.full((N_INPUTS,), 0.8, dtype=torch.float64), 0.1)
    expected = math.sqrt(float(g @ N.gram_matrix(W, X) @ g))
    assert record.grad_norm[0] == pytest.approx(expected, rel=1e-10)
    assert record.output_grad_norm[0] == pytest.approx(float(g.norm()), rel=1e-12)


def test_discriminator_step_matches_finite_differences(data):
    X, y, _ = data
    W, a = N.init_network(64, DIM, seed=8)
    game = C.AdversarialSettings(lam=0.5, real=0.7, centre=-0.2, gamma=0.4, disc_lr_ratio=0.5)
    v0 = torch.linspace(-1, 1, N_INPUTS, dtype=torch.float64)
    record = C.train_adversarial(X, y, W, a, game, lr=0.1, steps=1, v0=v0)
    u = N.forward(W, a, X).detach()

    def disc_loss(v: torch.Tensor) -> float:
        real = -torch.log(torch.sigmoid(v * (0.7 + 0.2))).sum()
        fake = -torch.log(1 - torch.sigmoid(v * (u + 0.2))).sum()
        return float(real + fake + 0.2 * (v**2).sum())

    h = 1e-6
    gradient = torch.tensor([
        (disc_loss(v0 + h * e) - disc_loss(v0 - h * e)) / (2 * h)
        for e in torch.eye(N_INPUTS, dtype=torch.float64)
    ])
    assert torch.allclose(record.v, v0 - 0.05 * gradient, atol=1e-8)


def test_generator_curvature_matches_finite_differences(data):
    X, y, _ = data
    W, a = N.init_network(64, DIM, seed=9)
    game = C.AdversarialSettings(lam=2.0, real=0.5, centre=0.0, gamma=0.1)
    v0 = torch.linspace(-3, 3, N_INPUTS, dtype=torch.float64)
    record = C.train_adversarial(X, y, W, a, game, lr=0.1, steps=1, v0=v0)
    u = N.forward(W, a, X).detach()
    h = 1e-6
    slope = (C.adversarial_pull(u + h, v0, 0.0) - C.adversarial_pull(u - h, v0, 0.0)) / (2 * h)
    assert np.allclose(record.generator_curvature[0], 1 + 2.0 * slope.numpy(), atol=1e-7)


def test_pull_speed_is_step_difference(adversarial_run):
    speeds = np.linalg.norm(np.diff(adversarial_run.pull, axis=0), axis=1) / adversarial_run.lr
    assert np.allclose(adversarial_run.pull_speed[1:], speeds, rtol=1e-10)
    assert adversarial_run.pull_speed[0] == 0.0


def test_equilibrium_residual_balances_pull(adversarial_run):
    residual = adversarial_run.residual_norm[-1]
    pull = adversarial_run.pull_norm[-1]
    assert adversarial_run.output_grad_norm[-1] < 1e-8
    assert residual == pytest.approx(1.0 * pull, rel=1e-6)


def test_adversarial_run_obeys_theorem_bounds(data, adversarial_run):
    _, _, lambda0 = data
    run = adversarial_run
    assert run.gram_min.min() >= lambda0 / 2
    residual_bound = C.adversarial_residual_envelope(
        run.times, run.residual_norm[0], 1.0, run.pull_norm.max(), run.gram_max.max(), lambda0
    )
    assert np.all(run.residual_norm <= residual_bound * (1 + 1e-9))
    g_bound = C.stationarity_bound(
        run.times, run.max_pull_speed, run.output_grad_norm[0], 1.0, lambda0
    )
    assert np.all(run.output_grad_norm <= g_bound * (1 + 1e-9))
    uniform = C.stationarity_envelope(
        run.times, run.output_grad_norm[0], 1.0, run.max_pull_speed.max(), lambda0
    )
    # The recursion is a right-endpoint sum of the envelope's integral, so it may exceed the
    # envelope by the factor of one step's contraction.
    assert np.all(g_bound <= uniform * math.exp(lambda0 * run.lr / 2) * (1 + 1e-9))
    assert np.all(run.grad_norm <= np.sqrt(run.gram_max) * run.output_grad_norm * (1 + 1e-9))
    displacement = C.displacement_envelope(run.times, g_bound, run.max_pull_speed, 1.0, N_INPUTS,
                                           512)
    assert np.all(run.max_displacement <= displacement + 1e-12)
    final = C.adversarial_displacement_bound(
        run.times[-1], run.output_grad_norm[0], 1.0, run.max_pull_speed.max(), N_INPUTS, 512,
        lambda0,
    )
    assert displacement[-1] <= final * (1 + 1e-9)


def test_stationarity_bound_zero_speed_is_envelope():
    times = np.linspace(0, 10, 11)
    bound = C.stationarity_bound(times, np.zeros(11), 2.0, 1.0, 0.4)
    assert np.allclose(bound, 2.0 * np.exp(-0.2 * times))


def test_residual_floor_formula():
    assert C.residual_floor(2.0, 0.5, 1.5, 0.1) == pytest.approx(2 * 2.0 * 1.5 * 0.5 / 0.1)
    envelope = C.adversarial_residual_envelope(np.array([0.0, 1e6]), 3.0, 2.0, 0.5, 1.5, 0.1)
    assert envelope[0] == pytest.approx(3.0)
    assert envelope[1] == pytest.approx(C.residual_floor(2.0, 0.5, 1.5, 0.1))


def test_training_is_reproducible(data):
    X, y, _ = data
    W, a = N.init_network(64, DIM, seed=10)
    game = C.AdversarialSettings(lam=1.0)
    first = C.train_adversarial(X, y, W, a, game, lr=0.3, steps=50, record_every=10)
    second = C.train_adversarial(X, y, W, a, game, lr=0.3, steps=50, record_every=10)
    assert np.array_equal(first.residual_norm, second.residual_norm)
    assert torch.equal(first.W, second.W)


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("lam", -0.1), ("gamma", -1.0), ("disc_lr_ratio", 0.0), ("real", math.nan),
     ("centre", math.inf)],
)
def test_settings_reject_invalid(field, value):
    with pytest.raises(ValueError, match=field):
        C.AdversarialSettings(**{field: value})


@pytest.mark.parametrize(
    ("keyword", "value", "message"),
    [("lr", 0.0, "lr"), ("lr", -1.0, "lr"), ("steps", 0, "steps"),
     ("record_every", 0, "record_every"), ("v0", math.nan, "v0"),
     ("v0", torch.zeros(3, dtype=torch.float64), "v0")],
)
def test_train_rejects_invalid_keywords(data, keyword, value, message):
    X, y, _ = data
    W, a = N.init_network(16, DIM, seed=0)
    arguments = {"lr": 0.1, "steps": 5}
    arguments[keyword] = value
    with pytest.raises(ValueError, match=message):
        C.train_adversarial(X, y, W, a, C.AdversarialSettings(), **arguments)


def test_train_rejects_bad_shapes(data):
    X, y, _ = data
    W, a = N.init_network(16, DIM, seed=0)
    game = C.AdversarialSettings()
    with pytest.raises(ValueError, match="unit norm"):
        C.train_adversarial(2 * X, y, W, a, game, lr=0.1, steps=1)
    with pytest.raises(ValueError, match="y must"):
        C.train_adversarial(X, y[:-1], W, a, game, lr=0.1, steps=1)
    with pytest.raises(ValueError, match="W must"):
        C.train_adversarial(X, y, W[:, :-1], a, game, lr=0.1, steps=1)
    with pytest.raises(ValueError, match="a must"):
        C.train_adversarial(X, y, W, a[:-1], game, lr=0.1, steps=1)
    with pytest.raises(ValueError, match="-1 and \\+1"):
        C.train_adversarial(X, y, W, 0.5 * a, game, lr=0.1, steps=1)
    with pytest.raises(ValueError, match="settings"):
        C.train_adversarial(X, y, W, a, {"lam": 1.0}, lr=0.1, steps=1)


def test_train_raises_non_finite_with_step(data):
    X, y, _ = data
    W, a = N.init_network(16, DIM, seed=0)
    with pytest.raises(NonFiniteError, match="step") as caught:
        C.train_adversarial(X, y, W, a, C.AdversarialSettings(lam=0.0), lr=1e200, steps=50)
    assert caught.value.step >= 1


def test_train_rejects_non_finite_inputs(data):
    X, y, _ = data
    W, a = N.init_network(16, DIM, seed=0)
    game = C.AdversarialSettings()
    bad_X = X.clone()
    bad_X[0, 0] = math.nan
    with pytest.raises(ValueError, match="X must contain only finite"):
        C.train_adversarial(bad_X, y, W, a, game, lr=0.1, steps=1)
    bad_y = y.clone()
    bad_y[0] = math.inf
    with pytest.raises(ValueError, match="y must contain only finite"):
        C.train_adversarial(X, bad_y, W, a, game, lr=0.1, steps=1)
    bad_W = W.clone()
    bad_W[0, 0] = math.nan
    with pytest.raises(ValueError, match="W must contain only finite"):
        C.train_adversarial(X, y, bad_W, a, game, lr=0.1, steps=1)
    bad_v0 = torch.zeros(N_INPUTS, dtype=torch.float64)
    bad_v0[0] = math.nan
    with pytest.raises(ValueError, match="v0 must contain only finite"):
        C.train_adversarial(X, y, W, a, game, lr=0.1, steps=1, v0=bad_v0)


def test_train_raises_when_discriminator_diverges(data):
    X, y, _ = data
    W, a = N.init_network(16, DIM, seed=0)
    # A discriminator step of 1000 with gamma = 1 multiplies v by about -999 per step.
    game = C.AdversarialSettings(lam=0.0, gamma=1.0, disc_lr_ratio=1000.0)
    with pytest.raises(NonFiniteError, match="discriminator") as caught:
        C.train_adversarial(X, y, W, a, game, lr=1.0, steps=500, v0=1.0)
    assert 1 <= caught.value.step < 500


def test_train_raises_on_infinite_discriminator_loss(data):
    X, y, _ = data
    W, a = N.init_network(16, DIM, seed=0)
    # The real term overflows (v0 * 100 > float max) while the fake term underflows to 0.
    game = C.AdversarialSettings(lam=1.0, real=-50.0, centre=50.0)
    with pytest.raises(NonFiniteError, match="discriminator's loss") as caught:
        C.train_adversarial(X, y, W, a, game, lr=0.1, steps=5, v0=1e307)
    assert caught.value.step == 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: C.gram_deviation_bound(0, 10, 0.1), "n"),
        (lambda: C.gram_deviation_bound(4, 0, 0.1), "m"),
        (lambda: C.gram_deviation_bound(4, 10, 1.0), "delta"),
        (lambda: C.width_for_initial_gram(4, 0.0, 0.1), "lambda0"),
        (lambda: C.activation_radius(4, 0.1, 0.0), "delta"),
        (lambda: C.displacement_bound(-1.0, 4, 10, 0.1), "residual0"),
        (lambda: C.width_requirement(4, 0.1, 0.1, -1.0), "target_norm_sq"),
        (lambda: C.residual_envelope(np.zeros(2), 1.0, -0.1), "lambda0"),
        (lambda: C.residual_floor(1.0, -1.0, 1.0, 0.1), "pull_bound"),
        (lambda: C.stationarity_envelope(np.zeros(2), 1.0, 1.0, -1.0, 0.1), "pull_speed_bound"),
        (lambda: C.stationarity_bound(np.array([0.0, 0.0]), np.zeros(2), 1.0, 1.0, 0.1),
         "increase"),
        (lambda: C.stationarity_bound(np.array([0.0, 1.0]), np.zeros(3), 1.0, 1.0, 0.1),
         "equal"),
        (lambda: C.displacement_envelope(np.zeros(2), np.zeros(3), np.zeros(2), 1.0, 4, 10),
         "equal"),
        (lambda: C.adversarial_displacement_bound(-1.0, 1.0, 1.0, 1.0, 4, 10, 0.1), "t"),
        (lambda: C.expected_initial_residual_sq(torch.zeros(2, 2)), "y"),
        (lambda: C.adversarial_pull(torch.zeros(2), torch.zeros(2), math.nan), "centre"),
    ],
)
def test_constants_reject_invalid(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_activation_flip_bound_rejects_invalid(data):
    X, _, _ = data
    W0, _ = N.init_network(10, DIM, seed=0)
    with pytest.raises(ValueError, match="radius"):
        C.activation_flip_bound(W0, X, -0.1)
    with pytest.raises(ValueError, match="W0"):
        C.activation_flip_bound(W0[:, :2], X, 0.1)
    with pytest.raises(ValueError, match="X must"):
        C.lambda_zero(X[0])


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


def test_convergence_figures_draw_labelled_axes(adversarial_run, data):
    import matplotlib.pyplot as plt

    from prdlib.plotting import convergence as figures

    _, _, lambda0 = data
    run = adversarial_run
    fig, axes = plt.subplots(2, 2)
    widths = np.array([16.0, 64.0, 256.0])
    samples = np.array([[1.0, 0.5, 0.25], [1.1, 0.55, 0.3]])
    fit = N.fit_power_law(np.tile(widths, 2), samples.ravel())
    figures.plot_power_law(axes[0, 0], widths, samples, fit, label="measured", ylabel="deviation",
                           bound=2 * widths**-0.5)
    figures.plot_series_with_bounds(axes[0, 1], run.times, {"g": run.output_grad_norm},
                                    {"bound": run.output_grad_norm + 1.0}, ylabel="norm")
    figures.plot_gram_minimum(axes[1, 0], {"run": (run.times, run.gram_min)}, lambda0)
    figures.plot_floors(axes[1, 1], [0.5, 1.0], [0.3, 0.6], {"bound": [3.0, 6.0]})
    for ax in axes.ravel():
        assert ax.get_xlabel()
        assert ax.get_ylabel()
    assert "slope" in axes[0, 0].get_legend_handles_labels()[1][1]
    # The zero pull speed at step 0 is left out of the log plot instead of being clamped.
    figures.plot_series_with_bounds(axes[0, 1], run.times, {"speed": run.pull_speed}, {},
                                    ylabel="norm")
    assert np.isnan(axes[0, 1].get_lines()[-1].get_ydata()[0])
