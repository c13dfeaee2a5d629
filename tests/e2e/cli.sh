#!/bin/sh
# The command line as docs/cli.md promises it: reproducible data,
# exit statuses, --force, -q, --help/--version, info on bad files.
: "${ES_BIN:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { if [ "$1" = 0 ]; then echo "PASS $2"; else echo "FAIL $2 ${3:-}"; fi; }
cfg=tests/e2e/small.cfg
set_small=""

"$ES_BIN" run $cfg -r 3 -q $set_small -o "$tmp/a.h5"; ok $? run_writes_a_result_file
"$ES_BIN" run $cfg -r 3 -q $set_small -o "$tmp/b.h5"; ok $? second_run_writes
/usr/bin/python3 tests/e2e/compare_data.py "$tmp/a.h5" "$tmp/b.h5" >/dev/null; ok $? same_seed_same_config_gives_identical_data
"$ES_BIN" run $cfg -r 3 -q $set_small --seed 7 -o "$tmp/c.h5"
! /usr/bin/python3 tests/e2e/compare_data.py "$tmp/a.h5" "$tmp/c.h5" >/dev/null 2>&1; ok $? another_seed_gives_other_data

cp "$tmp/a.h5" "$tmp/a.keep"
"$ES_BIN" run $cfg -r 2 -q $set_small -o "$tmp/a.h5" 2>"$tmp/err"; rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q -- '--force' "$tmp/err" && cmp -s "$tmp/a.h5" "$tmp/a.keep"
ok $? existing_output_without_force_is_exit_2_and_untouched "(rc=$rc: $(cat "$tmp/err"))"
"$ES_BIN" run $cfg -r 2 -q $set_small -o "$tmp/a.h5" --force; ok $? force_overwrites
! cmp -s "$tmp/a.h5" "$tmp/a.keep"; ok $? force_replaced_the_file

"$ES_BIN" run $cfg -r 2 -q $set_small -o "$tmp/q.h5" 2>"$tmp/err"; [ ! -s "$tmp/err" ]; ok $? quiet_prints_nothing
"$ES_BIN" run $cfg -r 2 $set_small -o "$tmp/p.h5" 2>"$tmp/err"; grep -q 'units' "$tmp/err"; ok $? progress_goes_to_stderr_when_not_quiet
ls "$tmp" | grep -q 'tmp-' ; [ $? != 0 ]; ok $? no_temporary_files_left_behind

"$ES_BIN" run $cfg -r 2 -q --set migration.nope=1 -o "$tmp/u.h5" 2>"$tmp/err"; rc=$?
[ $rc = 2 ] && [ ! -e "$tmp/u.h5" ] && grep -q "migration.nope" "$tmp/err"; ok $? set_on_unknown_path_is_exit_2_and_writes_nothing
for bad in "-r 0" "-r x" "-j 0" "--seed -1" "--bogus"; do
    "$ES_BIN" run $cfg $bad -q -o "$tmp/bad.h5" 2>"$tmp/err"; rc=$?
    [ $rc = 2 ] && [ ! -e "$tmp/bad.h5" ] && [ "$(wc -l <"$tmp/err")" = 1 ]; ok $? "bad_option_${bad%% *}_is_exit_2"
done
"$ES_BIN" run 2>/dev/null; [ $? = 2 ]; ok $? run_without_config_is_exit_2
"$ES_BIN" frobnicate 2>/dev/null; [ $? = 2 ]; ok $? unknown_command_is_exit_2
"$ES_BIN" --help | grep -q "run CONFIG"; ok $? help_on_stdout
"$ES_BIN" --version | grep -q '^enforcesim [0-9]'; ok $? version_on_stdout

"$ES_BIN" info "$tmp/a.h5" >"$tmp/info"; ok $? info_reads_a_result
grep -q 'apprehensions' "$tmp/info" && grep -q '2016' "$tmp/info"; ok $? info_shows_apprehensions_per_fiscal_year
"$ES_BIN" info "$tmp/missing.h5" 2>/dev/null; [ $? = 2 ]; ok $? info_on_missing_file_is_exit_2
printf 'not hdf5' >"$tmp/junk.h5"; "$ES_BIN" info "$tmp/junk.h5" 2>/dev/null; [ $? = 2 ]; ok $? info_on_non_hdf5_is_exit_2
head -c 3000 "$tmp/a.h5" >"$tmp/trunc.h5"; "$ES_BIN" info "$tmp/trunc.h5" 2>/dev/null; [ $? = 2 ]; ok $? info_on_truncated_file_is_exit_2
"$ES_BIN" params | grep -q 'border.intensity'; ok $? params_lists_parameters
exit 0
