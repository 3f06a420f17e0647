"""Commands ``turing`` (linear analysis of a model) and ``simulate`` (a 2D run of it).

Examples::

    python -m prdlib turing schnakenberg --param a=0.1 --param b=0.9 --Du 1 --Dv 20
    python -m prdlib simulate gierer-meinhardt --Du 1 --Dv 25 --grid 64 --t-end 60 --seed 0
"""

from __future__ import annotations

import argparse
import math
from typing import Any

import numpy as np

from prdlib import models, patterns, simulate, turing
from prdlib.cli import check_output_path, integer_at_least, reject_repeated_names

MODEL_HELP = (
    "reaction model: "
    + "; ".join(f"{name} ({cls.equations})" for name, cls in models.MODELS.items())
)


def _parse_param(text: str) -> tuple[str, float]:
    name, separator, value = text.partition("=")
    if not separator or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        return name.strip(), float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"value of {name} must be a number, got {value!r}") from None


def _add_model_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help=MODEL_HELP)
    parser.add_argument(
        "--param", action="append", default=[], type=_parse_param, metavar="NAME=VALUE",
        help="model parameter, repeatable (dimensionless in the classic models; fu, fv, gu, "
             "gv of linear are rates per unit time); omitted parameters take the model's "
             "defaults (schnakenberg a=0.1 b=0.9, brusselator a=1.5 b=2.3, gierer-meinhardt "
             "a=0.2 b=1, gray-scott F=0.037 k=0.06, linear all 0)",
    )
    parser.add_argument("--Du", type=float, required=True,
                        help="diffusion coefficient of u, > 0 (length^2 per unit time)")
    parser.add_argument("--Dv", type=float, required=True,
                        help="diffusion coefficient of v, > 0 (length^2 per unit time)")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``turing`` and ``simulate`` commands to the dispatcher's subparsers."""
    analysis = subparsers.add_parser(
        "turing",
        help="linear stability and Turing conditions of a reaction model's steady state",
        description="Print the steady state, reaction Jacobian, the four Turing conditions, the "
                    "critical diffusion ratio Dv/Du, the critical wavenumber and the fastest "
                    "growing continuum mode (wavenumbers in radians per unit length).",
    )
    _add_model_arguments(analysis)
    analysis.set_defaults(handler=run_turing)

    run = subparsers.add_parser(
        "simulate",
        help="simulate a reaction model on a periodic 2D grid from its perturbed steady state",
        description="Run a 2D periodic simulation from the steady state plus seeded Gaussian "
                    "noise and compare the final dominant wavenumber with the linear theory.",
    )
    _add_model_arguments(run)
    run.add_argument("--grid", type=int, default=64,
                     help="grid points per side, >= 2 (default 64)")
    run.add_argument("--length", type=float, default=None,
                     help="side of the periodic square (length units); default: 10 wavelengths "
                          "of the fastest growing mode")
    run.add_argument("--t-end", type=float, default=50.0,
                     help="final time (time units, default 50)")
    run.add_argument("--seed", type=integer_at_least(0), default=0,
                     help="seed of the initial noise, >= 0 (default 0)")
    run.add_argument("--noise", type=float, default=1e-2,
                     help="standard deviation of the initial noise (units of u and v, "
                          "default 0.01)")
    run.add_argument("--method", choices=simulate.METHODS, default="spectral",
                     help="spectral: semi-implicit Fourier; euler: explicit finite differences "
                          "(default spectral)")
    run.add_argument("--symbol", choices=simulate.SYMBOLS, default="continuum",
                     help="Laplacian symbol of the spectral method: continuum k^2 or lattice "
                          "4 sin^2(k h/2)/h^2 (default continuum)")
    run.add_argument("--dt", type=float, default=None,
                     help="time step (time units); default 0.05 / spectral radius of the "
                          "Jacobian, and at most half the Euler stability limit for euler")
    run.add_argument("--out", default=None, metavar="FILE.npz",
                     help="save the final fields u, v and the run settings to this .npz file")
    run.set_defaults(handler=run_simulation)


def _model_from(args: argparse.Namespace) -> models.ReactionModel:
    reject_repeated_names(args.param)
    return models.get_model(args.model, **dict(args.param))


def _analysis(model: models.ReactionModel, Du: float, Dv: float) -> dict[str, Any]:
    jacobian = model.jacobian()
    conditions = turing.turing_conditions(jacobian, Du, Dv)
    k_max, growth_max = turing.fastest_growing_mode(jacobian, Du, Dv)
    interval = turing.unstable_ratio_interval(jacobian)
    return {
        "model": model.name,
        "parameters": model.parameters,
        "Du": Du,
        "Dv": Dv,
        "steady_state": list(model.steady_state()),
        "jacobian": jacobian,
        "trace": conditions.trace,
        "det": conditions.det,
        "conditions": conditions.as_dict(),
        "turing_unstable": conditions.turing_unstable,
        "d_critical": turing.critical_ratio(jacobian),
        "unstable_ratio_interval": None if interval is None else [
            interval[0], None if math.isinf(interval[1]) else interval[1]
        ],
        "k_critical": (turing.critical_wavenumber(jacobian, Du, Dv)
                       if conditions.det > 0 else None),
        "k_max": k_max,
        "growth_max": growth_max,
        "wavelength_max": 2 * math.pi / k_max if k_max > 0 else None,
        "unstable_intervals": [list(pair) for pair in turing.unstable_intervals(jacobian, Du, Dv)],
    }


def run_turing(args: argparse.Namespace) -> dict[str, Any]:
    """Handle ``turing``: return the linear analysis as a dictionary."""
    return _analysis(_model_from(args), args.Du, args.Dv)


def run_simulation(args: argparse.Namespace) -> dict[str, Any]:
    """Handle ``simulate``: run the 2D simulation and return its summary."""
    check_output_path(args.out)
    model = _model_from(args)
    analysis = _analysis(model, args.Du, args.Dv)
    length = args.length
    if length is None:
        if analysis["k_max"] <= 0:
            raise ValueError(
                "no mode has a positive wavenumber of maximal growth, so --length has no "
                "default; give --length"
            )
        length = 10 * 2 * math.pi / analysis["k_max"]
    result = simulate.simulate(
        model, args.Du, args.Dv, grid=args.grid, length=length, t_end=args.t_end,
        dt=args.dt, method=args.method, symbol=args.symbol, seed=args.seed, noise=args.noise,
    )
    try:
        dominant_k = patterns.dominant_wavenumber(result.u, length)
    except ValueError:
        dominant_k = None  # a uniform final state has no dominant wavenumber
    if args.out:
        np.savez(args.out, u=result.u, v=result.v, length=length, Du=args.Du, Dv=args.Dv,
                 t_end=args.t_end, dt=result.dt, seed=args.seed, model=model.name,
                 parameter_names=np.array(list(model.parameters)),
                 parameter_values=np.array(list(model.parameters.values())))
    return {
        "model": model.name,
        "parameters": model.parameters,
        "Du": args.Du,
        "Dv": args.Dv,
        "grid": args.grid,
        "length": length,
        "t_end": args.t_end,
        "method": result.method,
        "symbol": result.symbol,
        "dt": result.dt,
        "turing_unstable": analysis["turing_unstable"],
        "dominant_k": dominant_k,
        "predicted_k_max": analysis["k_max"],
        "predicted_growth_max": analysis["growth_max"],
        "amplitude": patterns.amplitude(result.u),
        "steps": result.steps,
        "seconds": result.seconds,
        "out": args.out,
    }
