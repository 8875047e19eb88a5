# Daily commands. CI runs .ci/run (the README's test command); these are the same steps, one at a time.
PY := .venv/bin/python

.PHONY: venv lint format test bench docs

venv:
	python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]'

lint:
	.venv/bin/ruff check
	.venv/bin/ruff format --check
	.venv/bin/mypy

format:
	.venv/bin/ruff format
	.venv/bin/ruff check --fix

test: lint
	$(PY) -m pytest -n 2 --dist loadgroup

bench:
	$(PY) benchmarks/run.py

docs:
	$(PY) -m hubgen.schema.reference docs/format.md
	.venv/bin/hubgen schema --out hubgen/schemas
