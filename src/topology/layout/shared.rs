//! One layout for every language of a topology: the room each text takes in the largest of
//! its languages (device boxes, zone headers, link labels, the title), measured before
//! laying out, so that the diagrams of all languages have the same boxes and links and
//! differ only in their words. The workflows do the same with their own `SharedSizes`.

use super::super::lang::words;
use super::super::model::Topology;
use super::boxes::device_box;
use super::links::label_width;
use super::units::zone_header;
use super::{TITLE_SIZE, title_text};
use crate::diagram::font::text_width;
use crate::language::Language;

/// The room the texts of a topology take in the largest of its languages. Laid out with
/// these sizes, the versions of a topology in several languages share one layout.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SharedSizes {
    /// Each device's box (width, height).
    devices: Vec<(f32, f32)>,
    /// Each network's zone header (width, height).
    headers: Vec<(f32, f32)>,
    /// Each link's own label width; `None` for a link without a label of its own (the
    /// network address drawn instead is the same in every language).
    labels: Vec<Option<f32>>,
    /// The title's width.
    title: f32,
}

impl SharedSizes {
    /// The sizes of `variants`, the versions of one topology (same devices, networks and
    /// links) each in its language. A version whose structure differs from the first is
    /// skipped.
    pub fn of(variants: &[(&Topology, Language)]) -> SharedSizes {
        let Some((first, _)) = variants.first() else {
            return SharedSizes::default();
        };
        let same_shape = |t: &Topology| {
            t.devices.len() == first.devices.len()
                && t.networks.len() == first.networks.len()
                && t.links.len() == first.links.len()
        };
        let mut sizes = SharedSizes {
            devices: vec![(0.0, 0.0); first.devices.len()],
            headers: vec![(0.0, 0.0); first.networks.len()],
            labels: vec![None; first.links.len()],
            title: 0.0,
        };
        for (t, lang) in variants.iter().filter(|(t, _)| same_shape(t)) {
            let words = words(*lang);
            for (i, d) in t.devices.iter().enumerate() {
                let r = device_box(i, d, None).rect;
                sizes.devices[i] = max_pair(sizes.devices[i], (r.w, r.h));
            }
            for (i, n) in t.networks.iter().enumerate() {
                let (w, h, _) = zone_header(n, &words, None);
                sizes.headers[i] = max_pair(sizes.headers[i], (w, h));
            }
            for (i, link) in t.links.iter().enumerate() {
                if let Some(label) = &link.label {
                    let w = label_width(label);
                    sizes.labels[i] = Some(sizes.labels[i].map_or(w, |o| o.max(w)));
                }
            }
            let title = text_width(&title_text(t, &words), TITLE_SIZE);
            sizes.title = sizes.title.max(title);
        }
        sizes
    }

    /// The room of device `i`, when known.
    pub(super) fn device(&self, i: usize) -> Option<(f32, f32)> {
        self.devices.get(i).copied()
    }

    /// The room of network `i`'s zone header, when known.
    pub(super) fn header(&self, i: usize) -> Option<(f32, f32)> {
        self.headers.get(i).copied()
    }

    /// The width of link `i`'s own label, when it has one.
    pub(super) fn label(&self, i: usize) -> Option<f32> {
        self.labels.get(i).copied().flatten()
    }

    /// The title's width.
    pub(super) fn title(&self) -> f32 {
        self.title
    }
}

fn max_pair(a: (f32, f32), b: (f32, f32)) -> (f32, f32) {
    (a.0.max(b.0), a.1.max(b.1))
}
