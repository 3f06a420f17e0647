"""Tests of prdlib.games on the bilinear game min_x max_y x*y.

With step eta, simultaneous play is the linear map (x, y) -> (x - eta y, y + eta x), whose matrix
is sqrt(1 + eta^2) times a rotation, so the distance from the equilibrium (0, 0) grows by exactly
sqrt(1 + eta^2) per step. Alternating play (x first) is (x, y) -> (x - eta y, y + eta x_new): a map
of determinant 1 that conserves Q = x^2 + y^2 - eta x y, so for eta < 2 it stays bounded.

Each check below is also run on deliberately broken steppers (gradients accumulated in a stale
``.grad`` buffer, results not detached, players updated in the wrong order) to show that it fails
for each of those bugs.
"""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from prdlib.errors import NonFiniteError
from prdlib.games import alternating_step, game_step, game_trajectory, simultaneous_step



def tensor(value, **kwargs):
    return torch.tensor(value, dtype=torch.float64, **kwargs)


def loss_x(x, y):
    return (x * y).sum()


def loss_y(x, y):
    return -(x * y).sum()


def start():
    return tensor(0.6), tensor(-0.8)


# ---------------------------------------------------------------------------------------------
# Deliberately broken steppers, used to show that the checks can fail.


def broken_no_reset(loss_first, loss_second, x, y, lr):
    """Simultaneous step that reuses persistent leaves and never zeroes their ``.grad``."""
    if not hasattr(broken_no_reset, "leaves"):
        broken_no_reset.leaves = (x.detach().clone().requires_grad_(True),
                                  y.detach().clone().requires_grad_(True))
    xv, yv = broken_no_reset.leaves
    with torch.no_grad():
        xv.copy_(x)
        yv.copy_(y)
    loss_first(xv, yv.detach()).backward()
    loss_second(xv.detach(), yv).backward()
    return (x - lr * xv.grad).detach(), (y - lr * yv.grad).detach()


def broken_no_detach(loss_first, loss_second, x, y, lr):
    """Simultaneous step whose results keep their autograd history."""
    x = x if x.requires_grad else x.clone().requires_grad_(True)
    y = y if y.requires_grad else y.clone().requires_grad_(True)
    gx, = torch.autograd.grad(loss_first(x, y.detach()), x, create_graph=True)
    gy, = torch.autograd.grad(loss_second(x.detach(), y), y, create_graph=True)
    return x - lr * gx, y - lr * gy


def broken_order(loss_first, loss_second, x, y, lr):
    """Alternating step that moves the second player first."""
    new_y, new_x = alternating_step(lambda b, a: loss_second(a, b), lambda b, a: loss_first(a, b),
                                    y, x, lr)
    return new_x, new_y


def correct_simultaneous(loss_first, loss_second, x, y, lr):
    return simultaneous_step(loss_first, loss_second, x, y, lr)


def correct_alternating(loss_first, loss_second, x, y, lr):
    return alternating_step(loss_first, loss_second, x, y, lr)


# ---------------------------------------------------------------------------------------------
# The checks, written as functions of a stepper so they can be run on correct and broken ones.


def check_simultaneous_growth(stepper, eta=0.1, steps=50):
    """Each step multiplies |(x, y)| by sqrt(1 + eta^2), and iterates match the matrix power."""
    x, y = start()
    factor = math.sqrt(1.0 + eta**2)
    matrix = tensor([[1.0, -eta], [eta, 1.0]])
    expected = torch.stack(start())
    for _ in range(steps):
        radius = math.hypot(float(x), float(y))
        x, y = stepper(loss_x, loss_y, x, y, eta)
        expected = matrix @ expected
        assert x.grad_fn is None, "step results keep autograd history"
        assert y.grad_fn is None, "step results keep autograd history"
        assert math.hypot(float(x), float(y)) / radius == pytest.approx(factor, rel=1e-12)
        assert torch.allclose(torch.stack([x, y]), expected, rtol=1e-12, atol=1e-15)


def check_alternating_invariant(stepper, eta=0.3, steps=2000):
    """Q = x^2 + y^2 - eta x y is conserved and |(x, y)| stays bounded."""
    x, y = start()
    invariant = float(x**2 + y**2 - eta * x * y)
    # On the ellipse Q = q the radius r satisfies q / (1 + eta/2) <= r^2 <= q / (1 - eta/2).
    r_max = math.sqrt(invariant / (1.0 - eta / 2.0))
    for _ in range(steps):
        x, y = stepper(loss_x, loss_y, x, y, eta)
        assert x.grad_fn is None, "step results keep autograd history"
        assert y.grad_fn is None, "step results keep autograd history"
        assert float(x**2 + y**2 - eta * x * y) == pytest.approx(invariant, rel=1e-10)
        assert math.hypot(float(x), float(y)) <= r_max * (1 + 1e-10)


def test_simultaneous_grows_by_sqrt_one_plus_eta2():
    check_simultaneous_growth(correct_simultaneous)


def test_game_step_default_is_simultaneous():
    check_simultaneous_growth(lambda *a: game_step(*a))


def test_alternating_conserves_invariant_and_stays_bounded():
    check_alternating_invariant(correct_alternating)
    check_alternating_invariant(lambda *a: game_step(*a, method="alternating"))


def test_check_catches_missing_gradient_reset():
    with pytest.raises(AssertionError):
        check_simultaneous_growth(broken_no_reset)


def test_check_catches_missing_detach():
    with pytest.raises(AssertionError, match="autograd history"):
        check_simultaneous_growth(broken_no_detach)


def test_check_catches_wrong_update_order():
    with pytest.raises(AssertionError):
        check_alternating_invariant(broken_order)


def test_simultaneous_and_alternating_differ_on_first_step():
    x, y = start()
    sx, sy = simultaneous_step(loss_x, loss_y, x, y, 0.5)
    ax, ay = alternating_step(loss_x, loss_y, x, y, 0.5)
    assert float(sx) == pytest.approx(float(ax))
    assert float(sy) == pytest.approx(-0.8 + 0.5 * 0.6)
    assert float(ay) == pytest.approx(-0.8 + 0.5 * (0.6 + 0.5 * 0.8))


def test_inputs_requiring_grad_are_left_untouched():
    x = tensor(0.6, requires_grad=True)
    y = tensor(-0.8, requires_grad=True)
    new_x, new_y = simultaneous_step(loss_x, loss_y, x, y, 0.1)
    assert x.grad is None
    assert y.grad is None
    assert not new_x.requires_grad
    assert not new_y.requires_grad


def test_players_with_several_tensors():
    """A player given as a tuple gets a tuple back, each tensor moved by its own gradient."""
    a, b = tensor([1.0, 2.0]), tensor(3.0)
    y = tensor([0.5, -1.0])

    def first_loss(first, second):
        w, bias = first
        return 0.5 * ((w - second) ** 2).sum() + bias**2

    def second_loss(first, second):
        return (second**2).sum() - (first[0] * second).sum()

    (new_a, new_b), new_y = simultaneous_step(first_loss, second_loss, (a, b), y, 0.1)
    assert torch.allclose(new_a, a - 0.1 * (a - y))
    assert float(new_b) == pytest.approx(3.0 - 0.1 * 6.0)
    assert torch.allclose(new_y, y - 0.1 * (2 * y - a))


def test_unused_parameter_gets_zero_gradient():
    x, z = tensor(1.0), tensor(5.0)
    (new_x, new_z), _ = simultaneous_step(lambda f, s: f[0] ** 2, lambda f, s: s**2, (x, z),
                                          tensor(1.0), 0.25)
    assert float(new_x) == pytest.approx(0.5)
    assert float(new_z) == 5.0


def test_second_player_step():
    x, y = start()
    _, new_y = simultaneous_step(loss_x, loss_y, x, y, 0.1, lr_second=0.5)
    assert float(new_y) == pytest.approx(-0.8 + 0.5 * 0.6)


def test_trajectory_shape_and_growth():
    x, y = start()
    xs, ys = game_trajectory(loss_x, loss_y, x, y, 0.2, 10)
    assert xs.shape == (11,)
    assert ys.shape == (11,)
    radius = torch.hypot(xs, ys)
    assert float(radius[-1] / radius[0]) == pytest.approx(math.sqrt(1.04) ** 10, rel=1e-12)


@settings(max_examples=30, deadline=None)
@given(eta=st.floats(0.01, 1.0), x0=st.floats(-3, 3), y0=st.floats(-3, 3))
def test_simultaneous_growth_property(eta, x0, y0):
    if math.hypot(x0, y0) < 1e-3:
        return
    x, y = tensor(x0), tensor(y0)
    new_x, new_y = simultaneous_step(loss_x, loss_y, x, y, eta)
    ratio = math.hypot(float(new_x), float(new_y)) / math.hypot(x0, y0)
    assert ratio == pytest.approx(math.sqrt(1 + eta**2), rel=1e-12)


@pytest.mark.parametrize("lr", [0.0, -0.1, float("nan"), float("inf")])
def test_rejects_bad_lr(lr):
    with pytest.raises(ValueError, match="lr"):
        simultaneous_step(loss_x, loss_y, *start(), lr)
    with pytest.raises(ValueError, match="lr"):
        alternating_step(loss_x, loss_y, *start(), lr)


def test_rejects_bad_lr_second():
    with pytest.raises(ValueError, match="lr_second"):
        simultaneous_step(loss_x, loss_y, *start(), 0.1, lr_second=-1.0)


def test_rejects_unknown_method():
    with pytest.raises(ValueError, match="simultaneous, alternating"):
        game_step(loss_x, loss_y, *start(), 0.1, method="leapfrog")


def test_rejects_non_scalar_loss():
    x, y = torch.ones(3), torch.ones(3)
    with pytest.raises(ValueError, match="scalar"):
        simultaneous_step(lambda a, b: a * b, loss_y, x, y, 0.1)


def test_rejects_empty_player():
    with pytest.raises(ValueError, match="first"):
        simultaneous_step(loss_x, loss_y, (), tensor(1.0), 0.1)


def test_trajectory_rejects_negative_steps_and_tuple_players():
    with pytest.raises(ValueError, match="steps"):
        game_trajectory(loss_x, loss_y, *start(), 0.1, -1)
    with pytest.raises(ValueError, match="single tensors"):
        game_trajectory(loss_x, loss_y, (tensor(1.0),), tensor(1.0), 0.1, 3)


def test_trajectory_reports_divergence_step():
    def loss_first(x, y):
        return 1e3 * (x**4).sum()

    def loss_second(x, y):
        return -(x * y).sum()

    with pytest.raises(NonFiniteError, match=r"at step \d+ \(t = "):
        game_trajectory(loss_first, loss_second, torch.ones(1, dtype=torch.float64),
                        torch.ones(1, dtype=torch.float64), 1.0, 50)
