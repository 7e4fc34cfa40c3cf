//! Links: a port on a side of each device, a route on the grid between them, then the
//! link labels beside their lines.

use std::collections::BTreeMap;

use super::super::geom::{Point, Rect, RectExt, simplify};
use super::super::model::Topology;
use super::super::route::{Dir, Grid};
use super::{CLEARANCE, DeviceBox, LABEL_SIZE, LinkPath, SharedSizes, ZoneBox};
use crate::diagram::font::text_width;

/// The link ends on each side of each device: (device, side) → (link, other device,
/// whether this end is the link's `from`).
type SidePorts = BTreeMap<(usize, u8), Vec<(usize, usize, bool)>>;

/// Which side of a box a link leaves from, and where on that side.
struct Port {
    point: Point,
    dir: Dir,
}

/// The port of each link end, by (link, whether the end is the link's `from`).
type Ports = BTreeMap<(usize, bool), Port>;

/// Routes every link: ports on the sides facing the other end, a lead from side ports to
/// the icon, then a grid route for each link, then the labels.
pub(super) fn route_links(
    t: &Topology,
    devices: &mut [DeviceBox],
    zones: &[ZoneBox],
    sizes: Option<&SharedSizes>,
) -> Vec<LinkPath> {
    let index: BTreeMap<&str, usize> = t
        .devices
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let (sides, mut ports) = assign_ports(t, &index, devices);
    align_facing_ports(t, &index, &sides, devices, &mut ports);
    separate_stacked_ports(t, &index, devices, &mut ports);
    add_leads(t, &index, devices, &ports);
    let mut grid = routing_grid(devices, zones, &ports);
    let mut out = Vec::new();
    // Long links first (measured on generated networks: as few crossings as short-first,
    // fewer bends and shorter links): the short ones then find room beside them.
    let span = |k: usize| {
        let (a, b) = (ports[&(k, true)].point, ports[&(k, false)].point);
        (a.x - b.x).abs() + (a.y - b.y).abs()
    };
    let mut order: Vec<usize> = (0..t.links.len()).collect();
    order.sort_by(|&a, &b| span(b).total_cmp(&span(a)).then(a.cmp(&b)));
    for k in order {
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
    out.sort_by_key(|l| l.index);
    place_labels(t, &mut out, devices, zones, sizes);
    out
}

/// Each link end gets the side of its box that faces the other end; the ports of one side
/// are spread along it in the order of their other ends, so links leaving one side do not
/// cross each other.
fn assign_ports(
    t: &Topology,
    index: &BTreeMap<&str, usize>,
    devices: &[DeviceBox],
) -> (SidePorts, Ports) {
    let mut sides: SidePorts = BTreeMap::new();
    for (k, l) in t.links.iter().enumerate() {
        let (a, b) = (index[l.from.as_str()], index[l.to.as_str()]);
        let (sa, sb) = facing_sides(&devices[a].rect, &devices[b].rect);
        sides.entry((a, sa as u8)).or_default().push((k, b, true));
        sides.entry((b, sb as u8)).or_default().push((k, a, false));
    }
    let mut ports = Ports::new();
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
    (sides, ports)
}

/// A side port of a wide box (long text) lies far from the icon: a short stroke inside the
/// box carries the link on to the icon.
fn add_leads(
    t: &Topology,
    index: &BTreeMap<&str, usize>,
    devices: &mut [DeviceBox],
    ports: &Ports,
) {
    for ((k, is_from), p) in ports {
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
}

/// The grid links are routed on: around every device box (with clearance) and zone header,
/// through every port's stub, along the zone borders and around the whole drawing.
fn routing_grid(devices: &[DeviceBox], zones: &[ZoneBox], ports: &Ports) -> Grid {
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
    Grid::new(xs, ys, &obstacles, &borders)
}

/// When a link joins two facing sides, puts its two ports on one line across the two icons
/// when it can (both ends move when each side carries only this link; only the lone end
/// moves when the other side is shared), so the link is straight instead of jogging.
fn align_facing_ports(
    t: &Topology,
    index: &BTreeMap<&str, usize>,
    sides: &SidePorts,
    devices: &[DeviceBox],
    ports: &mut Ports,
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

/// How far above a top port another link's bottom port counts as in its way.
const STACK_REACH: f32 = 200.0;

/// A top port right under another device's bottom port (an access point above a printer,
/// each linked elsewhere) would make the two links share one vertical line and look joined:
/// the lower port moves aside within its own side.
fn separate_stacked_ports(
    t: &Topology,
    index: &BTreeMap<&str, usize>,
    devices: &[DeviceBox],
    ports: &mut Ports,
) {
    let owner = |k: usize, is_from: bool| {
        let l = &t.links[k];
        index[if is_from {
            l.from.as_str()
        } else {
            l.to.as_str()
        }]
    };
    let bottoms: Vec<(usize, usize, Point)> = ports
        .iter()
        .filter(|(_, p)| p.dir == Dir::Down)
        .map(|(&(k, f), p)| (k, owner(k, f), p.point))
        .collect();
    for (&(k, is_from), port) in ports.iter_mut() {
        if port.dir != Dir::Up {
            continue;
        }
        let d = owner(k, is_from);
        let r = devices[d].rect;
        let y = port.point.y;
        let blocked = |x: f32| {
            bottoms.iter().any(|&(k2, d2, p)| {
                k2 != k && d2 != d && (p.x - x).abs() < 6.0 && p.y < y && y - p.y < STACK_REACH
            })
        };
        if !blocked(port.point.x) {
            continue;
        }
        let free = [12.0, -12.0, 24.0, -24.0, 36.0, -36.0]
            .into_iter()
            .map(|dx| port.point.x + dx)
            .find(|&x| x >= r.x + 4.0 && x <= r.right() - 4.0 && !blocked(x));
        if let Some(x) = free {
            port.point.x = x;
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
/// The text on a link: its own label, else the network it crosses when that network has no
/// zone of its own (a point-to-point /30 between two routers), so that network's address
/// still appears on the drawing.
fn link_label(t: &Topology, k: usize, zones: &[ZoneBox]) -> Option<String> {
    let link = &t.links[k];
    if let Some(label) = &link.label {
        return Some(label.clone());
    }
    let networks_of = |id: &str| -> Vec<&str> {
        t.device(id)
            .map(|d| d.interfaces.iter().map(|i| i.network.as_str()).collect())
            .unwrap_or_default()
    };
    let from = networks_of(&link.from);
    let mut shared: Vec<&str> = networks_of(&link.to)
        .into_iter()
        .filter(|n| from.contains(n))
        .collect();
    shared.sort_unstable();
    shared.dedup();
    let [only] = shared[..] else { return None };
    let zoned = zones.iter().any(|z| t.networks[z.index].id == only);
    let network = t.network(only)?;
    (!zoned).then(|| network.cidr.to_string())
}

fn place_labels(
    t: &Topology,
    links: &mut [LinkPath],
    devices: &[DeviceBox],
    zones: &[ZoneBox],
    sizes: Option<&SharedSizes>,
) {
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
        let Some(text) = link_label(t, link.index, zones) else {
            continue;
        };
        let w = sizes
            .and_then(|s| s.label(link.index))
            .unwrap_or_else(|| label_width(&text));
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

/// The width of a link label's box.
pub(super) fn label_width(text: &str) -> f32 {
    (text_width(text, LABEL_SIZE) + 8.0).ceil()
}

fn seg_len(s: &(Point, Point)) -> f32 {
    (s.0.x - s.1.x).abs() + (s.0.y - s.1.y).abs()
}
