"""Tests of the ``prd`` and ``prd-train`` commands, run through the command line's entry point."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from prdlib.cli import main

REFERENCE_ARGS = ["--param", "mu=0.675", "--param", "lambda=2.99", "--param", "gamma=0.007",
                  "--param", "ys=1.968", "--param", "yd=-1.94", "--param", "c=-0.673"]


def without_lambda(args: list[str]) -> list[str]:
    """Return ``args`` without its ``--param lambda=...`` pair (a parameter may be given once)."""
    pairs = list(zip(args[::2], args[1::2]))
    return [item for pair in pairs if not pair[1].startswith("lambda=") for item in pair]


FAST_ARGS = ["--param", "mu=0.357", "--param", "lambda=1.124", "--param", "gamma=0.147",
             "--param", "ys=-2.457", "--param", "yd=0.631", "--param", "c=-0.222",
             "--Du", "0.188", "--Dv", "6.8432"]


def run_cli(argv, capsys):
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_reference_regime_equilibria(capsys):
    status, out, _ = run_cli(["prd", *REFERENCE_ARGS, "--Du", "1", "--Dv", "200", "--json"], capsys)
    assert status == 0
    result = json.loads(out)
    compromise, saddle, supervised = result["equilibria"]

    assert compromise["u"] == pytest.approx(-1.0637, abs=1e-4)
    assert compromise["v"] == pytest.approx(-1.1253, abs=1e-4)
    assert compromise["stable"] is True
    assert np.allclose(compromise["jacobian"], [[0.227, 2.132], [-0.713, -0.294]], atol=1e-3)
    assert compromise["turing_unstable"] is True
    assert compromise["d_critical"] == pytest.approx(115.0, abs=0.1)
    assert compromise["k_max"] == pytest.approx(0.29, abs=0.005)

    assert supervised["u"] == pytest.approx(1.9649, abs=1e-4)
    assert supervised["v"] == pytest.approx(-3.1936, abs=1e-4)
    assert supervised["stable"] is True
    assert supervised["turing_unstable"] is False
    assert supervised["d_critical"] is None

    assert saddle["u"] == pytest.approx(-0.257, abs=1e-3)
    assert saddle["v"] == pytest.approx(-5.545, abs=1e-3)
    assert saddle["stable"] is False


def test_supervised_equilibrium_never_turing_unstable(capsys):
    for ratio in ("2", "200", "1e6"):
        _, out, _ = run_cli(["prd", *REFERENCE_ARGS, "--Du", "1", "--Dv", ratio], capsys)
        supervised = json.loads(out)["equilibria"][2]
        assert supervised["turing_unstable"] is False


def test_without_adversary_one_equilibrium(capsys):
    status, out, _ = run_cli(["prd", *without_lambda(REFERENCE_ARGS), "--param", "lambda=0", "--Du", "1",
                              "--Dv", "200"], capsys)
    assert status == 0
    (only,) = json.loads(out)["equilibria"]
    assert only["u"] == pytest.approx(1.968, abs=1e-6)
    assert only["v"] == pytest.approx(-3.193, abs=1e-3)
    assert only["stable"] is True
    assert only["turing_unstable"] is False
    assert only["d_critical"] is None


def test_missing_parameters_default_to_reference(capsys):
    _, out, _ = run_cli(["prd"], capsys)
    result = json.loads(out)
    assert result["params"] == {"mu": 0.675, "lambda": 2.99, "gamma": 0.007, "ys": 1.968,
                                "yd": -1.94, "c": -0.673}
    assert result["Du"] == 1.0
    assert result["Dv"] == 200.0
    assert len(result["equilibria"]) == 3


def test_unknown_parameter_lists_accepted_names(capsys):
    status, out, err = run_cli(["prd", "--param", "beta=1"], capsys)
    assert status == 2
    assert out == ""
    assert "unknown parameter 'beta'" in err
    assert "mu, lambda, gamma, ys, yd, c" in err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["prd", "--param", "gamma=-0.1"], "gamma must be non-negative"),
        (["prd", "--param", "mu=abc"], "value of mu must be a number"),
        (["prd", "--Dv", "-1"], "Dv must be positive"),
        (["prd", "--param", "mu=1", "--param", "lambda=0", "--param", "gamma=0",
          "--param", "ys=-1", "--param", "yd=1", "--param", "c=0"], "no homogeneous equilibrium"),
        (["prd-train", "--Dv", "-1", "--steps", "1"], "Dv must be non-negative"),
        (["prd-train", "--lr", "0.01", "--steps", "1"], "explicit stability limit"),
        (["prd-train", *FAST_ARGS, "--start", "9,9", "--steps", "1"], "found no equilibrium near"),
    ],
)
def test_bad_input_is_reported(argv, message, capsys):
    status, _, err = run_cli(argv, capsys)
    assert status == 2
    assert message in err


def test_malformed_options_rejected_by_argparse(capsys):
    for argv, message in ((["prd-train", "--start", "1,2,3"], "expected U,V"),
                          (["prd", "--param", "mu"], "expected NAME=VALUE")):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
        assert message in capsys.readouterr().err


def test_divergence_is_reported_with_step(capsys):
    argv = ["prd-train", "--param", "mu=50", "--param", "lambda=0", "--param", "gamma=0.1",
            "--param", "ys=0", "--param", "yd=1", "--param", "c=0", "--Du", "0.1", "--Dv", "0.1",
            "--lr", "0.1", "--grid", "4", "--steps", "2000", "--noise", "0.1"]
    status, _, err = run_cli(argv, capsys)
    assert status == 2
    assert "NaN or Inf at step" in err


def test_train_fast_regime_short_run(tmp_path, capsys):
    out_file = tmp_path / "run.npz"
    status, out, _ = run_cli(["prd-train", *FAST_ARGS, "--grid", "16", "--steps", "300",
                              "--seed", "3", "--out", str(out_file)], capsys)
    assert status == 0
    result = json.loads(out)
    assert result["steps"] == 300
    assert result["grid"] == 16
    assert result["equilibrium"] == pytest.approx([-0.2560, 1.4331], abs=1e-4)
    assert result["lr"] == pytest.approx(0.8 / (4 * 6.8432))
    assert result["seconds"] > 0
    assert result["amplitude"] == result["std_u"]
    for key in ("dominant_k", "std_v", "predicted_k_max"):
        assert np.isfinite(result[key])
    saved = np.load(out_file)
    assert saved["u"].shape == (16, 16)
    assert saved["std_u"][-1] == pytest.approx(result["std_u"])


def test_train_from_given_start_and_alternating(capsys):
    status, out, _ = run_cli(["prd-train", *without_lambda(FAST_ARGS), "--param", "lambda=0", "--grid", "8",
                              "--steps", "50", "--start=-2.4,1.6", "--method", "alternating"],
                             capsys)
    assert status == 0
    result = json.loads(out)
    assert result["method"] == "alternating"
    assert result["equilibrium"][0] == pytest.approx(-2.457, abs=1e-9)


def test_entry_point_exit_status_and_help():
    completed = subprocess.run([sys.executable, "-m", "prdlib", "prd", "--param", "nu=1"],
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 2
    assert "accepted names" in completed.stderr
    completed = subprocess.run([sys.executable, "-m", "prdlib", "prd", "--help"],
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0
    assert "reference regime" in completed.stdout
    assert "lambda=2.99" in completed.stdout
