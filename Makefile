# Two commands: `make run` brings the service up, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.lock | cksum | cut -d' ' -f1)

TEST_DATABASE_URL ?= postgres://studyapp@127.0.0.1:5432/studyapp
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: install run test test-unit test-integration lint lock clean

install: $(STAMP)

$(STAMP): requirements-dev.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: install
	$(BIN)/python scripts/run.py

test: test-unit test-integration

test-unit: install
	$(BIN)/python -m pytest tests --ignore=tests/integration

test-integration: install
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) TEST_REDIS_URL=$(TEST_REDIS_URL) \
		$(BIN)/python -m pytest --create-db tests/integration

lint: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# Re-pin every dependency (with hashes) after editing pyproject.toml; needs pip-tools.
lock:
	pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements.lock pyproject.toml
	pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links --extra dev -o requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) var
