#!/bin/sh
# bad_inputs.sh: `enforcesim validate` refuses every config in
# tests/bad-inputs cleanly: exit status 2 (never a crash, never 0), exactly
# one line on stderr starting with "enforcesim: ", naming the file (or the
# --set), containing the case's expected text, and nothing on stdout.
#
# Each case's first line is "# expect: TEXT"; lines "# set: path=value" are
# passed as --set options (the message then names the --set, not the file).
# A few cases that need no file (missing file, no argument) and positive
# controls (an empty config is valid; the effective config validates to
# itself) follow. Prints one PASS/FAIL line per check.
: "${ES_BIN:?set ES_BIN to the enforcesim binary (make test does)}"
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
dir="$root/tests/bad-inputs"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# libconfig 1.5 leaks the text of a string token that its parser rejects
# (e.g. `x = 1 "y";`): a bug inside libconfig (strbuf_append), not ours. Under
# SAN=1 LeakSanitizer would report it; suppress exactly that allocation site,
# and quietly, so stderr stays one line.
printf 'leak:strbuf_append\n' >"$tmp/lsan.supp"
LSAN_OPTIONS="suppressions=$tmp/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS

# check_refused NAME EXPECT NEEDLE COMMAND...
check_refused() {
    name=$1 expect=$2 needle=$3
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    lines=$(wc -l <"$tmp/err" | tr -d ' ')
    why=
    if [ "$rc" -ge 128 ]; then why="crashed (status $rc)"
    elif [ "$rc" -ne 2 ]; then why="exit status $rc, not 2"
    elif [ "$lines" -ne 1 ]; then why="stderr has $lines lines, not 1"
    elif ! grep -q '^enforcesim: ' "$tmp/err"; then why="stderr does not start with 'enforcesim: '"
    elif ! grep -qF -- "$needle" "$tmp/err"; then why="message does not name '$needle'"
    elif [ -n "$expect" ] && ! grep -qF -- "$expect" "$tmp/err"; then why="message lacks '$expect'"
    elif [ -s "$tmp/out" ]; then why="wrote to stdout"
    fi
    if [ -z "$why" ]; then
        echo "PASS bad_input_$name"
    else
        echo "FAIL bad_input_$name: $why"
        head -n 5 "$tmp/err" | sed 's/^/    stderr: /'
    fi
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
done
if [ "$n" -ge 15 ]; then echo "PASS bad_inputs_corpus_has_${n}_cases"; else echo "FAIL bad_inputs_corpus_has_only_${n}_cases"; fi

check_refused missing_file "cannot read" "no-such-file.cfg" "$ES_BIN" validate "$dir/no-such-file.cfg"
check_refused directory_as_file "cannot read" "$dir" "$ES_BIN" validate "$dir"
check_refused no_config "no CONFIG" "validate" "$ES_BIN" validate
: >"$tmp/empty.cfg"
check_refused set_without_value "needs a value" "--set" "$ES_BIN" validate "$tmp/empty.cfg" --set

# Positive controls: an empty config means all defaults, and the effective
# config that validate prints is itself valid and prints identically.
if "$ES_BIN" validate "$tmp/empty.cfg" >"$tmp/eff1.cfg" 2>"$tmp/err" && [ ! -s "$tmp/err" ] && [ -s "$tmp/eff1.cfg" ]; then
    echo "PASS validate_empty_config_is_valid"
else
    echo "FAIL validate_empty_config_is_valid"
    head -n 5 "$tmp/err" | sed 's/^/    stderr: /'
fi
if "$ES_BIN" validate "$tmp/eff1.cfg" >"$tmp/eff2.cfg" 2>"$tmp/err" && cmp -s "$tmp/eff1.cfg" "$tmp/eff2.cfg"; then
    echo "PASS validate_effective_config_reproduces_itself"
else
    echo "FAIL validate_effective_config_reproduces_itself"
fi
if "$ES_BIN" validate "$tmp/empty.cfg" --set run.replications=9 --set 'run.seed=5000000000L' >"$tmp/eff3.cfg" 2>"$tmp/err" &&
    grep -q 'replications = 9;' "$tmp/eff3.cfg" && grep -q 'seed = 5000000000L;' "$tmp/eff3.cfg"; then
    echo "PASS validate_set_overrides_show_in_effective_config"
else
    echo "FAIL validate_set_overrides_show_in_effective_config"
fi
