//! Figures: the image read from the manuscript folder, sized for print resolution and
//! the page, centred with its caption.

use super::{FigureBlock, Flow, FlowItem, Frame, LineKind, flow_line, push_gap};
use crate::error::{Location, Warning};
use crate::layout::items::{Alignment, ParagraphStyle};
use crate::layout::page::ImageData;
use crate::layout::units::Pt;
use crate::model::{Chapter, Inline};
use std::path::Path;

/// Pixels per inch an image needs in print (KDP's and IngramSpark's minimum).
const PRINT_PPI: f64 = 300.0;

impl<'a, 'f> Flow<'a, 'f> {
    /// Sets an image and its caption; `at` is the image's place in the manuscript.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn figure(
        &mut self,
        src: &Path,
        caption: &[Inline],
        pixels: (u32, u32),
        at: Location,
        frame: Frame,
        items: &mut Vec<FlowItem>,
        chapter: &Chapter,
    ) {
        let read = crate::input::Manuscript::open(self.assets)
            .map_err(crate::input::Refusal::from)
            .and_then(|m| m.read(src));
        let bytes = match read {
            Ok(bytes) => bytes,
            Err(e) => {
                self.warnings.push(Warning::at(
                    at,
                    format!(
                        "image {} could not be read for print: it {e}",
                        src.display()
                    ),
                ));
                return;
            }
        };
        let leading = self.style.leading;
        let (w, h) = (f64::from(pixels.0.max(1)), f64::from(pixels.1.max(1)));
        // Never wider than the image holds at print resolution: an enlarged image prints
        // soft, and print services reject images under 300 ppi.
        let full = frame.measure * 0.9;
        let natural = Pt(w / PRINT_PPI * 72.0);
        let mut width = if natural < full { natural } else { full };
        if natural < full * 0.5 {
            self.warnings.push(Warning::at(
                at,
                format!(
                    "image {} is only {}×{} pixels, so it prints {:.1} in wide at the \
                     {PRINT_PPI} ppi print services ask for; supply a larger image to \
                     print it bigger",
                    src.display(),
                    pixels.0,
                    pixels.1,
                    w / PRINT_PPI
                ),
            ));
        }
        let mut height = width * (h / w);
        let max_height = self.style.body_height() * 0.45;
        if height > max_height {
            width = width * (max_height.0 / height.0);
            height = max_height;
        }
        let slots = (height.0 / leading.0).ceil() as usize;
        let index = self.images.len();
        self.images.push(ImageData { bytes, pixels });
        let style = ParagraphStyle {
            italic: true,
            size: self.style.size.0 * 0.9,
            hyphenate: false,
            ..self.text_style(Alignment::Center, false)
        };
        let caption_lines = if caption.is_empty() {
            Vec::new()
        } else {
            self.set(caption, &style, frame, &chapter.source, 0)
                .into_iter()
                .map(|l| flow_line(l, LineKind::Caption, 1))
                .collect()
        };
        push_gap(items);
        items.push(FlowItem::Figure(FigureBlock {
            image: index,
            width,
            height,
            x: frame.left + (frame.measure - width) / 2.0,
            slots,
            caption: caption_lines,
        }));
        push_gap(items);
    }
}
