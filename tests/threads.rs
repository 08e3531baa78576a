//! The number of threads never shows in the output (issue 18): every file a build writes
//! (EPUB, paperback, large print, covers, handouts, booklets, packet, leader's guide) is
//! byte for byte the same whether the build runs on one thread or on several, for the
//! sample book and for a generated book of another shape. Chapters, handouts and page
//! streams are jobs on one pool whose workers keep their own caches and finish in any
//! order, so this is what holds the results to input order and the caches to being only
//! caches.

mod common;

#[path = "../benches/common/corpus.rs"]
mod corpus;

use common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Builds every edition of `book` (with booklets) on `threads` threads into `out`.
fn build_on(book: &Path, out: &Path, threads: usize) -> BTreeMap<String, Vec<u8>> {
    let output = run(quire()
        .env("RAYON_NUM_THREADS", threads.to_string())
        .arg("build")
        .arg(book)
        .arg("--out")
        .arg(out)
        .args(["--format", "all", "--booklet"]));
    assert_success(&format!("quire build on {threads} threads"), &output);
    files_under(out)
}

/// Asserts that `book` builds to the same bytes on 1, 2 and 5 threads.
fn assert_same_on_any_threads(tmp: &TempDir, book: &Path, what: &str) {
    let one = build_on(book, &tmp.join("out-1"), 1);
    assert!(
        one.keys().any(|k| k.ends_with(".epub")),
        "{what}: no EPUB: {:?}",
        one.keys()
    );
    assert!(
        one.keys().any(|k| k.ends_with("packet-booklet.pdf")),
        "{what}: {:?}",
        one.keys()
    );
    for threads in [2, 5] {
        let many = build_on(book, &tmp.join(format!("out-{threads}")), threads);
        assert_eq!(
            many.keys().collect::<Vec<_>>(),
            one.keys().collect::<Vec<_>>(),
            "{what}: other files on {threads} threads"
        );
        for (name, bytes) in &one {
            assert!(
                many[name] == *bytes,
                "{what}: {name} differs between 1 and {threads} threads"
            );
        }
    }
}

#[test]
fn the_sample_with_every_edition_is_the_same_on_any_number_of_threads() {
    let tmp = TempDir::new("threads-sample");
    let book = sample_copy_with(&tmp, "book", &["editions = [\"large-print\"]"]);
    assert_same_on_any_threads(&tmp, &book, "the sample");
}

#[test]
fn a_generated_novel_is_the_same_on_any_number_of_threads() {
    let tmp = TempDir::new("threads-novel");
    let book = tmp.join("book");
    corpus::write_shape(corpus::Shape::Novel, 30_000, &book, 3)
        .unwrap_or_else(|e| panic!("cannot write the novel: {e}"));
    assert_same_on_any_threads(&tmp, &book, "the novel");
}
