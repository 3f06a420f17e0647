"""Tests of prdlib.models: steady states, analytic Jacobians, parameter checks, the registry."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from prdlib import models

# Parameter sets with a positive steady state, several per model.
CASES = [
    ("schnakenberg", {"a": 0.1, "b": 0.9}),
    ("schnakenberg", {"a": -0.05, "b": 1.3}),
    ("brusselator", {"a": 1.5, "b": 2.3}),
    ("brusselator", {"a": 3.0, "b": 9.0}),
    ("gierer-meinhardt", {"a": 0.2, "b": 1.0}),
    ("gierer-meinhardt", {"a": -0.5, "b": 2.5}),
    ("gray-scott", {"F": 0.037, "k": 0.06}),
    ("gray-scott", {"F": 0.025, "k": 0.05}),
    ("linear", {"fu": 0.5, "fv": 1.0, "gu": -2.0, "gv": -1.0}),
]


def finite_difference_jacobian(model, u, v, step=1e-6):
    """Central differences of the reaction terms."""
    columns = []
    for du, dv in ((step, 0.0), (0.0, step)):
        plus = np.array(model.reaction(u + du, v + dv))
        minus = np.array(model.reaction(u - du, v - dv))
        columns.append((plus - minus) / (2 * step))
    return np.stack(columns, axis=1)


def autograd_jacobian(model, u, v):
    point = torch.tensor([u, v], dtype=torch.float64)
    return torch.autograd.functional.jacobian(
        lambda x: torch.stack(model.reaction(x[0], x[1])), point
    ).numpy()


def all_states(model):
    if isinstance(model, models.GrayScott):
        return model.steady_states()
    return [model.steady_state()]


@pytest.mark.parametrize("name, params", CASES)
def test_steady_state_zeroes_reaction(name, params):
    model = models.get_model(name, **params)
    for u, v in all_states(model):
        f, g = model.reaction(u, v)
        assert f == pytest.approx(0.0, abs=1e-12)
        assert g == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("name, params", CASES)
def test_jacobian_matches_finite_differences(name, params):
    model = models.get_model(name, **params)
    for u, v in all_states(model) + [(0.7, 1.3)]:
        expected = finite_difference_jacobian(model, u, v)
        assert np.allclose(model.jacobian_at(u, v), expected, atol=1e-7)


@pytest.mark.parametrize("name, params", CASES)
def test_jacobian_matches_autograd(name, params):
    model = models.get_model(name, **params)
    for u, v in all_states(model) + [(0.7, 1.3)]:
        assert np.allclose(model.jacobian_at(u, v), autograd_jacobian(model, u, v), atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(a=st.floats(0.01, 3), b=st.floats(0.01, 3), u=st.floats(0.1, 3), v=st.floats(0.1, 3))
def test_jacobians_random_points(a, b, u, v):
    for name in ("schnakenberg", "brusselator", "gierer-meinhardt"):
        model = models.get_model(name, a=a, b=b)
        expected = autograd_jacobian(model, u, v)
        assert np.allclose(model.jacobian_at(u, v), expected, rtol=1e-12, atol=1e-12)


def test_reference_steady_states():
    schnakenberg = models.get_model("schnakenberg", a=0.1, b=0.9)
    assert schnakenberg.steady_state() == pytest.approx((1.0, 0.9))
    assert np.allclose(schnakenberg.jacobian(), [[0.8, 1.0], [-1.8, -1.0]])
    assert models.get_model("brusselator", a=2.0, b=3.0).steady_state() == pytest.approx((2.0, 1.5))
    gm = models.get_model("gierer-meinhardt", a=0.5, b=1.5)
    assert gm.steady_state() == pytest.approx((1.0, 1.0))


def test_reaction_works_on_arrays_and_tensors():
    model = models.get_model("schnakenberg")
    u = np.full((3, 4), 1.0)
    v = np.full((3, 4), 0.9)
    f_array, g_array = model.reaction(u, v)
    f_tensor, g_tensor = model.reaction(torch.from_numpy(u), torch.from_numpy(v))
    assert f_array.shape == (3, 4)
    assert isinstance(f_tensor, torch.Tensor)
    assert np.allclose(f_tensor.numpy(), f_array)
    assert np.allclose(g_tensor.numpy(), g_array)


def test_gray_scott_trivial_state_is_never_turing():
    from prdlib import turing

    model = models.get_model("gray-scott", F=0.037, k=0.06)
    assert model.steady_state() == (1.0, 0.0)
    assert np.allclose(model.jacobian(), np.diag([-0.037, -0.097]))
    assert turing.critical_ratio(model.jacobian()) is None
    for Dv in (0.01, 1.0, 100.0):
        assert not turing.turing_conditions(model.jacobian(), 1.0, Dv).turing_unstable


def test_gray_scott_nontrivial_states_exist_only_above_curve():
    assert len(models.GrayScott(F=0.025, k=0.05).steady_states()) == 3  # 0.025 > 4 * 0.075^2
    assert len(models.GrayScott(F=0.037, k=0.1).steady_states()) == 1  # 0.037 < 4 * 0.137^2


def test_parameters_and_names():
    model = models.get_model("brusselator", b=3.0)
    assert model.parameters == {"a": 1.5, "b": 3.0}
    assert models.Brusselator.parameter_names() == ("a", "b")
    assert set(models.MODELS) == {
        "schnakenberg", "brusselator", "gierer-meinhardt", "gray-scott", "linear",
    }


def test_unknown_model_lists_accepted():
    with pytest.raises(ValueError, match="unknown model 'fitzhugh'.*schnakenberg, brusselator"):
        models.get_model("fitzhugh")


def test_unknown_parameter_lists_accepted():
    with pytest.raises(ValueError, match="unknown parameter.*c.*accepted parameters: a, b"):
        models.get_model("schnakenberg", c=1.0)


@pytest.mark.parametrize(
    "name, params, message",
    [
        ("schnakenberg", {"a": 0.1, "b": 0.0}, "b > 0 and a \\+ b > 0"),
        ("schnakenberg", {"a": -1.0, "b": 0.5}, "b > 0 and a \\+ b > 0"),
        ("brusselator", {"a": 0.0, "b": 1.0}, "a > 0 and b > 0"),
        ("brusselator", {"a": 1.0, "b": -1.0}, "a > 0 and b > 0"),
        ("gierer-meinhardt", {"a": -1.0, "b": 1.0}, "b > 0 and a > -1"),
        ("gierer-meinhardt", {"a": 0.5, "b": 0.0}, "b > 0 and a > -1"),
        ("gray-scott", {"F": -0.01, "k": 0.06}, "F >= 0"),
        ("gray-scott", {"F": 0.0, "k": 0.0}, "F \\+ k > 0"),
    ],
)
def test_no_steady_state_raises(name, params, message):
    with pytest.raises(ValueError, match=message):
        models.get_model(name, **params)


@pytest.mark.parametrize("value", [np.nan, np.inf, "x"])
def test_non_finite_parameter_raises(value):
    with pytest.raises(ValueError, match="a must be"):
        models.get_model("schnakenberg", a=value)
