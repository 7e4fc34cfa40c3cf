//! The topology SVG follows the contract of docs/diagrams.md §2 and its quality invariants 1, 2,
//! 3 and 5, checked on the SVG text itself (what ships), for the demo and a generated network.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::repo;
use guichet::language::Language;
use guichet::topology::{self, Topology};

use crate::gen_topology;

#[derive(Debug, Clone, Copy)]
struct Box4 {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

const EPS: f64 = 0.01;

impl Box4 {
    fn parse(text: &str) -> Box4 {
        let v: Vec<f64> = text.split(' ').map(|n| n.parse().unwrap()).collect();
        assert_eq!(v.len(), 4, "bbox `{text}`");
        Box4 {
            x: v[0],
            y: v[1],
            w: v[2],
            h: v[3],
        }
    }
    fn right(&self) -> f64 {
        self.x + self.w
    }
    fn bottom(&self) -> f64 {
        self.y + self.h
    }
    fn overlaps(&self, o: &Box4) -> bool {
        self.x < o.right() - EPS
            && o.x < self.right() - EPS
            && self.y < o.bottom() - EPS
            && o.y < self.bottom() - EPS
    }
    fn contains(&self, o: &Box4) -> bool {
        o.x >= self.x - EPS
            && o.y >= self.y - EPS
            && o.right() <= self.right() + EPS
            && o.bottom() <= self.bottom() + EPS
    }
    fn on_border(&self, (px, py): (f64, f64)) -> bool {
        let in_x = px >= self.x - EPS && px <= self.right() + EPS;
        let in_y = py >= self.y - EPS && py <= self.bottom() + EPS;
        (in_x && ((py - self.y).abs() <= EPS || (py - self.bottom()).abs() <= EPS))
            || (in_y && ((px - self.x).abs() <= EPS || (px - self.right()).abs() <= EPS))
    }
    /// True when the axis-aligned segment passes through the interior.
    fn crossed_by(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        x0 < self.right() - EPS
            && x1 > self.x + EPS
            && y0 < self.bottom() - EPS
            && y1 > self.y + EPS
    }
}

/// The value of `name="…"` in the tag starting at `tag`.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

/// Every opening tag `<g class="CLASS"…>` with the text up to the matching `</g>`.
fn groups<'a>(svg: &'a str, class: &str) -> Vec<&'a str> {
    let open = format!("<g class=\"{class}\"");
    svg.match_indices(&open)
        .map(|(i, _)| {
            let end = svg[i..].find("</g>\n").unwrap() + i;
            &svg[i..end]
        })
        .collect()
}

fn path_points(d: &str) -> Vec<(f64, f64)> {
    let tokens: Vec<&str> = d.split_whitespace().collect();
    let mut points = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        let cmd = &t[..1];
        assert!(["M", "L"].contains(&cmd), "only M and L commands here: {d}");
        let x: f64 = t[1..].parse().unwrap();
        let y: f64 = tokens[i + 1].parse().unwrap();
        points.push((x, y));
        i += 2;
    }
    points
}

/// A flow group: source, target, path points, label box.
type FlowGroup = (String, String, Vec<(f64, f64)>, Option<Box4>);

struct Parsed {
    steps: Vec<(String, Option<String>, Box4)>,
    lanes: Vec<(String, Box4)>,
    flows: Vec<FlowGroup>,
}

fn parse_svg(svg: &str) -> Parsed {
    let steps = groups(svg, "step")
        .into_iter()
        .map(|g| {
            (
                attr(g, "data-step").unwrap().to_string(),
                attr(g, "data-lane").map(str::to_string),
                Box4::parse(attr(g, "data-bbox").unwrap()),
            )
        })
        .collect();
    let lanes = groups(svg, "lane")
        .into_iter()
        .map(|g| {
            (
                attr(g, "data-lane").unwrap().to_string(),
                Box4::parse(attr(g, "data-bbox").unwrap()),
            )
        })
        .collect();
    let flows = groups(svg, "flow")
        .into_iter()
        .map(|g| {
            let path_start = g.find("<path").unwrap();
            let d = attr(&g[path_start..], "d").unwrap();
            (
                attr(g, "data-from").unwrap().to_string(),
                attr(g, "data-to").unwrap().to_string(),
                path_points(d),
                attr(g, "data-label-bbox").map(Box4::parse),
            )
        })
        .collect();
    Parsed {
        steps,
        lanes,
        flows,
    }
}

/// Checks the contract and invariants 1, 2, 3 and 5; returns the parsed SVG for more checks.
fn check_invariants(t: &Topology) -> Parsed {
    let svg = topology::to_svg(t, Language::Fr);
    let p = parse_svg(&svg);
    assert_eq!(p.steps.len(), t.devices.len(), "one step per device");
    assert_eq!(p.flows.len(), t.links.len(), "one flow per link");
    // Ids unique and prefixed.
    let ids: Vec<&str> = svg
        .match_indices(" id=\"")
        .map(|(i, _)| attr(&svg[i..], "id").unwrap())
        .collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids");
    for id in &ids {
        assert!(
            id.starts_with(&format!("{}-", t.id)),
            "id `{id}` not prefixed"
        );
    }
    // 1. No two step boxes overlap; none overlaps a lane border.
    for (i, a) in p.steps.iter().enumerate() {
        for b in &p.steps[i + 1..] {
            assert!(!a.2.overlaps(&b.2), "steps {} and {} overlap", a.0, b.0);
        }
        for (lane, l) in &p.lanes {
            assert!(
                l.contains(&a.2) || !l.overlaps(&a.2),
                "step {} straddles lane {lane}",
                a.0
            );
        }
    }
    // 5. Each step lies inside its lane.
    for (step, lane, b) in &p.steps {
        if let Some(lane) = lane {
            let l = p
                .lanes
                .iter()
                .find(|(id, _)| id == lane)
                .expect("lane exists");
            assert!(l.1.contains(b), "step {step} outside its lane {lane}");
        }
    }
    // 2. Paths are orthogonal, run from border to border, and cross no step box.
    let find = |id: &str| p.steps.iter().find(|s| s.0 == id).unwrap().2;
    for (from, to, points, _) in &p.flows {
        assert!(points.len() >= 2);
        for w in points.windows(2) {
            let (a, b) = (w[0], w[1]);
            assert!(
                (a.0 - b.0).abs() < EPS || (a.1 - b.1).abs() < EPS,
                "{from}→{to} not orthogonal"
            );
            for (id, _, r) in &p.steps {
                assert!(!r.crossed_by(a, b), "link {from}→{to} passes through {id}");
            }
        }
        assert!(
            find(from).on_border(points[0]),
            "{from}→{to} does not start on its source"
        );
        assert!(
            find(to).on_border(*points.last().unwrap()),
            "{from}→{to} does not end on its target"
        );
    }
    // 3. No label box overlaps a step box or another label box.
    let labels: Vec<Box4> = p.flows.iter().filter_map(|f| f.3).collect();
    for (i, l) in labels.iter().enumerate() {
        for (id, _, s) in &p.steps {
            assert!(!l.overlaps(s), "a label overlaps {id}");
        }
        for m in &labels[i + 1..] {
            assert!(!l.overlaps(m), "two labels overlap");
        }
    }
    p
}

fn demo() -> Topology {
    let text = std::fs::read_to_string(repo("content/portfolio/reseau.yaml")).unwrap();
    topology::parse(Path::new("reseau.yaml"), &text, "reseau").unwrap()
}

#[test]
fn demo_topology_keeps_the_invariants() {
    let p = check_invariants(&demo());
    let lanes: Vec<&str> = p.lanes.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(lanes, ["wan", "serveurs", "clients"]);
    let in_servers: Vec<&str> = p
        .steps
        .iter()
        .filter(|s| s.1.as_deref() == Some("serveurs"))
        .map(|s| s.0.as_str())
        .collect();
    assert_eq!(
        in_servers,
        ["sw-srv01", "srv-ad01", "srv-glpi01", "srv-bdd01"]
    );
    // The firewall joins three networks: it stands outside every zone.
    assert_eq!(p.steps.iter().find(|s| s.0 == "fw01").unwrap().1, None);
    assert_eq!(p.flows.iter().filter(|f| f.3.is_some()).count(), 2);
}

#[test]
fn generated_topology_of_40_devices_and_6_networks_keeps_the_invariants() {
    let t = gen_topology::generate(40, 6).unwrap();
    assert_eq!(t.devices.len(), 40);
    assert_eq!(t.networks.len(), 6);
    let p = check_invariants(&t);
    assert_eq!(p.lanes.len(), 6);
    assert_eq!(
        p.flows.iter().filter(|f| f.3.is_some()).count(),
        6,
        "every VLAN label placed"
    );
}

#[test]
fn generated_topologies_of_other_sizes_keep_the_invariants() {
    for (devices, networks) in [(5, 1), (12, 3), (25, 2), (60, 9)] {
        check_invariants(&gen_topology::generate(devices, networks).unwrap());
    }
}

#[test]
fn root_follows_the_contract() {
    let svg = topology::to_svg(&demo(), Language::Fr);
    let root = &svg[..svg.find('>').unwrap()];
    assert!(root.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"topologie\" data-topology=\"reseau\" viewBox=\"0 0 "), "{root}");
    assert!(root.contains("role=\"img\" aria-labelledby=\"reseau-title reseau-desc\""));
    assert!(root.ends_with(" lang=\"fr\""), "{root}");
    assert!(svg.contains("<title id=\"reseau-title\">Laboratoire GLPI des Ateliers Morel</title>"));
    assert!(svg.contains("data-kind=\"firewall\""));
    assert!(!svg.contains("<foreignObject") && !svg.contains("<script"));
    // Without external CSS every text has its colour as an attribute.
    for text in svg
        .match_indices("<text ")
        .map(|(i, _)| &svg[i..i + svg[i..].find('>').unwrap()])
    {
        assert!(attr(text, "fill").is_some(), "{text}");
    }
}

#[test]
fn user_text_is_escaped_and_the_svg_stays_well_formed() {
    let yaml = "title: A <script>alert(1)</script> & co\n\
        networks:\n  - { id: lan, label: \"LAN <b>\", vlan: 5, cidr: 10.0.0.0/24 }\n\
        devices:\n  - { id: a, label: \"R&D <x>\", kind: router, role: \"\\\"quoted\\\" 'role'\", interfaces: [ { network: lan, address: 10.0.0.1 } ] }\n\
        \x20 - { id: b, label: B, kind: client, interfaces: [ { network: lan, address: dhcp } ] }\n\
        links:\n  - { from: a, to: b, label: \"<i>trunk</i>\" }\n";
    let t = topology::parse(Path::new("x.yaml"), yaml, "x").unwrap();
    let svg = topology::to_svg(&t, Language::En);
    assert!(svg.contains("A &lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    assert!(svg.contains(">R&amp;D &lt;x&gt;</text>"));
    assert!(svg.contains("VLAN 5 · LAN &lt;b&gt;"));
    assert!(svg.contains("data-label=\"&lt;i&gt;trunk&lt;/i&gt;\""));
    assert!(svg.contains("&quot;quoted&quot; &#39;role&#39;"));
    assert!(!svg.contains("<script") && !svg.contains("<b>") && !svg.contains("<i>"));
    resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).expect("well-formed SVG");
}

#[test]
fn output_is_deterministic() {
    let t = gen_topology::generate(40, 6).unwrap();
    assert_eq!(
        topology::to_svg(&t, Language::Fr),
        topology::to_svg(&t, Language::Fr)
    );
}

#[test]
fn png_is_drawn_from_the_svg_with_the_bundled_font() {
    let t = demo();
    let layout = topology::to_layout(&t, Language::Fr);
    let png = topology::to_png(&t, Language::Fr, 1.0).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    // IHDR: width and height, big-endian, at bytes 16..24.
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!(width, layout.width.ceil() as u32);
    assert_eq!(height, layout.height.ceil() as u32);
}

#[test]
fn demo_links_are_straight_where_devices_face_each_other() {
    let t = demo();
    let layout = topology::to_layout(&t, Language::Fr);
    let bends = |from: &str, to: &str| {
        let k = t
            .links
            .iter()
            .position(|l| l.from == from && l.to == to)
            .unwrap();
        let link = layout.links.iter().find(|l| l.index == k).unwrap();
        link.points.len() - 2
    };
    assert_eq!(bends("internet", "box-fai"), 0);
    assert_eq!(bends("box-fai", "fw01"), 0);
    assert_eq!(bends("internet", "messagerie"), 0);
    assert_eq!(bends("sw-srv01", "srv-glpi01"), 0);
    assert_eq!(bends("sw-cli01", "pc-atl01"), 0);
    assert_eq!(bends("fw01", "sw-srv01"), 2);
    assert_eq!(bends("sw-srv01", "srv-ad01"), 2);
    let total: usize = layout.links.iter().map(|l| l.points.len() - 2).sum();
    assert_eq!(total, 12);
    let mut crossings = 0;
    for (i, a) in layout.links.iter().enumerate() {
        for b in &layout.links[i + 1..] {
            crossings += guichet::diagram::geometry::crossings(&a.points, &b.points);
        }
    }
    assert_eq!(crossings, 0);
}

#[test]
fn zones_side_by_side_share_their_rows() {
    let t = demo();
    let layout = topology::to_layout(&t, Language::Fr);
    let top = |id: &str| {
        let i = t.devices.iter().position(|d| d.id == id).unwrap();
        layout.devices.iter().find(|d| d.index == i).unwrap().rect.y
    };
    assert_eq!(top("sw-srv01"), top("sw-cli01"));
    assert_eq!(top("srv-ad01"), top("pc-acc01"));
    assert_eq!(top("srv-bdd01"), top("imp-atl01"));
    let zone = |id: &str| {
        let n = t.networks.iter().position(|n| n.id == id).unwrap();
        layout.zones.iter().find(|z| z.index == n).unwrap().rect
    };
    assert_eq!(zone("serveurs").y, zone("clients").y);
    assert_eq!(zone("serveurs").h, zone("clients").h);
}

#[test]
fn devices_without_networks_or_links_still_draw() {
    let yaml = "devices:\n  - { id: a, kind: cloud }\n  - { id: b, kind: mail }\n  - { id: c, kind: internet }\n";
    let t = topology::parse(Path::new("x.yaml"), yaml, "seuls").unwrap();
    let p = check_invariants(&t);
    assert!(p.lanes.is_empty());
    let ys: BTreeSet<String> = p.steps.iter().map(|s| s.2.y.to_string()).collect();
    assert_eq!(ys.len(), 1, "one row");
}

#[test]
fn a_server_on_two_networks_stands_between_their_zones() {
    let text =
        std::fs::read_to_string(repo("tests/fixtures/topology/dual_homed_server.yaml")).unwrap();
    let t = topology::parse(Path::new("dual.yaml"), &text, "dual").unwrap();
    let p = check_invariants(&t);
    let glpi = p.steps.iter().find(|s| s.0 == "glpi").unwrap();
    assert_eq!(glpi.1, None, "outside every zone");
    let srv = p.lanes.iter().find(|l| l.0 == "srv").unwrap().1;
    let adm = p.lanes.iter().find(|l| l.0 == "adm").unwrap().1;
    let sw_srv = p.steps.iter().find(|s| s.0 == "sw-srv").unwrap().2;
    assert_eq!(glpi.2.y, sw_srv.y, "level with the switches it links to");
    assert!(
        srv.right() < glpi.2.x && glpi.2.right() < adm.x,
        "between the two zones"
    );
    for (from, to, points, _) in &p.flows {
        if to == "glpi" {
            assert_eq!(points.len(), 2, "{from}→glpi is one straight line");
        }
    }
}

#[test]
fn every_device_kind_has_its_icon_and_keeps_the_invariants() {
    let text =
        std::fs::read_to_string(repo("tests/fixtures/topology/every_device_kind.yaml")).unwrap();
    let t = topology::parse(Path::new("kinds.yaml"), &text, "kinds").unwrap();
    check_invariants(&t);
    let svg = topology::to_svg(&t, Language::Fr);
    for kind in [
        "internet",
        "router",
        "firewall",
        "switch",
        "server",
        "vm",
        "client",
        "printer",
        "access-point",
        "mail",
        "cloud",
    ] {
        assert!(svg.contains(&format!("data-kind=\"{kind}\"")), "{kind}");
    }
    // Each icon is drawn by the project: a group of shapes, never an image or a font glyph.
    assert_eq!(svg.matches("<g class=\"topo-icon ").count(), 11);
    assert!(!svg.contains("<image"));
}

#[test]
fn generated_network_quality_figures() {
    // Pinned so a layout change that adds crossings is noticed (figures printed by
    // `cargo run --release --example topology_quality`).
    let t = gen_topology::generate(40, 6).unwrap();
    let layout = topology::to_layout(&t, Language::Fr);
    let mut crossings = 0;
    for (i, a) in layout.links.iter().enumerate() {
        for b in &layout.links[i + 1..] {
            crossings += guichet::diagram::geometry::crossings(&a.points, &b.points);
        }
    }
    let bends: usize = layout.links.iter().map(|l| l.points.len() - 2).sum();
    assert_eq!((crossings, bends), (7, 100));
    assert_eq!((layout.width, layout.height), (1353.0, 1326.0));
}

#[test]
fn a_link_over_a_network_without_zone_shows_its_cidr() {
    let text =
        std::fs::read_to_string(repo("tests/fixtures/topology/point_to_point_link.yaml")).unwrap();
    let t = topology::parse(Path::new("p2p.yaml"), &text, "p2p").unwrap();
    let p = check_invariants(&t);
    let lanes: Vec<&str> = p.lanes.iter().map(|l| l.0.as_str()).collect();
    assert_eq!(
        lanes,
        ["siege", "atelier"],
        "the /30 has no device of its own: no zone"
    );
    let svg = topology::to_svg(&t, Language::Fr);
    assert!(svg.contains(
        "<g class=\"flow\" data-from=\"r1\" data-to=\"r2\" data-label=\"10.255.0.0/30\""
    ));
    assert_eq!(svg.matches("data-label=").count(), 1);
}
