"""Chapters are stored without outputs: the build and nbval execute them."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

CHAPTERS = sorted((Path(__file__).resolve().parent.parent / "chapters").glob("*.ipynb"))


def test_chapters_exist():
    assert CHAPTERS, "no notebooks found in chapters/"


@pytest.mark.parametrize("path", CHAPTERS, ids=[path.name for path in CHAPTERS])
def test_notebook_has_no_outputs(path: Path):
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        assert cell.get("outputs", []) == [], f"{path.name}: cell {index} has stored outputs"
        assert cell.get("execution_count") is None, (
            f"{path.name}: cell {index} has a stored execution count"
        )


@pytest.mark.parametrize("path", CHAPTERS, ids=[path.name for path in CHAPTERS])
def test_notebook_uses_python3_kernel(path: Path):
    notebook = nbformat.read(path, as_version=4)
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3"
