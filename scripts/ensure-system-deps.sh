#!/usr/bin/env bash
# Installs the Debian packages the tests use, when missing: Chromium (e2e), poppler-utils
# (pdfinfo/pdftotext/pdfsig/pdftoppm), qpdf, NSS tools (pdfsig trust store), SoftHSM + OpenSC pkcs11-tool
# (a PKCS#11 token for the signing tests), the Tinos font, and the
# scale-out parts the multi-process tests start privately: PostgreSQL 15, Redis and nginx; and the
# directory the sign-in tests start privately (tests/helpers/ldap.ts): slapd and ldap-utils.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdfinfo >/dev/null 2>&1 || need+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
command -v certutil >/dev/null 2>&1 || need+=(libnss3-tools)
# pkcs11js (the PKCS#11 signer, an optional native addon) is compiled by node-gyp at npm install
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v make >/dev/null 2>&1 || need+=(make)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v softhsm2-util >/dev/null 2>&1 || need+=(softhsm2)
command -v pkcs11-tool >/dev/null 2>&1 || need+=(opensc)
[ -f /usr/share/fonts/truetype/croscore/Tinos-Regular.ttf ] || need+=(fonts-croscore)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
# pageinspect (secret-ballot-forensics reads raw heap pages): in Debian's postgresql-15 itself
[ -f /usr/share/postgresql/15/extension/pageinspect.control ] || need+=(postgresql-15)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
# only the binaries: the tests run slapd with their own config in a temp dir, never the system one
[ -x /usr/sbin/slapd ] || need+=(slapd)
command -v ldapadd >/dev/null 2>&1 || need+=(ldap-utils)
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing missing system packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
