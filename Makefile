# One task runner: setup, test, lint, bench, demo.
.PHONY: setup test lint bench demo catalogs

setup:
	bash scripts/setup

test: setup
	.venv/bin/python -m pytest -q

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

bench:
	.venv/bin/python bench/startup.py
	.venv/bin/python bench/mt_throughput.py
	.venv/bin/python bench/glossary.py
	.venv/bin/python bench/tm.py
	.venv/bin/python bench/web.py
	.venv/bin/python bench/checks_precision.py
	.venv/bin/python bench/checks_recall.py
	.venv/bin/python bench/xml_hostile.py
	.venv/bin/python bench/queue.py

catalogs:
	.venv/bin/python -m translate.i18n extract
	.venv/bin/python -m translate.i18n compile

demo: setup
	bash scripts/demo
