# Group Desk: build, run, test and benchmark.
#
#   make run     create .venv if needed, install Group Desk into it, start the app
#   make test    system packages, dev install, format/lint/type checks, the whole test suite
#   make bench   every bench/bench_*.py with the venv's Python
#
# Everything works without a terminal (CI=true, no stdin): pip and apt never ask.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --no-input
INSTALL_STAMP := $(VENV)/.stamp-install
DEV_STAMP := $(VENV)/.stamp-dev

# Debian packages the tests need: an X server for the tests that want a real one, poppler
# to read PDFs back, the libraries Qt's xcb and offscreen platforms load, and LibreOffice
# Calc (headless) to open the exported workbooks and compute their formulas.
# Later work appends here (one list, one place).
SYSTEM_DEPS := \
	xvfb \
	xauth \
	poppler-utils \
	libxcb-cursor0 \
	libxkbcommon-x11-0 \
	libxcb-icccm4 \
	libxcb-keysyms1 \
	libxcb-image0 \
	libxcb-render-util0 \
	libxcb-xinerama0 \
	libxcb-randr0 \
	libxcb-shape0 \
	libxcb-xkb1 \
	libegl1 \
	libgl1 \
	libfontconfig1 \
	libdbus-1-3 \
	fonts-dejavu-core \
	libreoffice-calc-nogui

.PHONY: run test bench lint format clean system-deps install dev-install

run: $(INSTALL_STAMP)
	$(VENV)/bin/groupdesk $(ARGS)

install: $(INSTALL_STAMP)

dev-install: $(DEV_STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip --disable-pip-version-check --no-input install --upgrade pip

$(INSTALL_STAMP): pyproject.toml | $(PY)
	$(PIP) install -e .
	touch $@

# The dev extra includes everything the plain install has, so it satisfies both stamps.
$(DEV_STAMP): pyproject.toml | $(PY)
	$(PIP) install -e '.[dev]'
	touch $@ $(INSTALL_STAMP)

# Installs only what is missing; apt-get update runs at most once, and sudo only when
# not root (non-interactively: it fails rather than waits for a password).
system-deps:
	@if ! command -v dpkg >/dev/null 2>&1; then \
		echo "system-deps: not a Debian-based system; install the equivalents of:"; \
		echo "  $(SYSTEM_DEPS)"; \
		exit 0; \
	fi; \
	missing=""; \
	for package in $(SYSTEM_DEPS); do \
		dpkg -s "$$package" 2>/dev/null | grep -q '^Status: install ok installed' \
			|| missing="$$missing $$package"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo -n"; fi; \
	echo "system-deps: installing$$missing"; \
	$$sudo apt-get update \
		&& $$sudo env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y --no-install-recommends $$missing

test: system-deps $(DEV_STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest --ignore=tests/gui
	# Each GUI test file in a process of its own: a full GUI run has twice crashed
	# (segfault in processEvents) after many files shared one QApplication; each file
	# alone has never done so. The cause is still open, see the session note.
	for file in tests/gui/test_*.py; do \
		QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -q "$$file" || exit 1; \
	done

# Benchmarks may measure memory with psutil (a dev dependency), hence the dev install.
bench: $(DEV_STAMP)
	$(PY) bench/run_all.py

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

format: $(DEV_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Leaves .venv alone (rebuilding it downloads Qt again); `rm -rf .venv` for a fresh start.
clean:
	rm -rf build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache bench/out
	rm -f $(INSTALL_STAMP) $(DEV_STAMP)
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
