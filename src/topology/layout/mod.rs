//! Where everything goes: devices, zones (one per network), links and their labels.
//!
//! The drawing reads top to bottom like a network engineer's sketch: external services and
//! the internet on top, then the routers and firewalls, then the networks as zones holding
//! their devices (switches first, hosts below in a grid). A device attached to exactly one
//! network sits inside that network's zone; a device attached to several (a router) or to
//! none (the internet, a hosted mailbox) sits outside the zones. Units (zones and free
//! devices) are ranked by link distance from the internet side, ordered to follow their
//! neighbours, and links are routed on a grid around every box (see `route`).

mod boxes;
mod links;
mod place;
mod shared;
mod units;

use super::geom::{Point, Rect, RectExt};
use super::lang::Words;
use super::model::Topology;
use crate::diagram::font::text_width;
use boxes::{device_box, shift_device};
use links::route_links;
use place::{make_rows, place_rows, rank_units, unit_edges};
use units::{build_units, home_networks, line_up_zones};

pub use shared::SharedSizes;

/// Size of the icon area at the top of every device box.
pub(crate) const ICON_W: f32 = 56.0;
/// Height of the icon area.
pub(crate) const ICON_H: f32 = 40.0;
const NAME_SIZE: f32 = 13.0;
const DETAIL_SIZE: f32 = 11.0;
const TITLE_SIZE: f32 = 16.0;
const LABEL_SIZE: f32 = 11.0;
const TEXT_MAX: f32 = 140.0;
const BOX_PAD: f32 = 4.0;
/// Clearance kept between a link and any device box it does not end at.
pub(crate) const CLEARANCE: f32 = 10.0;
const UNIT_GAP: f32 = 40.0;
const ROW_GAP: f32 = 64.0;
const ZONE_PAD: f32 = 14.0;
const ZONE_COL_GAP: f32 = 24.0;
const ZONE_ROW_GAP: f32 = 60.0;
const ZONE_HEADER_GAP: f32 = 26.0;
const ZONE_TOP: f32 = 28.0;
const MAX_ROW_WIDTH: f32 = 1500.0;
/// Units whose wanted centres fall in one bucket keep their order in the row.
const ORDER_BUCKET: f32 = 60.0;
const MARGIN: f32 = 16.0;

/// One line of text, centred on `x` unless `anchor_start` is set.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    /// The text, not escaped.
    pub text: String,
    /// Font size in px.
    pub size: f32,
    /// CSS class, which also selects the colour.
    pub class: &'static str,
    /// Anchor x.
    pub x: f32,
    /// Baseline y.
    pub y: f32,
    /// Left-aligned (zone headers) rather than centred.
    pub anchor_start: bool,
}

/// A placed device.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceBox {
    /// Index into `Topology::devices`.
    pub index: usize,
    /// Outer box: icon and text.
    pub rect: Rect,
    /// Where the icon is drawn.
    pub icon: Rect,
    /// Name, addresses, role and OS.
    pub lines: Vec<TextLine>,
    /// The network whose zone holds the device.
    pub zone: Option<String>,
    /// Short strokes inside the box from a side port to the icon, so a link that reaches a
    /// wide box (long text) visibly continues to the device.
    pub leads: Vec<(Point, Point)>,
}

/// A placed network zone.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneBox {
    /// Index into `Topology::networks`.
    pub index: usize,
    /// The zone's outline.
    pub rect: Rect,
    /// The box of the header text (VLAN, name, CIDR).
    pub header: Rect,
    /// Header lines.
    pub lines: Vec<TextLine>,
}

/// A routed link.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkPath {
    /// Index into `Topology::links`.
    pub index: usize,
    /// Corner points, first on the source box's border, last on the target's.
    pub points: Vec<Point>,
    /// The label's text and box, when the link has one.
    pub label: Option<(String, Rect)>,
}

/// The whole laid-out diagram, in viewBox units with the origin at the top left.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Width of the viewBox.
    pub width: f32,
    /// Height of the viewBox.
    pub height: f32,
    /// The title line.
    pub title: TextLine,
    /// Zones, in network order.
    pub zones: Vec<ZoneBox>,
    /// Devices, in device order.
    pub devices: Vec<DeviceBox>,
    /// Links, in link order.
    pub links: Vec<LinkPath>,
}

/// What sizes the texts of a layout: the language's words, and for a topology drawn in
/// several languages the room its texts take in the largest of them.
pub(super) struct Room<'a> {
    words: &'a Words,
    sizes: Option<&'a SharedSizes>,
}

/// Lays out `t`; with `sizes`, each text gets the room it takes in the largest of the
/// topology's languages, so that every language's layout is the same.
pub fn layout(t: &Topology, words: &Words, sizes: Option<&SharedSizes>) -> Layout {
    let room = Room { words, sizes };
    let contents: Vec<DeviceBox> = t
        .devices
        .iter()
        .enumerate()
        .map(|(i, d)| device_box(i, d, sizes.and_then(|s| s.device(i))))
        .collect();
    let home = home_networks(t);
    let mut units = build_units(t, &home, &contents, &room);
    let edges = unit_edges(t, &units, &contents);
    let pairs: Vec<(usize, usize)> = edges.iter().map(|e| (e.a, e.b)).collect();
    let ranks = rank_units(t, &units, &pairs);
    let rows = make_rows(&units, &ranks, &pairs);
    line_up_zones(t, &mut units, &rows, &home, &contents, &room);
    place_rows(&mut units, &rows, &edges);

    let mut devices = contents;
    let mut zones = Vec::new();
    for unit in &units {
        for (d, rel) in &unit.members {
            let dx = unit.x + rel.x - devices[*d].rect.x;
            let dy = unit.y + rel.y - devices[*d].rect.y;
            shift_device(&mut devices[*d], dx, dy);
            devices[*d].zone = unit.network.map(|n| t.networks[n].id.clone());
        }
        if let (Some(n), Some(header)) = (unit.network, &unit.header) {
            let (hrect, hlines) = header;
            let mut lines = hlines.clone();
            for l in &mut lines {
                l.x += unit.x;
                l.y += unit.y;
            }
            zones.push(ZoneBox {
                index: n,
                rect: Rect::new(unit.x, unit.y, unit.w, unit.h),
                header: hrect.shift(unit.x, unit.y),
                lines,
            });
        }
    }
    zones.sort_by_key(|z| z.index);
    let links = route_links(t, &mut devices, &zones, sizes);
    let title = TextLine {
        text: title_text(t, words),
        size: TITLE_SIZE,
        class: "topo-title",
        x: 0.0,
        y: 0.0,
        anchor_start: true,
    };
    let title_w = sizes.map_or_else(|| text_width(&title.text, TITLE_SIZE), SharedSizes::title);
    finish(
        Layout {
            width: 0.0,
            height: 0.0,
            title,
            zones,
            devices,
            links,
        },
        title_w,
    )
}

/// The title drawn: the file's, else the default one of the language.
fn title_text(t: &Topology, words: &Words) -> String {
    t.title
        .clone()
        .unwrap_or_else(|| words.default_title.to_string())
}

/// Moves everything so the drawing starts at the margin under the title, and sizes the
/// viewBox to hold it all (and the title, `title_w` wide).
fn finish(mut l: Layout, title_w: f32) -> Layout {
    let mut all: Option<Rect> = None;
    let mut add = |r: Rect| all = Some(all.map_or(r, |a| a.union(&r)));
    l.zones.iter().for_each(|z| add(z.rect));
    l.devices.iter().for_each(|d| add(d.rect));
    for link in &l.links {
        link.points
            .iter()
            .for_each(|p| add(Rect::new(p.x, p.y, 0.0, 0.0)));
        if let Some((_, r)) = &link.label {
            add(*r);
        }
    }
    let all = all.unwrap_or_default();
    let title_h = 34.0;
    let dx = (MARGIN - all.x).round();
    let dy = (MARGIN + title_h - all.y).round();
    for z in &mut l.zones {
        z.rect = z.rect.shift(dx, dy);
        z.header = z.header.shift(dx, dy);
        for line in &mut z.lines {
            line.x += dx;
            line.y += dy;
        }
    }
    for d in &mut l.devices {
        shift_device(d, dx, dy);
    }
    for link in &mut l.links {
        for p in &mut link.points {
            p.x += dx;
            p.y += dy;
        }
        if let Some((_, r)) = &mut link.label {
            *r = r.shift(dx, dy);
        }
    }
    l.title.x = MARGIN;
    l.title.y = MARGIN + TITLE_SIZE;
    l.width = (all.w + 2.0 * MARGIN).max(title_w + 2.0 * MARGIN).ceil();
    l.height = (all.h + 2.0 * MARGIN + title_h).ceil();
    l
}

#[cfg(test)]
mod tests {
    use super::boxes::balanced_wrap;
    use super::units::{home_networks, zone_header};
    use std::path::Path;

    #[test]
    fn a_long_word_is_never_cut_and_lines_are_balanced() {
        let mail = "support@ateliers-morel.example";
        assert_eq!(balanced_wrap(mail, 60.0, 11.0), vec![mail.to_string()]);
        let lines = balanced_wrap("Routage inter-VLAN, NAT, filtrage", 140.0, 11.0);
        assert_eq!(lines, vec!["Routage inter-VLAN,", "NAT, filtrage"]);
    }

    #[test]
    fn a_device_on_one_network_lives_in_its_zone_others_outside() {
        let yaml = "networks:\n  - { id: a, cidr: 10.0.0.0/24 }\n  - { id: b, cidr: 10.0.1.0/24 }\n\
            devices:\n  - { id: r, kind: router, interfaces: [ { network: a, address: 10.0.0.1 }, { network: b, address: 10.0.1.1 } ] }\n\
            \x20 - { id: h, kind: server, interfaces: [ { network: b, address: 10.0.1.2 }, { network: b, address: 10.0.1.3 } ] }\n\
            \x20 - { id: m, kind: mail }\n";
        let t = crate::topology::parse(Path::new("t.yaml"), yaml, "t").unwrap();
        assert_eq!(home_networks(&t), vec![None, Some(1), None]);
    }

    #[test]
    fn zone_header_lines() {
        let yaml = "networks:\n  - { id: s, label: Serveurs, vlan: 10, cidr: 192.168.10.0/24, gateway: 192.168.10.254 }\n\
            devices:\n  - { id: x, kind: server }\n";
        let t = crate::topology::parse(Path::new("t.yaml"), yaml, "t").unwrap();
        let (_, h, lines) = zone_header(
            &t.networks[0],
            &super::super::lang::words(crate::language::Language::Fr),
            None,
        );
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "VLAN 10 · Serveurs",
                "192.168.10.0/24",
                "passerelle 192.168.10.254"
            ]
        );
        assert_eq!(h, 17.0 + 14.0 + 14.0);
    }
}
