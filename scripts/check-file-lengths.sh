#!/usr/bin/env bash
# Fails when a source file under src/ is over 400 lines: a file that long holds more than one idea.
# The demo data (src/demo/) is left out: it is a plan written out, not logic.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=400
long=$(find src -name '*.ts' -not -path 'src/demo/*' -print0 | xargs -0 wc -l | awk -v limit="$limit" '$2 != "total" && $1 > limit { print "  " $2 ": " $1 " lines" }')
if [ -n "$long" ]; then
  echo "Files over ${limit} lines (split them by idea):"
  echo "$long"
  exit 1
fi
echo "No file under src/ is over ${limit} lines (demo data left out)."
