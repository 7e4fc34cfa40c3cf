//! Units, the blocks the rows are made of: a zone (a network with its own devices laid out
//! inside) or a free device.

use super::super::geom::{Point, Rect};
use super::super::lang::Words;
use super::super::model::{Network, Topology};
use super::{
    DETAIL_SIZE, DeviceBox, NAME_SIZE, Room, TextLine, ZONE_COL_GAP, ZONE_HEADER_GAP, ZONE_PAD,
    ZONE_ROW_GAP, ZONE_TOP,
};
use crate::diagram::font::text_width;

/// For each device, the network whose zone holds it: the only network it is attached to.
pub(super) fn home_networks(t: &Topology) -> Vec<Option<usize>> {
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
pub(super) struct Unit {
    pub(super) network: Option<usize>,
    /// For a zone: where its rows start and their heights, to line up zones side by side.
    pub(super) rows: Option<ZoneRows>,
    /// Devices with their positions relative to the unit's top left.
    pub(super) members: Vec<(usize, Point)>,
    pub(super) header: Option<(Rect, Vec<TextLine>)>,
    pub(super) w: f32,
    pub(super) h: f32,
    pub(super) x: f32,
    pub(super) y: f32,
}

pub(super) fn build_units(
    t: &Topology,
    home: &[Option<usize>],
    boxes: &[DeviceBox],
    room: &Room,
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
                units.push(zone_unit(t, n, &members, boxes, room, None));
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
    room: &Room,
    shared: Option<&ZoneRows>,
) -> Unit {
    let network = &t.networks[n];
    let header_room = room.sizes.and_then(|s| s.header(n));
    let (header_w, header_h, lines) = zone_header(network, room.words, header_room);
    let (infra, hosts): (Vec<usize>, Vec<usize>) = members
        .iter()
        .partition(|&&d| t.devices[d].kind.is_infrastructure());
    let mut rows: Vec<Vec<usize>> = Vec::new();
    if !infra.is_empty() {
        rows.push(hub_in_the_middle(t, infra));
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

/// The row's device with the most links to the others of the row goes in the middle, the
/// others alternately to its right and left in file order, so its links stay short and
/// none has to jump over a neighbour.
fn hub_in_the_middle(t: &Topology, row: Vec<usize>) -> Vec<usize> {
    let id = |d: usize| t.devices[d].id.as_str();
    let degree = |d: usize| {
        t.links
            .iter()
            .filter(|l| {
                (l.from == id(d) && row.iter().any(|&o| l.to == id(o)))
                    || (l.to == id(d) && row.iter().any(|&o| l.from == id(o)))
            })
            .count()
    };
    let Some(hub) = row
        .iter()
        .copied()
        .max_by_key(|&d| (degree(d), std::cmp::Reverse(d)))
        .filter(|&d| degree(d) >= 2)
    else {
        return row;
    };
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for (i, d) in row.into_iter().filter(|&d| d != hub).enumerate() {
        if i % 2 == 0 {
            right.push(d);
        } else {
            left.insert(0, d);
        }
    }
    left.into_iter().chain([hub]).chain(right).collect()
}

/// The network's name (with its VLAN) over its CIDR and its gateway, one per line to keep
/// the header narrow (the first row of devices goes beside it). Returns the header's width
/// and height, `room` (see `SharedSizes`) when given, and its lines.
pub(super) fn zone_header(
    n: &Network,
    words: &Words,
    room: Option<(f32, f32)>,
) -> (f32, f32, Vec<TextLine>) {
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
    let (w, h) = room.unwrap_or((w, y - 8.0));
    (w, h, lines)
}

/// The vertical rhythm of a zone: the top of its first row and the height of each row.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ZoneRows {
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
pub(super) fn line_up_zones(
    t: &Topology,
    units: &mut [Unit],
    rows: &[Vec<usize>],
    home: &[Option<usize>],
    boxes: &[DeviceBox],
    room: &Room,
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
            units[u] = zone_unit(t, n, &members, boxes, room, Some(&shared));
        }
    }
}
