"""Input checks shared by every prdlib module.

Each check raises :class:`ValueError` whose message names the parameter, the value received and
the accepted range, so that a reader can fix the call without reading the source. Nothing is
clipped: a value outside its range is rejected.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = [
    "NonFiniteError",
    "require_finite",
    "require_in_range",
    "require_positive",
    "require_non_negative",
    "require_positive_int",
]


class NonFiniteError(FloatingPointError, ValueError):
    """A run produced NaN or Inf. The message gives the step and time at which it appeared."""

    def __init__(self, quantity: str, step: int, time: float | None = None) -> None:
        at = f"step {step}" if time is None else f"step {step} (t = {time:.6g})"
        super().__init__(
            f"{quantity} became NaN or Inf at {at}; reduce the time step or check the parameters"
        )
        self.step = step
        self.time = time


def _as_float(name: str, value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number, got {value!r}") from None
    if math.isnan(number):
        raise ValueError(f"{name} must be a real number, got NaN")
    return number


def require_finite(name: str, value: Any) -> float:
    """Return ``value`` as a float, raising if it is not a finite real number."""
    number = _as_float(name, value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number}")
    return number


def require_positive(name: str, value: Any) -> float:
    """Return ``value`` as a float, raising unless ``0 < value < inf``."""
    number = require_finite(name, value)
    if number <= 0:
        raise ValueError(f"{name} must be positive (> 0), got {number}")
    return number


def require_non_negative(name: str, value: Any) -> float:
    """Return ``value`` as a float, raising unless ``0 <= value < inf``."""
    number = require_finite(name, value)
    if number < 0:
        raise ValueError(f"{name} must be non-negative (>= 0), got {number}")
    return number


def require_in_range(
    name: str,
    value: Any,
    low: float,
    high: float,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a float, raising unless it lies in the stated interval."""
    number = require_finite(name, value)
    below = number <= low if low_open else number < low
    above = number >= high if high_open else number > high
    if below or above:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        raise ValueError(f"{name} must lie in {left}{low}, {high}{right}, got {number}")
    return number


def require_positive_int(name: str, value: Any, *, minimum: int = 1) -> int:
    """Return ``value`` as an int, raising unless it is an integer ``>= minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)
