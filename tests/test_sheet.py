"""Tests of prdlib.sheet: coupling, losses against the reaction-diffusion form, training.

Independent references: a loop over lattice pairs for S(w), a numpy loop for the 5-point
Laplacian, a hand-written reaction (numpy), and explicit Euler on that reaction plus the numpy
Laplacian for the training steps.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.special import expit

from prdlib import prd, sheet, turing
from prdlib.errors import NonFiniteError
from prdlib.prd import FAST_DU, FAST_DV, FAST_PARAMS, REFERENCE_PARAMS, PRDParams


def closed_reaction(p: PRDParams, u, v):
    t = v * (u - p.c)
    r_u = -p.mu * (u - p.ys) + p.lam * v * expit(t)
    r_v = (p.yd - p.c) * expit(-v * (p.yd - p.c)) - (u - p.c) * expit(t) - p.gamma * v
    return r_u, r_v


def loop_coupling(w: np.ndarray) -> float:
    n = w.shape[0]
    total = 0.0
    for i in range(n):
        for j in range(n):
            total += (w[i, j] - w[i, (j + 1) % n]) ** 2 + (w[i, j] - w[(i + 1) % n, j]) ** 2
    return 0.5 * total


def loop_laplacian(w: np.ndarray) -> np.ndarray:
    n = w.shape[0]
    out = np.empty_like(w)
    for i in range(n):
        for j in range(n):
            out[i, j] = (w[(i + 1) % n, j] + w[(i - 1) % n, j] + w[i, (j + 1) % n]
                         + w[i, (j - 1) % n] - 4 * w[i, j])
    return out


def random_field(n, seed=0, scale=1.0):
    return torch.as_tensor(np.random.default_rng(seed).normal(0, scale, (n, n)), dtype=torch.float64)


# ---------------------------------------------------------------------------------------------
# Coupling and losses


@pytest.mark.parametrize("n", [3, 4, 7])
def test_coupling_energy_matches_pair_loop(n):
    w = random_field(n, seed=n)
    assert float(sheet.coupling_energy(w)) == pytest.approx(loop_coupling(w.numpy()), rel=1e-12)


@pytest.mark.parametrize("n", [3, 5, 8])
def test_coupling_gradient_is_minus_laplacian(n):
    w = random_field(n, seed=10 + n).requires_grad_(True)
    grad, = torch.autograd.grad(sheet.coupling_energy(w), w)
    assert np.allclose(grad.numpy(), -loop_laplacian(w.detach().numpy()), atol=1e-12)
    assert np.allclose(sheet.lattice_laplacian(w.detach()).numpy(), loop_laplacian(w.detach().numpy()),
                       atol=1e-12)


def test_laplacian_fourier_eigenvalue():
    """A lattice Fourier mode is an eigenvector of the Laplacian with eigenvalue -s(kx, ky)."""
    n = 16
    x = np.arange(n)
    kx, ky = 2 * np.pi * 3 / n, 2 * np.pi * 2 / n
    mode = np.cos(kx * x[None, :] + ky * x[:, None])
    lap = sheet.lattice_laplacian(torch.as_tensor(mode)).numpy()
    assert np.allclose(lap, -turing.lattice_laplacian_eigenvalue(kx, ky) * mode, atol=1e-12)


def test_loss_gradients_equal_reaction_plus_diffusion():
    p, Du, Dv = REFERENCE_PARAMS, 1.3, 7.0
    u = (-1.0 + random_field(6, seed=1, scale=0.3)).requires_grad_(True)
    v = (-1.1 + random_field(6, seed=2, scale=0.3)).requires_grad_(True)
    loss_g, loss_d = sheet.sheet_losses(p, Du, Dv, u, v)
    grad_u, = torch.autograd.grad(loss_g, u)
    grad_v, = torch.autograd.grad(loss_d, v)
    u_np, v_np = u.detach().numpy(), v.detach().numpy()
    r_u, r_v = closed_reaction(p, u_np, v_np)
    assert np.allclose(-grad_u.numpy(), r_u + Du * loop_laplacian(u_np), atol=1e-12)
    assert np.allclose(-grad_v.numpy(), r_v + Dv * loop_laplacian(v_np), atol=1e-12)
    rhs_u, rhs_v = sheet.sheet_rhs(p, Du, Dv, u.detach(), v.detach())
    assert np.allclose(rhs_u.numpy(), -grad_u.numpy(), atol=1e-12)
    assert np.allclose(rhs_v.numpy(), -grad_v.numpy(), atol=1e-12)


@pytest.mark.parametrize("n", [0, 1, 2])
def test_small_grid_rejected(n):
    with pytest.raises(ValueError, match="at least 3 x 3"):
        sheet.coupling_energy(torch.zeros(n, n, dtype=torch.float64))
    with pytest.raises(ValueError, match="n must be an integer >= 3"):
        sheet.train_sheet(FAST_PARAMS, FAST_DU, FAST_DV, n=n, steps=1)


def test_non_square_field_rejected():
    with pytest.raises(ValueError, match="square"):
        sheet.lattice_laplacian(torch.zeros(4, 5, dtype=torch.float64))


def test_negative_coupling_rejected():
    u = torch.zeros(4, 4, dtype=torch.float64)
    with pytest.raises(ValueError, match="Du must be non-negative"):
        sheet.sheet_losses(FAST_PARAMS, -1.0, 1.0, u, u)
    with pytest.raises(ValueError, match="Dv must be non-negative"):
        sheet.train_sheet(FAST_PARAMS, 1.0, -0.5, n=8, steps=1)


# ---------------------------------------------------------------------------------------------
# Step-size limit and linear theory


def test_max_stable_lr():
    assert sheet.max_stable_lr(0.5, 2.0) == pytest.approx(1 / 8)
    assert sheet.max_stable_lr(0.0, 0.0) == float("inf")


def test_lr_above_limit_rejected_with_limit_in_message():
    limit = sheet.max_stable_lr(FAST_DU, FAST_DV)
    with pytest.raises(ValueError, match=f"{limit:.6g}"):
        sheet.train_sheet(FAST_PARAMS, FAST_DU, FAST_DV, n=8, steps=1, lr=limit)


def test_pure_coupling_limit_is_sharp():
    """Under the coupling alone the checkerboard mode (s = 8) stays bounded for lr just below
    1/(4D) and grows just above it, so the checked limit is sharp."""
    n, D = 8, 1.0
    checker = torch.as_tensor((-1.0) ** np.add.outer(np.arange(n), np.arange(n)))
    for lr, grows in ((0.24, False), (0.26, True)):
        w = checker.clone()
        for _ in range(50):
            w = w + lr * D * sheet.lattice_laplacian(w)
        assert (float(w.abs().max()) > 1.0) == grows


def test_lattice_growth_rates_match_brute_force():
    eq = sheet.default_equilibrium(FAST_PARAMS)
    n = 12
    rates = sheet.lattice_growth_rates(eq.jacobian, FAST_DU, FAST_DV, n)
    kx, ky = sheet.lattice_wavenumbers(n)
    for index in [(0, 0), (0, 3), (5, 7), (11, 2)]:
        s = 4 * np.sin(kx[index] / 2) ** 2 + 4 * np.sin(ky[index] / 2) ** 2
        expected = np.linalg.eigvals(eq.jacobian - s * np.diag([FAST_DU, FAST_DV])).real.max()
        assert rates[index] == pytest.approx(expected, abs=1e-12)
    k, growth = sheet.fastest_lattice_mode(eq.jacobian, FAST_DU, FAST_DV, n)
    assert growth == pytest.approx(rates[~((kx == 0) & (ky == 0))].max())
    assert k > 0


def test_history_wavenumber_of_a_plane_wave():
    """A start that is a pure lattice mode is recorded at its own wavenumber, 2 pi 5 / N."""
    n = 32
    x = np.arange(n)
    wave = 1e-3 * np.cos(2 * np.pi * 5 / n * x)[None, :] * np.ones((n, 1))
    eq = sheet.default_equilibrium(FAST_PARAMS)
    run = sheet.train_sheet(FAST_PARAMS, FAST_DU, FAST_DV, start=(eq.u + wave, eq.v + 0 * wave),
                            steps=0)
    assert run.dominant_k[0] == pytest.approx(2 * np.pi * 5 / n)
    uniform = sheet.train_sheet(FAST_PARAMS, FAST_DU, FAST_DV, start=(np.zeros((4, 4)),) * 2,
                                steps=0)
    assert uniform.dominant_k[0] == 0.0


# ---------------------------------------------------------------------------------------------
# Training


def test_training_steps_equal_explicit_euler():
    p, Du, Dv, lr = FAST_PARAMS, 0.2, 1.5, 0.05
    u0 = -0.25 + random_field(5, seed=3, scale=0.1)
    v0 = 1.4 + random_field(5, seed=4, scale=0.1)
    run = sheet.train_sheet(p, Du, Dv, start=(u0, v0), steps=3, lr=lr)
    u, v = u0.numpy(), v0.numpy()
    for _ in range(3):
        r_u, r_v = closed_reaction(p, u, v)
        u, v = u + lr * (r_u + Du * loop_laplacian(u)), v + lr * (r_v + Dv * loop_laplacian(v))
    assert np.allclose(run.u, u, atol=1e-12)
    assert np.allclose(run.v, v, atol=1e-12)
    assert run.equilibrium is None


def test_alternating_steps_use_new_generator():
    p, Du, Dv, lr = FAST_PARAMS, 0.2, 1.5, 0.05
    u0 = -0.25 + random_field(5, seed=3, scale=0.1)
    v0 = 1.4 + random_field(5, seed=4, scale=0.1)
    run = sheet.train_sheet(p, Du, Dv, start=(u0, v0), steps=1, lr=lr, method="alternating")
    u, v = u0.numpy(), v0.numpy()
    r_u, _ = closed_reaction(p, u, v)
    u_new = u + lr * (r_u + Du * loop_laplacian(u))
    _, r_v = closed_reaction(p, u_new, v)
    assert np.allclose(run.u, u_new, atol=1e-12)
    assert np.allclose(run.v, v + lr * (r_v + Dv * loop_laplacian(v)), atol=1e-12)


def test_without_adversary_sheet_returns_to_homogeneous():
    p = FAST_PARAMS.with_lam(0.0)
    run = sheet.train_sheet(p, FAST_DU, FAST_DV, n=16, steps=3000, noise=1e-3, seed=1)
    assert run.std_u[-1] < 1e-3 * run.std_u[0]
    (eq,) = prd.find_equilibria(p)
    assert run.mean_u[-1] == pytest.approx(eq.u, abs=1e-6)
    assert run.mean_v[-1] == pytest.approx(eq.v, abs=1e-3)


def test_fast_regime_forms_pattern_at_predicted_wavenumber():
    run = sheet.train_sheet(FAST_PARAMS, FAST_DU, FAST_DV, n=32, steps=2400, noise=1e-3, seed=0,
                            record_every=100, snapshot_every=800)
    eq = sheet.default_equilibrium(FAST_PARAMS)
    assert run.equilibrium == pytest.approx((eq.u, eq.v))
    k_pred, growth = sheet.fastest_lattice_mode(eq.jacobian, FAST_DU, FAST_DV, 32)
    assert growth > 0
    # Amplitude grows by more than an order of magnitude while it is still small (linear stage).
    early = (run.std_u > 5 * run.std_u[0]) & (run.std_u < 0.05)
    assert early.any()
    assert run.dominant_k[early][-1] == pytest.approx(k_pred, rel=0.15)
    assert run.std_u[-1] > 10 * run.std_u[0]
    assert run.snapshots_u.shape == (4, 32, 32)
    assert list(run.snapshot_steps) == [0, 800, 1600, 2400]
    assert run.history_times[-1] == pytest.approx(2400 * run.lr)


def test_supervised_like_equilibrium_stays_homogeneous():
    found = prd.find_equilibria(FAST_PARAMS)
    supervised = min((eq for eq in found if eq.stable), key=lambda eq: eq.jacobian[0, 0])
    run = sheet.train_sheet(FAST_PARAMS, FAST_DU, FAST_DV, n=16, steps=1500,
                            equilibrium=(supervised.u, supervised.v))
    assert run.std_u[-1] < 0.1 * run.std_u[0]


def test_same_seed_same_run():
    a = sheet.train_sheet(FAST_PARAMS, FAST_DU, FAST_DV, n=8, steps=20, seed=5)
    b = sheet.train_sheet(FAST_PARAMS, FAST_DU, FAST_DV, n=8, steps=20, seed=5)
    c = sheet.train_sheet(FAST_PARAMS, FAST_DU, FAST_DV, n=8, steps=20, seed=6)
    assert np.array_equal(a.u, b.u)
    assert not np.array_equal(a.u, c.u)


def test_divergence_raises_with_step():
    # A strongly self-activating site with a large step overshoots more each step.
    p = PRDParams(mu=50.0, lam=0.0, gamma=0.1, ys=0.0, yd=1.0, c=0.0)
    with pytest.raises(NonFiniteError, match=r"at step \d+"):
        sheet.train_sheet(p, 0.1, 0.1, n=4, steps=2000, lr=0.1, equilibrium=(0.0, 0.0), noise=0.1)


def test_bad_training_arguments():
    with pytest.raises(ValueError, match="method"):
        sheet.train_sheet(FAST_PARAMS, FAST_DU, FAST_DV, n=8, steps=1, method="adam")
    with pytest.raises(ValueError, match="steps"):
        sheet.train_sheet(FAST_PARAMS, FAST_DU, FAST_DV, n=8, steps=-1)
    with pytest.raises(ValueError, match="lr"):
        sheet.train_sheet(FAST_PARAMS, FAST_DU, FAST_DV, n=8, steps=1, lr=0.0)
    with pytest.raises(ValueError, match="same shape"):
        sheet.train_sheet(FAST_PARAMS, FAST_DU, FAST_DV, start=(np.zeros((4, 4)), np.zeros((5, 5))))
    with pytest.raises(ValueError, match="finite"):
        sheet.train_sheet(FAST_PARAMS, FAST_DU, FAST_DV, start=(np.full((4, 4), np.nan), np.zeros((4, 4))))
    with pytest.raises(ValueError, match="noise"):
        sheet.train_sheet(FAST_PARAMS, FAST_DU, FAST_DV, n=8, steps=1, noise=-1.0)


def test_no_stable_equilibrium_raises():
    p = PRDParams(mu=1.0, lam=0.0, gamma=0.0, ys=-1.0, yd=1.0, c=0.0)
    with pytest.raises(ValueError, match="no homogeneous equilibrium"):
        sheet.train_sheet(p, 0.1, 0.1, n=4, steps=1)


def test_progress_bar_and_summary():
    run = sheet.train_sheet(FAST_PARAMS, FAST_DU, FAST_DV, n=8, steps=5, progress=True)
    assert "8x8 sheet, 5 steps" in run.summary()


def test_full_sheet_jacobian_matches_lattice_blocks():
    """Autograd Jacobian of the whole sheet's right-hand side has the spectrum of the 2x2 blocks
    J - s diag(Du, Dv) over the lattice modes."""
    p, Du, Dv, n = REFERENCE_PARAMS, 1.0, 3.0, 4
    eq = prd.find_equilibria(p)[0]

    def flat_rhs(state):
        u, v = state[: n * n].reshape(n, n), state[n * n:].reshape(n, n)
        r_u, r_v = sheet.sheet_rhs(p, Du, Dv, u, v)
        return torch.cat([r_u.reshape(-1), r_v.reshape(-1)])

    state = torch.cat([torch.full((n * n,), eq.u, dtype=torch.float64),
                       torch.full((n * n,), eq.v, dtype=torch.float64)])
    full = torch.autograd.functional.jacobian(flat_rhs, state).numpy()
    kx, ky = sheet.lattice_wavenumbers(n)
    s_values = turing.lattice_laplacian_eigenvalue(kx, ky).ravel()
    blocks = np.concatenate([np.linalg.eigvals(eq.jacobian - s * np.diag([Du, Dv])) for s in s_values])
    full_eigenvalues = np.linalg.eigvals(full)
    assert np.abs(full_eigenvalues[:, None] - blocks[None, :]).min(axis=1).max() < 1e-8
    assert np.abs(blocks[:, None] - full_eigenvalues[None, :]).min(axis=1).max() < 1e-8


def test_sheet_lr_limit_reduces_to_coupling_limit():
    zero = np.zeros((2, 2))
    assert sheet.sheet_lr_limit(zero, 1.0, 2.0, 8) == pytest.approx(sheet.max_stable_lr(1.0, 2.0))
    eq = sheet.default_equilibrium(FAST_PARAMS)
    limit = sheet.sheet_lr_limit(eq.jacobian, FAST_DU, FAST_DV, 16)
    assert limit <= prd.simultaneous_lr_limit(eq.jacobian)
    assert limit <= sheet.max_stable_lr(FAST_DU, FAST_DV) * 1.01


def test_homogeneous_basins_reach_each_stable_equilibrium():
    found = prd.find_equilibria(FAST_PARAMS)
    u_values = np.linspace(-1.0, 0.5, 8)
    v_values = np.linspace(0.8, 2.2, 8)
    labels, distances, equilibria = sheet.homogeneous_basins(FAST_PARAMS, u_values, v_values,
                                                             lr=0.1, steps=1500, equilibria=found)
    assert labels.shape == (8, 8)
    assert distances.max() < 0.05
    reached = {int(label) for label in np.unique(labels)}
    stable = {i for i, eq in enumerate(equilibria) if eq.stable}
    assert reached == stable


def test_homogeneous_basins_reject_mismatched_axes():
    with pytest.raises(ValueError, match="equal length"):
        sheet.homogeneous_basins(FAST_PARAMS, np.zeros(4), np.zeros(5), lr=0.1, steps=1)
