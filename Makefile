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

# The main job on generated data: a made-up school, then the term-start workflow with mail
# written as .eml files (the file transport), then where every output is.
demo: build
	rm -rf $(DEMO)
	mkdir -p $(DEMO)
	printf 'mail = { from_address = "office@castlemead.example", from_name = "Castle Mead Academy" }\n' > $(DEMO)/lanyard.config.lua
	$(LANYARD) demo generate --out $(DEMO)/out
	cd $(DEMO) && ../$(LANYARD) run term-start.lua --arg bundle=oneroster --arg contacts=mis-contacts.csv
	@echo
	@echo "Demo outputs (in $(DEMO)/):"
	@echo "  directory:          $(DEMO)/lanyard.db"
	@echo "  emails (.eml):      $(DEMO)/out/outbox/"
	@echo "  mail merge:         $(DEMO)/out/term-start/details/login-details.csv and .xlsx"
	@echo "  slips (PDF):        $(DEMO)/out/term-start/details/student-slips.pdf, parent-slips.pdf"
	@echo "  parent codes (MIS): $(DEMO)/out/term-start/parent-codes-sims.csv"
	@echo "  run report:         $(DEMO)/out/term-start/report.md and needs-attention.csv"
	@echo "Run it again (cd $(DEMO) && ../$(LANYARD) run term-start.lua --arg bundle=oneroster --arg contacts=mis-contacts.csv): nothing is sent twice."

# Every benchmark in one go (release build); rewrites docs/BENCHMARKS.md.
bench: deps
	$(SWIFT) build -c release
	bench/run.sh

clean:
	rm -rf .build

# The slow reliability tests, several minutes: SIGKILL during the delivery of 5,000 messages,
# during imports and a script run, and the scheduler, a REPL and the CLI writing for a minute.
# `make test` runs their fast variants. One test at a time, so that kill points and run times
# are not skewed by other tests on the same processors.
.PHONY: reliability
reliability: deps
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	LANYARD_RELIABILITY=1 $(SWIFT) test --skip-build $(BUILD_FLAGS) --no-parallel --filter Reliability
