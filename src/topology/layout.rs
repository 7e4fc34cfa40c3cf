//! Where everything goes: devices, zones (one per network), links and their labels.
//!
//! The drawing reads top to bottom like a network engineer's sketch: external services and
//! the internet on top, then the routers and firewalls, then the networks as zones holding
//! their devices (switches first, hosts below in a grid). A device attached to exactly one
//! network sits inside that network's zone; a device attached to several (a router) or to
//! none (the internet, a hosted mailbox) sits outside the zones. Units (zones and free
//! devices) are ranked by link distance from the internet side, ordered to follow their
//! neighbours, and links are routed on a grid around every box (see `route`).

use std::collections::{BTreeMap, VecDeque};

use super::geom::{Point, Rect, RectExt, simplify};
use super::lang::Words;
use super::model::{Address, Device, Kind, Network, Topology};
use super::route::{Dir, Grid};
use crate::diagram::font::text_width;
use crate::diagram::text::wrap;

/// Size of the icon area at the top of every device box.
pub const ICON_W: f32 = 56.0;
/// Height of the icon area.
pub const ICON_H: f32 = 40.0;
const NAME_SIZE: f32 = 13.0;
const DETAIL_SIZE: f32 = 11.0;
const TITLE_SIZE: f32 = 16.0;
const LABEL_SIZE: f32 = 11.0;
const TEXT_MAX: f32 = 140.0;
const BOX_PAD: f32 = 4.0;
/// Clearance kept between a link and any device box it does not end at.
pub const CLEARANCE: f32 = 10.0;
const UNIT_GAP: f32 = 44.0;
const ROW_GAP: f32 = 64.0;
const ZONE_PAD: f32 = 16.0;
const ZONE_COL_GAP: f32 = 30.0;
const ZONE_ROW_GAP: f32 = 60.0;
const ZONE_HEADER_GAP: f32 = 26.0;
const ZONE_TOP: f32 = 28.0;
const MAX_ROW_WIDTH: f32 = 1500.0;
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

/// Lays out `t`.
pub fn layout(t: &Topology, words: &Words) -> Layout {
    let contents: Vec<DeviceBox> = t
        .devices
        .iter()
        .enumerate()
        .map(|(i, d)| device_box(i, d))
        .collect();
    let home = home_networks(t);
    let mut units = build_units(t, &home, &contents, words);
    let edges = unit_edges(t, &units, &contents);
    let pairs: Vec<(usize, usize)> = edges.iter().map(|e| (e.a, e.b)).collect();
    let ranks = rank_units(t, &units, &pairs);
    let rows = make_rows(&units, &ranks);
    line_up_zones(t, &mut units, &rows, &home, &contents, words);
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
    let links = route_links(t, &mut devices, &zones);
    let title = TextLine {
        text: t
            .title
            .clone()
            .unwrap_or_else(|| words.default_title.to_string()),
        size: TITLE_SIZE,
        class: "topo-title",
        x: 0.0,
        y: 0.0,
        anchor_start: true,
    };
    finish(Layout {
        width: 0.0,
        height: 0.0,
        title,
        zones,
        devices,
        links,
    })
}

/// The text lines and size of a device, placed at the origin.
fn device_box(index: usize, d: &Device) -> DeviceBox {
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
    let w = (text_w.max(ICON_W) + 2.0 * BOX_PAD).ceil();
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
    let h = (y + BOX_PAD).ceil();
    DeviceBox {
        index,
        rect: Rect::new(0.0, 0.0, w, h),
        icon: Rect::new(((w - ICON_W) / 2.0).round(), 0.0, ICON_W, ICON_H),
        lines,
        zone: None,
        leads: Vec::new(),
    }
}

fn shift_device(d: &mut DeviceBox, dx: f32, dy: f32) {
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
fn balanced_wrap(text: &str, max: f32, size: f32) -> Vec<String> {
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

/// For each device, the network whose zone holds it: the only network it is attached to.
fn home_networks(t: &Topology) -> Vec<Option<usize>> {
    t.devices
        .iter()
        .map(|d| {
            let mut nets: Vec<&str> = d.interfaces.iter().map(|i| i.network.as_str()).collect();
            nets.sort_unstable();
            nets.dedup();
            match nets.as_slice() {
                [one] => t.networks.iter().position(|n| n.id == *one),
                _ => None,
            }
        })
        .collect()
}

/// A zone or a free device, placed as one block.
struct Unit {
    network: Option<usize>,
    /// For a zone: where its rows start and their heights, to line up zones side by side.
    rows: Option<ZoneRows>,
    /// Devices with their positions relative to the unit's top left.
    members: Vec<(usize, Point)>,
    header: Option<(Rect, Vec<TextLine>)>,
    w: f32,
    h: f32,
    x: f32,
    y: f32,
}

fn build_units(
    t: &Topology,
    home: &[Option<usize>],
    boxes: &[DeviceBox],
    words: &Words,
) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut done = vec![false; t.devices.len()];
    // Units appear in the order of their first device, so the file order drives the drawing.
    for d in 0..t.devices.len() {
        if done[d] {
            continue;
        }
        match home[d] {
            Some(n) => {
                let members: Vec<usize> = (0..t.devices.len())
                    .filter(|&i| home[i] == Some(n))
                    .collect();
                for &m in &members {
                    done[m] = true;
                }
                units.push(zone_unit(t, n, &members, boxes, words, None));
            }
            None => {
                done[d] = true;
                let r = boxes[d].rect;
                units.push(Unit {
                    network: None,
                    rows: None,
                    members: vec![(d, Point::new(0.0, 0.0))],
                    header: None,
                    w: r.w,
                    h: r.h,
                    x: 0.0,
                    y: 0.0,
                });
            }
        }
    }
    units
}

/// A zone: header at the top left, infrastructure (switches) on the first row, hosts below
/// in a grid of up to four columns.
fn zone_unit(
    t: &Topology,
    n: usize,
    members: &[usize],
    boxes: &[DeviceBox],
    words: &Words,
    shared: Option<&ZoneRows>,
) -> Unit {
    let network = &t.networks[n];
    let (header_w, header_h, lines) = zone_header(network, words);
    let (infra, hosts): (Vec<usize>, Vec<usize>) = members
        .iter()
        .partition(|&&d| t.devices[d].kind.is_infrastructure());
    let mut rows: Vec<Vec<usize>> = Vec::new();
    if !infra.is_empty() {
        rows.push(infra);
    }
    if !hosts.is_empty() {
        let nrows = hosts.len().div_ceil(4);
        let cols = hosts.len().div_ceil(nrows);
        rows.extend(hosts.chunks(cols).map(<[usize]>::to_vec));
    }
    let cell_w = members.iter().map(|&d| boxes[d].rect.w).fold(0.0, f32::max);
    let row_w = |row: &[usize]| {
        row.len() as f32 * cell_w + (row.len().saturating_sub(1)) as f32 * ZONE_COL_GAP
    };
    let mut inner_w = rows.iter().map(|r| row_w(r)).fold(0.0, f32::max);
    // The header sits at the top left; the first row goes beside it when that widens the
    // zone little (links then come straight down into it), else below it.
    let beside_x = header_w + ZONE_HEADER_GAP;
    let first_w = rows.first().map_or(0.0, |r| row_w(r));
    let beside = rows.len() <= 1 || beside_x + first_w - inner_w <= 120.0;
    inner_w = if beside {
        inner_w.max(beside_x + first_w)
    } else {
        inner_w.max(header_w)
    };
    let w = (inner_w + 2.0 * ZONE_PAD).ceil();
    let own_top = if beside {
        ZONE_TOP
    } else {
        (10.0 + header_h + ZONE_HEADER_GAP).round()
    };
    let own_heights: Vec<f32> = rows
        .iter()
        .map(|row| row.iter().map(|&d| boxes[d].rect.h).fold(0.0, f32::max))
        .collect();
    let rhythm = ZoneRows::common(
        [ZoneRows {
            top: own_top,
            heights: own_heights,
        }]
        .iter()
        .chain(shared),
    );
    let mut y = rhythm.top;
    let mut placed = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let centered = ZONE_PAD + (inner_w - row_w(row)) / 2.0;
        let mut x = if r == 0 && beside {
            centered.max(ZONE_PAD + beside_x).round()
        } else {
            centered.round()
        };
        let row_h = rhythm.heights[r];
        for &d in row {
            let bw = boxes[d].rect.w;
            placed.push((d, Point::new(x + ((cell_w - bw) / 2.0).round(), y)));
            x += cell_w + ZONE_COL_GAP;
        }
        y += row_h + ZONE_ROW_GAP;
    }
    let h = (y - ZONE_ROW_GAP + ZONE_PAD).max(header_h + 20.0).ceil();
    Unit {
        network: Some(n),
        rows: Some(rhythm),
        members: placed,
        header: Some((
            Rect::new(ZONE_PAD, 8.0, header_w.ceil(), header_h.ceil()),
            lines,
        )),
        w,
        h,
        x: 0.0,
        y: 0.0,
    }
}

/// The network's name (with its VLAN) over its CIDR and its gateway, one per line to keep
/// the header narrow (the first row of devices goes beside it).
fn zone_header(n: &Network, words: &Words) -> (f32, f32, Vec<TextLine>) {
    let mut texts = vec![(
        match n.vlan {
            Some(v) => format!("{} {v} · {}", words.vlan, n.label),
            None => n.label.clone(),
        },
        NAME_SIZE,
        "topo-zone-name",
    )];
    texts.push((n.cidr.to_string(), DETAIL_SIZE, "topo-zone-cidr"));
    if let Some(g) = n.gateway {
        texts.push((
            format!("{} {g}", words.gateway),
            DETAIL_SIZE,
            "topo-zone-cidr",
        ));
    }
    let w = texts
        .iter()
        .map(|(s, size, _)| text_width(s, *size))
        .fold(0.0, f32::max);
    let mut y = 8.0;
    let mut lines = Vec::new();
    for (text, size, class) in texts {
        let line_h = (size * 1.3).round();
        lines.push(TextLine {
            text,
            size,
            class,
            x: ZONE_PAD,
            y: y + (size * 0.95).round(),
            anchor_start: true,
        });
        y += line_h;
    }
    (w, y - 8.0, lines)
}

/// The vertical rhythm of a zone: the top of its first row and the height of each row.
#[derive(Debug, Clone, PartialEq)]
struct ZoneRows {
    top: f32,
    heights: Vec<f32>,
}

impl ZoneRows {
    /// The rhythm that fits every zone given: latest top, tallest row at each index.
    fn common<'a>(all: impl Iterator<Item = &'a ZoneRows>) -> ZoneRows {
        let mut out = ZoneRows {
            top: 0.0,
            heights: Vec::new(),
        };
        for z in all {
            out.top = out.top.max(z.top);
            for (i, h) in z.heights.iter().enumerate() {
                match out.heights.get_mut(i) {
                    Some(o) => *o = o.max(*h),
                    None => out.heights.push(*h),
                }
            }
        }
        out
    }
}

/// Zones that share a row of the drawing get the same row tops and heights, so their
/// switches and hosts line up across the page.
fn line_up_zones(
    t: &Topology,
    units: &mut [Unit],
    rows: &[Vec<usize>],
    home: &[Option<usize>],
    boxes: &[DeviceBox],
    words: &Words,
) {
    for row in rows {
        let zones: Vec<usize> = row
            .iter()
            .copied()
            .filter(|&u| units[u].rows.is_some())
            .collect();
        if zones.len() < 2 {
            continue;
        }
        let shared = ZoneRows::common(zones.iter().filter_map(|&u| units[u].rows.as_ref()));
        for u in zones {
            let Some(n) = units[u].network else { continue };
            let members: Vec<usize> = (0..t.devices.len())
                .filter(|&d| home[d] == Some(n))
                .collect();
            units[u] = zone_unit(t, n, &members, boxes, words, Some(&shared));
        }
    }
}

/// A link seen between units: the centres of its two devices, relative to their units.
struct UnitEdge {
    a: usize,
    b: usize,
    a_center: f32,
    b_center: f32,
}

/// Unit adjacency from the links (duplicates kept: they weigh more).
fn unit_edges(t: &Topology, units: &[Unit], boxes: &[DeviceBox]) -> Vec<UnitEdge> {
    let unit_of = unit_index(t, units);
    let center = |u: usize, id: &str| {
        units[u]
            .members
            .iter()
            .find(|(d, _)| t.devices[*d].id == id)
            .map_or(0.0, |(d, p)| p.x + boxes[*d].rect.w / 2.0)
    };
    t.links
        .iter()
        .filter_map(|l| {
            let a = unit_of[&l.from];
            let b = unit_of[&l.to];
            (a != b).then(|| UnitEdge {
                a,
                b,
                a_center: center(a, &l.from),
                b_center: center(b, &l.to),
            })
        })
        .collect()
}

fn unit_index(t: &Topology, units: &[Unit]) -> BTreeMap<String, usize> {
    let mut map = BTreeMap::new();
    for (u, unit) in units.iter().enumerate() {
        for (d, _) in &unit.members {
            map.insert(t.devices[*d].id.clone(), u);
        }
    }
    map
}

/// Rank 0: devices outside every network (internet, hosted services); then breadth-first
/// link distance. Without such devices the internet or cloud starts, else the best-linked
/// unit. Units no link reaches go on one last row.
fn rank_units(t: &Topology, units: &[Unit], edges: &[(usize, usize)]) -> Vec<usize> {
    let is_external = |u: &Unit| {
        u.network.is_none()
            && u.members
                .iter()
                .all(|(d, _)| t.devices[*d].interfaces.is_empty())
    };
    let mut seeds: Vec<usize> = (0..units.len())
        .filter(|&u| is_external(&units[u]))
        .collect();
    if seeds.is_empty() {
        seeds = (0..units.len())
            .filter(|&u| {
                units[u]
                    .members
                    .iter()
                    .any(|(d, _)| matches!(t.devices[*d].kind, Kind::Internet | Kind::Cloud))
            })
            .collect();
    }
    if seeds.is_empty() && !units.is_empty() {
        let degree = |u: usize| edges.iter().filter(|(a, b)| *a == u || *b == u).count();
        let best = (0..units.len())
            .max_by_key(|&u| (degree(u), std::cmp::Reverse(u)))
            .unwrap_or(0);
        seeds.push(best);
    }
    let mut rank = vec![usize::MAX; units.len()];
    let mut queue = VecDeque::new();
    for s in seeds {
        rank[s] = 0;
        queue.push_back(s);
    }
    while let Some(u) = queue.pop_front() {
        for &(a, b) in edges {
            let v = if a == u {
                b
            } else if b == u {
                a
            } else {
                continue;
            };
            if rank[v] == usize::MAX {
                rank[v] = rank[u] + 1;
                queue.push_back(v);
            }
        }
    }
    let last = rank
        .iter()
        .filter(|&&r| r != usize::MAX)
        .max()
        .map_or(0, |m| m + 1);
    rank.iter()
        .map(|&r| if r == usize::MAX { last } else { r })
        .collect()
}

/// Units grouped by rank, in order, a rank wider than the page split over several rows.
fn make_rows(units: &[Unit], ranks: &[usize]) -> Vec<Vec<usize>> {
    let max_rank = ranks.iter().copied().max().unwrap_or(0);
    let mut rows = Vec::new();
    for r in 0..=max_rank {
        let mut row = Vec::new();
        let mut width = 0.0;
        for u in (0..units.len()).filter(|&u| ranks[u] == r) {
            if !row.is_empty() && width + units[u].w > MAX_ROW_WIDTH {
                rows.push(std::mem::take(&mut row));
                width = 0.0;
            }
            width += units[u].w + UNIT_GAP;
            row.push(u);
        }
        if !row.is_empty() {
            rows.push(row);
        }
    }
    rows
}

/// Rows stacked top to bottom; within a row, units ordered and moved towards the mean
/// position of their neighbours, the widest row staying put.
fn place_rows(units: &mut [Unit], rows: &[Vec<usize>], edges: &[UnitEdge]) {
    let mut y = 0.0;
    for row in rows {
        let h = row.iter().map(|&u| units[u].h).fold(0.0, f32::max);
        for &u in row {
            units[u].y = y;
        }
        y += h + ROW_GAP;
    }
    let mut rows: Vec<Vec<usize>> = rows.to_vec();
    for row in &rows {
        pack(units, row);
    }
    let widest = (0..rows.len())
        .max_by(|&a, &b| {
            row_width(units, &rows[a])
                .total_cmp(&row_width(units, &rows[b]))
                .then(b.cmp(&a))
        })
        .unwrap_or(0);
    for _ in 0..3 {
        let order: Vec<usize> = (0..rows.len()).chain((0..rows.len()).rev()).collect();
        for r in order {
            if r == widest {
                continue;
            }
            let desired: Vec<Option<f32>> = rows[r]
                .iter()
                .map(|&u| desired_center(units, edges, u))
                .collect();
            let mut keyed: Vec<(f32, usize)> = rows[r]
                .iter()
                .zip(&desired)
                .map(|(&u, d)| (d.unwrap_or(units[u].x + units[u].w / 2.0), u))
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            rows[r] = keyed.iter().map(|(_, u)| *u).collect();
            spread(units, &keyed);
        }
    }
    let min_x = units.iter().map(|u| u.x).fold(f32::INFINITY, f32::min);
    for u in units.iter_mut() {
        u.x = (u.x - min_x).round();
    }
}

fn row_width(units: &[Unit], row: &[usize]) -> f32 {
    row.iter().map(|&u| units[u].w).sum::<f32>() + row.len().saturating_sub(1) as f32 * UNIT_GAP
}

/// Places a row side by side, centred on x = 0.
fn pack(units: &mut [Unit], row: &[usize]) {
    let mut x = -row_width(units, row) / 2.0;
    for &u in row {
        units[u].x = x;
        x += units[u].w + UNIT_GAP;
    }
}

/// Where the centre of `u` should be for its linked devices to sit straight under (or over)
/// the devices they link to in other rows: the mean over its links.
fn desired_center(units: &[Unit], edges: &[UnitEdge], u: usize) -> Option<f32> {
    let wanted: Vec<f32> = edges
        .iter()
        .filter_map(|e| {
            let (own, other, other_center) = if e.a == u {
                (e.a_center, e.b, e.b_center)
            } else if e.b == u {
                (e.b_center, e.a, e.a_center)
            } else {
                return None;
            };
            let different_row = (units[other].y - units[u].y).abs() > 0.5;
            different_row.then(|| units[other].x + other_center - own + units[u].w / 2.0)
        })
        .collect();
    (!wanted.is_empty()).then(|| wanted.iter().sum::<f32>() / wanted.len() as f32)
}

/// Puts each unit of a row at its desired centre, pushes overlapping ones apart (keeping the
/// order), then shifts the row so that on average units sit where they want to be.
fn spread(units: &mut [Unit], keyed: &[(f32, usize)]) {
    let mut right = f32::NEG_INFINITY;
    for &(c, u) in keyed {
        let x = (c - units[u].w / 2.0).max(right + UNIT_GAP);
        units[u].x = x;
        right = x + units[u].w;
    }
    let drift: f32 = keyed
        .iter()
        .map(|&(c, u)| c - (units[u].x + units[u].w / 2.0))
        .sum::<f32>()
        / keyed.len().max(1) as f32;
    for &(_, u) in keyed {
        units[u].x += drift;
    }
}

/// The link ends on each side of each device: (device, side) → (link, other device,
/// whether this end is the link's `from`).
type SidePorts = BTreeMap<(usize, u8), Vec<(usize, usize, bool)>>;

/// Which side of a box a link leaves from, and where on that side.
struct Port {
    point: Point,
    dir: Dir,
}

/// Routes every link, ports spread along each side in the order of the other ends.
fn route_links(t: &Topology, devices: &mut [DeviceBox], zones: &[ZoneBox]) -> Vec<LinkPath> {
    let index: BTreeMap<&str, usize> = t
        .devices
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    // For each link end: (device, side, other device).
    let mut sides: SidePorts = BTreeMap::new();
    for (k, l) in t.links.iter().enumerate() {
        let (a, b) = (index[l.from.as_str()], index[l.to.as_str()]);
        let (sa, sb) = facing_sides(&devices[a].rect, &devices[b].rect);
        sides.entry((a, sa as u8)).or_default().push((k, b, true));
        sides.entry((b, sb as u8)).or_default().push((k, a, false));
    }
    let mut ports: BTreeMap<(usize, bool), Port> = BTreeMap::new();
    for ((d, side), ends) in &mut sides {
        let dir = [Dir::Up, Dir::Down, Dir::Left, Dir::Right][*side as usize];
        let r = devices[*d].rect;
        let icon = devices[*d].icon;
        ends.sort_by(|x, y| {
            let (cx, cy) = (devices[x.1].rect.cx(), devices[y.1].rect.cx());
            let (vx, vy) = (devices[x.1].rect.cy(), devices[y.1].rect.cy());
            if dir.is_horizontal() {
                vx.total_cmp(&vy)
            } else {
                cx.total_cmp(&cy)
            }
            .then(x.0.cmp(&y.0))
        });
        // Ports 12 px apart, closer when the side is short, always well inside the side.
        let n = ends.len() as f32;
        let side_len = if dir.is_horizontal() { r.h } else { r.w };
        let step = if n > 1.0 {
            (12.0f32).min((side_len - 8.0) / (n - 1.0))
        } else {
            0.0
        };
        let span = step * (n - 1.0);
        let center = if dir.is_horizontal() {
            icon.cy()
                .clamp(r.y + 4.0 + span / 2.0, r.bottom() - 4.0 - span / 2.0)
        } else {
            r.cx()
        };
        for (i, (k, _, is_from)) in ends.iter().enumerate() {
            let at = (center - span / 2.0 + i as f32 * step).round();
            let point = match dir {
                Dir::Up => Point::new(at, r.y),
                Dir::Down => Point::new(at, r.bottom()),
                Dir::Left => Point::new(r.x, at),
                Dir::Right => Point::new(r.right(), at),
            };
            ports.insert((*k, *is_from), Port { point, dir });
        }
    }
    align_facing_ports(t, &index, &sides, devices, &mut ports);
    for ((k, is_from), p) in &ports {
        let l = &t.links[*k];
        let d = index[if *is_from {
            l.from.as_str()
        } else {
            l.to.as_str()
        }];
        let icon = devices[d].icon;
        let end = match p.dir {
            Dir::Left => Point::new(icon.x + 8.0, p.point.y),
            Dir::Right => Point::new(icon.right() - 8.0, p.point.y),
            _ => continue,
        };
        if (end.x - p.point.x).abs() > 1.0 {
            devices[d].leads.push((p.point, end));
        }
    }
    let obstacles: Vec<Rect> = devices
        .iter()
        .map(|d| d.rect.inflate(CLEARANCE))
        .chain(zones.iter().map(|z| z.header.inflate(4.0)))
        .collect();
    let borders: Vec<Rect> = zones.iter().map(|z| z.rect).collect();
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    for p in ports.values() {
        let stub = stub_of(p);
        xs.push(stub.x);
        ys.push(stub.y);
    }
    for z in &borders {
        xs.extend([z.x, z.right()]);
        ys.extend([z.y, z.bottom()]);
    }
    let all = devices
        .iter()
        .map(|d| d.rect)
        .chain(borders.iter().copied())
        .reduce(|a, b| a.union(&b))
        .unwrap_or_default();
    xs.extend([all.x - 30.0, all.right() + 30.0]);
    ys.extend([all.y - 30.0, all.bottom() + 30.0]);
    let mut grid = Grid::new(xs, ys, &obstacles, &borders);
    let mut out = Vec::new();
    for (k, _) in t.links.iter().enumerate() {
        let (from, to) = (&ports[&(k, true)], &ports[&(k, false)]);
        let (s, e) = (stub_of(from), stub_of(to));
        let middle = grid
            .route(s, from.dir, e, reverse(to.dir))
            .unwrap_or_else(|| vec![s, Point::new(s.x, e.y), e]);
        grid.occupy(&middle);
        let mut points = vec![from.point];
        points.extend(middle);
        points.push(to.point);
        out.push(LinkPath {
            index: k,
            points: simplify(&points),
            label: None,
        });
    }
    place_labels(t, &mut out, devices, zones);
    out
}

/// When a link joins two facing sides, puts its two ports on one line across the two icons
/// when it can (both ends move when each side carries only this link; only the lone end
/// moves when the other side is shared), so the link is straight instead of jogging.
fn align_facing_ports(
    t: &Topology,
    index: &BTreeMap<&str, usize>,
    sides: &SidePorts,
    devices: &[DeviceBox],
    ports: &mut BTreeMap<(usize, bool), Port>,
) {
    let alone = |d: usize, dir: Dir| {
        sides
            .get(&(d, side_index(dir)))
            .is_some_and(|v| v.len() == 1)
    };
    for (k, l) in t.links.iter().enumerate() {
        let (a, b) = (index[l.from.as_str()], index[l.to.as_str()]);
        let (da, db) = (ports[&(k, true)].dir, ports[&(k, false)].dir);
        let (ia, ib) = (devices[a].icon, devices[b].icon);
        // One side shared with other links: its port stays, the lone end moves to face it
        // when it can still reach its own icon.
        let fixed = match (alone(a, da), alone(b, db)) {
            (true, true) => None,
            (false, true) => Some((true, ib)),
            (true, false) => Some((false, ia)),
            (false, false) => continue,
        };
        if let Some((fixed_end, lone_icon)) = fixed {
            let at = ports[&(k, fixed_end)].point;
            let (coord, lo, hi) = if da.is_horizontal() {
                (at.y, lone_icon.y + 6.0, lone_icon.bottom() - 6.0)
            } else {
                (at.x, lone_icon.x + 6.0, lone_icon.right() - 6.0)
            };
            if (lo..=hi).contains(&coord)
                && let Some(p) = ports.get_mut(&(k, !fixed_end))
            {
                if da.is_horizontal() {
                    p.point.y = coord;
                } else {
                    p.point.x = coord;
                }
            }
            continue;
        }
        let (lo, hi) = if da.is_horizontal() {
            (ia.y.max(ib.y) + 6.0, ia.bottom().min(ib.bottom()) - 6.0)
        } else {
            (ia.x.max(ib.x) + 6.0, ia.right().min(ib.right()) - 6.0)
        };
        if lo > hi {
            continue;
        }
        let at = ((lo + hi) / 2.0).round();
        for end in [true, false] {
            if let Some(p) = ports.get_mut(&(k, end)) {
                if da.is_horizontal() {
                    p.point.y = at;
                } else {
                    p.point.x = at;
                }
            }
        }
    }
}

fn side_index(d: Dir) -> u8 {
    match d {
        Dir::Up => 0,
        Dir::Down => 1,
        Dir::Left => 2,
        Dir::Right => 3,
    }
}

fn stub_of(p: &Port) -> Point {
    let d = CLEARANCE;
    match p.dir {
        Dir::Up => Point::new(p.point.x, p.point.y - d),
        Dir::Down => Point::new(p.point.x, p.point.y + d),
        Dir::Left => Point::new(p.point.x - d, p.point.y),
        Dir::Right => Point::new(p.point.x + d, p.point.y),
    }
}

fn reverse(d: Dir) -> Dir {
    match d {
        Dir::Up => Dir::Down,
        Dir::Down => Dir::Up,
        Dir::Left => Dir::Right,
        Dir::Right => Dir::Left,
    }
}

/// The sides by which `a` and `b` face each other: 0 up, 1 down, 2 left, 3 right.
fn facing_sides(a: &Rect, b: &Rect) -> (usize, usize) {
    if b.y >= a.bottom() {
        (1, 0)
    } else if b.bottom() <= a.y {
        (0, 1)
    } else if b.cx() >= a.cx() {
        (3, 2)
    } else {
        (2, 3)
    }
}

/// Puts each link label beside the longest free stretch of its link: never on a device, a
/// zone header or another label, and if possible not across another link.
fn place_labels(t: &Topology, links: &mut [LinkPath], devices: &[DeviceBox], zones: &[ZoneBox]) {
    let mut taken: Vec<Rect> = devices
        .iter()
        .map(|d| d.rect.inflate(2.0))
        .chain(zones.iter().map(|z| z.header))
        .collect();
    let segments: Vec<(usize, Point, Point)> = links
        .iter()
        .flat_map(|l| l.points.windows(2).map(move |w| (l.index, w[0], w[1])))
        .collect();
    for link in links.iter_mut() {
        let Some(text) = t.links[link.index].label.clone() else {
            continue;
        };
        let w = (text_width(&text, LABEL_SIZE) + 8.0).ceil();
        let h = 16.0;
        let mut candidates = Vec::new();
        let mut segs: Vec<(Point, Point)> = link.points.windows(2).map(|s| (s[0], s[1])).collect();
        segs.sort_by(|a, b| seg_len(b).total_cmp(&seg_len(a)));
        for (a, b) in segs {
            for f in [0.5, 0.35, 0.65, 0.2, 0.8] {
                let m = Point::new(
                    (a.x + (b.x - a.x) * f).round(),
                    (a.y + (b.y - a.y) * f).round(),
                );
                if (a.x - b.x).abs() < 0.01 {
                    candidates.push(Rect::new(m.x + 5.0, m.y - h / 2.0, w, h));
                    candidates.push(Rect::new(m.x - 5.0 - w, m.y - h / 2.0, w, h));
                } else {
                    candidates.push(Rect::new(m.x - w / 2.0, m.y - 4.0 - h, w, h));
                    candidates.push(Rect::new(m.x - w / 2.0, m.y + 4.0, w, h));
                }
            }
        }
        let free = |r: &Rect| !taken.iter().any(|o| o.overlaps(r));
        let clear = |r: &Rect| {
            !segments
                .iter()
                .any(|(k, a, b)| *k != link.index && r.inflate(2.0).crossed_by(*a, *b))
        };
        let chosen = candidates
            .iter()
            .find(|r| free(r) && clear(r))
            .or_else(|| candidates.iter().find(|r| free(r)))
            .copied();
        if let Some(r) = chosen {
            taken.push(r.inflate(2.0));
            link.label = Some((text, r));
        }
    }
}

fn seg_len(s: &(Point, Point)) -> f32 {
    (s.0.x - s.1.x).abs() + (s.0.y - s.1.y).abs()
}

/// Moves everything so the drawing starts at the margin under the title, and sizes the
/// viewBox to hold it all.
fn finish(mut l: Layout) -> Layout {
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
    let title_w = text_width(&l.title.text, TITLE_SIZE);
    l.width = (all.w + 2.0 * MARGIN).max(title_w + 2.0 * MARGIN).ceil();
    l.height = (all.h + 2.0 * MARGIN + title_h).ceil();
    l
}

#[cfg(test)]
mod tests {
    use super::*;
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
            &super::super::lang::words(crate::diagram::Lang::Fr),
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
