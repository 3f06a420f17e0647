"""Tests of prdlib.patterns on fields whose spectra are known in closed form."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from prdlib import patterns


def grid_1d(n_points, length):
    return np.arange(n_points) * length / n_points


def test_power_spectrum_1d_single_cosine():
    length, n_points = 30.0, 64
    x = grid_1d(n_points, length)
    field = 2.0 + 0.5 * np.cos(2 * math.pi * 5 * x / length)
    k, power = patterns.power_spectrum_1d(field, length)
    assert k.shape == (33,)
    assert k[5] == pytest.approx(2 * math.pi * 5 / length)
    assert power[0] == pytest.approx(0.0, abs=1e-20)
    assert power[5] == pytest.approx(0.25**2)  # |A/2|^2
    assert np.delete(power, 5).max() < 1e-20


def test_power_spectrum_parseval():
    rng = np.random.default_rng(0)
    field = rng.standard_normal(50)
    _, power = patterns.power_spectrum_1d(field, 1.0)
    # Each non-Nyquist positive mode stands for itself and its negative partner.
    total = power[0] + 2 * power[1:25].sum() + power[25]
    assert total == pytest.approx(field.var())


def test_radial_spectrum_plane_wave():
    length, n_points = 40.0, 64
    x = grid_1d(n_points, length)
    field = np.cos(2 * math.pi * (3 * x[:, None] + 4 * x[None, :]) / length)
    k, power = patterns.radial_power_spectrum(field, length)
    assert k.shape == (33,)
    assert int(np.argmax(power)) == 5  # |(3, 4)| = 5
    assert patterns.dominant_wavenumber(field, length) == pytest.approx(2 * math.pi * 5 / length)


@settings(max_examples=40, deadline=None)
@given(mode=st.integers(2, 20), phase=st.floats(0, 2 * math.pi), length=st.floats(1, 500))
def test_dominant_wavenumber_of_stripes(mode, phase, length):
    n_points = 64
    x = grid_1d(n_points, length)
    stripes = np.cos(2 * math.pi * mode * x / length + phase)
    expected = 2 * math.pi * mode / length
    assert patterns.dominant_wavenumber(stripes, length) == pytest.approx(expected)
    field_2d = np.broadcast_to(stripes[None, :], (n_points, n_points))
    assert patterns.dominant_wavenumber(field_2d, length) == pytest.approx(expected)


def test_dominant_wavenumber_interpolates_between_modes():
    # A Gaussian spectral peak centred between modes 10 and 11 is located exactly.
    n_points, length = 256, 100.0
    modes = np.arange(n_points // 2 + 1)
    spectrum = np.exp(-((modes - 10.3) ** 2) / 8.0)
    spectrum[0] = 0
    field = np.fft.irfft(spectrum, n=n_points)
    assert patterns.dominant_wavenumber(field, length) == pytest.approx(
        2 * math.pi * 10.3 / length, rel=1e-9
    )


def test_amplitude_is_standard_deviation():
    field = np.array([[1.0, 3.0], [1.0, 3.0]])
    assert patterns.amplitude(field) == pytest.approx(1.0)
    assert patterns.amplitude(np.full((4, 4), 2.5)) == 0.0


def test_mode_amplitude_1d_and_2d():
    length, n_points = 10.0, 32
    x = grid_1d(n_points, length)
    field_1d = 0.7 * np.cos(2 * math.pi * 3 * x / length + 0.4) + 0.1
    assert patterns.mode_amplitude(field_1d, 3) == pytest.approx(0.7)
    assert patterns.mode_amplitude(field_1d, -3) == pytest.approx(0.7)
    assert patterns.mode_amplitude(field_1d, 4) == pytest.approx(0.0, abs=1e-12)
    field_2d = 0.2 * np.cos(2 * math.pi * (2 * x[:, None] - x[None, :]) / length)
    assert patterns.mode_amplitude(field_2d, (2, -1)) == pytest.approx(0.2)


def test_accepts_torch_tensor():
    tensor = torch.tensor([0.0, 1.0, 0.0, -1.0], dtype=torch.float64)
    assert patterns.amplitude(tensor) == pytest.approx(math.sqrt(0.5))


def test_fit_growth_rate_exact_exponential():
    times = np.linspace(0, 5, 11)
    assert patterns.fit_growth_rate(times, 3.0 * np.exp(-0.37 * times)) == pytest.approx(-0.37)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: patterns.power_spectrum_1d(np.ones((4, 4)), 1.0), "1 dimension"),
        (lambda: patterns.radial_power_spectrum(np.ones(8), 1.0), "2 dimension"),
        (lambda: patterns.radial_power_spectrum(np.ones((4, 6)), 1.0), "square"),
        (lambda: patterns.power_spectrum_1d(np.ones(1), 1.0), "at least 2 points"),
        (lambda: patterns.power_spectrum_1d([0.0, np.nan], 1.0), "NaN or Inf"),
        (lambda: patterns.power_spectrum_1d(np.ones(8), 0.0), "length must be positive"),
        (lambda: patterns.dominant_wavenumber(np.ones(8), 1.0), "uniform"),
        (lambda: patterns.mode_amplitude(np.ones(8), 0), "non-zero"),
        (lambda: patterns.mode_amplitude(np.ones(8), 4), "N/2"),
        (lambda: patterns.mode_amplitude(np.ones(8), 1.5), "integer"),
        (lambda: patterns.mode_amplitude(np.ones((8, 8)), 1), "2 integer"),
        (lambda: patterns.fit_growth_rate([0, 1], [1.0]), "same length"),
        (lambda: patterns.fit_growth_rate([1.0], [1.0]), "two distinct times"),
        (lambda: patterns.fit_growth_rate([0, 1], [1.0, 0.0]), "positive"),
    ],
)
def test_invalid_input_raises(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_regions_stripes_wrap_around():
    n_points = 32
    x = np.arange(n_points)
    stripes = np.cos(2 * math.pi * 4 * x / n_points)[None, :] * np.ones((n_points, 1))
    area, count = patterns.regions_above_mean(stripes)
    assert area == pytest.approx(0.5, abs=0.1)
    assert count == 4  # each stripe spans the domain vertically


def test_regions_spot_across_corner_counts_once():
    field = np.zeros((16, 16))
    field[[0, 0, -1, -1], [0, -1, 0, -1]] = 1.0  # one spot split over the four corners
    field[8, 8] = 1.0
    area, count = patterns.regions_above_mean(field)
    assert count == 2
    assert area == pytest.approx(5 / 256)


def test_regions_rejects_1d():
    with pytest.raises(ValueError, match="2 dimension"):
        patterns.regions_above_mean(np.ones(8))
