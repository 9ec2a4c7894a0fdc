# Shortcuts for the README's two commands (which are plain scripts, so make is not needed).
.PHONY: demo test bench

demo:
	./scripts/demo.sh

test:
	./scripts/test.sh

bench:
	./scripts/setup.sh && .venv/bin/python bench/bench_import.py
