#!/usr/bin/env bash
# Whole-process timings of `quire build` against its performance targets and against the
# tools a user would otherwise pick, on generated manuscripts of 10k, 100k and 1M words.
#
# Usage: bench/compare.sh [--sizes "10000 100000 1000000"] [--runs N] [--out DIR] [--strict]
#
#   --sizes   corpus sizes in words (default: 10000 100000 1000000)
#   --runs    timed runs per command (default: 5, and 3 from 1M words on)
#   --out     where corpora, outputs and hyperfine JSON go (default: a new temporary folder)
#   --strict  exit 1 when a target is missed (default: misses are only flagged)
#
# What it does, from a clean clone:
#   1. builds quire and the corpus generator in release mode;
#   2. per size, writes a corpus with `examples/gen_corpus.rs` (seed 1);
#   3. times `quire build --format epub|pdf|all` and, when installed, the peers:
#        pandoc 3 → EPUB          pandoc -o x.epub *.md
#        pandoc → typst → PDF     pandoc -t typst -s *.md, then typst compile
#      Each command runs once under GNU time for its peak RSS (which also warms the page
#      cache and checks that it succeeds), then under hyperfine (`--export-json`) for the
#      wall time: the median of the timed runs is reported.
#   4. prints ONE Markdown table on stdout: median wall time, peak RSS, the peer/quire
#      ratio, and each target with its verdict. Progress and the machine description go
#      to stderr; everything is also kept in the output folder (table.md, env.txt, *.json).
#
# Targets: 100k EPUB ≤ 0.10 s; 100k print PDF ≤ 0.40 s; 100k all editions ≤ 0.50 s;
# 1M all editions ≤ 4 s and ≤ 300 MB peak RSS; and growth no worse than linear: every
# 1M figure ≤ 11 × the 100k one.
#
# Peers are found through $PANDOC and $TYPST, else pandoc inside the PyPI package
# pypandoc-binary, else `pandoc` on PATH if it is 3.x; `typst` on PATH or in ~/.cargo/bin.
# A missing peer is skipped with a loud note (../shared/tools/setup-peers.sh installs both).
# Needs: cargo, python3, hyperfine, GNU time (/usr/bin/time; apt-get install hyperfine time).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sizes="10000 100000 1000000"
runs=""
out=""
strict=0
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --strict) strict=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '[compare %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
loud() { printf '\n[compare] ***** %s *****\n\n' "$*" >&2; }
die() { echo "compare.sh: $*" >&2; exit 2; }

command -v cargo >/dev/null || die "cargo not found (install Rust with rustup)"
command -v python3 >/dev/null || die "python3 not found"
command -v hyperfine >/dev/null || die "hyperfine not found (apt-get install hyperfine)"
TIME=${GNU_TIME:-/usr/bin/time}
"$TIME" -f %M true >/dev/null 2>&1 || die "GNU time not found at $TIME (apt-get install time)"

if [ -z "$out" ]; then
  out=$(mktemp -d "${TMPDIR:-/tmp}/quire-compare.XXXXXX")
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)

# ---- build ---------------------------------------------------------------------------
# Two invocations: building the example turns on dev-dependency features (divan's), and
# the quire timed here must be the one `cargo build --release` makes.
say "building quire (cargo build --release) and the corpus generator"
(cd "$root" && cargo build --release --quiet --bin quire &&
  cargo build --release --quiet --example gen_corpus) >&2
target=$(cd "$root" && cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
QUIRE=$target/release/quire
GEN=$target/release/examples/gen_corpus
[ -x "$QUIRE" ] && [ -x "$GEN" ] || die "build did not produce $QUIRE and $GEN"

# ---- peers ---------------------------------------------------------------------------
find_pandoc() {
  local p
  if [ -n "${PANDOC:-}" ]; then echo "$PANDOC"; return; fi
  p=$(python3 - <<'EOF' 2>/dev/null || true
import importlib.util, os
spec = importlib.util.find_spec("pypandoc")
if spec and spec.origin:
    path = os.path.join(os.path.dirname(spec.origin), "files", "pandoc")
    if os.access(path, os.X_OK):
        print(path)
EOF
  )
  [ -n "$p" ] && { echo "$p"; return; }
  command -v pandoc || true
}
PANDOC=$(find_pandoc)
pandoc_version=""
if [ -n "$PANDOC" ]; then
  pandoc_version=$("$PANDOC" --version 2>/dev/null | head -1 | awk '{print $2}')
  case $pandoc_version in
    [3-9].*) ;;
    *) loud "pandoc at $PANDOC is version ${pandoc_version:-unknown}, not 3.x: SKIPPING the pandoc peers (pip install pypandoc-binary)"
       PANDOC="" ;;
  esac
else
  loud "pandoc not found: SKIPPING pandoc → EPUB and pandoc → typst → PDF (pip install pypandoc-binary, or ../shared/tools/setup-peers.sh)"
fi
TYPST=${TYPST:-$(command -v typst || true)}
[ -z "$TYPST" ] && [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/typst" ] && TYPST=${CARGO_HOME:-$HOME/.cargo}/bin/typst
typst_version=""
if [ -n "$TYPST" ]; then
  typst_version=$("$TYPST" --version 2>/dev/null | head -1 | awk '{print $2}')
elif [ -n "$PANDOC" ]; then
  loud "typst not found: SKIPPING pandoc → typst → PDF (cargo install typst-cli --locked, or ../shared/tools/setup-peers.sh)"
fi

# ---- the machine ---------------------------------------------------------------------
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit: $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$root" && git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ' (with uncommitted changes)')"
  echo "cpu: $(nproc) × $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(sed -n 's/^cpu MHz[[:space:]]*: //p' /proc/cpuinfo | head -1 | cut -d. -f1) MHz"
  echo "memory: $(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "rustc: $(rustc --version 2>/dev/null)"
  echo "hyperfine: $(hyperfine --version | awk '{print $2}')"
  if [ -n "$PANDOC" ]; then echo "pandoc: $pandoc_version ($PANDOC)"; else echo "pandoc: not installed"; fi
  if [ -n "$TYPST" ]; then echo "typst: $typst_version ($TYPST)"; else echo "typst: not installed"; fi
} >"$out/env.txt"
sed 's/^/[compare] /' "$out/env.txt" >&2

# ---- measuring -----------------------------------------------------------------------
rows=$out/rows.tsv
printf 'words\tedition\ttool\truns\tmedian\tmin\tmax\trss_mb\tstatus\n' >"$rows"

# measure WORDS EDITION TOOL NAME CMD...: runs CMD once under GNU time (peak RSS; also
# the check that it works and a warm-up of the page cache), then under hyperfine, which
# starts it directly (no shell). A pipeline is a bash script (see write_script below) whose
# stages run through t(): under GNU time in the first run, directly under hyperfine.
measure() {
  local words=$1 edition=$2 tool=$3 name=$4
  shift 4
  local rss_log=$out/$name.rss json=$out/$name.json n warm t0 secs ok=1 command
  say "$words words, $edition, $tool"
  : >"$rss_log"
  t0=$(date +%s%N)
  if [ "$1" = bash ]; then
    RSS_LOG=$rss_log "$@" >"$out/$name.log" 2>&1 || ok=0
  else
    "$TIME" -a -o "$rss_log" -f %M "$@" >"$out/$name.log" 2>&1 || ok=0
  fi
  if [ $ok = 0 ]; then
    loud "$tool FAILED on $words words ($edition); see $out/$name.log"
    tail -5 "$out/$name.log" >&2
    printf '%s\t%s\t%s\t0\t\t\t\t\tFAILED\n' "$words" "$edition" "$tool" >>"$rows"
    return 0
  fi
  secs=$(( ($(date +%s%N) - t0) / 1000000000 ))
  n=${runs:-$([ "$words" -ge 1000000 ] && echo 3 || echo 5)}
  warm=$([ "$secs" -ge 5 ] && echo 0 || echo 1)
  command=$(printf '%q ' "$@")
  if ! hyperfine -N --style basic --runs "$n" --warmup "$warm" --export-json "$json" \
    --command-name "$name" "$command" >&2; then
    loud "hyperfine FAILED for $tool on $words words ($edition)"
    printf '%s\t%s\t%s\t0\t\t\t\t\tFAILED\n' "$words" "$edition" "$tool" >>"$rows"
    return 0
  fi
  python3 - "$json" "$rss_log" "$words" "$edition" "$tool" "$n" >>"$rows" <<'EOF'
import json, sys
path, rss_log, words, edition, tool, n = sys.argv[1:]
r = json.load(open(path))["results"][0]
rss = max(int(x) for x in open(rss_log).read().split()) / 1024
print(f"{words}\t{edition}\t{tool}\t{n}\t{r['median']:.4f}\t{r['min']:.4f}\t{r['max']:.4f}\t{rss:.0f}\tok")
EOF
}

# write_script FILE DIR CMD...: writes a bash script that runs CMD in DIR on the chapter files.
write_script() {
  local file=$1 dir=$2
  shift 2
  {
    echo 'set -euo pipefail'
    echo "t() { if [ -n \"\${RSS_LOG:-}\" ]; then $(printf '%q' "$TIME") -a -o \"\$RSS_LOG\" -f %M \"\$@\"; else \"\$@\"; fi; }"
    echo "cd $(printf '%q' "$dir")"
    echo "t $(printf '%q ' "$@")[0-9]*.md"
  } >"$file"
}

for words in $sizes; do
  corpus=$out/corpus-$words
  "$GEN" "$words" "$corpus" 2>&1 | sed 's/^/[compare] /' >&2
  for format in epub pdf all; do
    measure "$words" "$format" quire "quire-$words-$format" \
      "$QUIRE" build "$corpus" --format "$format" --out "$out/quire-$words-$format"
  done
  # Peers read the chapter files in reading order (zero-padded numbers sort correctly).
  meta=(--metadata "title=The Benchmark Book" --metadata lang=en-US)
  if [ -n "$PANDOC" ]; then
    write_script "$out/pandoc-$words-epub.sh" "$corpus" \
      "$PANDOC" "${meta[@]}" -o "$out/pandoc-$words.epub"
    measure "$words" epub "pandoc $pandoc_version" "pandoc-$words-epub" \
      bash "$out/pandoc-$words-epub.sh"
    if [ -n "$TYPST" ]; then
      write_script "$out/pandoc-typst-$words-pdf.sh" "$corpus" \
        "$PANDOC" "${meta[@]}" -V papersize=a5 -V fontsize=11pt -t typst -s -o "$out/pandoc-$words.typ"
      printf 't %s\n' "$(printf '%q ' "$TYPST" compile "$out/pandoc-$words.typ" "$out/pandoc-typst-$words.pdf")" \
        >>"$out/pandoc-typst-$words-pdf.sh"
      measure "$words" pdf "pandoc $pandoc_version → typst $typst_version" "pandoc-typst-$words-pdf" \
        bash "$out/pandoc-typst-$words-pdf.sh"
    fi
  fi
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/env.txt"

# ---- the table -----------------------------------------------------------------------
status=0
python3 - "$rows" "$strict" >"$out/table.md" <<'EOF' || status=$?
import csv, sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
strict = sys.argv[2] == "1"
EDITION = {"epub": "EPUB", "pdf": "print PDF", "all": "all editions"}
# (words, edition) -> (seconds, MB) limits; None where there is none.
TARGETS = {
    (100_000, "epub"): (0.10, None),
    (100_000, "pdf"): (0.40, None),
    (100_000, "all"): (0.50, None),
    (1_000_000, "all"): (4.0, 300),
}
GROWTH = 11.0
quire = {(int(r["words"]), r["edition"]): r for r in rows if r["tool"] == "quire" and r["status"] == "ok"}
missed = 0

def pct(value, limit):
    return f"{(value / limit - 1) * 100:+.0f} %"

print("| words | edition | tool | runs | median wall s | min–max s | peak RSS MB | peer / quire | target | verdict |")
print("|---:|---|---|---:|---:|---:|---:|---:|---|---|")
for r in rows:
    words, edition, tool = int(r["words"]), r["edition"], r["tool"]
    if r["status"] != "ok":
        print(f"| {words:,} | {EDITION[edition]} | {tool} | 0 | – | – | – | – | – | **{r['status']}** |")
        continue
    median, rss = float(r["median"]), float(r["rss_mb"])
    spread = f"{float(r['min']):.3f}–{float(r['max']):.3f}"
    ratio, target, verdict = "–", "–", "–"
    if tool == "quire":
        checks = []  # (description, value, limit, value as shown)
        secs, mb = TARGETS.get((words, edition), (None, None))
        if secs is not None:
            checks.append((f"≤ {secs:g} s", median, secs, f"{median:.3f} s"))
        if mb is not None:
            checks.append((f"≤ {mb} MB", rss, mb, f"{rss:.0f} MB"))
        base = quire.get((words // 10, edition))
        if words >= 1_000_000 and base:
            limit = GROWTH * float(base["median"])
            checks.append((f"≤ 11 × {words // 10:,} ({limit:.2f} s)", median, limit, f"{median:.3f} s"))
        if checks:
            target = "; ".join(c[0] for c in checks)
            misses = [f"**MISSED** {c[0]}: {c[3]} ({pct(c[1], c[2])})" for c in checks if c[1] > c[2]]
            missed += len(misses)
            verdict = "; ".join(misses) if misses else "met (" + ", ".join(
                f"{pct(c[1], c[2])}" for c in checks) + ")"
    else:
        q = quire.get((words, edition))
        if q:
            ratio = f"{median / float(q['median']):.1f}×"
    print(f"| {words:,} | {EDITION[edition]} | {tool} | {r['runs']} | {median:.3f} | {spread} | {rss:.0f} | {ratio} | {target} | {verdict} |")
if strict and missed:
    sys.exit(1)
EOF
cat "$out/table.md"
say "corpora, outputs, hyperfine JSON, env.txt and table.md are in $out"
exit $status
