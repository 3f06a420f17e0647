"""Command line of prdlib: ``python -m prdlib COMMAND ...``.

Each command lives in its own module of this package and provides ``register(subparsers)``, which
adds its parser and sets ``handler`` to a function ``handler(args) -> dict``. The dispatcher prints
the returned dictionary as one JSON object. A ``ValueError`` from a handler (bad input) is printed
to standard error and the process exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from importlib import import_module
from typing import Sequence

import numpy as np

# Modules of this package that define commands, in the order ``--help`` lists them.
COMMAND_MODULES = ("turing", "prd")


def _to_json(value):
    if isinstance(value, dict):
        return {str(key): _to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_json(item) for item in value]
    if isinstance(value, np.ndarray):
        return _to_json(value.tolist())
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return number if np.isfinite(number) else None
    return value


def integer_at_least(minimum: int):
    """Return an argparse type that accepts integers ``>= minimum`` and names the bound otherwise."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer >= {minimum}, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be an integer >= {minimum}, got {value}")
        return value

    return parse


def check_output_path(path: str | None) -> None:
    """Raise ValueError unless ``path`` can be written, so a long run does not fail at its end."""
    if path is None:
        return
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ValueError(f"--out: folder {folder!r} does not exist; create it or choose another path")
    if not os.access(folder, os.W_OK):
        raise ValueError(f"--out: folder {folder!r} is not writable; choose another path")
    if os.path.isdir(path):
        raise ValueError(f"--out: {path!r} is a folder; give a file name ending in .npz")


def reject_repeated_names(pairs: Sequence[tuple[str, object]]) -> None:
    """Raise ValueError if a ``--param`` name is given more than once."""
    seen: set[str] = set()
    for name, _ in pairs:
        if name in seen:
            raise ValueError(f"--param {name} is given more than once; give each parameter once")
        seen.add(name)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m prdlib",
        description=(
            "Quick answers from the course's models: Turing analysis and simulation of classic "
            "reaction-diffusion models, and the equilibria and training of the "
            "pseudo-reaction-diffusion neural sheet. Every command prints one JSON object."
        ),
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as error:
            if error.name == f"{__name__}.{name}":
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.handler(args)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        print(json.dumps(_to_json(result), indent=2))
    except BrokenPipeError:
        # The reader (for example ``head``) closed the pipe early; that is not an error here.
        sys.stderr.close()
    return 0
