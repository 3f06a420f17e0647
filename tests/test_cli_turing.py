"""Tests of the ``turing`` and ``simulate`` commands through the real dispatcher."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from prdlib.cli import main


def run(argv, capsys):
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_turing_schnakenberg_reference(capsys):
    status, out, _ = run(["turing", "schnakenberg", "--param", "a=0.1", "--param", "b=0.9",
                          "--Du", "1", "--Dv", "20"], capsys)
    assert status == 0
    result = json.loads(out)
    assert result["steady_state"] == pytest.approx([1.0, 0.9])
    assert np.allclose(result["jacobian"], [[0.8, 1.0], [-1.8, -1.0]])
    assert result["turing_unstable"] is True
    assert result["d_critical"] == pytest.approx(8.5676, rel=1e-3)
    for key in ("trace", "det", "k_critical", "k_max", "growth_max"):
        assert key in result
    assert result["k_max"] > 0
    assert result["growth_max"] > 0


def test_turing_as_subprocess():
    completed = subprocess.run(
        [sys.executable, "-m", "prdlib", "turing", "schnakenberg", "--param", "a=0.1",
         "--param", "b=0.9", "--Du", "1", "--Dv", "20"],
        capture_output=True, text=True, check=False, timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["d_critical"] == pytest.approx(8.5676, rel=1e-3)


def test_turing_gray_scott_not_turing(capsys):
    status, out, _ = run(["turing", "gray-scott", "--Du", "2", "--Dv", "1"], capsys)
    assert status == 0
    result = json.loads(out)
    assert result["steady_state"] == [1.0, 0.0]
    assert result["turing_unstable"] is False
    assert result["d_critical"] is None


def test_simulate_reports_pattern(capsys, tmp_path):
    out_file = tmp_path / "run.npz"
    status, out, _ = run(["simulate", "schnakenberg", "--Du", "1", "--Dv", "20", "--grid", "32",
                          "--t-end", "40", "--seed", "3", "--out", str(out_file)], capsys)
    assert status == 0
    result = json.loads(out)
    for key in ("dominant_k", "predicted_k_max", "amplitude", "steps", "seconds"):
        assert key in result
    assert result["amplitude"] > 0.1
    assert result["dominant_k"] == pytest.approx(result["predicted_k_max"], rel=0.2)
    saved = np.load(out_file)
    assert saved["u"].shape == (32, 32)
    assert float(saved["length"]) == pytest.approx(result["length"])


def test_simulate_euler_dt_above_limit(capsys):
    status, _, err = run(["simulate", "schnakenberg", "--Du", "1", "--Dv", "20", "--grid", "16",
                          "--length", "32", "--t-end", "1", "--method", "euler", "--dt", "1"],
                         capsys)
    assert status == 2
    assert "stability limit" in err
    assert "= 0.05 " in err  # h^2 / (2 * 2 * 20) with h = 2


@pytest.mark.parametrize(
    "argv, message",
    [
        (["turing", "fitzhugh", "--Du", "1", "--Dv", "2"],
         "accepted models: schnakenberg, brusselator, gierer-meinhardt, gray-scott"),
        (["turing", "schnakenberg", "--param", "c=1", "--Du", "1", "--Dv", "2"],
         "accepted parameters: a, b"),
        (["turing", "schnakenberg", "--Du", "0", "--Dv", "2"], "Du must be positive"),
        (["turing", "schnakenberg", "--Du", "1", "--Dv", "-2"], "Dv must be positive"),
        (["turing", "brusselator", "--param", "a=0", "--Du", "1", "--Dv", "2"],
         "positive steady state only for a > 0"),
        (["simulate", "schnakenberg", "--Du", "1", "--Dv", "20", "--grid", "0"],
         "grid must be an integer >= 2"),
        (["simulate", "schnakenberg", "--Du", "1", "--Dv", "20", "--length", "-1"],
         "length must be positive"),
        (["simulate", "gray-scott", "--Du", "2", "--Dv", "1"], "give --length"),
    ],
)
def test_invalid_input_exits_2(argv, message, capsys):
    status, out, err = run(argv, capsys)
    assert status == 2
    assert out == ""
    assert message in err


def test_malformed_param_rejected_by_parser(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["turing", "schnakenberg", "--param", "a", "--Du", "1", "--Dv", "2"])
    assert caught.value.code == 2
    assert "NAME=VALUE" in capsys.readouterr().err


def test_help_documents_units(capsys):
    with pytest.raises(SystemExit):
        main(["simulate", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for option in ("--Du", "--Dv", "--grid", "--length", "--t-end", "--seed", "--method",
                   "--dt", "--out", "--param"):
        assert option in text
    assert "length^2 per unit time" in text
    assert "time units" in text
