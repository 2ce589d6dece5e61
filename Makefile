# One command builds the book (`make book`), one runs the tests (`make test`).
# Both create .venv from the pinned requirements.txt on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= data

.PHONY: book test check-data pdf lock clean

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

test: book
	$(BIN)/python -m pytest

lock:
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.txt requirements.in

clean:
	rm -rf _build
