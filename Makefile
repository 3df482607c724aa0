# Two commands do all the set-up: `make run` and `make test`.
# Both create .venv with a Python >= 3.12 found on this machine, install ecosim and its
# dependencies (only again when pyproject.toml changes), then do their job.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SCENARIO ?= scenarios/north_east_baseline.yaml
ARGS ?=
PYTEST_ARGS ?=
PIP := PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 $(PY) -m pip

# A Python >= 3.12: PATH first (python3.13, python3.12, python3, python), then pyenv's
# installed versions (newest first).
define find_python
for c in python3.13 python3.12 python3 python; do \
  p=$$(command -v $$c 2>/dev/null) || continue; \
  $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1 && { echo $$p; exit 0; }; \
done; \
for p in $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV); do \
  $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1 && { echo $$p; exit 0; }; \
done; exit 1
endef

.PHONY: run run-one test venv lint clean

$(PY):
	@py=$$($(find_python)) || { echo "error: ecosim needs Python >= 3.12 and none was found (looked for python3.13, python3.12, python3 on PATH and ~/.pyenv/versions/3.1[2-9]*). Install one, e.g. 'sudo apt-get install python3.12 python3.12-venv' or 'pyenv install 3.12', then run make again." >&2; exit 1; }; \
	echo "creating $(VENV) with $$py ($$($$py --version 2>&1))"; \
	$$py -m venv --clear $(VENV)

$(STAMP): pyproject.toml | $(PY)
	-@$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[dev]"
	@touch $(STAMP)

venv: $(STAMP)

# The main job: the North East baseline and its policy scenarios, then the comparison report
# (last line: its path). `make run-one SCENARIO=... ARGS=...` runs a single scenario.
run: $(STAMP)
	$(VENV)/bin/ecosim report $(ARGS)

run-one: $(STAMP)
	$(VENV)/bin/ecosim run $(SCENARIO) $(ARGS)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests

clean:
	rm -rf $(VENV) .pytest_cache
