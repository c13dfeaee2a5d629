#!/bin/sh
# README's reference tables are the registries' own output, and README
# names the two quick-start commands.
: "${ES_BIN:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
section() { sed -n "/<!-- BEGIN $1 -->/,/<!-- END $1 -->/p" README.md | sed '1d;$d'; }
section params >"$tmp/readme"; "$ES_BIN" params --markdown >"$tmp/cli"
if cmp -s "$tmp/readme" "$tmp/cli"; then echo "PASS readme_parameter_reference_matches_enforcesim_params"
else echo "FAIL readme_parameter_reference_matches_enforcesim_params (regenerate with: enforcesim params --markdown)"; fi
section metrics >"$tmp/readme"; "$ES_BIN" params --metrics --markdown >"$tmp/cli"
if cmp -s "$tmp/readme" "$tmp/cli"; then echo "PASS readme_metric_reference_matches_the_metric_registry"
else echo "FAIL readme_metric_reference_matches_the_metric_registry (regenerate with: enforcesim params --metrics --markdown)"; fi
grep -q '^make run' README.md && grep -q '^make test' README.md && echo "PASS readme_has_the_two_quick_start_commands" || echo "FAIL readme_has_the_two_quick_start_commands"
