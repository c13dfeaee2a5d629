#!/bin/sh
# The build stamp tells the truth (docs/development.md, "Build stamp"): in a
# scratch clone, --version and a result file's git_commit name HEAD; after an
# edit they say -dirty without `make clean`; after a commit they name the new
# HEAD and are clean again. Builds the clone's own binary (plain, not SAN).
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { if [ "$1" = 0 ]; then echo "PASS $2"; else echo "FAIL $2 ${3:-}"; fi; }
if ! command -v git >/dev/null || ! git rev-parse HEAD >/dev/null 2>&1; then
    echo "SKIP build_stamp: not a git checkout"; exit 0
fi
git clone -q --no-hardlinks "$PWD" "$tmp/repo" || { echo "FAIL clone_for_stamp_test"; exit 1; }
cd "$tmp/repo" || exit 1
git config user.email stamp@test.invalid; git config user.name stamp-test
# The outer make's variables (SAN=1 under make test SAN=1) must not reach
# the clone's build: the test is about the plain binary's stamp.
mk() { MAKEFLAGS='' MFLAGS='' make SAN=0 "$@"; }
build() { mk -j2 enforcesim >"$tmp/build.log" 2>&1 || { echo "FAIL build_in_scratch_clone: $(tail -3 "$tmp/build.log")"; exit 1; }; }
commit_of() { ./enforcesim run tests/fuzz/tiny.cfg -q --force -o "$tmp/r.h5" &&
              ./enforcesim info "$tmp/r.h5" | sed -n 's/^program .*commit \([^ ]*\)$/\1/p'; }

build
head=$(git rev-parse --short=12 HEAD)
v=$(./enforcesim --version)
[ "$v" = "enforcesim $(sed -n 's/^VERSION *:= *//p' Makefile) (commit $head)" ]; ok $? version_names_head_of_a_clean_clone "($v, HEAD $head)"
[ "$(commit_of)" = "$head" ]; ok $? result_file_names_head_of_a_clean_clone

echo '/* scratch edit */' >>sim/core/date.c
build
v=$(./enforcesim --version)
[ "$v" = "enforcesim $(sed -n 's/^VERSION *:= *//p' Makefile) (commit $head-dirty)" ]; ok $? edit_marks_version_dirty_without_make_clean "($v)"
[ "$(commit_of)" = "$head-dirty" ]; ok $? edit_marks_result_file_dirty

git commit -qam 'scratch commit'
build
new=$(git rev-parse --short=12 HEAD)
v=$(./enforcesim --version)
[ "$new" != "$head" ] && [ "$v" = "enforcesim $(sed -n 's/^VERSION *:= *//p' Makefile) (commit $new)" ]; ok $? commit_moves_version_to_new_head "($v, HEAD $new)"
[ "$(commit_of)" = "$new" ]; ok $? commit_moves_result_file_to_new_head

mk enforcesim 2>&1 | grep -q 'version\.o'; [ $? != 0 ]; ok $? unchanged_tree_does_not_rebuild_version
