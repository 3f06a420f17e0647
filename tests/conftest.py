"""Shared test set-up: a non-interactive matplotlib backend, figures closed after every test.

The backend is set for this process only. Setting MPLBACKEND in the environment instead would
reach the kernels of the book build and of nbval, where it stops figures from being displayed.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opened, so figures do not pile up across tests."""
    yield
    plt.close("all")
