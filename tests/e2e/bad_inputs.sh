#!/bin/sh
# bad_inputs.sh: the bad-input corpus (docs/development.md, Fuzzing and bad inputs, tests/bad-inputs/README.md).
# Every case must be refused cleanly: exit status 2 (never a crash, never 0),
# exactly one line on stderr starting with "enforcesim: ", naming the input
# (the file, the --set or the option), containing the case's expected text,
# nothing on stdout, and no output file.
#
# 1. Every config in tests/bad-inputs, through `validate` and through `run`
#    (whose -o file must not appear). Each case's first line is
#    "# expect: TEXT"; lines "# set: path=value" are passed as --set options
#    (the message then names the --set, not the file).
# 2. Configs made here: a missing file, a folder, an executable, no CONFIG.
# 3. Conflicting or malformed command-line options of run, validate, info
#    and compare.
# 4. Result files given to info and compare: missing, empty, a folder, a
#    config, an executable, truncated copies of a real result, the HDF5
#    signature alone, and files of a wrong layout (made with h5py from a
#    tiny real result).
# Positive controls (an empty config is valid; the effective config
# validates to itself; the tiny result reads) follow.
#
# ES_VALGRIND=1 (make valgrind-bad-inputs) runs every refused command under
# valgrind: any memory error or definite leak (libconfig's known one aside,
# tests/bad-inputs/valgrind.supp) fails the case. Prints one PASS/FAIL line
# per check.
: "${ES_BIN:?set ES_BIN to the enforcesim binary (make test does)}"
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
dir="$root/tests/bad-inputs"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# Leaks inside the libraries, not ours, that LeakSanitizer would report
# under SAN=1; suppressed quietly, so stderr stays one line:
# - libconfig 1.5 leaks the text of a string token that its parser rejects,
#   allocated in strbuf_append (`x = 1 "y";`) or, for an empty string
#   (`x ""`), in libconfig_yylex;
# - HDF5 1.10.8 leaks a metadata-cache entry when an object header fails
#   its checksum (the damaged_object_header cases). libhdf5 has no frame
#   pointers, so only the module can be named; test_h5 checks our own use
#   of HDF5 memory under SAN=1 without this suppression.
printf 'leak:strbuf_append\nleak:libconfig_yylex\nleak:libhdf5\n' >"$tmp/lsan.supp"
LSAN_OPTIONS="suppressions=$tmp/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS

# es COMMAND...: runs a command, under valgrind when ES_VALGRIND=1 (its
# report goes to $tmp/vg.log, so stderr stays the program's own), and
# within a time limit (exit status 124 past it), so a case that blocks (a
# FIFO as the config) fails instead of hanging the suite.
es() {
    if [ "${ES_VALGRIND:-0}" = 1 ]; then
        : >"$tmp/vg.log"
        timeout 300 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
            --show-leak-kinds=definite --suppressions="$dir/valgrind.supp" --log-file="$tmp/vg.log" "$@"
    else
        timeout 60 "$@"
    fi
}

# A path that a refused command must not create (with no temporary file
# beside it either); empty for none. Set before check_refused, reset after.
nofile=

# check_refused NAME EXPECT NEEDLE COMMAND...
check_refused() {
    name=$1 expect=$2 needle=$3
    shift 3
    es "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    lines=$(wc -l <"$tmp/err" | tr -d ' ')
    why=
    if [ "$rc" -ge 128 ]; then why="crashed (status $rc)"
    elif [ "$rc" -eq 124 ]; then why="still running after the time limit (blocked?)"
    elif [ "${ES_VALGRIND:-0}" = 1 ] && [ -s "$tmp/vg.log" ]; then why="valgrind: $(grep -m 1 -v '^==[0-9]*== *$' "$tmp/vg.log")"
    elif [ "$rc" -ne 2 ]; then why="exit status $rc, not 2"
    elif [ "$lines" -ne 1 ]; then why="stderr has $lines lines, not 1"
    elif ! grep -q '^enforcesim: ' "$tmp/err"; then why="stderr does not start with 'enforcesim: '"
    elif ! grep -qF -- "$needle" "$tmp/err"; then why="message does not name '$needle'"
    elif [ -n "$expect" ] && ! grep -qF -- "$expect" "$tmp/err"; then why="message lacks '$expect'"
    elif [ -s "$tmp/out" ]; then why="wrote to stdout"
    elif [ -n "$nofile" ] && [ -e "$nofile" ]; then why="wrote $nofile"
    elif [ -n "$nofile" ] && ls "$nofile".tmp-* >/dev/null 2>&1; then why="left a temporary file beside $nofile"
    fi
    if [ -z "$why" ]; then
        echo "PASS bad_input_$name"
    else
        echo "FAIL bad_input_$name: $why"
        head -n 5 "$tmp/err" | sed 's/^/    stderr: /'
        [ -s "$tmp/vg.log" ] && head -n 20 "$tmp/vg.log" | sed 's/^/    valgrind: /'
    fi
    rm -f "$nofile"
}

n=0
for f in "$dir"/*.cfg; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    name=$(basename "$f" .cfg)
    expect=$(head -n 1 "$f" | sed -n 's/^# expect: //p')
    if [ -z "$expect" ]; then
        echo "FAIL bad_input_$name: first line is not '# expect: TEXT'"
        continue
    fi
    needle=$(basename "$f")
    set -- "$ES_BIN" validate "$f"
    while IFS= read -r line; do
        case $line in
        "# set: "*) set -- "$@" --set "${line#\# set: }"; needle="--set" ;;
        esac
    done <<LINES
$(grep -a '^# set: ' "$f")
LINES
    check_refused "$name" "$expect" "$needle" "$@"
    # The same through `run`: refused before any unit runs, no file.
    shift 2
    nofile=$tmp/run_out.h5
    check_refused "run_$name" "$expect" "$needle" "$ES_BIN" run "$@" -q -o "$nofile"
    nofile=
done
if [ "$n" -ge 40 ]; then echo "PASS bad_inputs_corpus_has_${n}_cases"; else echo "FAIL bad_inputs_corpus_has_only_${n}_cases"; fi

check_refused missing_file "cannot read" "no-such-file.cfg" "$ES_BIN" validate "$dir/no-such-file.cfg"
check_refused directory_as_file "cannot read" "$dir" "$ES_BIN" validate "$dir"
check_refused no_config "no CONFIG" "validate" "$ES_BIN" validate
: >"$tmp/empty.cfg"
check_refused set_without_value "needs a value" "--set" "$ES_BIN" validate "$tmp/empty.cfg" --set
head -c 4096 "$ES_BIN" >"$tmp/program.cfg"
check_refused executable_as_config "a NUL byte" "program.cfg" "$ES_BIN" validate "$tmp/program.cfg"

# ---- configs and includes that are no regular file, or too large (issue #12) ----
# A FIFO would block libconfig forever, /dev/zero would be read without
# end: only regular files of at most 8 MB are read, configs and includes.
mkfifo "$tmp/fifo.cfg"
check_refused config_is_a_fifo "is a FIFO" "fifo.cfg" "$ES_BIN" validate "$tmp/fifo.cfg"
nofile=$tmp/run_out.h5
check_refused run_config_is_a_fifo "is a FIFO" "fifo.cfg" "$ES_BIN" run "$tmp/fifo.cfg" -q -o "$nofile"
nofile=
check_refused config_is_dev_zero "is a character device" "/dev/zero" "$ES_BIN" validate /dev/zero
printf '# x\n' >"$tmp/big.cfg"
head -c 9000000 /dev/zero | tr '\0' '#' >>"$tmp/big.cfg"
check_refused config_over_8_mb "larger than 8 MB" "big.cfg" "$ES_BIN" validate "$tmp/big.cfg"
mkdir "$tmp/inc"
ln -s /proc/self/mem "$tmp/inc/mem.inc"
printf 'run = { replications = 2; };\n@include "mem.inc"\n' >"$tmp/inc/proc_mem.cfg"
check_refused include_unreadable_special_file "inc/proc_mem.cfg:2: @include \"mem.inc\": cannot read" \
    "proc_mem.cfg" "$ES_BIN" validate "$tmp/inc/proc_mem.cfg"
mkfifo "$tmp/inc/pipe.inc"
printf '@include "pipe.inc"\n' >"$tmp/inc/fifo_include.cfg"
check_refused include_fifo "is a FIFO" "fifo_include.cfg" "$ES_BIN" validate "$tmp/inc/fifo_include.cfg"
ln -s /dev/zero "$tmp/inc/zero.inc"
printf '@include "zero.inc"\n' >"$tmp/inc/zero_include.cfg"
check_refused include_dev_zero "is a character device" "zero_include.cfg" "$ES_BIN" validate "$tmp/inc/zero_include.cfg"
cp "$tmp/big.cfg" "$tmp/inc/big.inc"
printf '@include "big.inc"\n' >"$tmp/inc/big_include.cfg"
check_refused include_over_8_mb "larger than 8 MB" "big_include.cfg" "$ES_BIN" validate "$tmp/inc/big_include.cfg"

# ---- names the writer would refuse after every unit: refused before the first ----
# A config without a scenarios list names its one scenario after the file.
mkdir "$tmp/names"
for n in "..cfg|'.', and that name starts with '.'" "a b.cfg|'a b', and that name may hold only" \
         ".hidden.cfg|'.hidden', and that name starts with '.'"; do
    file=${n%%|*} expect=${n#*|}
    cp "$root/tests/fuzz/tiny.cfg" "$tmp/names/$file"
    sed -i '/^scenarios\|^comparisons\|^  { name\|^);/d' "$tmp/names/$file"
    nofile=$tmp/run_out.h5
    check_refused "derived_name_$file" "$expect" "$file" "$ES_BIN" validate "$tmp/names/$file"
    check_refused "run_derived_name_$file" "$expect" "$file" "$ES_BIN" run "$tmp/names/$file" -q -o "$nofile"
    nofile=
done

# ---- command-line options: conflicting, malformed, misplaced ----
cfg="$root/tests/fuzz/tiny.cfg"
nofile=$tmp/run_out.h5
for c in "quiet_and_verbose|contradict|-q|-q -v" \
         "zero_replications|-r '0'|-r|-r 0" \
         "fractional_replications|-r '1.5'|-r|-r 1.5" \
         "jobs_not_a_number|-j 'x'|-j|-j x" \
         "zero_jobs|-j '0'|-j|-j 0" \
         "negative_seed|--seed '-1'|--seed|--seed -1" \
         "seed_too_large|--seed '9223372036854775808'|--seed|--seed 9223372036854775808" \
         "seed_past_run_seed_range|from 0 to 9200000000000000000 (the range of run.seed)|--seed|--seed 9223372036854775807" \
         "seed_with_junk|--seed '12x'|--seed|--seed 12x" \
         "option_without_value|needs a value|-r|-r" \
         "unknown_option|unknown option|--replicatons|--replicatons 5" \
         "two_configs|more than one CONFIG|run|$cfg" \
         "set_without_equals|expected path=value|--set|--set run.seed" \
         "precision_unknown_metric|unknown metric|--precision|--precision apprehension=0.1" \
         "precision_out_of_range|between 0 and 1|--precision|--precision apprehensions=1.5" \
         "max_replications_alone|give --precision|--max-replications|--max-replications 50" \
         "max_replications_below_first_batch|below the first batch|--max-replications|--precision apprehensions=0.1 -r 20 --max-replications 10"; do
    IFS='|' read -r name expect needle opts <<EOF2
$c
EOF2
    # shellcheck disable=SC2086  # opts is a list of words
    check_refused "run_$name" "$expect" "$needle" "$ES_BIN" run "$cfg" -o "$nofile" $opts
done
mkdir "$tmp/a_folder"
check_refused run_output_is_a_folder "is a folder" "$tmp/a_folder" "$ES_BIN" run "$cfg" -q -o "$tmp/a_folder"
nofile=
check_refused validate_two_configs "more than one CONFIG" "validate" "$ES_BIN" validate "$cfg" "$cfg"
check_refused validate_unknown_option "unknown option" "--sett" "$ES_BIN" validate "$cfg" --sett run.seed=3
check_refused params_unknown_argument "unknown argument" "--markdwn" "$ES_BIN" params --markdwn
check_refused unknown_command "unknown command" "runn" "$ES_BIN" runn "$cfg"

# ---- result files for info and compare ----
# A tiny real result (two scenarios a and b, one comparison), then damaged
# and wrong-layout copies of it. Not under valgrind: it only makes fixtures.
good=$tmp/good.h5
if ! "$ES_BIN" run "$cfg" -q -o "$good" 2>"$tmp/err"; then
    echo "FAIL bad_input_fixture_tiny_result: $(head -n 1 "$tmp/err")"
    exit 1
fi
check_refused info_no_file "no FILE" "info" "$ES_BIN" info
check_refused info_two_files "one FILE only" "info" "$ES_BIN" info "$good" "$good"
check_refused info_unknown_metric "unknown metric" "apprehension" "$ES_BIN" info "$good" --metric apprehension
check_refused info_metric_without_name "needs a metric name" "--metric" "$ES_BIN" info "$good" --metric
check_refused info_unknown_option "unknown option" "--csv" "$ES_BIN" info "$good" --csv
check_refused compare_without_alt "--alt B" "compare" "$ES_BIN" compare "$good" --base a
check_refused compare_same_scenario "both 'a'" "--base" "$ES_BIN" compare "$good" --base a --alt a
check_refused compare_unknown_scenario "no scenario 'c'" "$good" "$ES_BIN" compare "$good" --base a --alt c
check_refused compare_bad_period "write FY2018" "FY17" "$ES_BIN" compare "$good" --base a --alt b --period FY17x
check_refused compare_period_not_in_file "not in" "FY2030" "$ES_BIN" compare "$good" --base a --alt b --period FY2030
check_refused compare_negative_half_width "positive number" "--half-width" "$ES_BIN" compare "$good" --base a --alt b --half-width -3
check_refused compare_unknown_metric "unknown metric" "deaht" "$ES_BIN" compare "$good" --base a --alt b --metric deaht
check_refused compare_two_files "one FILE only" "compare" "$ES_BIN" compare "$good" "$good" --base a --alt b
check_refused compare_option_without_value "needs a value" "--period" "$ES_BIN" compare "$good" --base a --alt b --period

# result_case NAME EXPECT FILE: the file refused by info and by compare.
result_case() {
    check_refused "info_$1" "$2" "$3" "$ES_BIN" info "$3"
    check_refused "compare_$1" "$2" "$3" "$ES_BIN" compare "$3" --base a --alt b
}
result_case missing_file "No such file" "$tmp/missing.h5"
: >"$tmp/empty.h5"
result_case empty_file "empty file" "$tmp/empty.h5"
result_case folder "is a folder" "$tmp/a_folder"
result_case config_file "not an HDF5 file" "$cfg"
cp "$tmp/program.cfg" "$tmp/program.h5"
result_case executable "not an HDF5 file" "$tmp/program.h5"
head -c 8 "$good" >"$tmp/signature_only.h5"
result_case hdf5_signature_only "" "$tmp/signature_only.h5"
size=$(wc -c <"$good" | tr -d ' ')
for pct in 1 10 50 90 99; do
    head -c $((size * pct / 100)) "$good" >"$tmp/truncated_$pct.h5"
    result_case "truncated_to_${pct}_percent" "" "$tmp/truncated_$pct.h5"
done
head -c $((size - 1)) "$good" >"$tmp/truncated_last_byte.h5"
result_case truncated_by_one_byte "truncated" "$tmp/truncated_last_byte.h5"

# Wrong layouts: NAME|EXPECT|python statements on f (the copy, opened r+),
# then resealed (reseal.py) so the change reaches the parser, not the seal.
py=/usr/bin/python3
if ! "$py" -c 'import h5py' 2>/dev/null; then
    echo "FAIL bad_input_wrong_layout: $py cannot import h5py (make deps-test)"
else
    while IFS='|' read -r name expect code; do
        [ -n "$name" ] || continue
        cp "$good" "$tmp/$name.h5"
        if "$py" -c "import h5py, numpy as np
f = h5py.File('$tmp/$name.h5', 'r+')
$code
f.close()" 2>"$tmp/pyerr" && "$py" "$root/tests/e2e/reseal.py" "$tmp/$name.h5" 2>"$tmp/pyerr"; then
            result_case "$name" "$expect" "$tmp/$name.h5"
        else
            echo "FAIL bad_input_$name: could not make the fixture: $(tail -n 1 "$tmp/pyerr")"
        fi
    done <<'LAYOUTS'
no_program_attribute|no 'program' attribute|del f.attrs['program']
other_program|written by 'netCDF'|f.attrs['program'] = 'netCDF'
newer_layout|layout version 99|f.attrs['layout_version'] = np.int64(99)
layout_version_1|layout version 1 (enforcesim before|f.attrs['layout_version'] = np.int64(1)
statistic_scale_not_compact|not stored compactly|g = f['scenarios/a/summary_fiscal_year']; old = g['statistic']; v = [x.decode() for x in old[()]]; ks = [k for k in g if k not in ('statistic', 'fiscal_year')]; [g[k].dims[0].detach_scale(old) for k in ks]; del old; del g['statistic']; s = g.create_dataset('statistic', data=np.array(v, dtype=h5py.string_dtype())); s.make_scale('statistic'); [g[k].dims[0].attach_scale(s) for k in ks]
seed_not_an_integer|attribute 'seed' is not a single integer|f.attrs['seed'] = 'forty-two'
no_scenarios_group|scenarios: group missing|del f['scenarios']
scenario_without_subgroup|summary_calendar_year: group missing|del f['scenarios/b/summary_calendar_year']
metric_missing|apprehensions: metric missing (written by an enforcesim without it? run the config again with this version)|del f['scenarios/a/fiscal_year/apprehensions']
metric_of_strings|not a numeric dataset|g = f['scenarios/a/monthly']; del g['deaths']; g['deaths'] = np.array([['x'] * g['month'].shape[0]], dtype=h5py.string_dtype())
metric_wrong_shape|shape 1 x 3, expected 1 x 1|g = f['scenarios/b/fiscal_year']; del g['deaths']; g['deaths'] = np.zeros((1, 3))
metric_wrong_rank|has 1 dimensions, expected 2|g = f['scenarios/a/calendar_year']; del g['returned']; g['returned'] = np.zeros(3)
replications_disagree|n_replications differs|f['scenarios/a'].attrs['n_replications'] = np.int64(7)
comparison_unknown_scenario|not in /scenarios|f['comparisons/a__vs__b'].attrs['base'] = 'zz'
statistics_reordered|must be|g = f['scenarios/a/summary_fiscal_year']; s = g['statistic']; s[0:2] = [s[1], s[0]]
LAYOUTS
    # Damage the HDF5 checksums catch: one bit flipped in each of a few
    # object headers (libhdf5 1.10.8 leaks a cache entry on these; the
    # valgrind suppressions name it).
    for k in 3 20 40; do
        if "$py" -c "import re, sys
b = bytearray(open('$good', 'rb').read())
o = [m.start() for m in re.finditer(b'OHDR', b)][$k]
b[o + 12] ^= 0x40
open('$tmp/damaged_header_$k.h5', 'wb').write(b)" 2>"$tmp/pyerr" &&
            "$py" "$root/tests/e2e/reseal.py" "$tmp/damaged_header_$k.h5" 2>"$tmp/pyerr"; then
            result_case "damaged_object_header_$k" "" "$tmp/damaged_header_$k.h5"
        else
            echo "FAIL bad_input_damaged_object_header_$k: could not make the fixture: $(tail -n 1 "$tmp/pyerr")"
        fi
    done
fi

# A config with no settings would run the registry's uncalibrated defaults:
# refused, naming the baseline. Positive control: the effective config that
# validate prints is itself valid and prints identically.
check_refused validate_config_without_settings "no settings; start from configs/baseline.cfg" "$tmp/empty.cfg" "$ES_BIN" validate "$tmp/empty.cfg"
if "$ES_BIN" validate "$cfg" >"$tmp/eff1.cfg" 2>"$tmp/err" && [ ! -s "$tmp/err" ] && [ -s "$tmp/eff1.cfg" ]; then
    echo "PASS validate_prints_effective_config"
else
    echo "FAIL validate_prints_effective_config"
    head -n 5 "$tmp/err" | sed 's/^/    stderr: /'
fi
if "$ES_BIN" validate "$tmp/eff1.cfg" >"$tmp/eff2.cfg" 2>"$tmp/err" && cmp -s "$tmp/eff1.cfg" "$tmp/eff2.cfg"; then
    echo "PASS validate_effective_config_reproduces_itself"
else
    echo "FAIL validate_effective_config_reproduces_itself"
fi
if "$ES_BIN" validate "$cfg" --set run.replications=9 --set 'run.seed=5000000000L' >"$tmp/eff3.cfg" 2>"$tmp/err" &&
    grep -q 'replications = 9;' "$tmp/eff3.cfg" && grep -q 'seed = 5000000000L;' "$tmp/eff3.cfg"; then
    echo "PASS validate_set_overrides_show_in_effective_config"
else
    echo "FAIL validate_set_overrides_show_in_effective_config"
fi
