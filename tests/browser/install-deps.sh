#!/usr/bin/env bash
# Install what the browser tests need, each only when it is missing, so running it again
# is quick and changes nothing:
# - Chromium from Debian's packages (Playwright drives /usr/bin/chromium; no browser is
#   ever downloaded at run time);
# - axe-core from the npm registry as a plain file, pinned by package-lock.json, into
#   tests/browser/node_modules (npm itself comes from Debian's packages when missing).
# Needs root (or sudo) only when something has to come from apt.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
fi

apt_updated=false
apt_install() {
    if [ "$apt_updated" = false ]; then
        "${sudo_cmd[@]}" apt-get update -qq
        apt_updated=true
    fi
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "$@"
}

if [ ! -x /usr/bin/chromium ]; then
    echo "install-deps: installing Chromium from Debian's packages"
    apt_install chromium
fi

axe="$here/node_modules/axe-core/axe.min.js"
stamp="$here/node_modules/.package-lock.json"
if [ ! -f "$axe" ] || [ ! -f "$stamp" ] || [ "$here/package-lock.json" -nt "$stamp" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "install-deps: installing npm from Debian's packages"
        apt_install npm
    fi
    echo "install-deps: installing axe-core from the npm registry (package-lock.json)"
    npm ci --prefix "$here" --no-audit --no-fund --loglevel=error
fi
