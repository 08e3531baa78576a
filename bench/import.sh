#!/usr/bin/env bash
# Whole-process timing of `quire import` on a generated book converted to DOCX by pandoc:
# the figure in BENCHMARKS.md ("import of a 100k-word DOCX").
#
# Usage: bench/import.sh [--words N] [--runs N] [--out DIR]
#
#   --words   corpus size in words (default: 100000)
#   --runs    timed runs (default: 10)
#   --out     where the corpus, the DOCX and hyperfine's JSON go (default: a new temporary folder)
#
# What it does: builds quire and the corpus generator in release mode; writes a corpus
# with `examples/gen_corpus.rs` (seed 1); joins its chapters into one Markdown file in
# book.toml's order (footnote labels made unique per chapter, as pandoc reads one
# namespace); converts that to DOCX with pandoc; then times `quire import` of it under
# hyperfine (each run into a fresh folder) and prints the median.
# Needs: cargo, pandoc, hyperfine, python3.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
words=100000
runs=10
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --words) words=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "bench/import.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
out=${out:-$(mktemp -d)}
mkdir -p "$out"
for tool in pandoc hyperfine python3; do
  command -v "$tool" >/dev/null || { echo "bench/import.sh: $tool not found" >&2; exit 1; }
done

cd "$root"
cargo build --release --quiet --bin quire --example gen_corpus
rm -rf "$out/corpus"
target/release/examples/gen_corpus "$words" "$out/corpus" >&2

# One Markdown file in reading order, note labels prefixed per chapter.
python3 - "$out/corpus" "$out/book.md" <<'PY'
import re, sys, pathlib
corpus, target = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
toml = (corpus / "book.toml").read_text()
files = re.findall(r'"([^"]+\.md)"', toml)
parts = [(corpus / f).read_text().replace("[^", f"[^c{i}-") for i, f in enumerate(files)]
target.write_text("\n\n".join(parts))
PY
pandoc -f markdown -t docx --resource-path "$out/corpus" -o "$out/book.docx" "$out/book.md"
echo "DOCX: $(du -h "$out/book.docx" | cut -f1) ($out/book.docx)" >&2

hyperfine --warmup 2 --runs "$runs" --prepare "rm -rf $out/imported" \
  --export-json "$out/import.json" \
  "$root/target/release/quire import $out/book.docx --out $out/imported"
python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print(f'median {r[\"median\"]:.3f} s over {len(r[\"times\"])} runs')" "$out/import.json"
