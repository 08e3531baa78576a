#!/bin/sh
# Writes large fuzz seeds (100 KB to 1 MB each) into the folder named as the only
# argument. libFuzzer's mutations rarely grow an input anywhere near `-max_len=1048576`
# on their own, and seeds this big do not belong in git: run this before fuzzing and pass
# the folder as an extra (read-only) corpus directory. See fuzz_targets/manuscript.rs.
set -eu
out=${1:?usage: sh seeds.sh DIR}
mkdir -p "$out"

# N copies of a string, without a newline.
rep() { awk -v s="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'; }

# One word of 500 KB: a paragraph with no break opportunity.
{ echo '# One Word'; echo; rep a 500000; echo; } > "$out/word-500k.md"
# A paragraph that is one word, with a title: the file is just under 1 MiB (-max_len).
{ echo '# Megaword'; echo; rep abcdefghij 104856; echo; } > "$out/word-1m.md"
# 200 KB of unclosed brackets, backticks and angle brackets.
{ echo '# Brackets'; echo; rep '[[[[' 50000; echo; } > "$out/brackets-200k.md"
{ echo '# Backticks'; echo; rep '`<`<' 50000; echo; } > "$out/backticks-200k.md"
# A code block whose one line is 300 KB.
{ echo '# Code'; echo; echo '```'; rep 'x=1;' 75000; echo; echo '```'; } > "$out/code-line-300k.md"
# Quotes nested 47 deep (the cap is 48), over many lines, then one paragraph per depth.
{
    echo '# Deep Quotes'; echo
    for i in $(seq 1 2000); do rep '> ' 47; echo "line $i of a deep quote"; done
    echo
    for d in $(seq 1 47); do rep '> ' "$d"; echo "depth $d"; rep '> ' "$d"; echo; done
} > "$out/deep-quotes.md"
# Lists nested 23 deep (a list and its item are two levels each), many times over.
{
    echo '# Deep Lists'; echo
    for n in $(seq 1 150); do
        for d in $(seq 0 22); do rep '  ' "$d"; echo "- item $n at depth $d"; done
        echo
    done
} > "$out/deep-lists.md"
# 6,000 footnotes, each referenced twice (450 KB; twice that takes over 10 s of CPU in
# the instrumented build, too near -timeout=30 on a busy machine).
{
    echo '# Notes'; echo
    for i in $(seq 1 6000); do printf 'Claim %d.[^n%d] Again.[^n%d]\n' "$i" "$i" "$i"; done
    echo
    for i in $(seq 1 6000); do printf '[^n%d]: Note %d, with *emphasis*.\n\n' "$i" "$i"; done
} > "$out/footnotes-6k.md"
# A table of 10,000 rows (470 KB), with one cell that is a long word on every 100th row.
{
    echo '# Table'; echo
    echo '| Left | Centre | Right | Note |'
    echo '|:-----|:------:|------:|------|'
    for i in $(seq 1 10000); do
        if [ $((i % 100)) -eq 0 ]; then
            printf '| %d | %s | %d.5 | last |\n' "$i" "$(rep w 400)" "$i"
        else
            printf '| row %d | *centre* | %d.5 | `code` |\n' "$i" "$i"
        fi
    done
} > "$out/table-10k.md"
# 10,000 headings of every level, with reflection sections and images among them.
{
    echo '# Headings'; echo
    for i in $(seq 1 10000); do
        lvl=$((i % 5 + 2)); rep '#' "$lvl"; printf ' Heading %d {#h%d}\n\nText %d.\n\n' "$i" "$i" "$i"
        if [ $((i % 500)) -eq 0 ]; then
            printf '![Figure %d](images/tiny.png "caption")\n\n' "$i"
        fi
    done
    printf '## For reflection {.reflection}\n\n'
    for i in $(seq 1 2000); do printf '%d. Question %d?\n' "$i" "$i"; done
} > "$out/headings-10k.md"
# Chapter titles that fill pages: many words (300 KB), one word (500 KB), and one letter
# under 100,000 accents, each above a few pages of prose so that running heads are set.
prose() { for i in $(seq 1 120); do echo "Ordinary prose to fill the pages, line $i."; echo; done; }
{ printf '# '; rep 'word, ' 50000; echo; echo; prose; } > "$out/title-words-300k.md"
{ printf '# '; rep abcdefghij 50000; echo; echo; prose; } > "$out/title-word-500k.md"
{ printf '# q'; rep "$(printf '\314\201')" 100000; echo; echo; prose; } > "$out/title-accents-200k.md"
