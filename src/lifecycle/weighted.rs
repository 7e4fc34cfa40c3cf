//! The weighted diagram: a decoration pass over the workflow's already laid-out
//! [`Diagram`]. The layout is not touched; each flow gets a band whose width grows with the
//! share of tickets that took it and a count caption (`12 · 80 %`) placed the way the
//! Oui/Non labels are, beside the line and clear of every step box, label and caption
//! (invariant 3 of docs/diagrams.md); steps no ticket reached are faded.

use std::collections::BTreeSet;

use crate::diagram::font::text_width;
use crate::diagram::geometry::{Point, Rect};
use crate::diagram::weights::{FlowWeight, Weights};
use crate::diagram::{Diagram, Flow};
use crate::workflow::Kind;

use super::Lifecycle;
use super::findings::percent;

/// Width of the band of a flow every ticket took.
pub const MAX_BAND: f32 = 9.0;
/// Width of the band of a flow one ticket took (any taken flow stays visible).
pub const MIN_BAND: f32 = 2.5;
/// Font size of the count captions.
const CAPTION_SIZE: f32 = 11.0;
/// Height of a count caption's box.
const CAPTION_H: f32 = 15.0;
/// Room kept between a caption and a box it avoids.
const CLEARANCE: f32 = 2.0;

/// The weights of `lc` drawn on `diagram`.
pub fn weights(diagram: &Diagram, lc: &Lifecycle) -> Weights {
    let n = lc.tickets;
    let counts: Vec<usize> = diagram
        .flows
        .iter()
        .map(|f| lc.flow_count(&f.from, &f.to))
        .collect();
    let mut obstacles: Vec<Rect> = diagram
        .nodes
        .iter()
        .map(|node| node.rect.inflate(CLEARANCE))
        .collect();
    obstacles.extend(
        diagram
            .flows
            .iter()
            .filter_map(|f| f.label.as_ref().map(|l| l.rect.inflate(CLEARANCE))),
    );
    obstacles.extend(diagram.legend_rect.iter().map(|r| r.inflate(CLEARANCE)));
    // Lane titles stay readable: their header is an obstacle too.
    obstacles.extend(
        diagram
            .lanes
            .iter()
            .map(|l| Rect::new(l.rect.x, l.rect.y, l.rect.w, l.header)),
    );
    let mut flows: Vec<FlowWeight> = counts
        .iter()
        .map(|&count| FlowWeight {
            count,
            width: band_width(count, n),
            caption: None,
        })
        .collect();
    // The busiest flows choose their place first.
    let mut order: Vec<usize> = (0..diagram.flows.len())
        .filter(|&i| counts[i] > 0)
        .collect();
    order.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
    let bounds = Rect::new(0.0, 0.0, diagram.width, diagram.height);
    for i in order {
        let text = caption(counts[i], n);
        let w = (text_width(&text, CAPTION_SIZE) + 8.0).ceil();
        let rect = place(diagram, i, w, flows[i].width, &obstacles, &bounds);
        if let Some(r) = rect {
            obstacles.push(r.inflate(CLEARANCE));
            flows[i].caption = Some((text, r));
        }
    }
    let faded: BTreeSet<String> = diagram
        .nodes
        .iter()
        .filter(|node| node.kind != Kind::Comment.key())
        .filter(|node| lc.step(&node.id).is_some_and(|s| s.reached == 0))
        .map(|node| node.id.clone())
        .collect();
    Weights { flows, faded }
}

/// The band width of a flow taken by `count` of `n` tickets: 0 when none took it.
pub fn band_width(count: usize, n: usize) -> f32 {
    if count == 0 || n == 0 {
        return 0.0;
    }
    let share = count as f32 / n as f32;
    ((MIN_BAND + (MAX_BAND - MIN_BAND) * share) * 10.0).round() / 10.0
}

/// `12 · 80 %`: the count and its share of the tickets (the same in both languages).
pub fn caption(count: usize, n: usize) -> String {
    format!("{count} · {}", percent(count, n))
}

/// The caption box of flow `i`: beside one of its segments, longest segments first, at the
/// middle then further along; a place crossing no other flow is preferred, then any place
/// clear of boxes, labels and captions. A flow too short for any (a handoff between two
/// boxes side by side) gets its caption further from the line, 12 px at a time, over or
/// under the boxes. None when the drawing has no room left.
fn place(
    diagram: &Diagram,
    i: usize,
    w: f32,
    band: f32,
    obstacles: &[Rect],
    bounds: &Rect,
) -> Option<Rect> {
    let flow = &diagram.flows[i];
    let gap = band.max(1.5) / 2.0 + 3.0;
    let mut segments: Vec<(Point, Point, f32)> = flow
        .points
        .windows(2)
        .map(|s| {
            (
                s[0],
                s[1],
                (s[1].x - s[0].x).abs() + (s[1].y - s[0].y).abs(),
            )
        })
        .filter(|s| s.2 > 1.0)
        .collect();
    segments.sort_by(|a, b| b.2.total_cmp(&a.2));
    (0..=FARTHEST_STEPS).find_map(|k| {
        let away = gap + k as f32 * AWAY_STEP;
        beside(&segments, w, away, obstacles, bounds, &diagram.flows)
    })
}

/// How many times a caption may go [`AWAY_STEP`] further from its flow.
const FARTHEST_STEPS: usize = 8;
/// How much further from its flow a caption goes when it finds no room.
const AWAY_STEP: f32 = 12.0;

/// The first caption box `away` from one of `segments` (longest first, at the middle then
/// further along) that is clear of `obstacles` and crosses no flow, else the first clear one.
fn beside(
    segments: &[(Point, Point, f32)],
    w: f32,
    away: f32,
    obstacles: &[Rect],
    bounds: &Rect,
    flows: &[Flow],
) -> Option<Rect> {
    let mut fallback = None;
    for &(a, b, _) in segments {
        for t in [0.5, 0.35, 0.65, 0.2, 0.8] {
            let at = Point::new(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
            let vertical = (a.x - b.x).abs() < 0.5;
            let candidates = if vertical {
                [
                    Rect::new(at.x + away, at.y - CAPTION_H / 2.0, w, CAPTION_H),
                    Rect::new(at.x - away - w, at.y - CAPTION_H / 2.0, w, CAPTION_H),
                ]
            } else {
                [
                    Rect::new(at.x - w / 2.0, at.y - away - CAPTION_H, w, CAPTION_H),
                    Rect::new(at.x - w / 2.0, at.y + away, w, CAPTION_H),
                ]
            };
            for r in candidates {
                if !inside(&r, bounds) || obstacles.iter().any(|o| o.overlaps(&r)) {
                    continue;
                }
                if !crosses_flows(&r, flows) {
                    return Some(r);
                }
                fallback.get_or_insert(r);
            }
        }
    }
    fallback
}

fn crosses_flows(r: &Rect, flows: &[Flow]) -> bool {
    flows
        .iter()
        .any(|f| f.points.windows(2).any(|s| r.crossed_by(s[0], s[1])))
}

fn inside(r: &Rect, bounds: &Rect) -> bool {
    r.x >= bounds.x
        && r.y >= bounds.y
        && r.right() <= bounds.right()
        && r.bottom() <= bounds.bottom()
}
