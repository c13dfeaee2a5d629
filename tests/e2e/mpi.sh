#!/bin/sh
# mpi.sh: the MPI mode (issue #5, docs/cluster.md, MPI). Under `mpirun -np 3`
# (rank 0 hands out units and writes; ranks 1-2 compute) a run, and a
# sweep, give the same data as a serial run; a worker killed mid-run ends the job without
# losing what finished (the journal), and `--resume` completes it; SIGTERM
# to mpirun stops the run cleanly and `--resume` (with MPI or without)
# finishes it. Needs enforcesim-mpi (make test builds it when mpicc exists)
# and is skipped, saying why, without it or under SAN=1.
: "${ES_BIN:?}"
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
if [ "${ES_SAN:-0}" = 1 ]; then echo "SKIP mpi_mode: not under SAN=1 (Open MPI's allocations trip LeakSanitizer)"; exit 0; fi
if [ -z "${ES_MPI_BIN:-}" ] || [ ! -x "${ES_MPI_BIN:-}" ] || ! command -v mpirun >/dev/null; then
    echo "SKIP mpi_mode: enforcesim-mpi or mpirun not available (apt-get install openmpi-bin libopenmpi-dev)"; exit 0
fi
cfg="$root/tests/e2e/two_scenarios.cfg"
same="/usr/bin/python3 $root/tests/e2e/compare_data.py"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# As root (CI) Open MPI wants to be told; more ranks than cores needs --oversubscribe.
# (A variable, not a function: `kill $!` must reach mpirun itself, not a subshell.)
mpirun_="mpirun --allow-run-as-root --oversubscribe --bind-to none"

ok() {   # ok STATUS NAME [DETAIL]
    if [ "$1" = 0 ]; then echo "PASS $2"; else echo "FAIL $2 ${3:-}"; fi
}

"$ES_BIN" run "$cfg" -q -r 6 -j 1 -o "$tmp/serial.h5" || { echo "FAIL mpi_serial_reference"; exit 1; }

$mpirun_ -np 3 "$ES_MPI_BIN" run "$cfg" -q -r 6 -o "$tmp/mpi.h5" >"$tmp/out" 2>&1
rc=$?
[ $rc = 0 ] && $same "$tmp/serial.h5" "$tmp/mpi.h5" >/dev/null
ok $? mpirun_np_3_gives_the_serial_data "(rc=$rc: $(tail -n 3 "$tmp/out"))"

$mpirun_ -np 2 "$ES_MPI_BIN" run "$cfg" -q -r 6 -o "$tmp/mpi2.h5" >"$tmp/out" 2>&1
rc=$?
[ $rc = 0 ] && $same "$tmp/serial.h5" "$tmp/mpi2.h5" >/dev/null
ok $? mpirun_np_2_gives_the_serial_data "(rc=$rc: $(tail -n 3 "$tmp/out"))"

# A sweep (units of scenario, design point and replication), as serially.
sweep="$root/tests/e2e/sweep_small.cfg"
"$ES_BIN" run "$sweep" -q -r 2 -j 1 -o "$tmp/sweep_serial.h5" || { echo "FAIL mpi_sweep_serial_reference"; exit 1; }
$mpirun_ -np 3 "$ES_MPI_BIN" run "$sweep" -q -r 2 -o "$tmp/sweep_mpi.h5" >"$tmp/out" 2>&1
rc=$?
[ $rc = 0 ] && $same "$tmp/sweep_serial.h5" "$tmp/sweep_mpi.h5" >/dev/null
ok $? mpirun_np_3_gives_the_serial_data_of_a_sweep "(rc=$rc: $(tail -n 3 "$tmp/out"))"

# Bad input: one message (from rank 0 only), exit 2, no file.
$mpirun_ -np 3 "$ES_MPI_BIN" run "$cfg" -q --set no.such=1 -o "$tmp/bad.h5" >"$tmp/out" 2>&1
rc=$?
[ $rc = 2 ] && [ ! -e "$tmp/bad.h5" ] && [ "$(grep -c '^enforcesim: ' "$tmp/out")" = 1 ]
ok $? mpi_bad_input_is_one_message_and_exit_2 "(rc=$rc: $(cat "$tmp/out"))"

# The ranks of one job, by rank (Open MPI puts the rank in each environment).
rank_pid() {   # rank_pid OUTPUT RANK
    for p in $(pgrep -f "enforcesim-mpi run .*$1"); do
        tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$2" && { echo "$p"; return; }
    done
}
wait_units() {   # wait_units JOURNAL MIN_BYTES PID
    i=0
    while [ $i -lt 300 ] && kill -0 "$3" 2>/dev/null; do
        [ -e "$1" ] && [ "$(wc -c <"$1")" -gt "$2" ] && return 0
        sleep 0.1; i=$((i + 1))
    done
    return 1
}

# A worker dies: the job ends, the journal keeps the finished units, --resume completes.
"$ES_BIN" run "$cfg" -q -r 30 -j 1 -o "$tmp/serial30.h5" || { echo "FAIL mpi_serial_reference_30"; exit 1; }
$mpirun_ -np 3 "$ES_MPI_BIN" run "$cfg" -q -r 30 -o "$tmp/fail.h5" >"$tmp/out" 2>&1 &
job=$!
wait_units "$tmp/fail.h5.journal" 40000 $job
w=$(rank_pid fail.h5 1)
[ -n "$w" ] && kill -KILL "$w"
wait $job; rc=$?
held=$(/usr/bin/python3 "$root/tests/e2e/journal_units.py" "$tmp/fail.h5.journal" 2>/dev/null)
[ -n "$w" ] && [ $rc != 0 ] && [ ! -e "$tmp/fail.h5" ] && echo "$held" | grep -q 'valid=[1-9]'
ok $? mpi_worker_killed_ends_the_job_and_keeps_the_journal "(worker pid ${w:-not found}, rc=$rc, journal: $held: $(grep -v '^ *$' "$tmp/out" | head -n 4 | tr '\n' ' '))"
$mpirun_ -np 3 "$ES_MPI_BIN" run "$cfg" -q -r 30 -o "$tmp/fail.h5" --resume >"$tmp/out" 2>&1
rc=$?
[ $rc = 0 ] && [ ! -e "$tmp/fail.h5.journal" ] && $same "$tmp/serial30.h5" "$tmp/fail.h5" >/dev/null
ok $? mpi_resume_after_a_dead_worker_gives_the_serial_data "(rc=$rc: $(tail -n 3 "$tmp/out"))"

# SIGTERM to mpirun (what scancel does): rank 0 stops cleanly, then --resume without MPI.
$mpirun_ -np 3 "$ES_MPI_BIN" run "$cfg" -q -r 30 -o "$tmp/term.h5" >"$tmp/out" 2>&1 &
job=$!
wait_units "$tmp/term.h5.journal" 40000 $job
kill -TERM $job
wait $job; rc=$?
# mpirun forwards SIGTERM to every rank and tears the job down; on a loaded
# machine it can kill rank 0 before rank 0 prints its line (seen 1 run in 4
# with both cores busy), so the line is reported when present, and what the
# user relies on is checked: no output file, a journal of valid units (the
# next check resumes from it).
held=$(/usr/bin/python3 "$root/tests/e2e/journal_units.py" "$tmp/term.h5.journal" 2>/dev/null)
grep -q 'interrupted by SIGTERM' "$tmp/out" || echo "# mpi_sigterm: rank 0 was stopped before it could print its line (journal: $held)"
[ $rc != 0 ] && [ ! -e "$tmp/term.h5" ] && echo "$held" | grep -q 'valid=[1-9]'
ok $? mpi_sigterm_stops_the_run_and_keeps_the_journal "(rc=$rc, journal: $held: $(grep -v '^ *$' "$tmp/out" | head -n 4 | tr '\n' ' '))"
"$ES_BIN" run "$cfg" -q -r 30 -o "$tmp/term.h5" --resume 2>"$tmp/err"
rc=$?
[ $rc = 0 ] && $same "$tmp/serial30.h5" "$tmp/term.h5" >/dev/null
ok $? mpi_run_resumed_without_mpi_gives_the_serial_data "(rc=$rc: $(cat "$tmp/err"))"
exit 0
