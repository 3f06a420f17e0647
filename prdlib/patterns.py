r"""Measurements of a pattern on a periodic grid: power spectra, dominant wavenumber, amplitude.

A field is sampled on :math:`N` points per side of a periodic square (or interval) of side
``length`` :math:`L`. Fourier mode :math:`n` has wavenumber :math:`k = 2 \pi n / L` in radians
per unit length, the unit of the dispersion relation in :mod:`prdlib.turing`. Every spectrum is
taken of the deviation from the spatial mean, so the uniform mode carries no power.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
from scipy import ndimage

from prdlib.errors import require_positive

__all__ = [
    "amplitude",
    "dominant_wavenumber",
    "fit_growth_rate",
    "mode_amplitude",
    "power_spectrum_1d",
    "radial_power_spectrum",
    "regions_above_mean",
]


def _as_field(field: Any, dims: tuple[int, ...]) -> np.ndarray:
    if hasattr(field, "detach"):
        field = field.detach().cpu().numpy()
    array = np.asarray(field, dtype=np.float64)
    if array.ndim not in dims:
        raise ValueError(
            f"field must have {' or '.join(str(d) for d in dims)} dimension(s), "
            f"got shape {array.shape}"
        )
    if array.ndim == 2 and array.shape[0] != array.shape[1]:
        raise ValueError(f"a 2D field must be square (N x N), got shape {array.shape}")
    if min(array.shape) < 2:
        raise ValueError(f"field must have at least 2 points per side, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError("field contains NaN or Inf")
    return array


def power_spectrum_1d(field: Any, length: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Compute the power spectrum of a 1D periodic field.

    Parameters
    ----------
    field
        Values at :math:`N` equally spaced points of a periodic interval.
    length
        Interval length :math:`L > 0`.

    Returns
    -------
    tuple of numpy.ndarray
        ``(k, power)`` for modes :math:`n = 0, \dots, \lfloor N/2 \rfloor`, with
        :math:`k = 2 \pi n / L` and ``power`` :math:`= |\hat{w}_n / N|^2` of the deviation
        :math:`w` from the mean (so ``power[0]`` is 0).

    Raises
    ------
    ValueError
        If ``field`` is not a finite 1D array of at least 2 points or ``length`` is not positive.
    """
    array = _as_field(field, (1,))
    length = require_positive("length", length)
    n_points = array.size
    coefficients = np.fft.rfft(array - array.mean()) / n_points
    k = 2.0 * math.pi * np.arange(coefficients.size) / length
    return k, np.abs(coefficients) ** 2


def radial_power_spectrum(field: Any, length: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Compute the radially averaged power spectrum of a 2D periodic field.

    Mode :math:`(n_x, n_y)`, with :math:`n_x, n_y` signed integers, falls in shell
    :math:`m = \mathrm{round}(\sqrt{n_x^2 + n_y^2})`. The returned power of a shell is the *mean*
    of :math:`|\hat{w}_{n_x n_y} / N^2|^2` over its modes. The mean, not the sum, is what
    linear theory predicts: from white noise each mode grows like :math:`e^{2 \sigma(k) t}`
    whatever the number of modes in its shell.

    Parameters
    ----------
    field
        Values on an :math:`N \times N` periodic grid.
    length
        Side :math:`L > 0` of the square.

    Returns
    -------
    tuple of numpy.ndarray
        ``(k, power)`` for shells :math:`m = 0, \dots, \lfloor N/2 \rfloor`, with
        :math:`k = 2 \pi m / L`.

    Raises
    ------
    ValueError
        If ``field`` is not a finite square 2D array or ``length`` is not positive.
    """
    array = _as_field(field, (2,))
    length = require_positive("length", length)
    n_points = array.shape[0]
    power = np.abs(np.fft.fft2(array - array.mean()) / n_points**2) ** 2
    integer_modes = np.fft.fftfreq(n_points, d=1.0 / n_points)
    radius = np.hypot(integer_modes[:, None], integer_modes[None, :])
    shell = np.rint(radius).astype(np.int64).ravel()
    n_shells = n_points // 2 + 1
    keep = shell < n_shells
    totals = np.bincount(shell[keep], weights=power.ravel()[keep], minlength=n_shells)
    counts = np.bincount(shell[keep], minlength=n_shells)
    k = 2.0 * math.pi * np.arange(n_shells) / length
    return k, totals / np.maximum(counts, 1)


def dominant_wavenumber(field: Any, length: float) -> float:
    r"""Estimate the wavenumber (radians per unit length) that carries the most power.

    Uses :func:`power_spectrum_1d` for a 1D field and :func:`radial_power_spectrum` for a 2D
    field. The peak is refined by fitting a parabola to the logarithm of the power at the
    maximal shell and its two neighbours, so the estimate is not restricted to multiples of
    :math:`2\pi/L`. This is exact for a Gaussian peak. The peak shell's wavenumber is returned
    unrefined when a neighbour carries no information: the zero mode (the mean is removed) or a
    mode with less than :math:`10^{-12}` times the peak power (rounding noise).

    Raises
    ------
    ValueError
        If the field is invalid or uniform (no power in any non-zero mode).
    """
    array = _as_field(field, (1, 2))
    spectrum = power_spectrum_1d if array.ndim == 1 else radial_power_spectrum
    k, power = spectrum(array, length)
    if not np.any(power[1:] > 0):
        raise ValueError("field is uniform, so it has no dominant wavenumber")
    peak = 1 + int(np.argmax(power[1:]))
    # A neighbour with only rounding-level power (a pure Fourier mode) carries no information
    # about the peak's position, so the peak shell is returned as it is.
    floor = 1e-12 * power[peak]
    if peak + 1 >= power.size or power[peak - 1] <= floor or power[peak + 1] <= floor:
        return float(k[peak])
    left, centre, right = np.log(power[peak - 1 : peak + 2])
    curvature = left - 2.0 * centre + right
    if curvature >= 0:
        return float(k[peak])
    offset = 0.5 * (left - right) / curvature
    return float(k[peak] + offset * (k[1] - k[0]))


def amplitude(field: Any) -> float:
    """Return the spatial standard deviation of ``field``: 0 for a uniform state."""
    array = _as_field(field, (1, 2))
    return float(array.std())


def mode_amplitude(field: Any, mode: int | Sequence[int]) -> float:
    r"""Return the amplitude of one Fourier mode, so that :math:`A\cos(k x)` gives :math:`A`.

    Parameters
    ----------
    field
        A 1D or square 2D periodic field.
    mode
        Integer mode number :math:`n` (1D) or pair :math:`(n_x, n_y)` (2D), not the zero mode
        and below the Nyquist mode :math:`N/2` in each direction. The wavenumber is
        :math:`2 \pi n / L`.

    Raises
    ------
    ValueError
        If the field is invalid or ``mode`` does not fit the grid.
    """
    array = _as_field(field, (1, 2))
    n_points = array.shape[0]
    modes = np.atleast_1d(np.asarray(mode))
    if modes.size != array.ndim or not np.issubdtype(modes.dtype, np.integer):
        raise ValueError(
            f"mode must be {array.ndim} integer(s) for a {array.ndim}D field, got {mode!r}"
        )
    if np.all(modes == 0) or np.any(np.abs(modes) >= n_points / 2):
        raise ValueError(
            f"mode must be non-zero with |n| < N/2 = {n_points / 2} in each direction, got {mode!r}"
        )
    coefficients = np.fft.fftn(array) / array.size
    return float(2.0 * np.abs(coefficients[tuple(modes % n_points)]))


def fit_growth_rate(times: Any, amplitudes: Any) -> float:
    r"""Fit :math:`A(t) = A_0 e^{\sigma t}` by least squares on :math:`\log A` and return :math:`\sigma`.

    Raises
    ------
    ValueError
        If fewer than two points are given, the lengths differ, or an amplitude is not positive.
    """
    times = np.asarray(times, dtype=np.float64).ravel()
    amplitudes = np.asarray(amplitudes, dtype=np.float64).ravel()
    if times.size != amplitudes.size:
        raise ValueError(
            f"times and amplitudes must have the same length, got {times.size} and {amplitudes.size}"
        )
    if times.size < 2 or np.ptp(times) == 0:
        raise ValueError("need at least two distinct times to fit a growth rate")
    if not np.all(np.isfinite(amplitudes)) or np.any(amplitudes <= 0):
        raise ValueError("amplitudes must be finite and positive to fit a growth rate")
    slope, _ = np.polyfit(times, np.log(amplitudes), 1)
    return float(slope)


def regions_above_mean(field: Any) -> tuple[float, int]:
    """Measure the region where a 2D periodic field exceeds its mean.

    Returns ``(area_fraction, count)``: the fraction of grid points above the mean and the number
    of connected pieces of that set, with 4-neighbour connectivity and periodic wrap-around (a
    piece that crosses an edge counts once). Spots give a small area fraction in many pieces;
    stripes give about half the area in a few long pieces.

    Raises
    ------
    ValueError
        If ``field`` is not a finite square 2D array.
    """
    array = _as_field(field, (2,))
    above = array > array.mean()
    labels, count = ndimage.label(above)
    parent = list(range(count + 1))

    def find(label: int) -> int:
        while parent[label] != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    # Pieces that touch across the periodic boundary are the same piece.
    for first, second in ((labels[0, :], labels[-1, :]), (labels[:, 0], labels[:, -1])):
        for a, b in zip(first, second):
            if a and b:
                parent[find(int(a))] = find(int(b))
    roots = {find(label) for label in range(1, count + 1)}
    return float(above.mean()), len(roots)
