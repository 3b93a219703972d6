# The README's two commands: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# torch is pinned to the CPU build that installs without a multi-gigabyte download.
TORCH  := torch==2.13.0

.PHONY: run test bench lint eval eval-distractors vectors clean

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

## make run: install, start Slack (tokens set) or the console; either indexes the documents first
## when the index is missing or stale (the bundled corpus's vectors ship with the package)
run: $(VENV)/.installed
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

## make eval: answer figures on every question file shipped in knowledge/eval_data (or QUESTIONS=file)
eval: $(VENV)/.installed
	$(BIN)/compliance-bot eval $(if $(QUESTIONS),--questions $(QUESTIONS),) $(EVAL_ARGS)

## make eval-distractors: the same with 20 unrelated regulations indexed beside the six documents,
## plus the questions only a distractor answers (knowledge/eval_data/distractors/)
DISTRACTORS ?= ../shared/corpus/distractors
eval-distractors: $(VENV)/.installed
	$(BIN)/compliance-bot eval --docs $(DISTRACTORS) $(if $(QUESTIONS),--questions $(QUESTIONS),$(addprefix --questions ,$(sort $(wildcard knowledge/eval_data/*.tsv)) $(wildcard knowledge/eval_data/distractors/*.tsv))) $(EVAL_ARGS)

## make vectors: re-embed the bundled corpus into knowledge/data/vectors (after changing its texts)
vectors: $(VENV)/.installed
	$(BIN)/python -m knowledge.vectors

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) data
