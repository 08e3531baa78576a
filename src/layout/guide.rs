//! The group leader's guide: one document for whoever runs a reading group or workshop
//! on the book. It opens with a plan for one session (from `[handouts]
//! session-minutes`), then gives each essay that has reflection questions: its title,
//! its summary (the chapter's `summary` front matter), where it starts in the paperback,
//! and its questions as the author wrote them.
//!
//! The guide is written as a chapter of the model and set by the handout engine, so it
//! gets the handouts' page, type, footer and navigation without a make-up of its own.

use super::book::{PageRefs, Typeset};
use super::handout::typeset_handout;
use super::style::PrintStyle;
use crate::model::{Block, Book, Chapter, ChapterKind, Inline};
use crate::text::font::FontSet;
use crate::text::hyphenate::Hyphenator;
use std::path::{Path, PathBuf};

/// The guide's title, above the book's.
pub const GUIDE_TITLE: &str = "A Leader’s Guide";

/// Shares of a session, in order, as parts of its whole length: arrival and check-in,
/// reading a passage aloud, discussion of the questions, and a closing round.
const PLAN: [(&str, f64); 4] = [
    ("Welcome and check-in", 0.10),
    ("Read a passage of the essay aloud", 0.15),
    ("Discuss the reflection questions, a few at a time", 0.65),
    ("Closing round: one thing each person takes home", 0.10),
];

/// Typesets the leader's guide in the handouts' `style`; `folios` are the paperback's
/// printed page numbers by chapter slug.
pub fn typeset_leaders_guide(
    book: &Book,
    style: &PrintStyle,
    fonts: &FontSet,
    hyphenator: &Hyphenator,
    assets: &Path,
    folios: &PageRefs,
    session_minutes: u32,
) -> Typeset {
    let chapter = guide_chapter(book, folios, session_minutes);
    let style = PrintStyle { writing_lines: 0, fillable: false, ..style.clone() };
    let mut typeset = typeset_handout(book, &chapter, &style, fonts, hyphenator, assets);
    typeset.document.meta.subject = "Group leader's guide".into();
    typeset
}

/// The essays that have questions to discuss.
pub fn guided_essays(book: &Book) -> impl Iterator<Item = &Chapter> {
    book.essays()
        .filter(|c| c.reflection.as_ref().is_some_and(|r| !r.questions.is_empty()))
}

/// The guide as a chapter of the model: the session plan, then a section per essay.
fn guide_chapter(book: &Book, folios: &PageRefs, session_minutes: u32) -> Chapter {
    let text = |s: String| vec![Inline::Text(s)];
    let paragraph = |content: Vec<Inline>| Block::Paragraph { content, line: 0 };
    let mut blocks = Vec::new();
    let heading = |blocks: &mut Vec<Block>, id: String, content: Vec<Inline>| {
        blocks.push(Block::Heading { level: 2, id, content, line: 0 });
    };
    let essays: Vec<&Chapter> = guided_essays(book).collect();

    heading(&mut blocks, "session-plan".into(), text("Session plan".into()));
    blocks.push(paragraph(text(format!(
        "One session of {session_minutes} minutes for each essay: {} in all. Ask the group \
         to read the essay before the session.",
        sessions(essays.len())
    ))));
    blocks.push(Block::List {
        start: None,
        items: plan(session_minutes)
            .into_iter()
            .map(|(what, minutes)| {
                vec![paragraph(text(format!("{what}: {minutes} minutes")))]
            })
            .collect(),
        tight: true,
    });

    for essay in essays {
        let mut title = Vec::new();
        if let Some(label) = &essay.label {
            title.push(Inline::Text(format!("{label}: ")));
        }
        title.extend(essay.title.iter().cloned());
        heading(&mut blocks, format!("guide-{}", essay.slug), title);
        if let Some(summary) = &essay.summary {
            blocks.push(paragraph(vec![Inline::Emph(text(summary.clone()))]));
        }
        if let Some(folio) = folios.get(&essay.slug) {
            blocks.push(paragraph(text(format!("See page {folio} of the paperback."))));
        }
        let questions = essay.reflection.as_ref().map(|r| r.questions.clone());
        blocks.push(Block::List {
            start: Some(1),
            items: questions.unwrap_or_default(),
            tight: false,
        });
    }

    Chapter {
        slug: "leaders-guide".into(),
        kind: ChapterKind::Essay,
        number: None,
        label: None,
        number_label: None,
        part: None,
        title: text(GUIDE_TITLE.into()),
        blocks,
        reflection: None,
        notes: Vec::new(),
        handout: false,
        summary: None,
        source: PathBuf::new(),
    }
}

/// "7 sessions", "1 session".
fn sessions(count: usize) -> String {
    format!("{count} session{}", if count == 1 { "" } else { "s" })
}

/// The session plan: each part's minutes, rounded to 5, the discussion taking what is
/// left so that the parts add up to the whole.
fn plan(total: u32) -> Vec<(&'static str, u32)> {
    let round5 = |m: f64| ((m / 5.0).round() * 5.0).max(5.0) as u32;
    let mut parts: Vec<(&str, u32)> = PLAN
        .iter()
        .map(|(what, share)| (*what, round5(f64::from(total) * share)))
        .collect();
    let others: u32 =
        parts.iter().enumerate().filter(|(i, _)| *i != 2).map(|(_, p)| p.1).sum();
    parts[2].1 = total.saturating_sub(others).max(5);
    parts
}

#[cfg(test)]
mod tests {
    use super::plan;

    #[test]
    fn the_session_plan_adds_up_to_the_session() {
        for total in [20, 45, 60, 90, 120, 480] {
            let parts = plan(total);
            assert_eq!(
                parts.iter().map(|p| p.1).sum::<u32>(),
                total,
                "{total}: {parts:?}"
            );
            assert!(
                parts
                    .iter()
                    .all(|p| p.1 >= 5 && p.1 % 5 == 0 || p.0.starts_with("Discuss"))
            );
        }
        assert_eq!(plan(90).iter().map(|p| p.1).collect::<Vec<_>>(), [10, 15, 55, 10]);
    }
}
