"""Build the course website with every chapter executed, treating warnings as errors.

    python scripts/build_book.py                       # the whole book into _build/html
    python scripts/build_book.py --only chapters/01_2_turing_conditions.ipynb
    python scripts/build_book.py --project DIR         # another book folder (used by the tests)

Execution results are cached by jupyter-cache, keyed on each notebook's code. A notebook's code
does not change when prdlib does. So this script stores a fingerprint of prdlib's sources, of
requirements.txt, of _config.yml and of itself beside the cache, and when the fingerprint differs
it empties the cache together with Sphinx's stored pages. The site therefore never shows results
computed by older code.

After the build it prints each chapter's execution time from the cache and exits with status 1 if
any chapter took longer than the budget (60 s by default, the course's limit for a 2-core CPU).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPOSITORY = Path(__file__).resolve().parent.parent
FINGERPRINT_FILE = "prdlib-fingerprint.txt"
DEFAULT_BUDGET_SECONDS = 60.0


def source_fingerprint(project: Path) -> str:
    """Return a SHA-256 over everything that decides what a chapter computes, besides its code.

    That is prdlib's Python sources, the pinned requirements and the book's configuration of
    ``project``, and this build script itself.
    """
    digest = hashlib.sha256()
    files = sorted((project / "prdlib").rglob("*.py"))
    files += [project / "requirements.txt", project / "_config.yml", Path(__file__).resolve()]
    for path in files:
        if path.is_file():
            label = path.relative_to(project) if path.is_relative_to(project) else path.name
            digest.update(str(label).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def prepare_cache(cache: Path, fingerprint: str, *, stale: tuple[Path, ...] = ()) -> bool:
    """Empty ``cache`` unless it was filled by code with this fingerprint.

    When the cache is emptied, the folders in ``stale`` are removed as well. Sphinx keeps each
    page's executed outputs in its doctrees and re-reads only notebooks whose file changed, so
    the doctrees must go with the cache for every chapter to execute again.

    Returns True when the cache was emptied (or did not exist), False when it was kept.
    """
    stamp = cache / FINGERPRINT_FILE
    if stamp.is_file() and stamp.read_text().strip() == fingerprint:
        return False
    for folder in (cache, *stale):
        if folder.exists():
            shutil.rmtree(folder)
    cache.mkdir(parents=True)
    stamp.write_text(fingerprint + "\n")
    return True


def make_partial_project(chapters: list[str], destination: Path) -> Path:
    """Lay out a book in ``destination`` holding only ``chapters`` of this repository.

    The copy uses the repository's configuration and bibliography, and executes with an empty
    cache of its own, so it never touches the main build.
    """
    for chapter in chapters:
        if not (REPOSITORY / chapter).is_file():
            raise SystemExit(f"--only: no file {chapter!r} in {REPOSITORY}")
    shutil.copy(REPOSITORY / "_config.yml", destination / "_config.yml")
    shutil.copy(REPOSITORY / "references.bib", destination / "references.bib")
    shutil.copy(REPOSITORY / "requirements.txt", destination / "requirements.txt")
    (destination / "prdlib").symlink_to(REPOSITORY / "prdlib")
    (destination / "chapters").mkdir()
    bibliography = REPOSITORY / "chapters" / "A5_bibliography.md"
    if bibliography.is_file() and str(bibliography.relative_to(REPOSITORY)) not in chapters:
        # Citations resolve only when some page contains the bibliography directive.
        chapters = [*chapters, str(bibliography.relative_to(REPOSITORY))]
    for chapter in chapters:
        shutil.copy(REPOSITORY / chapter, destination / chapter)
    entries = [str(Path(chapter).with_suffix("")) for chapter in chapters]
    toc = {"format": "jb-book", "root": entries[0]}
    if entries[1:]:
        toc["chapters"] = [{"file": entry} for entry in entries[1:]]
    (destination / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
    return destination


def execution_times(cache: Path) -> dict[str, float]:
    """Return the recorded execution time in seconds of each notebook in the jupyter cache."""
    from jupyter_cache import get_cache

    times: dict[str, float] = {}
    if not (cache / "global.db").is_file():
        return times
    for record in get_cache(str(cache)).list_cache_records():
        seconds = (record.data or {}).get("execution_seconds")
        if seconds is not None:
            times[Path(record.uri).name] = float(seconds)
    return times


def build(project: Path, *, budget: float) -> int:
    config = yaml.safe_load((project / "_config.yml").read_text())
    cache = (project / config["execute"]["cache"]).resolve()
    build = project / "_build"
    stale = (build / ".doctrees", build / "jupyter_execute")
    if prepare_cache(cache, source_fingerprint(project), stale=stale):
        print(f"build_book: prdlib or the requirements changed (or no cache yet): "
              f"every chapter executes afresh ({cache})")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    command = [str(jupyter_book), "build", str(project), "--warningiserror", "--keep-going"]
    print("build_book:", " ".join(command), flush=True)
    # A non-interactive MPLBACKEND inherited from the caller (pytest, a CI job) would reach the
    # kernels and stop them from displaying figures, leaving pages without their figures.
    environment = {name: value for name, value in os.environ.items() if name != "MPLBACKEND"}
    # jupyter-book resolves the cache path against the working directory, not the project.
    status = subprocess.run(command, cwd=project, env=environment).returncode
    if status != 0:
        print(f"build_book: the build failed (exit status {status}); see the messages above",
              file=sys.stderr)
        return status

    times = execution_times(cache)
    (project / "_build" / "execution_times.json").write_text(json.dumps(times, indent=2) + "\n")
    print(f"build_book: execution time per chapter (budget {budget:.0f} s):")
    for name, seconds in sorted(times.items()):
        print(f"  {seconds:7.1f} s  {name}")
    over = {name: seconds for name, seconds in times.items() if seconds > budget}
    if over:
        print(f"build_book: chapters over the {budget:.0f} s budget: {over}", file=sys.stderr)
        return 1
    print(f"build_book: site written to {project / '_build' / 'html'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=REPOSITORY,
                        help="folder holding _config.yml and _toc.yml (default: this repository)")
    parser.add_argument("--only", nargs="+", metavar="CHAPTER",
                        help="build only these chapter files (paths relative to the repository) "
                             "into a temporary folder, with the real configuration")
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET_SECONDS,
                        help="maximum execution time of one chapter, in seconds (default: 60)")
    args = parser.parse_args(argv)

    if args.only:
        destination = Path(tempfile.mkdtemp(prefix="prd-book-"))
        project = make_partial_project(args.only, destination)
        print(f"build_book: partial book in {project}")
        return build(project, budget=args.budget)
    return build(args.project.resolve(), budget=args.budget)


if __name__ == "__main__":
    sys.exit(main())
