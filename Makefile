# One command builds the book (`make book`), one runs the tests (`make test`).
# Both create .venv from the pinned requirements.txt on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= data

TEX_PACKAGES := texlive-xetex texlive-latex-extra texlive-lang-chinese texlive-fonts-recommended \
	fonts-noto-cjk fonts-freefont-otf latexmk
HAVE_TEX := $(shell command -v xelatex >/dev/null && command -v latexmk >/dev/null \
	&& fc-list 2>/dev/null | grep -q "Noto Serif CJK" && fc-list 2>/dev/null | grep -q FreeSerif && echo yes)

.PHONY: book test test-fast lint repro lighthouse check-data pdf pdf-if-tex lock clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

check-data: $(STAMP)
	$(BIN)/python -m gpuipo check-data $(DATA_DIR)

# Built aside and published only when the whole build succeeds (gpuipo/build/driver.py).
book: check-data
	$(BIN)/python -m gpuipo build site

# The PDF from a clean state (its own build path, so it never reuses the site's outputs); the site
# ships it only when both were built from the same inputs (gpuipo/build/driver.py).
pdf: check-data
ifneq ($(HAVE_TEX),yes)
	@echo "make pdf needs XeLaTeX, latexmk and the Noto CJK and FreeFont fonts. On Debian or Ubuntu:"
	@echo "    sudo apt-get install $(TEX_PACKAGES)"
	@exit 1
endif
	$(BIN)/python -m gpuipo build pdf

pdf-if-tex:
ifeq ($(HAVE_TEX),yes)
	$(MAKE) --no-print-directory pdf
else
	@echo "TeX not installed: skipping the PDF (see make pdf)"
endif

# The PDF first, so that the site built next ships it. Two workers, one test file each (a file's builds
# stay shared); the tiers are markers (tests/conftest.py).
test: pdf-if-tex book lint
	$(BIN)/python -m pytest -n 2 --dist loadfile

# No build, no browser, no PDF: the unit and data tiers, in well under a minute.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "(unit or data) and not build" tests/

lint: $(STAMP)
	$(BIN)/ruff check gpuipo tests tools benchmarks

# Slow gate (a second build from clean): the site must not depend on build order or caches.
repro: book
	GPUIPO_REPRO=1 $(BIN)/python -m pytest tests/test_reproducibility.py

# Lighthouse (npm, pinned in tools/lighthouse/package-lock.json) on every page, served compressed from
# localhost, against the system Chromium, offline; fails below the floors (tools/lighthouse.py).
LIGHTHOUSE := tools/lighthouse/node_modules/.bin/lighthouse
$(LIGHTHOUSE): tools/lighthouse/package-lock.json
	npm ci --prefix tools/lighthouse --no-audit --no-fund --silent

lighthouse: book $(LIGHTHOUSE)
	$(BIN)/python tools/lighthouse.py

lock:
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.txt requirements.in

clean:
	rm -rf _build test-artifacts
