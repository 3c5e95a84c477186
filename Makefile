# The two commands of the quick start: `make run` and `make test`.
# Both create .venv with Python >= 3.11 when it is missing and install the package into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
PYTEST_WORKERS ?= 2

.PHONY: run test test-slow bench lint clean-cache clean-venv

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "holdem needs Python 3.11 or newer; set PYTHON=python3.11 (or newer) and retry")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[plots,tensorboard,ray]'
	@touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,plots,tensorboard,ray]'
	@touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/holdem demo
	$(BIN)/holdem buckets build --preset small --out assets/abstraction/buckets_small.npz
	$(BIN)/holdem buckets info assets/abstraction/buckets_small.npz
	$(BIN)/holdem train --config configs/blueprint_pushfold_10bb.yaml --logdir runs/pushfold_10bb \
		--time-budget 20 --overwrite
	$(BIN)/holdem train --config configs/blueprint_hu_open.yaml --logdir runs/hu_open \
		--num-workers 0 --overwrite
	$(BIN)/holdem eval --policy runs/hu_open/blueprint --opponent random --opponent call \
		--opponent tag --hands 3000 --num-workers 0 --seed 0 --out runs/hu_open/eval.json
	$(BIN)/holdem chart runs/hu_open/blueprint --position BTN --out runs/hu_open/preflop_chart.png
	mkdir -p runs/spot
	$(BIN)/holdem spot --board "Qs Jh 2h 8d 3c" --pot 1000 --stack 9500 \
		--oop "AA,KK,QQ,AK,AQs,99:0.75,JTs,T9s" --ip "QQ:0.5,JJ-22,AQo:0.75,KQ,KJs,QJs" \
		--bets 33,75 --raises 50 --allin --accuracy 0.3 --out runs/spot/river.json
	$(BIN)/holdem spot chart runs/spot/river.json --node x --out runs/spot/river_x.png
	$(BIN)/holdem strategy runs/hu_open/blueprint --hand QhJh --board "Qs 7h 2c 8d 3c" \
		--history "r300 c / x x / x x /" --search
	$(BIN)/holdem strategy runs/hu_open/blueprint --hand QhJh --board "Qs 7h 2c" \
		--history "r300 c /" --search --search-streets flop

test: $(DEV_STAMP)
	$(BIN)/python -m pytest -m "not slow" -n $(PYTEST_WORKERS) --dist loadgroup -q

test-slow: $(DEV_STAMP)
	$(BIN)/python -m pytest -m slow -n $(PYTEST_WORKERS) --dist loadgroup -q

bench: $(DEV_STAMP)
	$(BIN)/python benchmarks/bench_cards.py
	$(BIN)/python benchmarks/bench_solver.py
	$(BIN)/python benchmarks/bench_tree.py
	$(BIN)/python benchmarks/bench_buckets.py --presets tiny,small,mid
	$(BIN)/python benchmarks/bench_train.py

lint: $(DEV_STAMP)
	$(BIN)/python -m ruff check src tests benchmarks
	$(BIN)/python -m ruff format --check src tests benchmarks
	$(BIN)/python -m mypy

# Numba's cache follows a kernel's own file only: after editing a kernel that others call,
# clear the compiled copies so callers in other files are rebuilt.
clean-cache:
	find src tests benchmarks -name '*.nbi' -delete -o -name '*.nbc' -delete

clean-venv:
	rm -rf $(VENV)
