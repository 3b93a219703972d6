# The README's two commands: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# torch is pinned to the CPU build that installs without a multi-gigabyte download.
TORCH  := torch==2.13.0

.PHONY: run test bench lint eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet $(TORCH)
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

## make run: install, index the regulation if missing or stale, start Slack (tokens set) or the console
run: $(VENV)/.installed
	$(BIN)/compliance-bot ingest
	@if [ -n "$$SLACK_BOT_TOKEN" ]; then \
		exec $(BIN)/compliance-bot serve $(if $(PORT),--http --port $(PORT),); \
	else \
		exec $(BIN)/compliance-bot console; \
	fi

## make test: install with the test extras and run the whole suite
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

## make bench: print the performance figures quoted in the README
bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.run

## make eval: retrieval and abstention figures on the shared questions
eval: $(VENV)/.installed
	$(BIN)/python -m knowledge.eval --questions $(or $(QUESTIONS),../shared/eval/questions.tsv)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) data
