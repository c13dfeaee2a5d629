#!/bin/sh
# Regenerates README's parameter and metric references from the registries.
# usage: sh tests/e2e/update_readme.sh [ENFORCESIM]   (not a test: no PASS lines)
bin=${1:-./enforcesim}
for s in params metrics; do
    if [ $s = params ]; then "$bin" params --markdown >/tmp/es_ref.$$; else "$bin" params --metrics --markdown >/tmp/es_ref.$$; fi
    awk -v s="$s" -v f=/tmp/es_ref.$$ '
        $0 == "<!-- BEGIN " s " -->" { print; while ((getline l < f) > 0) print l; skip = 1; next }
        $0 == "<!-- END " s " -->" { skip = 0 }
        !skip { print }' README.md >README.md.new && mv README.md.new README.md
    rm -f /tmp/es_ref.$$
done
