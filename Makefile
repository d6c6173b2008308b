# rectifykit — the two commands of the quick start are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: demo test lint dist bench messages screenshots docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[office]'
	touch $@

$(TSTAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

## demo: install and run the main job on the embedded example (the seed inspection)
demo: $(STAMP)
	$(BIN)/rectify validate
	$(BIN)/rectify status --as-of 2024-12-25
	@mkdir -p build
	$(BIN)/rectify render -o build/notice.md
	$(BIN)/rectify render --format html -o build/notice.html
	$(BIN)/rectify render --format docx -o build/notice.docx
	$(BIN)/rectify ledger --as-of 2024-12-25 -o build/ledger.xlsx
	@echo "The notice: build/notice.md, build/notice.html (open it in a browser) and build/notice.docx"
	@echo "The ledger (整改台账): build/ledger.xlsx"

## test: install with test extras; ruff, mypy (0 errors), then the whole suite
test: $(TSTAMP)
	$(BIN)/ruff check src tests docs benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: $(TSTAMP)
	$(BIN)/ruff check src tests docs benchmarks

## dist: build the sdist and the wheel into dist/ and check them as a package index would
## (the wheel is what an office distributes or mirrors to its internal index; see CHANGELOG.md)
dist: $(TSTAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*

## bench: time validate/status/render/rollup beside the libyaml floor and the peers; writes BENCHMARKS.md
## (a few minutes; add the large set with BENCH_SIZES="1000 10000 100000")
BENCH_SIZES ?= 1000 10000
bench: $(TSTAMP)
	$(BIN)/python -m pip install --quiet check-jsonschema yamllint
	$(BIN)/python benchmarks/bench.py --sizes $(BENCH_SIZES)

## screenshots: regenerate the README's pictures from the real commands
screenshots: $(STAMP)
	$(BIN)/python docs/screenshots.py
	$(BIN)/python docs/serve_screenshots.py

## docs: regenerate the command reference, the guide's code table, the outputs the docs show, and the pictures
docs: $(TSTAMP)
	$(BIN)/python docs/gen_docs.py

## messages: extract English msgids, update the Chinese catalogue, compile it
messages: $(TSTAMP)
	$(BIN)/pybabel extract -k _ -k N_ -k ngettext:1,2 --no-location --sort-output --no-wrap \
		--project rectifykit -o src/rectifykit/locale/rectifykit.pot src/rectifykit
	$(BIN)/pybabel update --no-fuzzy-matching --no-wrap --ignore-obsolete -l zh_CN -D rectifykit -d src/rectifykit/locale \
		-i src/rectifykit/locale/rectifykit.pot
	$(BIN)/pybabel compile -l zh_CN -D rectifykit -d src/rectifykit/locale

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .mypy_cache
