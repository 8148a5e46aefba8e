# Wijkonderneming – the two commands that matter:
#   make demo   set everything up and serve the demo enterprise on http://127.0.0.1:8000
#   make test   set everything up and run every test
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test setup venv system-packages assets messages lint typecheck format check-deploy clean

demo: setup
	WIJK_DEBUG=1 WIJK_REQUIRE_2FA=0 $(BIN)/wijk demo
	WIJK_DEBUG=1 WIJK_REQUIRE_2FA=0 $(BIN)/wijk serve --host 127.0.0.1 --port 8000

test: setup
	$(BIN)/pytest

setup: venv system-packages assets messages

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

system-packages:
	./scripts/system-packages.sh

assets: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: venv
	@if command -v msgfmt >/dev/null 2>&1; then \
		cd src/wijk && WIJK_DATA_DIR=$(CURDIR)/data ../../$(BIN)/wijk compilemessages --verbosity 0; \
	else echo "msgfmt (gettext) missing: pages stay in English until it is installed."; fi

lint: venv
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

format: venv
	$(BIN)/ruff format src tests scripts benchmarks
	$(BIN)/ruff check --fix src tests scripts benchmarks

typecheck: venv
	$(BIN)/mypy

check-deploy: venv
	WIJK_HTTPS=1 SECRET_KEY=ci-only-$$(date +%s)-not-a-real-secret-key-0123456789abcdefghij \
		ALLOWED_HOSTS=wijk.example.org $(BIN)/wijk check --deploy --fail-level WARNING --system-only

clean:
	rm -rf $(VENV) node_modules
