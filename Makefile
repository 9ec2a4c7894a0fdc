# The two commands of the README. Each one installs what it needs first.
.PHONY: setup demo test bench

setup:
	./scripts/setup.sh

# Import samples/ into ./deliberations.db and show a search.
demo: setup
	.venv/bin/delib import samples/
	.venv/bin/delib search "subvention association" --limit 5

# The whole test suite (real PDFs, real spaCy model, real SQLite, real Tesseract).
test: setup
	.venv/bin/python -m pytest -q

bench: setup
	.venv/bin/python bench/bench_import.py
