//! The diagrams.net export (`guichet render FILE.yaml -o OUT.drawio`): the file is parsed
//! back and every lane, step, flow, waypoint and label is found where the SVG draws it.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::common::{self, repo};
use guichet::language::Language;
use guichet::workflow::{SvgOptions, Workflow, layout, load_dir, to_drawio, to_svg};

/// Closer than this (in px) is the same place.
const CLOSE: f64 = 0.02;

fn num(n: roxmltree::Node, attr: &str) -> f64 {
    n.attribute(attr)
        .unwrap_or_else(|| panic!("{attr} missing on {n:?}"))
        .parse()
        .unwrap_or_else(|_| panic!("{attr} is not a number on {n:?}"))
}

fn geometry_of<'a>(cell: roxmltree::Node<'a, 'a>) -> roxmltree::Node<'a, 'a> {
    cell.children()
        .find(|c| c.has_tag_name("mxGeometry"))
        .expect("a geometry")
}

/// `x y w h` of a vertex in absolute units (its container's corner added).
fn absolute_box(cells: &BTreeMap<&str, roxmltree::Node>, id: &str) -> (f64, f64, f64, f64) {
    let cell = cells[id];
    let g = geometry_of(cell);
    let (mut x, mut y) = (num(g, "x"), num(g, "y"));
    let parent = cell.attribute("parent").unwrap();
    if parent != "1" {
        let (px, py, _, _) = absolute_box(cells, parent);
        x += px;
        y += py;
    }
    (x, y, num(g, "width"), num(g, "height"))
}

/// The value of `key` in a draw.io style string.
fn style_value(style: &str, key: &str) -> f64 {
    style
        .split(';')
        .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("{key} missing in {style}"))
        .parse()
        .unwrap()
}

fn assert_close(what: &str, got: (f64, f64), want: (f64, f64)) {
    assert!(
        (got.0 - want.0).abs() < CLOSE && (got.1 - want.1).abs() < CLOSE,
        "{what}: draw.io {got:?}, SVG {want:?}"
    );
}

fn same_layout(wf: &Workflow) {
    let diagram = layout(wf, Language::Fr);
    let svg = common::parse(&to_svg(
        &diagram,
        &SvgOptions {
            id_prefix: &wf.id,
            subprocess_href: &|id| format!("../{id}/"),
            page_href: None,
            highlight: None,
        },
    ));
    let xml = to_drawio(&diagram);
    let doc = roxmltree::Document::parse(&xml)
        .unwrap_or_else(|e| panic!("{}: not well-formed: {e}", wf.id));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "mxfile");
    let cells: BTreeMap<&str, roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("mxCell"))
        .map(|n| (n.attribute("id").unwrap(), n))
        .collect();
    for (id, b) in &svg.lanes {
        let (x, y, w, h) = absolute_box(&cells, &format!("lane-{id}"));
        assert_close(&format!("{}: lane {id}", wf.id), (x, y), (b.x, b.y));
        assert_close(&format!("{}: lane {id} size", wf.id), (w, h), (b.w, b.h));
    }
    for s in &svg.steps {
        let key = format!("step-{}", s.id);
        let (x, y, w, h) = absolute_box(&cells, &key);
        assert_close(
            &format!("{}: step {}", wf.id, s.id),
            (x, y),
            (s.bbox.x, s.bbox.y),
        );
        assert_close(
            &format!("{}: step {} size", wf.id, s.id),
            (w, h),
            (s.bbox.w, s.bbox.h),
        );
        if let Some(lane) = &s.lane {
            assert_eq!(
                cells[key.as_str()].attribute("parent"),
                Some(format!("lane-{lane}").as_str())
            );
        }
    }
    for (i, f) in svg.flows.iter().enumerate() {
        let what = format!("{}: flow {} -> {}", wf.id, f.from, f.to);
        let cell = cells[format!("flow-{i}").as_str()];
        assert_eq!(
            cell.attribute("source"),
            Some(format!("step-{}", f.from).as_str())
        );
        assert_eq!(
            cell.attribute("target"),
            Some(format!("step-{}", f.to).as_str())
        );
        let style = cell.attribute("style").unwrap();
        assert!(style.contains("edgeStyle=orthogonalEdgeStyle"), "{style}");
        // Where the editor attaches the flow: a fraction of the box, as ours leaves it.
        let (sx, sy, sw, sh) = absolute_box(&cells, &format!("step-{}", f.from));
        let exit = (
            sx + style_value(style, "exitX") * sw,
            sy + style_value(style, "exitY") * sh,
        );
        assert_close(&format!("{what} exit"), exit, f.points[0]);
        let (tx, ty, tw, th) = absolute_box(&cells, &format!("step-{}", f.to));
        let entry = (
            tx + style_value(style, "entryX") * tw,
            ty + style_value(style, "entryY") * th,
        );
        assert_close(&format!("{what} entry"), entry, *f.points.last().unwrap());
        // The bends, in order.
        let g = geometry_of(cell);
        let waypoints: Vec<(f64, f64)> = g
            .children()
            .filter(|c| c.has_tag_name("Array"))
            .flat_map(|a| a.children().filter(|p| p.has_tag_name("mxPoint")))
            .map(|p| (num(p, "x"), num(p, "y")))
            .collect();
        let inner = &f.points[1..f.points.len() - 1];
        assert_eq!(
            waypoints.len(),
            inner.len(),
            "{what}: {waypoints:?} vs {inner:?}"
        );
        for (got, want) in waypoints.iter().zip(inner) {
            assert_close(&what, *got, *want);
        }
        // The label: the same words, centred where ours is.
        assert_eq!(
            cell.attribute("value")
                .filter(|v| !v.is_empty())
                .map(|v| v.replace('\n', " ")),
            f.label.clone(),
            "{what}"
        );
        if let Some(b) = &f.label_bbox {
            let offset = g
                .children()
                .find(|c| c.attribute("as") == Some("offset"))
                .expect("a label offset");
            assert_eq!(
                g.attribute("x"),
                Some("-1"),
                "{what}: placed from the start"
            );
            let centre = (
                f.points[0].0 + num(offset, "x"),
                f.points[0].1 + num(offset, "y"),
            );
            assert_close(
                &format!("{what} label"),
                centre,
                (b.x + b.w / 2.0, b.y + b.h / 2.0),
            );
        }
    }
}

#[test]
fn the_export_has_the_svg_layout() {
    for folder in ["workflows", "benches/workflows", "benches/workflows-unseen"] {
        let workflows = load_dir(&repo(folder), &|_| true).unwrap();
        assert!(workflows.len() >= 4);
        for wf in &workflows {
            same_layout(wf);
        }
    }
}

#[test]
fn status_badges_and_text_are_kept() {
    let text = std::fs::read_to_string(repo("workflows/incident.yaml")).unwrap();
    let wf = guichet::workflow::parse_workflow(
        "incident",
        Path::new("incident.yaml"),
        &text,
        &Default::default(),
    )
    .unwrap();
    let xml = to_drawio(&layout(&wf, Language::Fr));
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let cell = |id: &str| {
        doc.descendants()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert_eq!(
        cell("step-qualifier-statut").attribute("value"),
        Some("En cours (attribué)")
    );
    assert_eq!(cell("step-qualifier-sla").attribute("value"), Some("◷ TTO"));
    assert!(
        cell("step-qualifier")
            .attribute("value")
            .unwrap()
            .starts_with("Prendre en charge"),
    );
    assert!(
        cell("step-complet")
            .attribute("style")
            .unwrap()
            .starts_with("rhombus;")
    );
    assert_eq!(cell("lane-n1").attribute("value"), Some("Technicien N1"));
}

#[test]
fn render_writes_a_drawio_file() {
    let dir = std::env::temp_dir().join(format!("guichet-drawio-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("escalade.drawio");
    let run = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .arg("render")
        .arg(repo("workflows/escalade.yaml"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let xml = std::fs::read_to_string(&out).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(
        doc.descendants()
            .find(|n| n.has_tag_name("diagram"))
            .and_then(|d| d.attribute("id")),
        Some("escalade")
    );
    // Another extension is refused, naming the three formats.
    let run = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .arg("render")
        .arg(repo("workflows/escalade.yaml"))
        .arg("-o")
        .arg(dir.join("escalade.vsdx"))
        .output()
        .unwrap();
    assert!(!run.status.success());
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("must end in .svg, .png or .drawio"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
