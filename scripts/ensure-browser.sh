#!/usr/bin/env bash
# Makes sure a headless Chromium is here for the browser tests of report.html and index.html (Debian's
# `chromium` package, about 1-2 minutes to install once). Never fails the build: where it cannot be installed
# (no root, no apt, no network), it says so and those tests report themselves skipped with the reason.
set -uo pipefail
say() { printf 'rnnrunner setup: %s\n' "$*" >&2; }

for browser in chromium chromium-browser google-chrome; do
  command -v "$browser" >/dev/null 2>&1 && exit 0
done

if ! command -v apt-get >/dev/null 2>&1; then
  say "no Chromium and no apt-get: the browser tests will be skipped (install chromium to run them)."
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo_cmd=sudo; else
    say "no Chromium, and installing it needs root: the browser tests will be skipped (apt-get install chromium)."
    exit 0
  fi
else
  sudo_cmd=
fi

say "installing Debian's chromium for the browser tests of the HTML reports (once, about 1-2 minutes)..."
if ! $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/tmp/rnnrunner-chromium.log 2>&1; then
  $sudo_cmd apt-get update -q >/dev/null 2>&1 || true
  if ! $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/tmp/rnnrunner-chromium.log 2>&1; then
    say "could not install chromium (see /tmp/rnnrunner-chromium.log): the browser tests will be skipped."
  fi
fi
exit 0
