"""Commands ``prd`` (equilibria of the per-site game) and ``prd-train`` (train a neural sheet).

Examples::

    python -m prdlib prd --param lambda=2.99 --Du 1 --Dv 200
    python -m prdlib prd-train --param mu=0.357 --param lambda=1.124 --param gamma=0.147 \\
        --param ys=-2.457 --param yd=0.631 --param c=-0.222 --Du 0.188 --Dv 6.8432 \\
        --grid 64 --steps 6000 --seed 0
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from prdlib import prd, sheet
from prdlib.cli import check_output_path, integer_at_least, reject_repeated_names
from prdlib.errors import require_non_negative
from prdlib.games import METHODS

# Command-line names of the game's parameters and the PRDParams fields they set.
PARAMETER_FIELDS = {"mu": "mu", "lambda": "lam", "lam": "lam", "gamma": "gamma", "ys": "ys",
                    "yd": "yd", "c": "c"}

_DEFAULTS = ", ".join(
    f"{name}={getattr(prd.REFERENCE_PARAMS, field)}"
    for name, field in PARAMETER_FIELDS.items() if name != "lam"
)


def _parse_param(text: str) -> tuple[str, str]:
    name, separator, value = text.partition("=")
    if not separator or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), value.strip()


def _parse_pair(text: str) -> tuple[float, float]:
    parts = text.split(",")
    try:
        if len(parts) != 2:
            raise ValueError
        return float(parts[0]), float(parts[1])
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected U,V (two numbers), got {text!r}") from None


def params_from_arguments(pairs: list[tuple[str, str]]) -> prd.PRDParams:
    """Build :class:`~prdlib.prd.PRDParams` from ``NAME=VALUE`` pairs over the reference regime.

    Raises
    ------
    ValueError
        For an unknown name (the message lists the accepted ones), a value that is not a
        number, or a value outside its range.
    """
    reject_repeated_names(pairs)
    values = prd.REFERENCE_PARAMS.as_dict()
    for name, text in pairs:
        if name not in PARAMETER_FIELDS:
            raise ValueError(
                f"unknown parameter {name!r}; accepted names: mu, lambda, gamma, ys, yd, c"
            )
        try:
            values[PARAMETER_FIELDS[name]] = float(text)
        except ValueError:
            raise ValueError(f"value of {name} must be a number, got {text!r}") from None
    if values["lam"] < 0:
        # PRDParams calls this field lam; the command line calls it lambda.
        raise ValueError(f"lambda must be non-negative (>= 0), got {values['lam']}")
    return prd.PRDParams(**values)


def _params_json(params: prd.PRDParams) -> dict[str, float]:
    return {name: getattr(params, field) for name, field in PARAMETER_FIELDS.items()
            if name != "lam"}


def _add_game_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--param", action="append", default=[], type=_parse_param, metavar="NAME=VALUE",
        help="parameter of the per-site game, repeatable: mu (supervised weight, > 0), lambda "
             "(adversarial weight, >= 0), gamma (discriminator weight decay, >= 0), ys "
             "(supervised target), yd (real value shown to the discriminator), c "
             f"(discriminator threshold). Missing ones take the reference regime: {_DEFAULTS}",
    )
    parser.add_argument("--Du", type=float, default=prd.REFERENCE_DU,
                        help="coupling strength of the generators, > 0 for prd, >= 0 for "
                             f"prd-train (per site per unit time; default {prd.REFERENCE_DU})")
    parser.add_argument("--Dv", type=float, default=prd.REFERENCE_DV,
                        help="coupling strength of the discriminators, > 0 for prd, >= 0 for "
                             f"prd-train (per site per unit time; default {prd.REFERENCE_DV})")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``prd`` and ``prd-train`` commands to the dispatcher's subparsers."""
    analysis = subparsers.add_parser(
        "prd",
        help="equilibria of the per-site generator/discriminator game and their Turing analysis",
        description="Find every homogeneous equilibrium (u, v) of the per-site game and print, "
                    "for each, the reaction Jacobian, its stability without coupling, whether "
                    "the couplings Du, Dv make it Turing-unstable, the critical ratio Dv/Du "
                    "(null where none), the interval of ratios that give instability "
                    "(ratio_interval; an upper end of null means unbounded) and the "
                    "fastest-growing continuum wavenumber (radians per site) with its growth "
                    "rate (per unit time).",
    )
    _add_game_arguments(analysis)
    analysis.add_argument("--json", action="store_true",
                          help="accepted for scripts; the output is always one JSON object")
    analysis.set_defaults(handler=run_prd)

    train = subparsers.add_parser(
        "prd-train",
        help="train an N x N periodic sheet of neurons from a perturbed equilibrium",
        description="Train the sheet by gradient play on the generators' and the "
                    "discriminators' total losses (autograd, float64) from an equilibrium plus "
                    "seeded Gaussian noise, and print the final dominant wavenumber (radians per "
                    "site), the amplitude std(u) and the run time.",
    )
    _add_game_arguments(train)
    train.add_argument("--grid", type=integer_at_least(3), default=64,
                       help="sites per side N, >= 3 (default 64)")
    train.add_argument("--steps", type=int, default=1000, help="gradient steps (default 1000)")
    train.add_argument("--seed", type=integer_at_least(0), default=0,
                       help="seed of the initial noise, >= 0 (default 0)")
    train.add_argument("--noise", type=float, default=1e-3,
                       help="standard deviation of the initial noise at each site (default 0.001)")
    train.add_argument("--lr", type=float, default=None,
                       help="step size; must be below 1/(4 max(Du, Dv)); default 0.8 times that "
                            "limit")
    train.add_argument("--start", type=_parse_pair, default=None, metavar="U,V",
                       help="approximate equilibrium to perturb, refined by Newton's method "
                            "(the equilibrium must lie within distance 1); write --start=U,V "
                            "when U is negative. Default: the stable equilibrium whose generator "
                            "self-activates most (largest f_u)")
    train.add_argument("--method", choices=METHODS, default="simultaneous",
                       help="simultaneous (default) or alternating updates")
    train.add_argument("--out", default=None, metavar="FILE.npz",
                       help="save the final fields and the history (std, dominant k) to this "
                            "numpy .npz file")
    train.set_defaults(handler=run_train)


def run_prd(args: argparse.Namespace) -> dict[str, Any]:
    """Handle ``prd``: analyse every equilibrium."""
    params = params_from_arguments(args.param)
    analyses = prd.analyse_equilibria(params, args.Du, args.Dv)
    equilibria = []
    for analysis in analyses:
        entry = analysis.as_dict()
        entry.pop("Du")
        entry.pop("Dv")
        equilibria.append(entry)
    return {"params": _params_json(params), "Du": args.Du, "Dv": args.Dv,
            "ratio": args.Dv / args.Du, "equilibria": equilibria}


def run_train(args: argparse.Namespace) -> dict[str, Any]:
    """Handle ``prd-train``: train a sheet and summarise the run."""
    check_output_path(args.out)
    params = params_from_arguments(args.param)
    # Check the couplings before the equilibrium search, which takes a moment.
    require_non_negative("Du", args.Du)
    require_non_negative("Dv", args.Dv)

    if args.start is None:
        equilibrium = sheet.default_equilibrium(params)
    else:
        equilibrium = prd.refine_equilibrium(params, *args.start)
    run = sheet.train_sheet(
        params, args.Du, args.Dv, n=args.grid, steps=args.steps, lr=args.lr, method=args.method,
        equilibrium=(equilibrium.u, equilibrium.v), noise=args.noise, seed=args.seed,
        record_every=max(1, args.steps // 200),
    )

    result: dict[str, Any] = {
        "params": _params_json(params), "Du": run.Du, "Dv": run.Dv, "lr": run.lr,
        "method": run.method, "grid": run.n, "steps": run.steps, "seed": run.seed,
        "equilibrium": list(run.equilibrium),
        "dominant_k": float(run.dominant_k[-1]),
        "amplitude": float(run.std_u[-1]),
        "std_u": float(run.std_u[-1]), "std_v": float(run.std_v[-1]),
        "initial_std_u": float(run.std_u[0]),
        "seconds": run.seconds,
    }
    if min(run.Du, run.Dv) > 0:
        k_pred, growth = sheet.fastest_lattice_mode(equilibrium.jacobian, run.Du, run.Dv, run.n)
        result["predicted_k_max"] = k_pred
        result["predicted_growth_max"] = growth

    if args.out:
        np.savez_compressed(
            args.out, u=run.u, v=run.v, history_steps=run.history_steps, std_u=run.std_u,
            std_v=run.std_v, dominant_k=run.dominant_k, lr=run.lr,
        )
        result["out"] = args.out
    return result
