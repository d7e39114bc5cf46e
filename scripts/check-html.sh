#!/usr/bin/env bash
# check-html.sh REPORT.html [SCREENSHOT.png]
#
# Opens a casim HTML report in headless Chromium (Debian's `chromium`
# package) and fails if a script on the page, or in porcupine's view inside
# it, threw an error, or if the report's own script did not finish (it
# sets a marker element to "report-ready"). With a second argument it also
# writes a screenshot, for a person to look at.
#
# Exit status: 0 the report loaded cleanly, 1 it did not, 2 usage or no
# Chromium.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 REPORT.html [SCREENSHOT.png]" >&2
  exit 2
fi
report=$(realpath "$1")
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chromium" ]; then
  echo "check-html: chromium not found (apt-get install -y chromium)" >&2
  exit 2
fi

profile=$(mktemp -d)
logs=$(mktemp)
dom=$(mktemp)
trap 'rm -rf "$profile" "$logs" "$dom"' EXIT

flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
  --disable-component-update --no-first-run --user-data-dir="$profile"
  --enable-logging=stderr --v=0 --virtual-time-budget=5000)

if ! timeout 120 "$chromium" "${flags[@]}" --dump-dom "file://$report" >"$dom" 2>"$logs"; then
  echo "check-html: chromium failed on $1:" >&2
  tail -20 "$logs" >&2
  exit 1
fi
# Console messages are logged as INFO:CONSOLE lines; an uncaught exception
# reads "Uncaught ...".
if grep -E 'Uncaught|CONSOLE.*(Error|error)' "$logs" >&2; then
  echo "check-html: script errors in $1" >&2
  exit 1
fi
if ! grep -q 'id="casim-status"[^>]*>report-ready<' "$dom"; then
  echo "check-html: the report's script did not finish in $1 (no report-ready marker)" >&2
  exit 1
fi
if [ $# -eq 2 ]; then
  timeout 120 "$chromium" "${flags[@]}" --window-size=1400,1800 --screenshot="$(realpath -m "$2")" \
    "file://$report" >/dev/null 2>>"$logs"
fi
echo "check-html: $1 loaded without script errors"
