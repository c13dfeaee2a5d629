#!/bin/sh
# slurm.sh: the shipped Slurm scripts under a real single-node Slurm
# (docs/cluster.md, Slurm job arrays and Testing under Slurm).
#   - starts a private munged, slurmctld and slurmd on loopback: its own
#     munge key and socket, slurm.conf and ports in a temp dir (nothing under
#     /etc or /run is read or written), no cgroups, no accounting;
#   - submits configs/slurm/sweep.sbatch as a 4-task array
#     (--array=0-3) over tests/e2e/two_scenarios.cfg (8 units), then
#     configs/slurm/merge.sbatch with --dependency=afterok:JOBID, and checks
#     that the merged file holds the same data as a serial run
#     (compare_data.py);
#   - checks that an --array=1-2 is refused (exit 2, naming --array=0-1);
#   - scancels a one-task array once units are journaled and checks that
#     SIGTERM reached enforcesim (exit 143, journal kept, "--resume" said);
#     submitting the same task again resumes from the journal and gives the
#     serial run's data;
#   - stops the daemons it started, by PID, and checks they are gone.
# Only the resources that a 2-core test machine cannot give are overridden
# on the sbatch command line (--cpus-per-task, --mem), plus the log and
# output paths (to the temp dir).
# If the daemons cannot start (packages missing, not root, a daemon exits,
# the node never becomes idle), it prints "SKIP <name>: <reason>" and exits
# 0: tests/run.sh counts that as skipped, never as passed. Under ES_SAN=1 it
# skips (the normal build's run covers Slurm; shards.sh covers shard/merge
# under the sanitizers), to keep CI time down.
: "${ES_BIN:?}"
name=slurm_array_and_merge_match_serial_run
skip() { echo "SKIP $name: $*"; exit 0; }
if [ "${ES_SAN:-0}" = 1 ]; then skip "ES_SAN=1: runs in the normal build only (CI time)"; fi

for c in munged slurmctld slurmd sbatch scontrol sinfo squeue scancel; do
    p=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH command -v $c) ||
        skip "$c not found (Debian: apt-get install slurmctld slurmd slurm-client munge)"
    eval "bin_$c=\$p"
done
[ "$(id -u)" = 0 ] || skip "not root (slurmd and munged with SlurmUser=root need root)"
py=/usr/bin/python3
[ -x $py ] || skip "$py not found"

# waitfor SECONDS CMD...: polls CMD until it succeeds, for SECONDS at most
# and never past the test's deadline (100 s after the start, so that the
# whole test, stopping included, stays under 2 minutes).
deadline=$(($(date +%s) + 100))
waitfor() {
    end=$(($(date +%s) + $1)); shift
    [ $end -gt $deadline ] && end=$deadline
    while ! "$@"; do [ "$(date +%s)" -ge $end ] && return 1; sleep 0.2; done
}
# queue_empty [JOBID]: no job (or not JOBID) is pending or running.
queue_empty() { [ -z "$("$bin_squeue" -h -o %i ${1:+-j "$1"} 2>&1)" ]; }
tmp=$(mktemp -d) || exit 1
export ES_SLURM_TEST="$tmp"   # marks every process this test starts
chmod 755 "$tmp"   # munged wants o+x on the socket's path
pids=""
stopped=0
# Stops what this test started, by PID: jobs first (so no slurmstepd is
# left), then slurmd, slurmctld, munged; SIGKILL after 10 s.
stop_daemons() {
    [ "$stopped" = 1 ] && return 0
    stopped=1
    if [ -n "$pids" ]; then
        [ -n "${ctld:-}" ] && kill -0 "$ctld" 2>/dev/null && "$bin_scancel" --quiet --user=root >/dev/null 2>&1 &&
            { deadline=$(($(date +%s) + 15)); waitfor 15 queue_empty; }
        for p in $pids; do
            kill -TERM "$p" 2>/dev/null
            n=0; while kill -0 "$p" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
            kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
            wait "$p" 2>/dev/null
        done
    fi
}
trap 'stop_daemons; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
# Prints the daemons' logs' tails to stderr (tests/run.sh shows them on FAIL).
logs() { for f in "$tmp"/log/*; do echo "== $f" >&2; tail -n 15 "$f" >&2; done; }

node=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
set -- $($py -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')
ctld_port=$1; slurmd_port=$2
[ -n "$node" ] && [ -n "$cpus" ] && [ -n "$mem" ] && [ -n "$slurmd_port" ] ||
    skip "could not read hostname, nproc, memory or free ports"
mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool" "$tmp/log" "$tmp/out" "$tmp/job"
chmod 700 "$tmp/state" "$tmp/spool"

# ---- munged: its own key and socket ----------------------------------------
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 2>/dev/null && chmod 600 "$tmp/munge/munge.key" ||
    skip "could not write a munge key"
sock=$tmp/munge/munge.socket
"$bin_munged" --foreground --socket="$sock" --key-file="$tmp/munge/munge.key" \
    --pid-file="$tmp/munge/munged.pid" --seed-file="$tmp/munge/munged.seed" \
    --log-file="$tmp/log/munged.log" </dev/null >/dev/null 2>>"$tmp/log/munged.log" &
pids="$! $pids"
waitfor 5 test -S "$sock" || { logs; skip "munged did not start: $(tail -n 1 "$tmp/log/munged.log" 2>/dev/null)"; }

# ---- slurm.conf (docs/cluster.md, Testing under Slurm), private ports and paths ---------------------
export SLURM_CONF="$tmp/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=enforcesimtest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SchedulerParameters=kill_invalid_depend
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
MaxArraySize=1001
KillWait=5
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

# ---- slurmctld and slurmd, in the foreground so that $! is their PID ---------
"$bin_slurmctld" -D -i -f "$SLURM_CONF" </dev/null >>"$tmp/log/slurmctld.err" 2>&1 &
ctld=$!; pids="$ctld $pids"
"$bin_slurmd" -D -f "$SLURM_CONF" -N "$node" </dev/null >>"$tmp/log/slurmd.err" 2>&1 &
slurmd=$!; pids="$slurmd $pids"
node_idle() {
    kill -0 $ctld 2>/dev/null || { logs; skip "slurmctld exited: $(tail -n 1 "$tmp/log/slurmctld.log" 2>/dev/null)"; }
    kill -0 $slurmd 2>/dev/null || { logs; skip "slurmd exited: $(tail -n 1 "$tmp/log/slurmd.log" 2>/dev/null)"; }
    state=$("$bin_sinfo" -h -n "$node" -o %T 2>/dev/null)
    case $state in inval*|drain*) logs; skip "node $node is '$state': $(grep -i 'error' "$tmp/log/slurmctld.log" | tail -n 1)";; esac
    [ "$state" = idle ]
}
state=""
waitfor 30 node_idle || { logs; skip "node $node not idle after 30 s (state '${state:-none}')"; }

# ---- the shipped scripts: a 4-task array, then the dependent merge ----------
fail() { echo "FAIL $name: $*"; logs; for f in "$tmp"/job/*; do echo "== $f" >&2; cat "$f" >&2; done; exit 1; }
cfg=tests/e2e/two_scenarios.cfg
export ENFORCESIM="$ES_BIN" SHARD_DIR="$tmp/out/shards" OUT="$tmp/out/merged.h5"
jid=$("$bin_sbatch" --parsable --array=0-3 --cpus-per-task=1 --mem=200M \
    --output="$tmp/job/%x-%A_%a.out" configs/slurm/sweep.sbatch $cfg 2>"$tmp/job/sbatch.err") ||
    fail "sbatch sweep.sbatch: $(cat "$tmp/job/sbatch.err")"
mid=$("$bin_sbatch" --parsable --dependency=afterok:$jid --mem=200M \
    --output="$tmp/job/%x-%j.out" configs/slurm/merge.sbatch $cfg 2>"$tmp/job/sbatch.err") ||
    fail "sbatch merge.sbatch: $(cat "$tmp/job/sbatch.err")"
# The serial run, while Slurm works.
"$ES_BIN" run $cfg -q -o "$tmp/out/serial.h5" || fail "serial run failed"
# Wait until no job is pending or running (kill_invalid_depend cancels the
# merge if a task fails), 60 s at most.
waitfor 60 queue_empty || fail "jobs still queued after 60 s: $("$bin_squeue" -h 2>&1 | tr '\n' ';')"
states=$("$bin_scontrol" -o show job "$jid" | sed -n 's/.*JobState=\([A-Z_]*\) .*ExitCode=\([0-9:]*\).*/\1 \2/p' | sort | uniq -c | tr -s ' ')
[ "$states" = " 4 COMPLETED 0:0" ] || fail "array job $jid: tasks $states"
mstate=$("$bin_scontrol" -o show job "$mid" | sed -n 's/.*JobState=\([A-Z_]*\) .*ExitCode=\([0-9:]*\).*/\1 \2/p')
[ "$mstate" = "COMPLETED 0:0" ] || fail "merge job $mid: $mstate"
[ "$(ls "$tmp/out/shards")" = "$(printf 'shard-%d-of-4.h5\n' 0 1 2 3)" ] ||
    fail "shard files: $(ls "$tmp/out/shards" | tr '\n' ' ')"
out=$($py tests/e2e/compare_data.py "$tmp/out/serial.h5" "$OUT" 2>&1) || fail "merged vs serial: $out"
echo "PASS $name ($out; array $jid, merge $mid)"

# ---- an array that is not 0-(N-1) is refused, and writes nothing -------------
name=slurm_array_not_from_zero_exits_2_naming_the_array
export SHARD_DIR="$tmp/out/bad"
bid=$("$bin_sbatch" --parsable --array=1-2 --cpus-per-task=1 --mem=200M \
    --output="$tmp/job/%x-%A_%a.out" configs/slurm/sweep.sbatch $cfg 2>"$tmp/job/sbatch.err") ||
    fail "sbatch sweep.sbatch: $(cat "$tmp/job/sbatch.err")"
waitfor 20 queue_empty "$bid" || fail "job $bid still queued after 20 s"
states=$("$bin_scontrol" -o show job "$bid" | sed -n 's/.*JobState=\([A-Z_]*\) .*ExitCode=\([0-9:]*\).*/\1 \2/p' | sort | uniq -c | tr -s ' ')
[ "$states" = " 2 FAILED 2:0" ] && grep -q 'not --array=0-1' "$tmp/job/enforcesim-shards-${bid}_1.out" &&
    [ ! -e "$tmp/out/bad" ] || fail "array 1-2: tasks $states: $(cat "$tmp/job/enforcesim-shards-${bid}_1.out" 2>&1)"
echo "PASS $name"

# ---- scancel: SIGTERM reaches enforcesim; the task resumes when run again -----
name=slurm_scancel_stops_enforcesim_with_sigterm
export SHARD_DIR="$tmp/out/long"
long() {
    "$bin_sbatch" --parsable --array=0-0 --cpus-per-task=1 --mem=200M \
        --output="$tmp/job/%x-%A_%a.out" configs/slurm/sweep.sbatch $cfg -r 30 --keep-journal 2>"$tmp/job/sbatch.err"
}
lid=$(long) || fail "sbatch sweep.sbatch: $(cat "$tmp/job/sbatch.err")"
# Cancel once a few units are in the shard's journal.
journal="$tmp/out/long/shard-0-of-1.h5.journal"
started() { [ -s "$journal" ] && [ "$(wc -c <"$journal")" -gt 60000 ]; }
waitfor 30 started || fail "job $lid: no units journaled after 30 s"
"$bin_scancel" "$lid"
waitfor 20 queue_empty "$lid" || fail "job $lid still queued 20 s after scancel"
log="$tmp/job/enforcesim-shards-${lid}_0.out"
grep -q 'interrupted by SIGTERM' "$log" && grep -q -- '--resume' "$log" && [ -s "$journal" ] &&
    [ ! -e "$tmp/out/long/shard-0-of-1.h5" ] ||
    fail "enforcesim did not report SIGTERM: $(tail -n 2 "$log" 2>&1 | tr '\n' ' ')"
echo "PASS $name"

name=slurm_task_run_again_resumes_from_its_journal
lid=$(long) || fail "sbatch sweep.sbatch: $(cat "$tmp/job/sbatch.err")"
waitfor 60 queue_empty "$lid" || fail "job $lid still queued after 60 s"
# A shard file holds no comparisons: merge the one shard, then compare.
"$ES_BIN" run $cfg -q -r 30 -o "$tmp/out/serial30.h5" || fail "serial run failed"
"$ES_BIN" merge "$tmp/out/long30.h5" "$tmp/out/long/shard-0-of-1.h5" 2>"$tmp/job/merge30.err" ||
    fail "merge of the resumed shard: $(cat "$tmp/job/merge30.err")"
log="$tmp/job/enforcesim-shards-${lid}_0.out"
# --keep-journal (passed to both tasks) leaves the journal to count: every
# unit exactly once, so the second task computed only what the first had not.
held=$($py tests/e2e/journal_units.py "$journal" 2>&1)
cmp=$($py tests/e2e/compare_data.py "$tmp/out/serial30.h5" "$tmp/out/long30.h5" 2>&1) &&
    [ "$held" = "valid=60 distinct=60 duplicates=0 invalid=0 tail=0" ] ||
    fail "the rerun did not resume to the serial data: $cmp; journal: $held; $(tail -n 3 "$log" 2>&1 | tr '\n' ' ')"
echo "PASS $name ($held)"

# ---- stop the daemons by PID ------------------------------------------------
# Then nothing they started may be left: no process outside this shell's
# own children carries the ES_SLURM_TEST marker (slurmstepd and job
# processes would, as slurmd's and sbatch's environment passes it on).
all=$pids
stop_daemons
strays() {
    left=""
    for p in $all; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
    left="$left $($py -c 'import os, sys
mark, shell, out = sys.argv[1].encode(), int(sys.argv[2]), []
def ppid(p):
    with open("/proc/%d/stat" % p) as f: return int(f.read().rsplit(")", 1)[1].split()[1])
for d in filter(str.isdigit, os.listdir("/proc")):
    try:
        with open("/proc/%s/environ" % d, "rb") as f:
            if mark not in f.read().split(b"\0"): continue
        p = int(d)
        while p > 1 and p != shell: p = ppid(p)
    except OSError: continue
    if p != shell: out.append(d)
print(*out)' "ES_SLURM_TEST=$tmp" $$)"
    [ -z "$(echo $left)" ]
}
if waitfor 10 strays; then echo "PASS slurm_daemons_stopped_by_pid_none_left"
else
    echo "FAIL slurm_daemons_stopped_by_pid_none_left (still running:$left)"
    for p in $left; do kill -KILL "$p" 2>/dev/null; done
fi
