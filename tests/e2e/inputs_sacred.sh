#!/bin/sh
# inputs_sacred.sh: issue #12 item 1. No output of run, merge or report (nor run's
# journal) may be one of the command's inputs or something other than a
# regular file, --force or not: exit 2, one line that does not suggest
# --force, nothing written, every input byte-identical afterwards.
: "${ES_BIN:?}"
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
status=0
ok() { echo "PASS $1"; }
no() { echo "FAIL $1"; status=1; }

# refused NAME CMD...: exit 2, one stderr line without "--force" in a
# suggestion, and no temporary file left behind.
refused() {
    name=$1; shift
    "$@" >out 2>err
    rc=$?
    if [ $rc -eq 2 ] && [ "$(wc -l <err)" -eq 1 ] && ! grep -q "use --force" err &&
        [ -z "$(ls | grep -e '\.tmp-')" ]; then
        ok "$name"
    else
        no "$name: exit $rc, $(head -c 300 err)"
    fi
}
same() { cmp -s "$1" "$2" && ok "$3" || no "$3"; }

mkdir cfgdir
cp "$root/tests/fuzz/tiny.cfg" cfgdir/base.cfg
printf '@include "base.cfg"\n' >cfgdir/main.cfg
cp cfgdir/base.cfg base.orig
cp cfgdir/main.cfg main.orig

refused "run -o the config --force" "$ES_BIN" run cfgdir/main.cfg -q -o cfgdir/main.cfg --force
same cfgdir/main.cfg main.orig "run -o the config: the config is unchanged"
grep -q "same file as the input" err && ok "run -o the config: the message says it is an input" ||
    no "run -o the config: message: $(cat err)"
refused "run -o an included file --force" "$ES_BIN" run cfgdir/main.cfg -q -o cfgdir/base.cfg --force
same cfgdir/base.cfg base.orig "run -o an include: the include is unchanged"
ln -s cfgdir/main.cfg link.h5
refused "run -o a symlink to the config --force" "$ES_BIN" run cfgdir/main.cfg -q -o link.h5 --force
[ -L link.h5 ] && same cfgdir/main.cfg main.orig "run -o a symlink to the config: both unchanged" ||
    no "run -o a symlink to the config: the link was replaced"
ln cfgdir/main.cfg hard.h5
refused "run -o a hard link to the config --force" "$ES_BIN" run cfgdir/main.cfg -q -o hard.h5 --force
same cfgdir/main.cfg main.orig "run -o a hard link to the config: unchanged"

mkfifo fifo.h5
refused "run -o a FIFO --force" "$ES_BIN" run cfgdir/main.cfg -q -o fifo.h5 --force
[ -p fifo.h5 ] && ok "run -o a FIFO: still a FIFO" || no "run -o a FIFO: replaced"
grep -q "FIFO" err && ok "run -o a FIFO: the message names it" || no "run -o a FIFO: message: $(cat err)"
ln -s /dev/null null.h5
refused "run -o a symlink to /dev/null --force" "$ES_BIN" run cfgdir/main.cfg -q -o null.h5 --force
[ -L null.h5 ] && [ -c /dev/null ] && ok "run -o a symlink to /dev/null: untouched" ||
    no "run -o a symlink to /dev/null: replaced"
if mknod dev.h5 c 1 3 2>/dev/null; then
    refused "run -o a character device --force" "$ES_BIN" run cfgdir/main.cfg -q -o dev.h5 --force
    [ -c dev.h5 ] && ok "run -o a character device: still a device" || no "run -o a device: replaced"
else
    echo "SKIP run -o a character device: mknod needs root"
fi
mkdir folder.h5
refused "run -o a folder --force" "$ES_BIN" run cfgdir/main.cfg -q -o folder.h5 --force

[ -z "$(ls | grep '\.journal$')" ] && ok "no journal left by any refusal" || no "a journal was left: $(ls)"

# The journal (OUT.journal) is an output too.
ln -s cfgdir/main.cfg j1.h5.journal
refused "run: journal path a symlink to the config" "$ES_BIN" run cfgdir/main.cfg -q -o j1.h5 --force
mkfifo j2.h5.journal
refused "run: journal path a FIFO --resume" "$ES_BIN" run cfgdir/main.cfg -q -o j2.h5 --resume
ln -s elsewhere j3.h5.journal
refused "run: journal path a dangling symlink" "$ES_BIN" run cfgdir/main.cfg -q -o j3.h5 --force
grep -q "symbolic link" err && ok "run: journal symlink: the message says so" ||
    no "run: journal symlink: message: $(cat err)"
rm -f j1.h5.journal j2.h5.journal j3.h5.journal

# merge: OUT must be none of its shards.
"$ES_BIN" run cfgdir/main.cfg -q --shard 0/2 -o s0.h5 && "$ES_BIN" run cfgdir/main.cfg -q --shard 1/2 -o s1.h5 ||
    no "merge: cannot make the shards"
cp s1.h5 s1.orig
refused "merge s1.h5 s0.h5 s1.h5 --force" "$ES_BIN" merge s1.h5 s0.h5 s1.h5 --force
same s1.h5 s1.orig "merge over an input: the shard is unchanged"
ln -s s0.h5 m.h5
refused "merge OUT a symlink to a shard --force" "$ES_BIN" merge m.h5 s0.h5 s1.h5 --force
refused "merge OUT a FIFO --force" "$ES_BIN" merge fifo.h5 s0.h5 s1.h5 --force
"$ES_BIN" merge merged.h5 s0.h5 s1.h5 -q 2>err && ok "merge to a new file still works" ||
    no "merge to a new file: $(cat err)"

# report: -o must be neither the result it reads nor its --targets file.
cp merged.h5 merged.orig
refused "report -o the result it reads --force" "$ES_BIN" report merged.h5 -o merged.h5 --force
same merged.h5 merged.orig "report over its input: the result is unchanged"
grep -q "same file as the input" err && ok "report -o its input: the message says it is an input" ||
    no "report -o its input: message: $(cat err)"
ln -s merged.h5 page.html
refused "report -o a symlink to the result --force" "$ES_BIN" report merged.h5 -o page.html --force
same merged.h5 merged.orig "report over a link to its input: the result is unchanged"
printf 'target,period,value\n' >targets.csv
cp targets.csv targets.orig
refused "report -o its --targets file --force" "$ES_BIN" report merged.h5 --targets targets.csv -o targets.csv --force
same targets.csv targets.orig "report over its targets: the file is unchanged"
refused "report -o a FIFO --force" "$ES_BIN" report merged.h5 -o fifo.h5 --force
[ -p fifo.h5 ] && ok "report -o a FIFO: still a FIFO" || no "report -o a FIFO: replaced"

# An ordinary existing output: refused without --force (suggesting it), replaced with it.
"$ES_BIN" run cfgdir/main.cfg -q -o plain.h5 2>err && "$ES_BIN" run cfgdir/main.cfg -q -o plain.h5 2>err
[ $? -eq 2 ] && grep -q -- "--force" err && ok "run over an ordinary result: refused, suggesting --force" ||
    no "run over an ordinary result: $(cat err)"
"$ES_BIN" run cfgdir/main.cfg -q -o plain.h5 --force && ok "run --force over an ordinary result" ||
    no "run --force over an ordinary result"
exit $status
