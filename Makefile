# Trygg – the two commands a new user needs: `make run` and `make test` (`make serve` for the production profile).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000
FILE ?= var/trygg-backup.tar.gz
# Debian packages: the browser and PDF tests drive Chromium and read PDFs with poppler; PDFs need the fonts.
TEST_PACKAGES := chromium poppler-utils gettext fonts-dejavu-core
SERVE_PACKAGES := postgresql fonts-dejavu-core

.PHONY: run serve restore backup test test-packages lint check pytest demo totp lock messages clean

$(VENV)/.base: requirements/base.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.base requirements/dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	touch $@

## run: create the environment, migrate the SQLite database in var/, load demo data, serve on $(HOST) with a worker
run: $(VENV)/.base
	@$(MANAGE) migrate --no-input --verbosity 0
	@$(MANAGE) collectstatic --no-input --verbosity 0
	@$(MANAGE) load_demo
	@echo ""
	@echo "Trygg kjører på / is running at http://$(HOST)/  (Ctrl+C stopper / stops)"
	@echo "E-post skrives til / e-mail is written to var/mail/"
	@$(MANAGE) db_worker --no-startup-delay --verbosity 0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver $(HOST) --noreload

## serve: the production profile on loopback: PostgreSQL (private cluster in var/ unless DATABASE_URL is set),
## gunicorn with several workers, the background worker and the demo data
serve: $(VENV)/.base
	@deploy/system-packages.sh $(SERVE_PACKAGES)
	HOST=$(HOST) deploy/serve.sh

## backup: write every table and uploaded file to one archive (default FILE=var/trygg-backup.tar.gz)
backup: $(VENV)/.base
	$(MANAGE) backup $(FILE)

## restore: migrate an empty database and restore an archive from `make backup` into it (make restore FILE=...)
restore: $(VENV)/.base
	$(MANAGE) restore $(FILE)

## test: install the Debian packages the tests need, create the environment with test tools and run every check
test: test-packages lint check pytest

test-packages:
	@deploy/system-packages.sh $(TEST_PACKAGES)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: $(VENV)/.dev
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	TRYGG_PROFILE=production DJANGO_SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
		ALLOWED_HOSTS=trygg.example $(MANAGE) check --deploy --fail-level WARNING

pytest: $(VENV)/.dev
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

## totp: print the current two-factor code of a demo user (make totp USER=admin)
totp: $(VENV)/.base
	@$(MANAGE) totp_code $(USER)

## lock: re-resolve the pinned dependencies after changing pyproject.toml (needs network access to PyPI)
lock: $(VENV)/.dev
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --python-platform x86_64-manylinux_2_28 --generate-hashes --no-header -o requirements/base.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --python-platform x86_64-manylinux_2_28 --generate-hashes --no-header -o requirements/dev.lock

## messages: refresh and compile every app's translation catalogue (needs gettext)
messages: $(VENV)/.dev
	for app in src/trygg/*/locale; do \
		(cd $$(dirname $$app) && $(CURDIR)/$(BIN)/python $(CURDIR)/manage.py makemessages -l nb --no-obsolete \
		--no-location && $(CURDIR)/$(BIN)/python $(CURDIR)/manage.py compilemessages -l nb) || exit 1; \
	done

clean:
	rm -rf $(VENV) var
