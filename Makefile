# One front door: make run, make test, make bundle, make lint. Each does its own set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CONTENT_DB := binder/content.db
CONTENT_FILES := $(shell find content -name '*.md' 2>/dev/null) $(wildcard binder/content/*.py)

.PHONY: run test bundle bench lint content clean

run: $(CONTENT_DB)
	@$(BIN)/python build/qt_system_libs.py
	$(BIN)/binder

test: $(STAMP)
	@$(BIN)/python build/test_setup.py
	$(BIN)/python -m pytest -rs

content: $(CONTENT_DB)

bundle: $(CONTENT_DB)
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath .build-pyinstaller build/binder.spec
	$(BIN)/python build/smoke_test.py dist/binder/binder

bench: $(STAMP)
	$(BIN)/python -m bench.run

lint: $(STAMP)
	$(BIN)/ruff check binder tests build

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Binder needs Python 3.11 or newer; this is " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

$(CONTENT_DB): $(STAMP) $(CONTENT_FILES)
	$(BIN)/binder build content -o $@

clean:
	rm -rf $(VENV) dist .build-pyinstaller .bench $(CONTENT_DB)
