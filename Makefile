# The two commands of the course (see README.md):
#   make book   build the website into _build/html, executing every chapter
#   make test   run every test: prdlib's unit tests, the strict book build, nbval on every chapter
# Both create the virtual environment .venv on first use and reuse it afterwards; it is
# reinstalled when requirements.txt or pyproject.toml change.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv book test clean

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

book: $(STAMP)
	$(BIN)/python scripts/build_book.py

test: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax --nbval-cell-timeout=300 tests chapters

clean:
	rm -rf _build
