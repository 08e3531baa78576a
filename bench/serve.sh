#!/usr/bin/env bash
# Save-to-preview latency of `quire serve` (issue 16), on a generated book.
#
# Usage: bench/serve.sh [--words 100000] [--saves 7] [--out DIR]
#
# What it does:
#   1. builds quire and the corpus generator in release mode, writes a corpus (seed 1);
#   2. times a clean `quire build` (all editions) and `quire build --format pdf` with
#      farm-bench, for the baseline a watch rebuild is compared with;
#   3. starts `quire serve --port 0` on the corpus and a headless Chromium on the page
#      (bench/cdp.py: the DevTools protocol over a pipe), showing a middle chapter;
#   4. N times: appends a sentence to that chapter (saved by rename, as editors do) and
#      notes when it was saved, then reads (the page shows a build's EPUB and paperback
#      as soon as they are made, before the other editions are written)
#        save → outputs: the server's `finished_at` for the new build (state.json), and
#        save → browser: the page's `quireShown.at` once it shows the new build,
#      both on this machine's clock, and prints each run and the medians.
# Not a test: nothing fails on a miss; BENCHMARKS.md holds the figures.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
WORDS=100000 SAVES=7 OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --words) WORDS=$2; shift 2 ;;
    --saves) SAVES=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "bench/serve.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
OUT=${OUT:-$(mktemp -d /tmp/quire-serve-bench.XXXX)}
mkdir -p "$OUT"
cargo build --release --quiet --bin quire --example gen_corpus
QUIRE=$PWD/target/release/quire
rm -rf "$OUT/ms"
target/release/examples/gen_corpus "$WORDS" "$OUT/ms" --seed 1 >&2
echo "== clean builds (farm-bench, all editions vs the print PDF alone)" >&2
farm-bench -n 7 --vs "$QUIRE build $OUT/ms --out $OUT/clean-pdf --format pdf" -- \
  "$QUIRE" build "$OUT/ms" --out "$OUT/clean-all" >&2 || true
python3 - "$QUIRE" "$OUT" "$SAVES" <<'PY'
import json, os, statistics, subprocess, sys, time, urllib.request
sys.path.insert(0, "bench")
import cdp

quire, out, saves = sys.argv[1], sys.argv[2], int(sys.argv[3])
server = subprocess.Popen([quire, "serve", f"{out}/ms", "--out", f"{out}/served", "--port", "0"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    url = server.stdout.readline().split()[-1].rstrip("/")
    state = lambda: json.load(urllib.request.urlopen(url + "/state.json"))
    chapters = state()["chapters"]
    chosen = chapters[len(chapters) // 2]
    browser = cdp.Browser()
    browser.page("Page.navigate", {"url": f"{url}/#{chosen['slug']}"})
    browser.wait("window.quireShown && quireShown.generation === 1")
    path = os.path.join(out, "ms", chosen["source"])
    to_outputs, to_browser, builds = [], [], []
    for n in range(saves):
        generation = state()["outcome"]["generation"]
        text = open(path, encoding="utf-8").read() + f"\n\nRosalind moored boat number {n} by the mill.\n"
        staged = path + ".swp"
        open(staged, "w", encoding="utf-8").write(text)
        saved = time.time() * 1000
        os.rename(staged, path)
        shown = browser.wait(f"window.quireShown && quireShown.generation > {generation} && quireShown")
        # The page may show the ebook and paperback before the other editions are
        # written: wait for the build's end for the outputs' time.
        while True:
            outcome = state()["outcome"]
            if outcome["generation"] > generation and not outcome["building"]:
                break
            time.sleep(0.005)
        to_outputs.append(outcome["finished_at"] - saved)
        to_browser.append(shown["at"] - saved)
        builds.append(outcome["build_ms"])
        print(f"save {n + 1}: build {outcome['build_ms']:.0f} ms; save → outputs "
              f"{to_outputs[-1]:.0f} ms; save → browser {to_browser[-1]:.0f} ms", file=sys.stderr)
        time.sleep(0.3)
    browser.close()
    med = statistics.median
    print(f"median of {saves} saves: rebuild {med(builds):.0f} ms, save → outputs "
          f"{med(to_outputs):.0f} ms, save → browser {med(to_browser):.0f} ms")
finally:
    server.kill()
    server.wait()
PY
