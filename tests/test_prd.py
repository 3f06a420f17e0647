"""Tests of prdlib.prd: losses, reaction, Jacobian, equilibria, continuation, Turing space.

Independent references used here: closed-form derivatives written out by hand below (numpy),
central finite differences, and scipy.optimize.fsolve scans for the equilibria.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import fsolve
from scipy.special import expit

from prdlib import prd, turing
from prdlib.prd import FAST_PARAMS, REFERENCE_PARAMS, PRDParams

# ---------------------------------------------------------------------------------------------
# Hand-derived closed forms (independent of prdlib).


def closed_reaction(p: PRDParams, u, v):
    """R_u = -mu (u - ys) + lam v s(t), R_v = (yd - c) s(-v (yd - c)) - (u - c) s(t) - gamma v."""
    t = v * (u - p.c)
    r_u = -p.mu * (u - p.ys) + p.lam * v * expit(t)
    r_v = (p.yd - p.c) * expit(-v * (p.yd - p.c)) - (u - p.c) * expit(t) - p.gamma * v
    return r_u, r_v


def closed_jacobian(p: PRDParams, u, v):
    t = v * (u - p.c)
    s = expit(t)
    ds = s * (1 - s)
    a = p.yd - p.c
    f_u = -p.mu + p.lam * v**2 * ds
    f_v = p.lam * (s + v * (u - p.c) * ds)
    g_u = -(s + (u - p.c) * v * ds)
    g_v = -(a**2) * expit(-v * a) * (1 - expit(-v * a)) - (u - p.c) ** 2 * ds - p.gamma
    return np.array([[f_u, f_v], [g_u, g_v]])


def fsolve_equilibria(p: PRDParams, u_box=(-8, 8), v_box=(-40, 40), starts=(17, 41)):
    roots = []
    for u0 in np.linspace(*u_box, starts[0]):
        for v0 in np.linspace(*v_box, starts[1]):
            x, _, ier, _ = fsolve(lambda x: closed_reaction(p, *x), [u0, v0], full_output=True)
            if ier == 1 and max(map(abs, closed_reaction(p, *x))) < 1e-10:
                if all(np.hypot(*(x - r)) > 1e-6 for r in roots):
                    roots.append(x)
    return sorted(map(tuple, roots))


params_strategy = st.builds(
    PRDParams,
    mu=st.floats(0.05, 3.0),
    lam=st.floats(0.0, 4.0),
    gamma=st.floats(0.0, 1.0),
    ys=st.floats(-3.0, 3.0),
    yd=st.floats(-3.0, 3.0),
    c=st.floats(-2.0, 2.0),
)


# ---------------------------------------------------------------------------------------------
# Parameters


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("mu", 0.0, "mu must be positive"),
        ("mu", -1.0, "mu must be positive"),
        ("lam", -0.1, "lam must be non-negative"),
        ("gamma", -0.01, "gamma must be non-negative"),
        ("ys", float("nan"), "ys must be a real number"),
        ("yd", float("inf"), "yd must be finite"),
        ("c", "abc", "c must be a real number"),
    ],
)
def test_params_reject_invalid(field, value, message):
    values = REFERENCE_PARAMS.as_dict()
    values[field] = value
    with pytest.raises(ValueError, match=message):
        PRDParams(**values)


def test_params_are_frozen_floats():
    p = PRDParams(mu=1, lam=2, gamma=0, ys=0, yd=1, c=0)
    assert isinstance(p.mu, float)
    with pytest.raises(AttributeError):
        p.mu = 2.0  # type: ignore[misc]
    assert p.with_lam(0.5).lam == 0.5
    assert p.with_lam(0.5).mu == 1.0


# ---------------------------------------------------------------------------------------------
# Losses and reaction


def test_losses_match_log_sigmoid_forms():
    p = REFERENCE_PARAMS
    u = np.linspace(-3, 3, 13)
    v = np.linspace(-4, 4, 13)
    t = v * (u - p.c)
    expected_g = 0.5 * p.mu * (u - p.ys) ** 2 + p.lam * np.log(1 - expit(t))
    expected_d = (-np.log(expit(v * (p.yd - p.c))) - np.log(1 - expit(t))
                  + 0.5 * p.gamma * v**2)
    assert np.allclose(prd.generator_site_loss(p, u, v).numpy(), expected_g, rtol=1e-12)
    assert np.allclose(prd.discriminator_site_loss(p, u, v).numpy(), expected_d, rtol=1e-12)


def test_losses_stay_finite_for_large_arguments():
    p = REFERENCE_PARAMS
    u = torch.tensor([50.0, -50.0], dtype=torch.float64)
    v = torch.tensor([40.0, 40.0], dtype=torch.float64)
    assert torch.isfinite(prd.generator_site_loss(p, u, v)).all()
    assert torch.isfinite(prd.discriminator_site_loss(p, u, v)).all()
    r_u, r_v = prd.reaction(p, u, v)
    assert torch.isfinite(r_u).all()
    assert torch.isfinite(r_v).all()


def test_reaction_matches_closed_form():
    p = FAST_PARAMS
    rng = np.random.default_rng(1)
    u, v = rng.normal(0, 2, 50), rng.normal(0, 3, 50)
    r_u, r_v = prd.reaction(p, u, v)
    expected_u, expected_v = closed_reaction(p, u, v)
    assert np.allclose(r_u.numpy(), expected_u, rtol=1e-12, atol=1e-13)
    assert np.allclose(r_v.numpy(), expected_v, rtol=1e-12, atol=1e-13)


def test_reaction_matches_finite_differences_of_losses():
    p = REFERENCE_PARAMS
    u, v, h = 0.4, -1.3, 1e-6
    r_u, r_v = prd.reaction(p, u, v)

    def lg(uu):
        return float(prd.generator_site_loss(p, uu, v))

    def ld(vv):
        return float(prd.discriminator_site_loss(p, u, vv))

    assert float(r_u) == pytest.approx(-(lg(u + h) - lg(u - h)) / (2 * h), rel=1e-7)
    assert float(r_v) == pytest.approx(-(ld(v + h) - ld(v - h)) / (2 * h), rel=1e-7)


def test_jacobian_matches_closed_form_and_finite_differences():
    p = REFERENCE_PARAMS
    u, v, h = -1.0637, -1.1253, 1e-6
    jac = prd.reaction_jacobian(p, u, v).numpy()
    assert jac.shape == (2, 2)
    assert np.allclose(jac, closed_jacobian(p, u, v), rtol=1e-10, atol=1e-12)
    fd = np.empty((2, 2))
    fd[:, 0] = (np.array(closed_reaction(p, u + h, v)) - np.array(closed_reaction(p, u - h, v))) / (2 * h)
    fd[:, 1] = (np.array(closed_reaction(p, u, v + h)) - np.array(closed_reaction(p, u, v - h))) / (2 * h)
    assert np.allclose(jac, fd, rtol=1e-6, atol=1e-8)


def test_jacobian_is_batched_per_site():
    p = FAST_PARAMS
    u = torch.linspace(-1, 1, 6, dtype=torch.float64).reshape(2, 3)
    v = torch.linspace(2, -2, 6, dtype=torch.float64).reshape(2, 3)
    jac = prd.reaction_jacobian(p, u, v)
    assert jac.shape == (2, 3, 2, 2)
    for i in range(2):
        for j in range(3):
            assert np.allclose(jac[i, j].numpy(), closed_jacobian(p, float(u[i, j]), float(v[i, j])))


@settings(max_examples=40, deadline=None)
@given(p=params_strategy, u=st.floats(-4, 4), v=st.floats(-6, 6))
def test_jacobian_property(p, u, v):
    assert np.allclose(prd.reaction_jacobian(p, u, v).numpy(), closed_jacobian(p, u, v),
                       rtol=1e-9, atol=1e-11)


@settings(max_examples=40, deadline=None)
@given(p=params_strategy, u=st.floats(-4, 4), v=st.floats(-6, 6))
def test_adversarial_self_activation_formula(p, u, v):
    """f_u = -mu + lam v^2 s'(t): the adversary's only contribution to f_u is non-negative."""
    f_u = float(prd.reaction_jacobian(p, u, v)[0, 0])
    s = expit(v * (u - p.c))
    assert f_u == pytest.approx(-p.mu + p.lam * v**2 * s * (1 - s), rel=1e-9, abs=1e-12)
    assert f_u >= -p.mu - 1e-12


def test_zero_sum_part_has_opposite_cross_terms():
    """With gamma = 0 and mu irrelevant to cross terms, f_v = -lam g_u (opposite signs for lam > 0)."""
    p = PRDParams(mu=0.7, lam=1.5, gamma=0.0, ys=0.3, yd=-1.0, c=0.2)
    for u, v in [(0.5, -1.0), (-0.8, 2.0), (1.2, 0.3)]:
        jac = prd.reaction_jacobian(p, u, v).numpy()
        assert jac[0, 1] == pytest.approx(-p.lam * jac[1, 0], rel=1e-12)


# ---------------------------------------------------------------------------------------------
# Equilibria


def test_reference_regime_equilibria():
    found = prd.find_equilibria(REFERENCE_PARAMS)
    assert len(found) == 3
    compromise, saddle, supervised = found
    assert (compromise.u, compromise.v) == pytest.approx((-1.0637, -1.1253), abs=1e-4)
    assert (saddle.u, saddle.v) == pytest.approx((-0.257, -5.545), abs=1e-3)
    assert (supervised.u, supervised.v) == pytest.approx((1.9649, -3.1936), abs=1e-4)
    assert compromise.stable
    assert supervised.stable
    assert not saddle.stable
    assert np.allclose(compromise.jacobian, [[0.227, 2.132], [-0.713, -0.294]], atol=1e-3)
    assert supervised.jacobian[0, 0] == pytest.approx(-0.668, abs=1e-3)
    assert saddle.det < 0
    for eq in found:
        assert eq.residual < 1e-10


def test_equilibria_match_independent_scan():
    for p in (REFERENCE_PARAMS, FAST_PARAMS, REFERENCE_PARAMS.with_lam(1.5)):
        ours = [(eq.u, eq.v) for eq in prd.find_equilibria(p)]
        theirs = fsolve_equilibria(p)
        assert len(ours) == len(theirs), (p, ours, theirs)
        assert np.allclose(ours, theirs, atol=1e-7)


def test_without_adversary_single_equilibrium_at_target():
    p = REFERENCE_PARAMS.with_lam(0.0)
    found = prd.find_equilibria(p)
    assert len(found) == 1
    eq = found[0]
    assert eq.u == pytest.approx(1.968, abs=1e-12)
    assert eq.v == pytest.approx(-3.193, abs=1e-3)
    assert eq.jacobian[0, 0] == pytest.approx(-p.mu, abs=1e-12)
    assert eq.jacobian[0, 1] == pytest.approx(0.0, abs=1e-12)
    assert eq.stable


def test_no_equilibrium_raises():
    # Without weight decay a discriminator that separates y_d from the generator's target grows
    # without bound: R_v = 2 s(-v) > 0 for every v at u = ys = -1.
    p = PRDParams(mu=1.0, lam=0.0, gamma=0.0, ys=-1.0, yd=1.0, c=0.0)
    with pytest.raises(ValueError, match="no homogeneous equilibrium found"):
        prd.find_equilibria(p)


def test_find_equilibria_rejects_bad_box():
    with pytest.raises(ValueError, match="u_range"):
        prd.find_equilibria(REFERENCE_PARAMS, u_range=(1.0, 1.0))
    with pytest.raises(ValueError, match="v_range"):
        prd.find_equilibria(REFERENCE_PARAMS, v_range=(float("nan"), 1.0))
    with pytest.raises(ValueError, match="starts"):
        prd.find_equilibria(REFERENCE_PARAMS, starts=(1, 10))


def test_refine_far_from_equilibrium_raises():
    p = PRDParams(mu=1.0, lam=0.0, gamma=0.0, ys=-1.0, yd=1.0, c=0.0)
    with pytest.raises(ValueError, match="found no equilibrium near"):
        prd.refine_equilibrium(p, 0.0, 0.0)


def test_analysis_reference_compromise():
    analyses = prd.analyse_equilibria(REFERENCE_PARAMS, 1.0, 200.0)
    compromise = analyses[0]
    assert compromise.turing_unstable
    assert compromise.d_critical == pytest.approx(115.0, abs=0.1)
    assert compromise.ratio_interval[0] == pytest.approx(compromise.d_critical)
    assert compromise.k_max == pytest.approx(0.29, abs=0.005)
    assert compromise.growth_max == pytest.approx(0.055, abs=0.001)
    # Independent brute force over a fine k grid.
    k = np.linspace(0, 1.5, 30001)
    jac = np.array(compromise.jacobian)
    rates = [np.linalg.eigvals(jac - kk**2 * np.diag([1.0, 200.0])).real.max() for kk in k[::10]]
    assert compromise.growth_max == pytest.approx(max(rates), abs=1e-5)
    saddle, supervised = analyses[1], analyses[2]
    assert not saddle.stable
    assert not saddle.turing_unstable
    assert supervised.stable
    assert not supervised.turing_unstable
    assert supervised.d_critical is None


def test_analysis_rejects_bad_coupling():
    with pytest.raises(ValueError, match="Du"):
        prd.analyse_equilibria(REFERENCE_PARAMS, 0.0, 200.0)
    with pytest.raises(ValueError, match="Dv"):
        prd.analyse_equilibria(REFERENCE_PARAMS, 1.0, -5.0)


# ---------------------------------------------------------------------------------------------
# Continuation and Turing space


def test_branch_matches_fresh_solves():
    lams = np.linspace(2.99, 3.5, 6)
    branch = prd.continue_branch(REFERENCE_PARAMS, (-1.06, -1.12), lams)
    assert branch.complete
    assert np.allclose(branch.lam, lams)
    for lam, u, v in zip(branch.lam, branch.u, branch.v):
        closest = min(fsolve_equilibria(REFERENCE_PARAMS.with_lam(lam), (-3, 3), (-8, 2), (7, 11)),
                      key=lambda r: math.hypot(r[0] - u, r[1] - v))
        assert (u, v) == pytest.approx(closest, abs=1e-8)


def test_branch_stops_at_fold():
    lams = np.linspace(2.99, 0.5, 60)
    branch = prd.continue_branch(REFERENCE_PARAMS, (-1.06, -1.12), lams)
    assert not branch.complete
    assert "fold" in branch.stop_reason
    # Near the last point the Jacobian is nearly singular: the branch turns back there.
    assert 0.5 < branch.lam[-1] < 1.2
    assert branch.reached[0] < branch.lam[-1]
    assert branch.reached[1] == pytest.approx(2.99)
    assert abs(branch.det[-1]) < 0.05 * abs(branch.det[0])


def test_continue_branch_rejects_bad_lambda_values():
    with pytest.raises(ValueError, match="strictly"):
        prd.continue_branch(REFERENCE_PARAMS, (-1.06, -1.12), [2.99, 3.1, 3.0])
    with pytest.raises(ValueError, match=">= 0"):
        prd.continue_branch(REFERENCE_PARAMS, (-1.06, -1.12), [2.99, -1.0])
    with pytest.raises(ValueError, match="non-empty"):
        prd.continue_branch(REFERENCE_PARAMS, (-1.06, -1.12), [])


def test_reference_turing_interval_at_ratio_200():
    space = prd.turing_space(REFERENCE_PARAMS, (-1.0637, -1.1253), np.linspace(2.0, 4.0, 41))
    assert space.branch.complete
    (low, high), = space.turing_intervals(200.0)
    assert low == pytest.approx(2.80, abs=0.01)
    assert high == pytest.approx(3.20, abs=0.01)
    # The lower end is where the compromise itself loses stability (the trace crosses zero) ...
    assert space.stability_boundaries == pytest.approx((low,), abs=1e-8)
    below = prd.refine_equilibrium(REFERENCE_PARAMS.with_lam(low - 1e-3), *space.branch.equilibrium_near(low))
    above = prd.refine_equilibrium(REFERENCE_PARAMS.with_lam(low + 1e-3), *space.branch.equilibrium_near(low))
    assert below.trace > 0 > above.trace
    # ... and the upper end is where the critical ratio reaches 200.
    top = prd.refine_equilibrium(REFERENCE_PARAMS.with_lam(high), *space.branch.equilibrium_near(high))
    assert turing.critical_ratio(top.jacobian) == pytest.approx(200.0, rel=1e-6)


def test_critical_ratio_curve_increases_with_lambda():
    space = prd.turing_space(REFERENCE_PARAMS, (-1.0637, -1.1253), np.linspace(2.9, 3.4, 11))
    d_c = space.d_critical
    assert np.all(np.isfinite(d_c))
    assert np.all(np.diff(d_c) > 0)
    assert np.array_equal(space.turing_unstable(200.0), space.stable & (d_c < 200.0))


def test_fast_regime_turing_interval():
    ratio = prd.FAST_DV / prd.FAST_DU
    space = prd.turing_space(FAST_PARAMS, (-0.256, 1.433), np.linspace(1.0, 1.3, 31))
    (low, high), = space.turing_intervals(ratio)
    assert low == pytest.approx(1.07, abs=0.01)
    assert high == pytest.approx(1.18, abs=0.01)


def test_turing_space_rejects_bad_ratio():
    space = prd.turing_space(REFERENCE_PARAMS, (-1.0637, -1.1253), [2.99, 3.0])
    with pytest.raises(ValueError, match="ratio"):
        space.turing_intervals(0.0)


def test_branch_interpolation_range():
    branch = prd.continue_branch(REFERENCE_PARAMS, (-1.06, -1.12), [2.99, 3.0])
    with pytest.raises(ValueError, match="branch's range"):
        branch.equilibrium_near(5.0)


def test_reaction_is_differentiable_in_callers_tensors():
    p = FAST_PARAMS
    u = torch.tensor([0.3, -0.4], dtype=torch.float64, requires_grad=True)
    v = torch.tensor([1.2, 0.7], dtype=torch.float64, requires_grad=True)
    r_u, r_v = prd.reaction(p, u, v)
    fu, fv = torch.autograd.grad(r_u.sum(), (u, v), retain_graph=True)
    gu, gv = torch.autograd.grad(r_v.sum(), (u, v))
    for i in range(2):
        expected = closed_jacobian(p, float(u[i].detach()), float(v[i].detach()))
        assert np.allclose([[fu[i], fv[i]], [gu[i], gv[i]]], expected, rtol=1e-10)


def test_self_activation_interval_ends_where_f_u_vanishes():
    space = prd.turing_space(REFERENCE_PARAMS, (-1.0637, -1.1253), np.linspace(2.0, 6.0, 41))
    (low, high), = space.self_activation_intervals()
    assert low == pytest.approx(2.0)
    end = prd.refine_equilibrium(REFERENCE_PARAMS.with_lam(high), *space.branch.equilibrium_near(high))
    assert end.jacobian[0, 0] == pytest.approx(0.0, abs=1e-8)
    assert np.all(np.isnan(space.d_critical[space.lam > high]))


def test_simultaneous_lr_limit():
    jacobian = np.array([[-0.1, 1.0], [-1.0, -0.1]])
    limit = prd.simultaneous_lr_limit(jacobian)
    assert limit == pytest.approx(2 * 0.1 / (0.1**2 + 1.0))
    for eta, inside in ((0.99 * limit, True), (1.01 * limit, False)):
        radius = np.abs(np.linalg.eigvals(np.eye(2) + eta * jacobian)).max()
        assert (radius < 1) == inside
    assert prd.simultaneous_lr_limit(np.array([[0.1, 0.0], [0.0, -1.0]])) == 0.0
    assert prd.simultaneous_lr_limit(np.zeros((2, 2))) == float("inf")
    with pytest.raises(ValueError, match="square"):
        prd.simultaneous_lr_limit(np.zeros((2, 3)))


def test_single_threaded_restores_thread_count():
    before = torch.get_num_threads()
    with prd.single_threaded():
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before


def test_course_regime_critical_ratio():
    compromise = max((eq for eq in prd.find_equilibria(prd.COURSE_PARAMS) if eq.stable),
                     key=lambda eq: float(eq.jacobian[0, 0]))
    ratio = turing.critical_ratio(compromise.jacobian)

    assert ratio == pytest.approx(29.37, abs=0.05)
    assert prd.COURSE_DV / prd.COURSE_DU > ratio
