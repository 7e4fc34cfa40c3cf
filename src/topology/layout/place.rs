//! Ranking units into rows and placing the rows: top to bottom by link distance from the
//! internet side, each unit moved towards the devices it links to.

use std::collections::{BTreeMap, VecDeque};

use super::super::model::{Kind, Topology};
use super::units::Unit;
use super::{DeviceBox, MAX_ROW_WIDTH, ORDER_BUCKET, ROW_GAP, UNIT_GAP};

/// A link seen between units: the centres of its two devices, relative to their units.
pub(super) struct UnitEdge {
    pub(super) a: usize,
    pub(super) b: usize,
    a_center: f32,
    b_center: f32,
    /// The linked devices, by index.
    a_device: usize,
    b_device: usize,
}

/// Unit adjacency from the links (duplicates kept: they weigh more).
pub(super) fn unit_edges(t: &Topology, units: &[Unit], boxes: &[DeviceBox]) -> Vec<UnitEdge> {
    let unit_of = unit_index(t, units);
    let device = |id: &str| t.devices.iter().position(|d| d.id == id).unwrap_or(0);
    let center = |u: usize, d: usize| {
        units[u]
            .members
            .iter()
            .find(|(m, _)| *m == d)
            .map_or(0.0, |(m, p)| p.x + boxes[*m].rect.w / 2.0)
    };
    t.links
        .iter()
        .filter_map(|l| {
            let a = unit_of[&l.from];
            let b = unit_of[&l.to];
            let (a_device, b_device) = (device(&l.from), device(&l.to));
            (a != b).then(|| UnitEdge {
                a,
                b,
                a_center: center(a, a_device),
                b_center: center(b, b_device),
                a_device,
                b_device,
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
pub(super) fn rank_units(t: &Topology, units: &[Unit], edges: &[(usize, usize)]) -> Vec<usize> {
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
    let mut rank: Vec<usize> = rank
        .iter()
        .map(|&r| if r == usize::MAX { last } else { r })
        .collect();
    join_neighbours_row(units, edges, &mut rank);
    rank
}

/// A free device hanging below two or more zones of one row (a server with a second
/// interface on an administration VLAN) joins their row, between them, instead of standing
/// alone under the drawing with long links through the zones.
fn join_neighbours_row(units: &[Unit], edges: &[(usize, usize)], rank: &mut [usize]) {
    for u in 0..units.len() {
        if units[u].network.is_some() {
            continue;
        }
        let neighbours: Vec<usize> = edges
            .iter()
            .filter_map(|&(a, b)| {
                if a == u {
                    Some(b)
                } else if b == u {
                    Some(a)
                } else {
                    None
                }
            })
            .collect();
        let zones_only = neighbours.iter().all(|&v| units[v].network.is_some());
        let distinct: std::collections::BTreeSet<usize> = neighbours.iter().copied().collect();
        let above = rank[u].checked_sub(1);
        if zones_only && distinct.len() >= 2 && neighbours.iter().all(|&v| Some(rank[v]) == above) {
            rank[u] -= 1;
        }
    }
}

/// Units grouped by rank, in order, a rank wider than the page split over several rows.
pub(super) fn make_rows(
    units: &[Unit],
    ranks: &[usize],
    edges: &[(usize, usize)],
) -> Vec<Vec<usize>> {
    let max_rank = ranks.iter().copied().max().unwrap_or(0);
    let mut rows = Vec::new();
    for r in 0..=max_rank {
        let mut row = Vec::new();
        let mut width = 0.0;
        for u in in_rank_order(units, ranks, edges, r) {
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

/// The units of rank `r` in file order, except that a free device linked to zones of the
/// same rank comes right after the first of them (so between two of them), which also keeps
/// it beside them when the row wraps.
fn in_rank_order(
    units: &[Unit],
    ranks: &[usize],
    edges: &[(usize, usize)],
    r: usize,
) -> Vec<usize> {
    let first_zone = |u: usize| {
        edges
            .iter()
            .filter_map(|&(a, b)| {
                if a == u {
                    Some(b)
                } else if b == u {
                    Some(a)
                } else {
                    None
                }
            })
            .filter(|&v| ranks[v] == r && units[v].network.is_some())
            .min()
    };
    let members: Vec<usize> = (0..units.len()).filter(|&u| ranks[u] == r).collect();
    let (joined, mut order): (Vec<usize>, Vec<usize>) = members
        .iter()
        .partition(|&&u| units[u].network.is_none() && first_zone(u).is_some());
    for u in joined {
        let after = first_zone(u).and_then(|z| order.iter().position(|&v| v == z));
        let at = after.map_or(order.len(), |i| i + 1);
        order.insert(at, u);
    }
    order
}

/// Rows stacked top to bottom; within a row, units ordered and moved towards the mean
/// position of their neighbours, the widest row staying put.
pub(super) fn place_rows(units: &mut [Unit], rows: &[Vec<usize>], edges: &[UnitEdge]) {
    let mut y = 0.0;
    for row in rows {
        let offsets: Vec<f32> = row
            .iter()
            .map(|&u| level_with_zones(units, row, edges, u))
            .collect();
        let h = row
            .iter()
            .zip(&offsets)
            .map(|(&u, dy)| units[u].h + dy)
            .fold(0.0, f32::max);
        for (&u, dy) in row.iter().zip(&offsets) {
            units[u].y = y + dy;
        }
        y += h + ROW_GAP;
    }
    let satellites: Vec<Satellites> = rows
        .iter()
        .map(|row| satellites(units, row, edges))
        .collect();
    let mut rows: Vec<Vec<usize>> = rows
        .iter()
        .zip(&satellites)
        .map(|(row, sats)| around_hubs(row, sats))
        .collect();
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
            let sats = &satellites[r];
            let hubs: Vec<usize> = rows[r]
                .iter()
                .copied()
                .filter(|u| !sats.contains_key(u))
                .collect();
            let desired: Vec<Option<f32>> = hubs
                .iter()
                .map(|&u| desired_center(units, edges, u))
                .collect();
            let mut keyed: Vec<(f32, usize)> = hubs
                .iter()
                .zip(&desired)
                .map(|(&u, d)| (d.unwrap_or(units[u].x + units[u].w / 2.0), u))
                .collect();
            // Order by where the linked devices are; units linked to the same place
            // (siblings under one router) keep their current order, at first the file's.
            let position = |u: usize| rows[r].iter().position(|&v| v == u).unwrap_or(0);
            let key = |u: usize| {
                let at = neighbour_mean(units, edges, u).unwrap_or(units[u].x + units[u].w / 2.0);
                ((at / ORDER_BUCKET).round() as i64, position(u))
            };
            keyed.sort_by_key(|&(_, u)| key(u));
            let keyed = with_satellites(&keyed, sats);
            rows[r] = keyed.iter().map(|(_, u)| *u).collect();
            spread(units, &keyed);
        }
    }
    let min_x = units.iter().map(|u| u.x).fold(f32::INFINITY, f32::min);
    for u in units.iter_mut() {
        u.x = (u.x - min_x).round();
    }
}

/// Units linked only to one other unit of their own row (a hosted mailbox beside the
/// internet): satellite → (hub, side, distance between centres). Sides alternate, right
/// first, in row order; the distance adds up the satellites already on that side.
type Satellites = BTreeMap<usize, (usize, f32, f32)>;

fn satellites(units: &[Unit], row: &[usize], edges: &[UnitEdge]) -> Satellites {
    let mut out = Satellites::new();
    let mut reach: BTreeMap<usize, [f32; 2]> = BTreeMap::new();
    for &u in row {
        let mut neighbours: Vec<usize> = edges
            .iter()
            .filter_map(|e| {
                if e.a == u {
                    Some(e.b)
                } else if e.b == u {
                    Some(e.a)
                } else {
                    None
                }
            })
            .collect();
        neighbours.sort_unstable();
        neighbours.dedup();
        let [hub] = neighbours[..] else { continue };
        let mutual_first = out.contains_key(&hub) || (is_single_link(edges, hub, u) && hub > u);
        if !row.contains(&hub) || mutual_first {
            continue;
        }
        let sides = reach.entry(hub).or_insert([units[hub].w / 2.0; 2]);
        let right = sides[1] <= sides[0];
        let i = usize::from(right);
        let distance = sides[i] + UNIT_GAP + units[u].w / 2.0;
        sides[i] = distance + units[u].w / 2.0;
        out.insert(u, (hub, if right { 1.0 } else { -1.0 }, distance));
    }
    out
}

/// True when `u`'s only link goes to `other`.
fn is_single_link(edges: &[UnitEdge], u: usize, other: usize) -> bool {
    edges
        .iter()
        .filter_map(|e| {
            if e.a == u {
                Some(e.b)
            } else if e.b == u {
                Some(e.a)
            } else {
                None
            }
        })
        .all(|v| v == other)
}

/// The row with each hub's satellites around it, nearest first.
fn around_hubs(row: &[usize], sats: &Satellites) -> Vec<usize> {
    let keyed: Vec<(f32, usize)> = row
        .iter()
        .filter(|u| !sats.contains_key(u))
        .map(|&u| (0.0, u))
        .collect();
    with_satellites(&keyed, sats)
        .into_iter()
        .map(|(_, u)| u)
        .collect()
}

/// Inserts the satellites beside their hubs, each wanting its centre at the hub's wanted
/// centre plus its distance on its side.
fn with_satellites(hubs: &[(f32, usize)], sats: &Satellites) -> Vec<(f32, usize)> {
    let mut out = Vec::new();
    for &(c, h) in hubs {
        let mut mine: Vec<(usize, f32, f32)> = sats
            .iter()
            .filter(|(_, (hub, _, _))| *hub == h)
            .map(|(&u, &(_, side, d))| (u, side, d))
            .collect();
        mine.sort_by(|a, b| (a.1 * a.2).total_cmp(&(b.1 * b.2)));
        for &(u, side, d) in mine.iter().filter(|m| m.1 < 0.0) {
            out.push((c + side * d, u));
        }
        out.push((c, h));
        for &(u, side, d) in mine.iter().filter(|m| m.1 > 0.0) {
            out.push((c + side * d, u));
        }
    }
    out
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

/// How far below the row's top a free device goes so that it stands level with the devices
/// it links to inside the zones of its own row (0 for zones and unlinked devices).
fn level_with_zones(units: &[Unit], row: &[usize], edges: &[UnitEdge], u: usize) -> f32 {
    if units[u].network.is_some() {
        return 0.0;
    }
    let tops: Vec<f32> = edges
        .iter()
        .filter_map(|e| {
            let (other, device) = if e.a == u {
                (e.b, e.b_device)
            } else if e.b == u {
                (e.a, e.a_device)
            } else {
                return None;
            };
            let in_row_zone = row.contains(&other) && units[other].network.is_some();
            let top = units[other].members.iter().find(|(d, _)| *d == device)?.1.y;
            in_row_zone.then_some(top)
        })
        .collect();
    if tops.is_empty() {
        0.0
    } else {
        (tops.iter().sum::<f32>() / tops.len() as f32).round()
    }
}

/// The mean position of the devices `u` links to in other rows.
fn neighbour_mean(units: &[Unit], edges: &[UnitEdge], u: usize) -> Option<f32> {
    let at: Vec<f32> = edges
        .iter()
        .filter_map(|e| {
            let (other, other_center) = if e.a == u {
                (e.b, e.b_center)
            } else if e.b == u {
                (e.a, e.a_center)
            } else {
                return None;
            };
            ((units[other].y - units[u].y).abs() > 0.5).then(|| units[other].x + other_center)
        })
        .collect();
    (!at.is_empty()).then(|| at.iter().sum::<f32>() / at.len() as f32)
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
