"""Input checks that every command of the command line shares."""

from __future__ import annotations

import pytest

from prdlib.cli import main


@pytest.mark.parametrize("argv", [
    ["simulate", "schnakenberg", "--Du", "1", "--Dv", "20", "--t-end", "1"],
    ["prd-train", "--steps", "10"],
])
def test_missing_output_folder_rejected_before_run(argv, tmp_path, capsys):
    target = tmp_path / "missing" / "run.npz"

    status = main([*argv, "--out", str(target)])

    assert status == 2
    assert "does not exist" in capsys.readouterr().err
    assert not target.exists()


@pytest.mark.parametrize("command", [
    ["simulate", "schnakenberg", "--Du", "1", "--Dv", "20", "--t-end", "1"],
    ["prd-train", "--steps", "10"],
])
def test_negative_seed_names_option(command, capsys):
    with pytest.raises(SystemExit) as caught:
        main([*command, "--seed", "-1"])

    assert caught.value.code == 2
    assert "argument --seed: must be an integer >= 0" in capsys.readouterr().err


def test_small_grid_names_option(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["prd-train", "--grid", "2"])

    assert caught.value.code == 2
    assert "argument --grid: must be an integer >= 3" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["turing", "schnakenberg", "--param", "a=0.1", "--param", "a=0.2", "--Du", "1", "--Dv", "20"],
    ["prd", "--param", "mu=1", "--param", "mu=2"],
])
def test_repeated_parameter_rejected(argv, capsys):
    status = main(argv)

    assert status == 2
    assert "given more than once" in capsys.readouterr().err


def test_negative_lambda_uses_option_name(capsys):
    status = main(["prd", "--param", "lambda=-1"])

    assert status == 2
    assert "lambda must be non-negative" in capsys.readouterr().err
