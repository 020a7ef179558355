# cityeval: two commands on a machine with only python3 and pip.
#   make run   creates .venv if absent, installs everything, runs every notebook into output/
#   make test  same environment; runs the test suite (unit tests + every notebook executed)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.cityeval-installed
# kernel name the runner prefers; installed inside .venv (--sys-prefix), so nothing outside it changes
KERNEL := cityeval

.PHONY: run test venv clean data bench

run: $(STAMP)
	$(BIN)/python -m cityeval run

# every core (pytest-xdist; worksteal balances the long notebook tests); notebook runs that several tests read are
# executed once per session across the workers (tests/conftest.py, executed_run)
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist worksteal

venv: $(STAMP)

# The stamp is rebuilt when pyproject.toml changes, so a new dependency is installed by the next command.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (cityeval)" >/dev/null
	@touch $(STAMP)

# Regenerate the synthetic panel (byte-identical for the same seed; tests/ccid2022/test_synthetic.py checks it).
data: $(STAMP)
	$(BIN)/python -m cityeval synthesize

bench: $(STAMP)
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf output
