"""Tests of prdlib.simulate against the dispersion relation and an independent ODE solver."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from prdlib import models, patterns, simulate, turing
from prdlib.errors import NonFiniteError

SCHNAKENBERG = models.get_model("schnakenberg", a=0.1, b=0.9)


def early_dominant_ratio(model, Du, Dv, t_end):
    """Ratio of the measured to the predicted fastest wavenumber while the pattern is small."""
    k_max, _ = turing.fastest_growing_mode(model.jacobian(), Du, Dv)
    length = 10 * 2 * math.pi / k_max
    result = simulate.simulate(model, Du, Dv, grid=64, length=length, t_end=t_end,
                               noise=1e-3, seed=1)
    return patterns.dominant_wavenumber(result.u, length) / k_max, patterns.amplitude(result.u)


@pytest.mark.parametrize(
    "model, Dv, t_end",
    [
        (SCHNAKENBERG, 20.0, 20.0),
        (models.get_model("gierer-meinhardt", a=0.2, b=1.0), 25.0, 25.0),
    ],
)
def test_early_dominant_wavenumber_2d(model, Dv, t_end):
    ratio, size = early_dominant_ratio(model, 1.0, Dv, t_end)
    assert size < 0.05  # still in the linear regime
    assert ratio == pytest.approx(1.0, abs=0.15)


def fastest_lattice_mode(model, Du, Dv, length, grid):
    modes = np.arange(1, grid // 2)
    k = 2 * math.pi * modes / length
    s = turing.lattice_laplacian_eigenvalue(k, spacing=length / grid)
    rates = turing.growth_rate(model.jacobian(), Du, Dv, s)
    best = int(np.argmax(rates))
    return int(modes[best]), float(k[best]), float(s[best])


@pytest.mark.parametrize("method", ["spectral", "euler"])
def test_single_mode_growth_rate_1d(method):
    Du, Dv, length, grid = 1.0, 20.0, 200.0, 128
    mode, k, s_lattice = fastest_lattice_mode(SCHNAKENBERG, Du, Dv, length, grid)
    # Euler uses the finite-difference Laplacian; the spectral default uses s = k^2.
    s = s_lattice if method == "euler" else k**2
    jacobian = SCHNAKENBERG.jacobian()
    eigenvalues, eigenvectors = np.linalg.eig(jacobian - s * np.diag([Du, Dv]))
    growing = eigenvectors[:, int(np.argmax(eigenvalues.real))].real
    x = np.arange(grid) * length / grid
    u_star, v_star = SCHNAKENBERG.steady_state()
    initial = (u_star + 1e-6 * growing[0] * np.cos(k * x),
               v_star + 1e-6 * growing[1] * np.cos(k * x))
    result = simulate.simulate(SCHNAKENBERG, Du, Dv, grid=grid, length=length, t_end=20.0,
                               dims=1, dt=0.01, method=method, initial=initial,
                               snapshot_times=np.linspace(0, 20, 21))
    amplitudes = [patterns.mode_amplitude(field, mode) for field in result.u_snapshots]
    measured = patterns.fit_growth_rate(result.times, amplitudes)
    predicted = turing.growth_rate(jacobian, Du, Dv, s)
    assert predicted > 0
    assert measured == pytest.approx(predicted, rel=0.05)


def test_pure_diffusion_decay_rates():
    diffusion_only = models.get_model("linear")
    length, grid, D = 2 * math.pi * 4, 64, 0.5
    x = np.arange(grid) * length / grid
    initial = (np.cos(2 * math.pi * 3 * x / length), np.cos(2 * math.pi * 5 * x / length))
    result = simulate.simulate(diffusion_only, D, D, grid=grid, length=length, t_end=4.0,
                               dims=1, dt=1e-3, method="spectral", symbol="continuum",
                               initial=initial, snapshot_times=np.linspace(0, 4, 9))
    for field_snapshots, mode in ((result.u_snapshots, 3), (result.v_snapshots, 5)):
        k = 2 * math.pi * mode / length
        amplitudes = [patterns.mode_amplitude(field, mode) for field in field_snapshots]
        assert patterns.fit_growth_rate(result.times, amplitudes) == pytest.approx(
            -D * k**2, rel=1e-2
        )


def semi_discrete_reference(model, Du, Dv, length, grid, initial, t_end):
    """The finite-difference system of ODEs solved by scipy to near machine precision."""
    spacing = length / grid

    def laplacian(field):
        return (np.roll(field, 1) + np.roll(field, -1) - 2 * field) / spacing**2

    def rhs(_, state):
        u, v = state[:grid], state[grid:]
        f, g = model.reaction(u, v)
        return np.concatenate([f + Du * laplacian(u), g + Dv * laplacian(v)])

    solution = solve_ivp(rhs, (0, t_end), np.concatenate(initial), method="DOP853",
                         rtol=1e-12, atol=1e-12)
    return solution.y[:, -1]


def test_convergence_order_in_dt():
    Du, Dv, length, grid, t_end = 1.0, 20.0, 64.0, 32, 2.0
    initial = simulate.initial_state(SCHNAKENBERG, grid, dims=1, noise=0.1, seed=3)
    reference = semi_discrete_reference(SCHNAKENBERG, Du, Dv, length, grid, initial, t_end)
    steps = np.array([0.04, 0.02, 0.01, 0.005])
    finals = {}
    for method in ("euler", "spectral"):
        errors = []
        for dt in steps:
            result = simulate.simulate(SCHNAKENBERG, Du, Dv, grid=grid, length=length,
                                       t_end=t_end, dims=1, dt=dt, method=method,
                                       symbol="lattice", initial=initial)
            final = np.concatenate([result.u, result.v])
            errors.append(np.abs(final - reference).max())
        finals[method] = final
        order = np.polyfit(np.log(steps), np.log(errors), 1)[0]
        assert order == pytest.approx(1.0, abs=0.1), method
        assert errors[-1] < 2e-3, method
    # Both schemes approximate the same ODE system, so they agree with each other too.
    assert np.abs(finals["euler"] - finals["spectral"]).max() < 3e-3


def test_lattice_and_continuum_symbols_agree_on_smooth_field():
    x = np.arange(64) * 100.0 / 64
    smooth = (1.0 + 0.01 * np.cos(2 * math.pi * x / 100.0), np.full(64, 0.9))
    results = [simulate.simulate(SCHNAKENBERG, 1.0, 20.0, grid=64, length=100.0, t_end=1.0,
                                 dims=1, dt=0.01, symbol=symbol, initial=smooth)
               for symbol in ("continuum", "lattice")]
    assert np.abs(results[0].u - results[1].u).max() < 1e-6


def test_snapshots_and_step_bookkeeping():
    result = simulate.simulate(SCHNAKENBERG, 1.0, 20.0, grid=16, length=50.0, t_end=1.0,
                               dt=0.3, snapshot_times=[0.0, 0.5, 1.0])
    assert result.steps == 4
    assert result.dt == pytest.approx(0.25)
    assert result.times.tolist() == pytest.approx([0.0, 0.5, 1.0])
    assert result.u_snapshots.shape == (3, 16, 16)
    assert np.array_equal(result.u_snapshots[-1], result.u)
    assert result.seconds >= 0
    assert result.spacing == pytest.approx(50.0 / 16)


def test_same_seed_same_result():
    runs = [simulate.simulate(SCHNAKENBERG, 1.0, 20.0, grid=16, length=50.0, t_end=2.0,
                              seed=7, device="cpu") for _ in range(2)]
    assert np.array_equal(runs[0].u, runs[1].u)
    other = simulate.simulate(SCHNAKENBERG, 1.0, 20.0, grid=16, length=50.0, t_end=2.0, seed=8)
    assert not np.array_equal(runs[0].u, other.u)


def test_default_step_respects_euler_limit():
    dt = simulate.default_time_step(SCHNAKENBERG, 1.0, 20.0, 1.0, 2, "euler")
    assert dt <= simulate.euler_stability_limit(1.0, 20.0, 1.0, 2)


# ----------------------------------------------------------------------------- errors


def run_small(**overrides):
    arguments = dict(model=SCHNAKENBERG, Du=1.0, Dv=20.0, grid=16, length=50.0, t_end=1.0)
    arguments.update(overrides)
    return simulate.simulate(**arguments)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"Du": 0.0}, "Du must be positive"),
        ({"Du": -1.0}, "Du must be positive"),
        ({"Dv": 0.0}, "Dv must be positive"),
        ({"grid": 0}, "grid must be an integer >= 2"),
        ({"grid": -4}, "grid must be an integer >= 2"),
        ({"grid": 8.5}, "grid must be an integer"),
        ({"length": 0.0}, "length must be positive"),
        ({"length": -3.0}, "length must be positive"),
        ({"t_end": 0.0}, "t_end must be positive"),
        ({"dt": -0.1}, "dt must be positive"),
        ({"dims": 3}, "dims must be 1 or 2"),
        ({"method": "rk4"}, "method must be one of spectral, euler"),
        ({"symbol": "exact"}, "symbol must be one of continuum, lattice"),
        ({"snapshot_times": [2.0]}, "snapshot_times must lie in"),
        ({"snapshot_times": []}, "snapshot_times must be a non-empty"),
        ({"initial": (np.ones(4), np.ones(4))}, "initial u must have shape"),
        ({"initial": (np.ones((16, 16)), np.full((16, 16), np.nan))}, "initial v contains NaN"),
        ({"noise": -1.0}, "noise must be"),
        ({"num_threads": 0}, "num_threads"),
    ],
)
def test_invalid_input_raises(overrides, message):
    with pytest.raises(ValueError, match=message):
        run_small(**overrides)


def test_euler_step_above_limit_states_limit():
    limit = simulate.euler_stability_limit(1.0, 20.0, 50.0 / 16, 2)
    with pytest.raises(ValueError, match=f"stability limit .* = {limit:.6g}"):
        run_small(method="euler", dt=1.01 * limit)
    run_small(method="euler", dt=limit)  # the limit itself is accepted


def test_non_finite_reports_step_and_time():
    exploding = models.get_model("linear", fu=1000.0)
    with pytest.raises(NonFiniteError, match=r"step \d+ \(t = ") as caught:
        simulate.simulate(exploding, 1.0, 1.0, grid=8, length=8.0, t_end=500.0, dt=1.0,
                          initial=(np.ones((8, 8)), np.zeros((8, 8))))
    # (1 + 1000)^n passes the float64 maximum (about 1.8e308) at n = 103.
    assert caught.value.step == 103
    assert caught.value.time == pytest.approx(103.0)
