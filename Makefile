# Two commands a newcomer needs: `make demo` and `make test`. Everything else is installed by them.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT   ?= 8000
export UNLOCKDESK_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test install system-deps browser-deps mail-deps pdf-deps bench-deps messages lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/uv pip install -q -p $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install -q -p $(BIN)/python --no-deps -e .
	touch $@

install: $(VENV)/.installed

# gettext compiles the zh-hans/en catalogs; CJK fonts render Chinese in pages and images.
system-deps:
	@command -v msgfmt >/dev/null && fc-list 2>/dev/null | grep -qi "noto sans cjk" || \
	  ( $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq gettext fonts-noto-cjk fontconfig )

# WeasyPrint lays out the customer's records PDF with Pango; poppler's tools check it in tests.
pdf-deps: system-deps
	@command -v pdftoppm >/dev/null && ldconfig -p | grep -q libpangoft2-1.0 || \
	  ( $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 poppler-utils )

# Playwright drives Debian's Chromium (Playwright's own browser download does not work here).
browser-deps: system-deps
	@test -x /usr/bin/chromium || \
	  ( $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium )

# zh_Hant catalogs are generated from zh_Hans (OpenCC) before compiling; see docs/glossary.md.
messages: install system-deps
	$(BIN)/unlockdesk hant-catalogs
	cd src/unlockdesk && ../../$(BIN)/unlockdesk compilemessages -v0

demo: install messages pdf-deps
	UNLOCKDESK_DEMO=1 PORT=$(PORT) $(BIN)/unlockdesk demo

# The email tests start their own Dovecot (IMAP with IDLE) on a free port.
mail-deps:
	@test -x /usr/sbin/dovecot || \
	  ( $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq dovecot-imapd )

# Two test workers (pytest-xdist): half the suite's time is spent waiting on servers, sockets
# and the browser. Each worker has its own test database and Redis database (settings.py).
TEST_WORKERS ?= 2
test: install messages browser-deps mail-deps pdf-deps
	$(BIN)/pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# django-helpdesk in a venv of its own (never a project dependency): bench/email.py compares with it.
# bench/email.py's comparison, in a venv of its own; psycopg for its PostgreSQL run.
var/bench-helpdesk-venv/installed:
	$(PYTHON) -m venv var/bench-helpdesk-venv
	var/bench-helpdesk-venv/bin/python -m pip install -q django-helpdesk==2.6.1 "psycopg[binary]>=3.1"
	touch $@

# bench/verification.py: Tesseract reads the notes beside RapidOCR; the labelled set is written
# in kaiti and handwriting-like fonts besides Noto.
BENCH_APT := tesseract-ocr tesseract-ocr-chi-sim fonts-arphic-ukai fonts-lxgw-wenkai fonts-wqy-zenhei \
             fonts-smiley-sans
bench-deps: system-deps
	@dpkg -s $(BENCH_APT) >/dev/null 2>&1 || \
	  ( $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(BENCH_APT) )

bench: install messages bench-deps var/bench-helpdesk-venv/installed
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
