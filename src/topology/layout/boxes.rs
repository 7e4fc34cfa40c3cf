//! Device boxes: the icon area and the text under it, measured with the bundled font.

use super::super::geom::{Rect, RectExt};
use super::super::model::{Address, Device};
use super::{BOX_PAD, DETAIL_SIZE, DeviceBox, ICON_H, ICON_W, NAME_SIZE, TEXT_MAX, TextLine};
use crate::diagram::font::text_width;
use crate::diagram::text::wrap;

/// The text lines and size of a device, placed at the origin; `room` (width, height), when
/// given, is the box's size instead of its own text's (see `SharedSizes`).
pub(super) fn device_box(index: usize, d: &Device, room: Option<(f32, f32)>) -> DeviceBox {
    let mut texts: Vec<(String, f32, &'static str)> =
        vec![(d.label.clone(), NAME_SIZE, "topo-name")];
    let named = d.interfaces.len() > 1;
    for iface in &d.interfaces {
        let addr = match iface.address {
            Address::Static(a) => a.to_string(),
            Address::Dhcp => "DHCP".to_string(),
        };
        let text = match (&iface.name, named) {
            (Some(name), true) => format!("{name} {addr}"),
            _ => addr,
        };
        texts.push((text, DETAIL_SIZE, "topo-addr"));
    }
    for extra in [&d.role, &d.os].into_iter().flatten() {
        for line in balanced_wrap(extra, TEXT_MAX, DETAIL_SIZE) {
            texts.push((line, DETAIL_SIZE, "topo-meta"));
        }
    }
    let text_w = texts
        .iter()
        .map(|(s, size, _)| text_width(s, *size))
        .fold(0.0, f32::max);
    let own_w = (text_w.max(ICON_W) + 2.0 * BOX_PAD).ceil();
    let w = room.map_or(own_w, |(w, _)| w);
    let mut y = ICON_H + 4.0;
    let mut lines = Vec::new();
    for (text, size, class) in texts {
        let line_h = (size * 1.3).round();
        lines.push(TextLine {
            text,
            size,
            class,
            x: w / 2.0,
            y: y + (size * 0.95).round(),
            anchor_start: false,
        });
        y += line_h;
    }
    let h = room.map_or((y + BOX_PAD).ceil(), |(_, h)| h);
    DeviceBox {
        index,
        rect: Rect::new(0.0, 0.0, w, h),
        icon: Rect::new(((w - ICON_W) / 2.0).round(), 0.0, ICON_W, ICON_H),
        lines,
        zone: None,
        leads: Vec::new(),
    }
}

pub(super) fn shift_device(d: &mut DeviceBox, dx: f32, dy: f32) {
    d.rect = d.rect.shift(dx, dy);
    d.icon = d.icon.shift(dx, dy);
    for l in &mut d.lines {
        l.x += dx;
        l.y += dy;
    }
    for (a, b) in &mut d.leads {
        a.x += dx;
        a.y += dy;
        b.x += dx;
        b.y += dy;
    }
}

/// Wraps at `max` px (wider only for a single word that is longer, such as a mail address,
/// which must not be cut), then narrows the lines as long as their number stays the same,
/// so that a role does not end with one lonely word.
pub(super) fn balanced_wrap(text: &str, max: f32, size: f32) -> Vec<String> {
    let widest_word = text
        .split_whitespace()
        .map(|w| text_width(w, size))
        .fold(0.0, f32::max);
    let max = max.max(widest_word.ceil());
    let lines = wrap(text, max, size);
    if lines.len() < 2 {
        return lines;
    }
    let (mut lo, mut hi) = (widest_word.ceil(), max);
    while hi - lo > 1.0 {
        let mid = ((lo + hi) / 2.0).floor();
        if wrap(text, mid, size).len() == lines.len() {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    wrap(text, hi, size)
}
