# One command builds the book (`make book`), one runs the tests (`make test`).
# Both create .venv from the pinned requirements.txt on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= data

PDF := _build/china-gpu-ipo-report.pdf
LATEX_DIR := _build/pdf/_build/latex
TEX_PACKAGES := texlive-xetex texlive-latex-extra texlive-lang-chinese texlive-fonts-recommended \
	fonts-noto-cjk fonts-freefont-otf latexmk
HAVE_TEX := $(shell command -v xelatex >/dev/null && command -v latexmk >/dev/null \
	&& fc-list 2>/dev/null | grep -q "Noto Serif CJK" && fc-list 2>/dev/null | grep -q FreeSerif && echo yes)

.PHONY: book test repro check-data pdf pdf-if-tex lock clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

check-data: $(STAMP)
	$(BIN)/python -m gpuipo check-data $(DATA_DIR)

book: check-data
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "Site: _build/html/index.html"

# The PDF from a clean state (its own build path, so it never reuses the site's outputs).
# XeLaTeX exits 0 when it drops glyphs, so the log is read for "Missing character".
pdf: check-data
ifneq ($(HAVE_TEX),yes)
	@echo "make pdf needs XeLaTeX, latexmk and the Noto CJK and FreeFont fonts. On Debian or Ubuntu:"
	@echo "    sudo apt-get install $(TEX_PACKAGES)"
	@exit 1
endif
	rm -rf _build/pdf
	$(BIN)/jupyter-book build . --builder pdflatex --path-output _build/pdf
	@if grep -q "Missing character" $(LATEX_DIR)/*.log; then \
		grep "Missing character" $(LATEX_DIR)/*.log | sort | uniq -c; echo "PDF has missing glyphs"; exit 1; fi
	cp $(LATEX_DIR)/china-gpu-ipo-report.pdf $(PDF)
	@if [ -f _build/html/index.html ]; then $(MAKE) --no-print-directory book; fi
	@echo "PDF: $(PDF)"

pdf-if-tex:
ifeq ($(HAVE_TEX),yes)
	$(MAKE) --no-print-directory pdf
else
	@echo "TeX not installed: skipping the PDF (see make pdf)"
endif

test: book pdf-if-tex
	$(BIN)/python -m pytest

# Slow gate (a second build from clean): the site must not depend on build order or caches.
repro: book
	GPUIPO_REPRO=1 $(BIN)/python -m pytest tests/test_reproducibility.py

lock:
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.txt requirements.in

clean:
	rm -rf _build test-artifacts
