#!/bin/sh
# readme.sh: the documentation says what the program does.
# - docs/reference/ is the program's own output (tests/tools/update_reference.sh
#   regenerates it into a scratch folder here and the files must be equal);
# - every relative link in README.md and docs/ resolves, anchors included;
# - README.md stays under 15,000 bytes, names the two quick-start commands,
#   and its minimal config is valid.
# ES_DOCS_ROOT checks another copy of the tree (default: this repository).
: "${ES_BIN:?}"
root=${ES_DOCS_ROOT:-.}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3

if ! sh tests/tools/update_reference.sh "$ES_BIN" "$tmp/ref" 2>"$tmp/gen.err"; then
    echo "FAIL docs_reference_generator_runs: $(tail -1 "$tmp/gen.err")"
else
    for f in parameters metrics hdf5-objects; do
        if [ ! -f "$tmp/ref/$f.md" ]; then
            echo "SKIP docs_reference_${f}_matches_the_program: not generated here ($(tail -1 "$tmp/gen.err"))"
        elif cmp -s "$tmp/ref/$f.md" "$root/docs/reference/$f.md"; then
            echo "PASS docs_reference_${f}_matches_the_program"
        else
            echo "FAIL docs_reference_${f}_matches_the_program: docs/reference/$f.md differs (regenerate: sh tests/tools/update_reference.sh)"
            diff "$root/docs/reference/$f.md" "$tmp/ref/$f.md" | head -5 | sed 's/^/    /'
        fi
    done
fi

# Relative links: [text](target) with target not a URL; the file must exist
# and a #fragment must be a heading of the target Markdown file (GitHub's
# slugs: lower case, punctuation other than - and _ dropped, spaces to -).
if [ -x $py ]; then
    if $py - "$root" >"$tmp/links" <<'PYEOF'
import os, re, sys
root = sys.argv[1]
files = [os.path.join(root, "README.md")]
for d, _, names in os.walk(os.path.join(root, "docs")):
    files += [os.path.join(d, n) for n in names if n.endswith(".md")]
def slugs(path):
    out, seen, fence = set(), {}, False
    for line in open(path, encoding="utf-8"):
        if line.startswith("```"):
            fence = not fence
        if fence or not line.startswith("#"):
            continue
        s = line.lstrip("#").strip().lower()
        s = re.sub(r"[^\w\- ]", "", s).replace(" ", "-")
        n = seen.get(s, 0); seen[s] = n + 1
        out.add(s if n == 0 else "%s-%d" % (s, n))
    return out
bad = 0
for f in sorted(files):
    text = re.sub(r"```.*?```", "", open(f, encoding="utf-8").read(), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, frag = target.partition("#")
        dest = os.path.normpath(os.path.join(os.path.dirname(f), path)) if path else f
        rel = os.path.relpath(f, root)
        if not os.path.exists(dest):
            print("%s: %s: no such file" % (rel, target)); bad += 1
        elif frag and dest.endswith(".md") and frag not in slugs(dest):
            print("%s: %s: no such heading" % (rel, target)); bad += 1
sys.exit(1 if bad else 0)
PYEOF
    then echo "PASS docs_relative_links_resolve"
    else echo "FAIL docs_relative_links_resolve: $(wc -l <"$tmp/links") broken"; sed 's/^/    /' "$tmp/links"; fi
else
    echo "SKIP docs_relative_links_resolve: /usr/bin/python3 not found"
fi

n=$(wc -c <"$root/README.md")
if [ "$n" -le 15000 ]; then echo "PASS readme_is_at_most_15000_bytes"
else echo "FAIL readme_is_at_most_15000_bytes: README.md is $n bytes; move detail into docs/"; fi

grep -q '^make run' "$root/README.md" && grep -q '^make test' "$root/README.md" &&
    echo "PASS readme_has_the_two_quick_start_commands" || echo "FAIL readme_has_the_two_quick_start_commands"

# README's minimal config (the ```cfg block) is valid beside baseline.cfg.
sed -n '/^```cfg$/,/^```$/p' "$root/README.md" | sed '1d;$d' >"$tmp/minimal.cfg"
cp configs/baseline.cfg "$tmp/baseline.cfg"
if [ ! -s "$tmp/minimal.cfg" ]; then
    echo "FAIL readme_minimal_config_is_valid: no \`\`\`cfg block in README.md"
elif "$ES_BIN" validate "$tmp/minimal.cfg" >/dev/null 2>"$tmp/val.err"; then
    echo "PASS readme_minimal_config_is_valid"
else
    echo "FAIL readme_minimal_config_is_valid: $(head -1 "$tmp/val.err")"
fi

# README's synopsis names every subcommand that `enforcesim --help` lists.
missing=
for c in $("$ES_BIN" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]+ / { print $1 }'); do
    grep -q "^enforcesim $c " "$root/README.md" || missing="$missing $c"
done
if [ -z "$missing" ]; then echo "PASS readme_synopsis_names_every_subcommand"
else echo "FAIL readme_synopsis_names_every_subcommand: README.md lacks:$missing"; fi
