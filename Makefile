# Two commands: `make run` brings the service up, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What running needs (requirements.lock) and the development tools on top
# (requirements-dev.lock, a superset); each stamp names the lock it installed.
RUN_STAMP := $(VENV)/.installed-run-$(shell cat requirements.lock | cksum | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.installed-$(shell cat requirements-dev.lock | cksum | cut -d' ' -f1)
PIP_INSTALL = $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
	--no-compile

TEST_DATABASE_URL ?= postgres://studyapp@127.0.0.1:5432/studyapp
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: install install-run venv run test test-unit test-integration lint lock clean

install: $(DEV_STAMP)

# `make run` needs only the runtime lock; a development install already has it.
install-run:
	@if [ ! -e $(DEV_STAMP) ]; then $(MAKE) --no-print-directory $(RUN_STAMP); fi

venv:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)

$(RUN_STAMP): requirements.lock
	@$(MAKE) --no-print-directory venv
	$(PIP_INSTALL) -r requirements.lock
	rm -f $(VENV)/.installed-run-*
	touch $(RUN_STAMP)

$(DEV_STAMP): requirements-dev.lock
	@$(MAKE) --no-print-directory venv
	$(PIP_INSTALL) -r requirements-dev.lock
	rm -f $(VENV)/.installed-[0-9]*
	touch $(DEV_STAMP)

run: install-run
	$(BIN)/python scripts/run.py

test: test-unit test-integration

# The unit pass is SQLite with Celery eager even when TEST_* point at the servers.
test-unit: install
	env -u TEST_DATABASE_URL -u TEST_REDIS_URL $(BIN)/python -m pytest tests --ignore=tests/integration

test-integration: install
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) TEST_REDIS_URL=$(TEST_REDIS_URL) \
		$(BIN)/python -m pytest --create-db tests/integration

# ruff, mypy (strict on quizzes/core; settings in pyproject.toml), import-linter (the
# dependency direction stated in quizzes/__init__.py) and a migrations check.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=studyapp.settings_test $(BIN)/python manage.py makemigrations --check --dry-run

# Re-pin every dependency (with hashes) after editing pyproject.toml; needs pip-tools.
lock:
	pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements.lock pyproject.toml
	pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links --extra dev -o requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) var
