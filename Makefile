# Lanyard: set-up, build, test, demo and benchmarks.
# `make demo` and `make test` install what they need on a fresh Debian machine.

SWIFT ?= swift
BUILD_FLAGS ?=
LANYARD = .build/debug/lanyard

# Debian packages: what each is for is listed in README.md.
APT_PACKAGES = pkg-config liblua5.4-dev libsqlite3-dev sqlite3 libzip-dev \
	python3-aiosmtpd tmux hyperfine lua5.4 zip time libgmime-3.0-dev libcurl4-openssl-dev openssl \
	libxlsxwriter-dev libcairo2-dev fonts-dejavu-core poppler-utils python3-openpyxl libsodium-dev libedit-dev

DEMO = demo
DEMO_DB = $(DEMO)/lanyard.db

.PHONY: deps build test demo bench clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

test: deps
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	$(SWIFT) test --skip-build $(BUILD_FLAGS)

# The main job on generated data: a made-up school, imported, then a selection listed.
demo: build
	rm -rf $(DEMO)
	$(LANYARD) demo generate --out $(DEMO)
	$(LANYARD) --db $(DEMO_DB) import oneroster $(DEMO)/oneroster
	$(LANYARD) --db $(DEMO_DB) import csv --kind contacts $(DEMO)/mis-contacts.csv
	$(LANYARD) --db $(DEMO_DB) users count --where 'role:student'
	$(LANYARD) --db $(DEMO_DB) users list --where 'year:7 reg:7A' --limit 12
	@echo "Demo directory: $(DEMO_DB). Try: $(LANYARD) --db $(DEMO_DB) users list --where 'name:Nguyen'"

# Every benchmark in one go (release build); rewrites docs/BENCHMARKS.md.
bench: deps
	$(SWIFT) build -c release
	bench/run.sh

clean:
	rm -rf .build
