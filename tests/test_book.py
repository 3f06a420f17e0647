"""The book build is a test: it fails on a raising cell, a timeout or a warning, and its site is
self-contained.

The small books built here use the course's real ``_config.yml``, so they check the
configuration itself (Jupyter Book 1.x would otherwise finish such builds with status 0 and leave
pages without outputs).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

REPOSITORY = Path(__file__).resolve().parent.parent
BUILD_SCRIPT = REPOSITORY / "scripts" / "build_book.py"

sys.path.insert(0, str(REPOSITORY / "scripts"))
import build_book  # noqa: E402


def _make_book(root: Path, code: str, *, timeout: int | None = None) -> Path:
    """Write a one-chapter book under ``root`` with the course's config and ``code`` as its cell."""
    config = yaml.safe_load((REPOSITORY / "_config.yml").read_text())
    if timeout is not None:
        config["execute"]["timeout"] = timeout
    (root / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    for name in ("references.bib", "requirements.txt"):
        (root / name).write_bytes((REPOSITORY / name).read_bytes())
    (root / "prdlib").mkdir()
    (root / "prdlib" / "__init__.py").write_text("")
    (root / "chapters").mkdir()
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.cells = [nbformat.v4.new_markdown_cell("# A chapter\n\nText."),
                      nbformat.v4.new_code_cell(code)]
    nbformat.write(notebook, root / "chapters" / "chapter.ipynb")
    (root / "chapters" / "bibliography.md").write_text("# Bibliography\n\n```{bibliography}\n```\n")
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/chapter\nchapters:\n  - file: chapters/bibliography\n"
    )
    return root


def _build(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--project", str(project)],
        capture_output=True, text=True, timeout=600,
    )


@pytest.mark.slow
def test_build_passes_on_good_chapter(tmp_path):
    result = _build(_make_book(tmp_path, "print(6 * 7)"))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    page = (tmp_path / "_build" / "html" / "chapters" / "chapter.html").read_text()
    assert "42" in page


@pytest.mark.slow
def test_build_fails_on_raising_cell(tmp_path):
    result = _build(_make_book(tmp_path, "raise RuntimeError('deliberate failure')"))
    assert result.returncode != 0
    assert "deliberate failure" in result.stdout + result.stderr


@pytest.mark.slow
def test_build_fails_on_cell_timeout(tmp_path):
    result = _build(_make_book(tmp_path, "import time\ntime.sleep(60)", timeout=3))
    assert result.returncode != 0
    assert "timed out" in (result.stdout + result.stderr).lower()


@pytest.mark.slow
def test_prdlib_change_reexecutes_chapters(tmp_path):
    # The chapter prints a file of the book's own prdlib folder; its code never changes.
    project = _make_book(tmp_path, "print(open('../prdlib/__init__.py').read())")
    (project / "prdlib" / "__init__.py").write_text("RESULT = 'computed by old code'\n")
    first = _build(project)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    page = project / "_build" / "html" / "chapters" / "chapter.html"
    assert "computed by old code" in page.read_text()

    (project / "prdlib" / "__init__.py").write_text("RESULT = 'computed by new code'\n")
    second = _build(project)

    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert "computed by new code" in page.read_text()
    assert "computed by old code" not in page.read_text()


def test_fingerprint_tracks_prdlib_sources(tmp_path):
    (tmp_path / "prdlib").mkdir()
    module = tmp_path / "prdlib" / "model.py"
    module.write_text("RATE = 1.0\n")
    (tmp_path / "requirements.txt").write_text("numpy==2.4.6\n")
    before = build_book.source_fingerprint(tmp_path)

    module.write_text("RATE = 2.0\n")
    after = build_book.source_fingerprint(tmp_path)

    assert before != after


def test_fingerprint_tracks_requirements(tmp_path):
    (tmp_path / "prdlib").mkdir()
    (tmp_path / "requirements.txt").write_text("numpy==2.4.6\n")
    before = build_book.source_fingerprint(tmp_path)

    (tmp_path / "requirements.txt").write_text("numpy==2.4.5\n")

    assert build_book.source_fingerprint(tmp_path) != before


def test_prepare_cache_empties_stale_cache(tmp_path):
    cache = tmp_path / "cache"
    assert build_book.prepare_cache(cache, "old") is True
    (cache / "executed.txt").write_text("results of old code")

    assert build_book.prepare_cache(cache, "old") is False
    assert (cache / "executed.txt").exists()

    assert build_book.prepare_cache(cache, "new") is True
    assert not (cache / "executed.txt").exists()


def test_prepare_cache_removes_stale_doctrees(tmp_path):
    cache = tmp_path / "cache"
    doctrees = tmp_path / ".doctrees"
    build_book.prepare_cache(cache, "old", stale=(doctrees,))
    doctrees.mkdir()
    (doctrees / "chapter.doctree").write_text("outputs of old code")

    build_book.prepare_cache(cache, "old", stale=(doctrees,))
    assert doctrees.exists()

    build_book.prepare_cache(cache, "new", stale=(doctrees,))
    assert not doctrees.exists()


def _external_references(html: str) -> list[str]:
    """Return every script, stylesheet, image or frame the page loads from another host."""
    pattern = re.compile(
        r"<(?:script|img|iframe|source)\b[^>]*\bsrc=\"((?:https?:)?//[^\"]+)\""
        r"|<link\b[^>]*\bhref=\"((?:https?:)?//[^\"]+)\"[^>]*>",
    )
    found = []
    for match in pattern.finditer(html):
        whole = match.group(0)
        if whole.startswith("<link") and not re.search(r"rel=\"(stylesheet|preload|icon)\"", whole):
            continue
        found.append(match.group(1) or match.group(2))
    return found


def test_external_reference_detector():
    page = ('<script src="https://cdn.example/x.js"></script><script src="_static/y.js"></script>'
            '<link rel="stylesheet" href="//fonts.example/f.css">'
            '<link rel="canonical" href="https://example.org/page">')
    assert _external_references(page) == ["https://cdn.example/x.js", "//fonts.example/f.css"]


@pytest.mark.book
@pytest.mark.timeout(3600)
def test_whole_book_builds_strictly():
    """Build the course as ``make book`` does; every chapter executes and no warning is allowed."""
    result = subprocess.run([sys.executable, str(BUILD_SCRIPT)], capture_output=True, text=True,
                            timeout=3600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]

    html = REPOSITORY / "_build" / "html"
    toc = yaml.safe_load((REPOSITORY / "_toc.yml").read_text())
    entries = [toc["root"]] + [chapter["file"] for part in toc["parts"]
                               for chapter in part["chapters"]]
    for entry in entries:
        page = html / f"{entry}.html"
        assert page.is_file(), f"missing page {page}"
        text = page.read_text()
        assert _external_references(text) == [], f"{page.name} loads assets from another host"
        assert "Traceback (most recent call last)" not in text, f"{page.name} shows a traceback"
        if (REPOSITORY / f"{entry}.ipynb").is_file():
            assert "<img" in text, f"{page.name} shows no figure: did the kernels display them?"
    assert (html / "_static" / "mathjax" / "tex-chtml.js").is_file()

    times = json.loads((REPOSITORY / "_build" / "execution_times.json").read_text())
    chapters = sorted(path.name for path in (REPOSITORY / "chapters").glob("*.ipynb"))
    assert set(chapters) <= set(times), f"chapters without an execution record: {set(chapters) - set(times)}"
    for name, seconds in times.items():
        assert seconds < 60, f"{name} took {seconds:.1f} s to execute (budget 60 s)"
