"""Shared test set-up: a non-interactive matplotlib backend, figures closed after every test."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opened, so figures do not pile up across tests."""
    yield
    plt.close("all")
