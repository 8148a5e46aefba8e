#!/bin/sh
# Installs the Debian packages the tests and tools need, where this is possible
# (root with apt-get). Elsewhere it says what is missing; the tests that need a
# missing package then skip with a message saying how to enable them.
#   chromium           – browser tests (Playwright drives Debian's chromium)
#   gettext            – compiling the Dutch translation (msgfmt)
#   postgresql-client  – pg_dump/pg_restore for `wijk backup` on PostgreSQL
#   hledger            – checks our books with an independent tool (tests)
#   ledger             – ledger-cli, the second peer tool in benchmarks/
#   libpango-1.0-0 libpangoft2-1.0-0 – WeasyPrint (PDF of reports and invoices)
#   poppler-utils      – pdftotext: the tests read the text of generated PDFs
set -eu
need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v msgfmt >/dev/null 2>&1 || need="$need gettext"
command -v pg_dump >/dev/null 2>&1 || need="$need postgresql-client"
command -v hledger >/dev/null 2>&1 || need="$need hledger"
command -v ledger >/dev/null 2>&1 || need="$need ledger"
command -v pdftotext >/dev/null 2>&1 || need="$need poppler-utils"
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || need="$need libpango-1.0-0 libpangoft2-1.0-0"
[ -z "$need" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages:$need"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
else
  echo "Missing system packages:$need"
  echo "Install them with: sudo apt-get install$need"
  echo "(Tests that need them will be skipped until then.)"
fi
