"""Gradient play in a two-player game: simultaneous and alternating steps.

Two players hold parameters :math:`x` and :math:`y`. Player one minimises :math:`L_1(x, y)` over
:math:`x`, player two minimises :math:`L_2(x, y)` over :math:`y`. With step :math:`\\eta`,

.. math::

    \\text{simultaneous:}\\quad
    x_{k+1} = x_k - \\eta\\, \\nabla_x L_1(x_k, y_k), \\qquad
    y_{k+1} = y_k - \\eta\\, \\nabla_y L_2(x_k, y_k),

    \\text{alternating:}\\quad
    x_{k+1} = x_k - \\eta\\, \\nabla_x L_1(x_k, y_k), \\qquad
    y_{k+1} = y_k - \\eta\\, \\nabla_y L_2(x_{k+1}, y_k).

Gradients come from :func:`torch.autograd.grad` on fresh leaf copies of the parameters, so no
``.grad`` buffer is read or accumulated, and every returned tensor is detached: a long run keeps
no autograd history.
"""

from __future__ import annotations

from typing import Callable, Literal, Sequence, Union

import torch

from prdlib.errors import NonFiniteError, require_positive, require_positive_int

__all__ = ["Method", "METHODS", "Player", "game_step", "simultaneous_step", "alternating_step",
           "game_trajectory"]

Method = Literal["simultaneous", "alternating"]
METHODS: tuple[str, ...] = ("simultaneous", "alternating")

Player = Union[torch.Tensor, Sequence[torch.Tensor]]
"""A player's parameters: one tensor, or a sequence of tensors (returned in the same form)."""

Loss = Callable[[Player, Player], torch.Tensor]
"""A player's loss ``loss(first, second) -> scalar tensor``, called with both players' parameters."""


def _as_tuple(player: Player, name: str) -> tuple[torch.Tensor, ...]:
    if isinstance(player, torch.Tensor):
        return (player,)
    tensors = tuple(player)
    if not tensors or not all(isinstance(tensor, torch.Tensor) for tensor in tensors):
        raise ValueError(f"{name} must be a tensor or a non-empty sequence of tensors, got {player!r}")
    return tensors


def _restore(template: Player, tensors: Sequence[torch.Tensor]) -> Player:
    """Return ``tensors`` in the form of ``template``: one tensor, or a tuple of tensors."""
    if isinstance(template, torch.Tensor):
        return tensors[0]
    return tuple(tensors)


def _leaves(tensors: Sequence[torch.Tensor]) -> tuple[torch.Tensor, ...]:
    return tuple(tensor.detach().requires_grad_(True) for tensor in tensors)


def _constants(tensors: Sequence[torch.Tensor]) -> tuple[torch.Tensor, ...]:
    return tuple(tensor.detach() for tensor in tensors)


def _gradient(loss: torch.Tensor, inputs: Sequence[torch.Tensor], name: str) -> tuple[torch.Tensor, ...]:
    if loss.dim() != 0:
        raise ValueError(f"{name} must return a scalar tensor, got shape {tuple(loss.shape)}")
    # allow_unused: a player whose loss ignores one of its tensors gets a zero gradient for it.
    gradients = torch.autograd.grad(loss, inputs, allow_unused=True)
    return tuple(torch.zeros_like(x) if g is None else g for x, g in zip(inputs, gradients))


def _descend(tensors: Sequence[torch.Tensor], gradients: Sequence[torch.Tensor], lr: float):
    return tuple((x - lr * g).detach() for x, g in zip(tensors, gradients))


def simultaneous_step(
    loss_first: Loss,
    loss_second: Loss,
    first: Player,
    second: Player,
    lr: float,
    *,
    lr_second: float | None = None,
) -> tuple[Player, Player]:
    """Move both players at once, each along minus the gradient of its own loss at the same point.

    Parameters
    ----------
    loss_first, loss_second
        The losses :math:`L_1(x, y)` and :math:`L_2(x, y)`; each is called as
        ``loss(first, second)`` and returns a scalar tensor.
    first, second
        The parameters :math:`x` and :math:`y` (a tensor or a sequence of tensors each).
    lr
        The step :math:`\\eta > 0` of the first player (and of the second unless ``lr_second``).
    lr_second
        The second player's step, if it differs.

    Returns
    -------
    tuple
        The new ``(first, second)``, detached, in the form they were given.
    """
    lr = require_positive("lr", lr)
    lr_second = lr if lr_second is None else require_positive("lr_second", lr_second)
    x, y = _as_tuple(first, "first"), _as_tuple(second, "second")
    x_var, y_var = _leaves(x), _leaves(y)
    x_const, y_const = _constants(x), _constants(y)
    # One backward pass gives both gradients: in each term only the player that owns the loss is a
    # differentiable leaf, so d/dx reaches only L_1 and d/dy reaches only L_2.
    total = (loss_first(_restore(first, x_var), _restore(second, y_const))
             + loss_second(_restore(first, x_const), _restore(second, y_var)))
    gradients = _gradient(total, x_var + y_var, "the sum of the two losses")
    new_x = _descend(x, gradients[: len(x)], lr)
    new_y = _descend(y, gradients[len(x):], lr_second)
    return _restore(first, new_x), _restore(second, new_y)


def alternating_step(
    loss_first: Loss,
    loss_second: Loss,
    first: Player,
    second: Player,
    lr: float,
    *,
    lr_second: float | None = None,
) -> tuple[Player, Player]:
    """Move the first player, then the second player against the first player's new parameters.

    Arguments and return value as in :func:`simultaneous_step`.
    """
    lr = require_positive("lr", lr)
    lr_second = lr if lr_second is None else require_positive("lr_second", lr_second)
    x, y = _as_tuple(first, "first"), _as_tuple(second, "second")

    x_var = _leaves(x)
    loss = loss_first(_restore(first, x_var), _restore(second, _constants(y)))
    new_x = _descend(x, _gradient(loss, x_var, "loss_first"), lr)

    y_var = _leaves(y)
    loss = loss_second(_restore(first, new_x), _restore(second, y_var))
    new_y = _descend(y, _gradient(loss, y_var, "loss_second"), lr_second)
    return _restore(first, new_x), _restore(second, new_y)


def game_step(
    loss_first: Loss,
    loss_second: Loss,
    first: Player,
    second: Player,
    lr: float,
    *,
    method: Method = "simultaneous",
    lr_second: float | None = None,
) -> tuple[Player, Player]:
    """Take one step of gradient play with ``method`` ``"simultaneous"`` or ``"alternating"``.

    See :func:`simultaneous_step` for the arguments.
    """
    if method == "simultaneous":
        return simultaneous_step(loss_first, loss_second, first, second, lr, lr_second=lr_second)
    if method == "alternating":
        return alternating_step(loss_first, loss_second, first, second, lr, lr_second=lr_second)
    raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")


def game_trajectory(
    loss_first: Loss,
    loss_second: Loss,
    first: torch.Tensor,
    second: torch.Tensor,
    lr: float,
    steps: int,
    *,
    method: Method = "simultaneous",
    lr_second: float | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Play ``steps`` steps from single-tensor players and return both trajectories.

    Returns
    -------
    tuple of torch.Tensor
        ``(xs, ys)`` of shapes ``(steps + 1, *first.shape)`` and ``(steps + 1, *second.shape)``;
        row 0 is the start.

    Raises
    ------
    prdlib.errors.NonFiniteError
        If either player's parameters become NaN or Inf; the message gives the step.
    """
    steps = require_positive_int("steps", steps, minimum=0)
    if not isinstance(first, torch.Tensor) or not isinstance(second, torch.Tensor):
        raise ValueError("game_trajectory needs first and second to be single tensors")
    xs, ys = [first.detach()], [second.detach()]
    x, y = first, second
    for step in range(1, steps + 1):
        x, y = game_step(loss_first, loss_second, x, y, lr, method=method, lr_second=lr_second)
        if not (bool(torch.isfinite(x).all()) and bool(torch.isfinite(y).all())):
            raise NonFiniteError("the players' parameters", step, step * lr)
        xs.append(x)
        ys.append(y)
    return torch.stack(xs), torch.stack(ys)
