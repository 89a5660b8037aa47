# Build, install and package the ctagent tools.
#   make install [PREFIX=/usr/local] [DESTDIR=]   release binaries (Swift runtime linked in),
#                                                 man pages and shell completions
#   make uninstall [PREFIX=…] [DESTDIR=…]         removes exactly what install put there
#   make release [FLOOR=host]                     the release binary, for glibc 2.28 and newer
#   make deb                                      out/ctagent_VERSION_ARCH.deb
#   make rpm                                      out/ctagent-VERSION-1.ARCH.rpm
#   make docs                                     regenerates man/ and completions/
#   make test                                     every test (same as scripts/test.sh)
PREFIX ?= /usr/local
DESTDIR ?=
VERSION := $(shell sed -n 's/^let toolVersion = "\(.*\)"/\1/p' Sources/CTAgentCommands/CTAgent.swift)
ARCH := $(shell dpkg --print-architecture 2>/dev/null || uname -m)

BINDIR := $(PREFIX)/bin
MANDIR := $(PREFIX)/share/man/man1
BASHDIR := $(PREFIX)/share/bash-completion/completions
ZSHDIR := $(PREFIX)/share/zsh/site-functions
FISHDIR := $(PREFIX)/share/fish/vendor_completions.d
UNITDIR := $(PREFIX)/lib/systemd/system
TOOLS := ctagent ctagentcmd
RELEASE := .build/release
# One binary; ctagentcmd is a link to it (argv[0] decides the name).
LINK := ctagentcmd

# Every file install puts down, relative to DESTDIR; uninstall removes exactly these.
INSTALLED := $(foreach t,$(TOOLS),$(BINDIR)/$(t) $(MANDIR)/$(t).1 $(BASHDIR)/$(t) $(ZSHDIR)/_$(t) $(FISHDIR)/$(t).fish) \
	$(UNITDIR)/ctagent-proxy-check.service $(UNITDIR)/ctagent-proxy-check.timer

.PHONY: all release install uninstall deb rpm docs test clean
all: release

# The Swift runtime linked in, so the installed binaries run on hosts without the toolchain;
# built against a Debian 11 root (made and cached by the build) and checked to need at most
# glibc 2.28. FLOOR=host builds against this machine's glibc (scripts/build-release.sh).
release:
	scripts/build-release.sh

install: release
	install -D -m 0755 $(RELEASE)/ctagent "$(DESTDIR)$(BINDIR)/ctagent"
	ln -sfn ctagent "$(DESTDIR)$(BINDIR)/$(LINK)"
	for t in $(TOOLS); do \
	  install -D -m 0644 man/$$t.1 "$(DESTDIR)$(MANDIR)/$$t.1"; \
	  install -D -m 0644 completions/$$t.bash "$(DESTDIR)$(BASHDIR)/$$t"; \
	  install -D -m 0644 completions/_$$t "$(DESTDIR)$(ZSHDIR)/_$$t"; \
	  install -D -m 0644 completions/$$t.fish "$(DESTDIR)$(FISHDIR)/$$t.fish"; \
	done
	# The redundancy check: shipped, not enabled.
	sed 's|@BINDIR@|$(BINDIR)|g' systemd/ctagent-proxy-check.service.in | install -D -m 0644 /dev/stdin "$(DESTDIR)$(UNITDIR)/ctagent-proxy-check.service"
	install -D -m 0644 systemd/ctagent-proxy-check.timer "$(DESTDIR)$(UNITDIR)/ctagent-proxy-check.timer"

uninstall:
	rm -f $(addprefix "$(DESTDIR),$(addsuffix ",$(INSTALLED)))

deb: release
	scripts/build-deb.sh "$(VERSION)" "$(ARCH)"

rpm: release
	scripts/build-rpm.sh "$(VERSION)"

docs:
	scripts/generate-docs.sh

test:
	scripts/test.sh

clean:
	rm -rf out
