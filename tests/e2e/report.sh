#!/bin/sh
# `enforcesim report` (issue 16) on the three kinds of result file: a run
# (one scenario with a reassignment), a run with a comparison
# (tests/fuzz/tiny.cfg) and a sweep (tests/e2e/sweep_small.cfg). Each page:
# written (exit 0, nothing else left in the folder), self-contained (no
# script, link, src, remote url), the expected number of <svg> charts with
# their <title>s, headline table numbers equal to `info`'s, forest plot
# numbers equal to `compare --csv`'s; headless Chromium opens it without
# console errors and its screenshot is not blank (pixel variance). Bad
# input (not a result file, unknown metric, period outside the file,
# existing output) exits 2 with one line and leaves no HTML.
# SKIPs: a build without PLplot (libplplot-dev), no Chromium (chromium).
# ES_UPDATE_DOCS_IMG=1 copies the screenshots to docs/img/report-*.png.
: "${ES_BIN:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3
case "$ES_BIN" in /*) ;; *) ES_BIN=$PWD/$ES_BIN ;; esac
cfgdir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$cfgdir/../.." && pwd)

# A run with one scenario and a reassignment inside its horizon (policy rules).
cat >"$tmp/run.cfg" <<'EOF'
run = { seed = 7; replications = 4; };
horizon = { start = "2016-09-01"; warmup_end = "2016-10-01"; end = "2017-12-31"; };
migration = { arrivals = 50.0; };
hsi = { reassignments = (
  { from = "drug_smuggling"; to = "worksite_enforcement"; agents = 100; start = "2017-04-01"; end = "2017-09-30"; }
); };
EOF
# Inputs copied beside the results, and relative names, so the pages (and
# the screenshots in docs/img) show short paths.
cp "$root/tests/fuzz/tiny.cfg" "$cfgdir/sweep_small.cfg" "$cfgdir/small.cfg" "$tmp/" &&
    cp "$root/configs/calibration/targets.csv" "$tmp/targets.csv" || { echo "FAIL report_setup: copy"; exit 0; }
cd "$tmp" || exit 1
# The three runs at once (the machine has 2 cores; each is a few seconds).
"$ES_BIN" run run.cfg -q -o run.h5 & p1=$!
"$ES_BIN" run tiny.cfg -q -r 5 -o cmp.h5 & p2=$!
"$ES_BIN" run sweep_small.cfg -q -r 2 -o sweep.h5 & p3=$!
wait $p1 || { echo "FAIL report_setup: run"; exit 0; }
wait $p2 || { echo "FAIL report_setup: run tiny.cfg"; exit 0; }
wait $p3 || { echo "FAIL report_setup: run sweep_small.cfg"; exit 0; }
# PLplot is optional at build time: without it report says which package.
"$ES_BIN" report "$tmp/run.h5" -o "$tmp/probe.html" 2>"$tmp/probe.err"
rc=$?
if [ $rc = 2 ] && grep -q "without PLplot" "$tmp/probe.err"; then
    if [ ! -e "$tmp/probe.html" ] && [ "$(wc -l <"$tmp/probe.err")" = 1 ] &&
        grep -q libplplot-dev "$tmp/probe.err"; then
        echo "PASS report_without_plplot_names_the_package"
    else
        echo "FAIL report_without_plplot_names_the_package: $(cat "$tmp/probe.err")"
    fi
    echo "SKIP report_pages: this build has no PLplot (install libplplot-dev, make clean all)"
    exit 0
fi
[ $rc = 0 ] || { echo "FAIL report_run_writes_a_page: exit $rc: $(cat "$tmp/probe.err")"; exit 0; }
rm -f "$tmp/probe.html"


# make_page KIND: report KIND.h5 into its own folder, which must then hold
# only the page (the temporary file was renamed).
make_page() {
    mkdir -p "$tmp/$1"
    if "$ES_BIN" report "$1.h5" -o "$1/$1.html" --targets targets.csv 2>"$tmp/$1.err" &&
        [ "$(ls -A "$tmp/$1")" = "$1.html" ]; then
        echo "PASS report_${1}_writes_one_page"
    else
        echo "FAIL report_${1}_writes_one_page: $(cat "$tmp/$1.err"; ls -A "$tmp/$1")"
    fi
}
for k in run cmp sweep; do make_page $k; done

"$ES_BIN" info "$tmp/run.h5" >"$tmp/run.info"
"$ES_BIN" info "$tmp/cmp.h5" >"$tmp/cmp.info"
"$ES_BIN" compare "$tmp/cmp.h5" --base a --alt b --csv >"$tmp/cmp.csv"

# Structure and numbers, checked from the page's own markup.
$PY - "$tmp" <<'EOF'
import html.parser, re, sys, os
tmp = sys.argv[1]

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.svgs, self.titles, self.stack = 0, [], []
        self.rows, self.cur, self.cell, self.tables = [], None, None, []
        self.in_title = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'svg': self.svgs += 1; self.stack.append('svg')
        if tag == 'title' and self.stack: self.in_title = True; self.titles.append('')
        if tag == 'table': self.tables.append(a)
        if tag == 'tr': self.cur = {'attrs': a, 'table': self.tables[-1] if self.tables else {}, 'cells': []}
        if tag == 'td' and self.cur is not None: self.cell = ''
    def handle_endtag(self, tag):
        if tag == 'svg' and self.stack: self.stack.pop()
        if tag == 'title': self.in_title = False
        if tag == 'td' and self.cur is not None and self.cell is not None:
            self.cur['cells'].append(self.cell.strip()); self.cell = None
        if tag == 'tr' and self.cur is not None: self.rows.append(self.cur); self.cur = None
    def handle_data(self, d):
        if self.in_title: self.titles[-1] += d
        if self.cell is not None: self.cell += d

def check(name, ok, detail=''):
    print(('PASS %s' % name) if ok else ('FAIL %s: %s' % (name, detail)))

def load(kind):
    text = open(os.path.join(tmp, kind, kind + '.html'), encoding='utf-8').read()
    p = Page(); p.feed(text); p.close()
    return text, p

expect = {
    'run': ['apprehensions by month', 'arrival_people by month', 'smuggled_share by month', 'deaths by month'],
    'cmp': ['b vs a, FY2017: relative change', 'apprehensions by month', 'arrival_people by month',
            'smuggled_share by month', 'deaths by month'],
    'sweep': ['%s against %s, FY2016' % (m, p) for m in ('apprehensions', 'arrival_people', 'smuggled_share', 'deaths')
              for p in ('hsi.reassignments[0].agents', 'hsi.smuggling_cell_staff', 'prosecution.threshold')] +
             ['%s over hsi.reassignments[0].agents and hsi.smuggling_cell_staff, %s, FY2016' % (m, s)
              for m in ('apprehensions', 'arrival_people', 'smuggled_share', 'deaths') for s in ('base', 'intense')],
}
pages = {}
for kind in ('run', 'cmp', 'sweep'):
    text, p = load(kind)
    pages[kind] = p
    bad = [pat for pat in (r'<script', r'<link', r'\ssrc=', r'href="(?!#)', r'url\((?!#)', r'@import', r'<!DOCTYPE svg', r'<\?xml')
           if re.search(pat, text)]
    check('report_%s_is_self_contained' % kind, not bad, 'found %s' % bad)
    check('report_%s_has_%d_charts_with_titles' % (kind, len(expect[kind])),
          p.svgs == len(expect[kind]) and sorted(p.titles) == sorted(expect[kind]),
          '%d <svg>, titles %s' % (p.svgs, p.titles))
    ids = re.findall(r'\sid="([^"]+)"', text)
    check('report_%s_ids_unique' % kind, len(ids) == len(set(ids)), 'duplicate ids')

# Headline tables: the numbers `info` prints (thousands separators aside).
def info_rows(path):
    out, scen, fy = {}, None, None
    for line in open(path):
        m = re.match(r'^scenario (\S+)', line)
        if m: scen = m.group(1); continue
        m = re.match(r'^  (\d{4})?\s+(\S+)\s+(\S+)\s+(\S+) \[(\S+), (\S+)\]$', line)
        if scen and m:
            if m.group(1): fy = 'FY' + m.group(1)
            out[(scen, fy, m.group(2))] = (m.group(4), m.group(5), m.group(6))
    return out

for kind in ('run', 'cmp'):
    want = info_rows(os.path.join(tmp, kind + '.info'))
    got = {}
    for r in pages[kind].rows:
        if r['table'].get('class') != 'headline' or 'data-metric' not in r['attrs']: continue
        c = [x.replace(',', '') for x in r['cells']]
        got[(r['table']['data-scenario'], 'FY' + r['attrs']['data-fy'], r['attrs']['data-metric'])] = (c[3], c[4], c[5])
    check('report_%s_headline_equals_info' % kind, want and got == want,
          'info %s, page %s' % (sorted(want.items())[:3], sorted(got.items())[:3]))

# Forest plot table: the statistics of `compare --csv`, to the last digit.
want = {}
for line in open(os.path.join(tmp, 'cmp.csv')):
    f = line.strip().split(',')
    if len(f) == 5 and f[3] in ('rel_change', 'rel_ci_low', 'rel_ci_high', 'variance_reduction', 'significant'):
        want[(f[0], f[2], f[1], f[3])] = f[4]
got = {}
for r in pages['cmp'].rows:
    t, a = r['table'], r['attrs']
    if t.get('class') != 'forest' or 'data-metric' not in a: continue
    for k in ('rel_change', 'rel_ci_low', 'rel_ci_high', 'variance_reduction', 'significant'):
        got[(t['data-comparison'], t['data-period'], a['data-metric'], k)] = a['data-' + k]
sub = {k: v for k, v in want.items() if k in got}
heads = {k[2] for k in got}
check('report_forest_equals_compare',
      got and len(got) == len(sub) and got == sub and
      {'apprehensions', 'arrival_people', 'smuggled_share', 'deaths'} <= heads and len(heads) <= 12,
      'compare %s, page %s' % (sorted(sub.items())[:4], sorted(got.items())[:4]))
EOF

# Bad input: exit 2, one line on stderr, no page (default or named) left.
printf 'not a result\n' >"$tmp/bad.h5"
bad() { # NAME EXPECTED_OUT ARGS...
    name=$1; out=$2; shift 2
    mkdir -p "$tmp/bad_$name"
    "$ES_BIN" report "$@" 2>"$tmp/bad_$name.err" >/dev/null
    rc=$?
    lines=$(wc -l <"$tmp/bad_$name.err")
    left=$(ls -A "$tmp/bad_$name")
    if [ $rc = 2 ] && [ "$lines" = 1 ] && [ ! -e "$out" ] && [ -z "$left" ]; then
        echo "PASS report_rejects_$name"
    else
        echo "FAIL report_rejects_$name: exit $rc, $lines lines: $(cat "$tmp/bad_$name.err") $left"
    fi
}
bad not_a_result_file "$tmp/bad.html" "$tmp/bad.h5"
bad not_a_result_file_named_output "$tmp/bad_not_a_result_file_named_output/x.html" \
    "$tmp/bad.h5" -o "$tmp/bad_not_a_result_file_named_output/x.html"
bad unknown_metric "$tmp/bad_unknown_metric/x.html" "$tmp/cmp.h5" --metric apprehension \
    -o "$tmp/bad_unknown_metric/x.html"
bad period_outside_file "$tmp/bad_period_outside_file/x.html" "$tmp/cmp.h5" --period FY2030 \
    -o "$tmp/bad_period_outside_file/x.html"
bad sweep_period_outside_file "$tmp/bad_sweep_period_outside_file/x.html" "$tmp/sweep.h5" \
    --period FY2017 -o "$tmp/bad_sweep_period_outside_file/x.html"
cp "$tmp/run/run.html" "$tmp/keep.html"
if "$ES_BIN" report "$tmp/run.h5" -o "$tmp/run/run.html" 2>"$tmp/exists.err"; then
    echo "FAIL report_refuses_to_overwrite_without_force: exit 0"
elif [ $? = 2 ] && cmp -s "$tmp/keep.html" "$tmp/run/run.html" && grep -q -- --force "$tmp/exists.err"; then
    echo "PASS report_refuses_to_overwrite_without_force"
else
    echo "FAIL report_refuses_to_overwrite_without_force: $(cat "$tmp/exists.err")"
fi

# The browser: console errors and a blank screenshot are failures.
browser=
for b in chromium chromium-browser google-chrome; do
    command -v $b >/dev/null 2>&1 && { browser=$b; break; }
done
if [ -z "$browser" ]; then
    echo "SKIP report_pages_open_in_chromium: no Chromium (Debian package chromium)"
    exit 0
fi
# One browser per page at once, each with its own profile.
for k in run cmp sweep; do
    (
        HOME="$tmp" timeout 80 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
            --user-data-dir="$tmp/profile-$k" --enable-logging=stderr --v=0 \
            --window-size=1200,3000 --screenshot="$tmp/$k.png" "file://$tmp/$k/$k.html" \
            >"$tmp/$k.chromium" 2>&1
        echo $? >"$tmp/$k.chromium.rc"
    ) &
done
wait
for k in run cmp sweep; do
    rc=$(cat "$tmp/$k.chromium.rc")
    if [ $rc != 0 ] || [ ! -s "$tmp/$k.png" ]; then
        echo "FAIL report_${k}_opens_in_chromium: exit $rc: $(grep -v dbus "$tmp/$k.chromium" | tail -3)"
        continue
    fi
    if grep -E 'CONSOLE|Uncaught|ERR_FILE_NOT_FOUND|net::ERR' "$tmp/$k.chromium" >"$tmp/$k.console"; then
        echo "FAIL report_${k}_opens_in_chromium_without_console_errors: $(head -3 "$tmp/$k.console")"
    else
        echo "PASS report_${k}_opens_in_chromium_without_console_errors"
    fi
    # Pixel variance of the grey levels: a blank page is ~0; charts and text are far above 100.
    var=$($PY - "$tmp/$k.png" <<'EOF'
import sys, zlib, struct
path = sys.argv[1]
try:
    from PIL import Image
    im = Image.open(path).convert('L')
    px = list(im.getdata())
except ImportError:
    # A small PNG reader: 8-bit greyscale/RGB/RGBA, not interlaced.
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n'
    pos, idat = 8, b''
    while pos < len(data):
        n, typ = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if typ == b'IHDR': w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
        if typ == b'IDAT': idat += body
        pos += 12 + n
    bpp = {0: 1, 2: 3, 6: 4, 4: 2}[ctype]
    raw, stride, prev, px = zlib.decompress(idat), w * bpp, bytearray(w * bpp), []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]; c = prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        if y % 4 == 0:
            px += [line[i] if bpp < 3 else (line[i] + line[i + 1] + line[i + 2]) // 3 for i in range(0, stride, bpp * 4)]
n = len(px); m = sum(px) / n
print('%.1f' % (sum((v - m) ** 2 for v in px) / n))
EOF
)
    if awk -v v="$var" 'BEGIN { exit !(v > 100) }'; then
        echo "PASS report_${k}_screenshot_not_blank"
    else
        echo "FAIL report_${k}_screenshot_not_blank: grey-level variance ${var:-?}"
    fi
    if [ "${ES_UPDATE_DOCS_IMG:-0}" = 1 ]; then
        mkdir -p "$root/docs/img" && cp "$tmp/$k.png" "$root/docs/img/report-$(echo $k | sed s/^cmp$/comparison/).png"
    fi
done
