r"""Classic two-species reaction models: reaction terms, homogeneous steady states, Jacobians.

Each model is a frozen dataclass whose fields are its parameters. ``reaction(u, v)`` returns
:math:`(f(u, v), g(u, v))` using arithmetic only, so it works on floats, numpy arrays and torch
tensors alike (autograd included). ``steady_state()`` returns the homogeneous state that the
course analyses and ``jacobian()`` the analytic reaction Jacobian
:math:`[[f_u, f_v], [g_u, g_v]]` there. :func:`get_model` builds a model from its name.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar

import numpy as np

from prdlib.errors import require_finite

__all__ = [
    "MODELS",
    "Brusselator",
    "GiererMeinhardt",
    "GrayScott",
    "LinearReaction",
    "ReactionModel",
    "Schnakenberg",
    "get_model",
]


@dataclass(frozen=True)
class ReactionModel:
    """Base class: a two-species reaction model with named real parameters."""

    name: ClassVar[str] = ""
    equations: ClassVar[str] = ""

    def __post_init__(self) -> None:
        for field in fields(self):
            require_finite(field.name, getattr(self, field.name))
            object.__setattr__(self, field.name, float(getattr(self, field.name)))
        self._check_parameters()

    def _check_parameters(self) -> None:
        """Raise ValueError when the parameters admit no steady state the model can analyse."""

    @property
    def parameters(self) -> dict[str, float]:
        """Parameter values by name."""
        return asdict(self)

    @classmethod
    def parameter_names(cls) -> tuple[str, ...]:
        """Names of the parameters, in the order of the constructor."""
        return tuple(field.name for field in fields(cls))

    def reaction(self, u: Any, v: Any) -> tuple[Any, Any]:
        """Evaluate the reaction terms :math:`(f(u, v), g(u, v))`."""
        raise NotImplementedError

    def steady_state(self) -> tuple[float, float]:
        """Return the homogeneous steady state :math:`(u^*, v^*)`."""
        raise NotImplementedError

    def jacobian_at(self, u: float, v: float) -> np.ndarray:
        """Return the analytic Jacobian :math:`[[f_u, f_v], [g_u, g_v]]` at ``(u, v)``."""
        raise NotImplementedError

    def jacobian(self) -> np.ndarray:
        """Return the analytic Jacobian :math:`[[f_u, f_v], [g_u, g_v]]` at the steady state."""
        return self.jacobian_at(*self.steady_state())


@dataclass(frozen=True)
class Schnakenberg(ReactionModel):
    r"""Schnakenberg's activator-substrate model.

    .. math::

        f(u, v) = a - u + u^2 v, \qquad g(u, v) = b - u^2 v .

    ``a`` is :math:`a` and ``b`` is :math:`b`. The steady state is
    :math:`u^* = a + b, v^* = b / (a + b)^2`, positive exactly when :math:`b > 0` and
    :math:`a + b > 0`; other values raise ValueError.
    """

    a: float = 0.1
    b: float = 0.9

    name: ClassVar[str] = "schnakenberg"
    equations: ClassVar[str] = "f = a - u + u^2 v,  g = b - u^2 v"

    def _check_parameters(self) -> None:
        if not (self.b > 0 and self.a + self.b > 0):
            raise ValueError(
                f"schnakenberg has a positive steady state only for b > 0 and a + b > 0, "
                f"got a = {self.a}, b = {self.b}"
            )

    def reaction(self, u: Any, v: Any) -> tuple[Any, Any]:
        u2v = u * u * v
        return self.a - u + u2v, self.b - u2v

    def steady_state(self) -> tuple[float, float]:
        u = self.a + self.b
        return u, self.b / u**2

    def jacobian_at(self, u: float, v: float) -> np.ndarray:
        return np.array([[-1.0 + 2.0 * u * v, u * u], [-2.0 * u * v, -u * u]])


@dataclass(frozen=True)
class Brusselator(ReactionModel):
    r"""The Brusselator of Prigogine and Lefever.

    .. math::

        f(u, v) = a - (b + 1) u + u^2 v, \qquad g(u, v) = b u - u^2 v .

    ``a`` is :math:`a` and ``b`` is :math:`b`. The steady state is
    :math:`u^* = a, v^* = b / a`, positive exactly when :math:`a > 0` and :math:`b > 0`; other
    values raise ValueError.
    """

    a: float = 1.5
    b: float = 2.3

    name: ClassVar[str] = "brusselator"
    equations: ClassVar[str] = "f = a - (b + 1) u + u^2 v,  g = b u - u^2 v"

    def _check_parameters(self) -> None:
        if not (self.a > 0 and self.b > 0):
            raise ValueError(
                f"brusselator has a positive steady state only for a > 0 and b > 0, "
                f"got a = {self.a}, b = {self.b}"
            )

    def reaction(self, u: Any, v: Any) -> tuple[Any, Any]:
        u2v = u * u * v
        return self.a - (self.b + 1.0) * u + u2v, self.b * u - u2v

    def steady_state(self) -> tuple[float, float]:
        return self.a, self.b / self.a

    def jacobian_at(self, u: float, v: float) -> np.ndarray:
        return np.array(
            [[-(self.b + 1.0) + 2.0 * u * v, u * u], [self.b - 2.0 * u * v, -u * u]]
        )


@dataclass(frozen=True)
class GiererMeinhardt(ReactionModel):
    r"""A dimensionless Gierer-Meinhardt activator-inhibitor model.

    .. math::

        f(u, v) = a - b u + \frac{u^2}{v}, \qquad g(u, v) = u^2 - v .

    ``a`` is the basal production :math:`a` and ``b`` the activator decay rate :math:`b`; the
    inhibitor decays at rate 1. The steady state is :math:`u^* = (a + 1) / b, v^* = (u^*)^2`.
    It is positive when :math:`(a + 1) / b > 0`. This class accepts the decaying activator,
    :math:`b > 0`, so it needs :math:`a > -1`; other values raise ValueError.
    """

    a: float = 0.2
    b: float = 1.0

    name: ClassVar[str] = "gierer-meinhardt"
    equations: ClassVar[str] = "f = a - b u + u^2 / v,  g = u^2 - v"

    def _check_parameters(self) -> None:
        if not (self.b > 0 and self.a > -1):
            raise ValueError(
                f"gierer-meinhardt has a positive steady state (with a decaying activator) only "
                f"for b > 0 and a > -1, got a = {self.a}, b = {self.b}"
            )

    def reaction(self, u: Any, v: Any) -> tuple[Any, Any]:
        u2 = u * u
        return self.a - self.b * u + u2 / v, u2 - v

    def steady_state(self) -> tuple[float, float]:
        u = (self.a + 1.0) / self.b
        return u, u * u

    def jacobian_at(self, u: float, v: float) -> np.ndarray:
        return np.array([[-self.b + 2.0 * u / v, -(u * u) / (v * v)], [2.0 * u, -1.0]])


@dataclass(frozen=True)
class GrayScott(ReactionModel):
    r"""The Gray-Scott model, the course's contrast to a classic Turing system.

    .. math::

        f(u, v) = -u v^2 + F (1 - u), \qquad g(u, v) = u v^2 - (F + k) v .

    ``F`` is the feed rate :math:`F` and ``k`` the kill rate :math:`k` (both :math:`\ge 0`,
    :math:`F + k > 0`). :math:`u` is the substrate and :math:`v` the autocatalyst.

    The homogeneous state analysed by :meth:`steady_state` is the trivial state
    :math:`(1, 0)`, which exists for every parameter. Its Jacobian
    :math:`\mathrm{diag}(-F, -(F + k))` is diagonal with negative entries, so no diffusion
    coefficients make it Turing-unstable. The spots and worms that Gray-Scott is known for
    grow from finite-amplitude perturbations of this stable state, not from a linear
    instability of it. That is why it is not a Turing system in the classic sense. When :math:`F > 4 (F + k)^2` there are also two non-trivial states
    (:meth:`steady_states`), which can be Turing-unstable.
    """

    F: float = 0.037
    k: float = 0.06

    name: ClassVar[str] = "gray-scott"
    equations: ClassVar[str] = "f = -u v^2 + F (1 - u),  g = u v^2 - (F + k) v"

    def _check_parameters(self) -> None:
        if not (self.F >= 0 and self.k >= 0 and self.F + self.k > 0):
            raise ValueError(
                f"gray-scott needs F >= 0, k >= 0 and F + k > 0, got F = {self.F}, k = {self.k}"
            )

    def reaction(self, u: Any, v: Any) -> tuple[Any, Any]:
        uv2 = u * v * v
        return -uv2 + self.F * (1.0 - u), uv2 - (self.F + self.k) * v

    def steady_state(self) -> tuple[float, float]:
        return 1.0, 0.0

    def steady_states(self) -> list[tuple[float, float]]:
        r"""Return every homogeneous steady state: :math:`(1, 0)`, then the non-trivial ones.

        A non-trivial state has :math:`u v = F + k` and
        :math:`(F + k) v^2 - F v + F (F + k) = 0`, so two exist when :math:`F > 4 (F + k)^2`.
        """
        states = [(1.0, 0.0)]
        total = self.F + self.k
        discriminant = self.F**2 - 4.0 * self.F * total**2
        if discriminant > 0:
            root = math.sqrt(discriminant)
            for v in ((self.F + root) / (2.0 * total), (self.F - root) / (2.0 * total)):
                states.append((total / v, v))
        return states

    def jacobian_at(self, u: float, v: float) -> np.ndarray:
        return np.array(
            [[-v * v - self.F, -2.0 * u * v], [v * v, 2.0 * u * v - (self.F + self.k)]]
        )


@dataclass(frozen=True)
class LinearReaction(ReactionModel):
    r"""Linear reaction about the state :math:`(0, 0)`, the linearisation of any model.

    .. math::

        f(u, v) = f_u u + f_v v, \qquad g(u, v) = g_u u + g_v v .

    The fields ``fu``, ``fv``, ``gu``, ``gv`` are the entries of the Jacobian
    :math:`J = [[f_u, f_v], [g_u, g_v]]`. With all four zero the system is pure diffusion. Each
    Fourier mode of the linear system evolves exactly as the dispersion relation predicts, so
    this model is the reference for growth-rate and decay-rate checks.
    """

    fu: float = 0.0
    fv: float = 0.0
    gu: float = 0.0
    gv: float = 0.0

    name: ClassVar[str] = "linear"
    equations: ClassVar[str] = "f = fu u + fv v,  g = gu u + gv v"

    def reaction(self, u: Any, v: Any) -> tuple[Any, Any]:
        return self.fu * u + self.fv * v, self.gu * u + self.gv * v

    def steady_state(self) -> tuple[float, float]:
        return 0.0, 0.0

    def jacobian_at(self, u: float, v: float) -> np.ndarray:
        return np.array([[self.fu, self.fv], [self.gu, self.gv]])


MODELS: dict[str, type[ReactionModel]] = {
    model.name: model
    for model in (Schnakenberg, Brusselator, GiererMeinhardt, GrayScott, LinearReaction)
}
"""Model classes by name."""


def get_model(name: str, **parameters: float) -> ReactionModel:
    """Build the model called ``name`` with ``parameters``; omitted ones take their defaults.

    Raises
    ------
    ValueError
        If ``name`` is not one of :data:`MODELS`, or a parameter name is not one of the model's.
        The message lists the accepted names. Also if a value is not finite, or if the
        parameters give no steady state that the model can analyse.
    """
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; accepted models: {', '.join(MODELS)}")
    model_class = MODELS[name]
    accepted = model_class.parameter_names()
    unknown = [key for key in parameters if key not in accepted]
    if unknown:
        raise ValueError(
            f"unknown parameter(s) {', '.join(unknown)} for model {name!r}; "
            f"accepted parameters: {', '.join(accepted)}"
        )
    return model_class(**parameters)
