//! Comments (ISO 5807 annotations): beside their step, or above or below it when that draws
//! a smaller page, the bracket's bar facing the step and the dashed line joining the centres
//! of their facing edges, clear of every flow.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::{self, repo, route};
use guichet::diagram::geometry::crossings;
use guichet::language::Language;
use guichet::workflow::metrics::measure;
use guichet::workflow::{Context, Diagram, SvgOptions, Workflow, layout, parse_workflow};

use crate::gen_workflow::generate_yaml;

fn load(path: &str) -> Workflow {
    let id = Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("file name");
    let text = std::fs::read_to_string(repo(path)).expect("workflow file");
    parse_workflow(id, Path::new(path), &text, &Context::default())
        .unwrap_or_else(|e| panic!("{}", e.iter().map(|d| d.to_string()).collect::<String>()))
}

/// A box as (x, y, w, h).
fn rect(d: &Diagram, id: &str) -> (f32, f32, f32, f32) {
    let r = d.node(id).expect("step").rect;
    (r.x, r.y, r.w, r.h)
}

/// A comment's dashed line, from its step's edge to its own.
fn tether(d: &Diagram, id: &str) -> ((f32, f32), (f32, f32)) {
    let (a, b) = d.node(id).expect("comment").tether.expect("dashed line");
    ((a.x, a.y), (b.x, b.y))
}

/// The SVG of `d`, its ids prefixed with the diagram's.
fn svg_of(d: &Diagram) -> String {
    guichet::workflow::to_svg(
        d,
        &SvgOptions {
            id_prefix: &d.id,
            subprocess_href: &|id| format!("../{id}/"),
            page_href: None,
            highlight: None,
        },
    )
}

/// The quality invariants `d`'s SVG breaks ([`common::violations`]).
fn violations(d: &Diagram) -> Vec<String> {
    common::violations(&common::parse(&svg_of(d)))
}

/// The `d` attribute of each path the SVG draws for step `id` (its shape, then its dashed
/// line for a comment).
fn step_paths(d: &Diagram, id: &str) -> Vec<String> {
    let svg = svg_of(d);
    let start = svg
        .find(&format!("data-step=\"{id}\""))
        .expect("step in the SVG");
    let group = &svg[start..start + svg[start..].find("</g>").expect("group end")];
    group
        .split("<path d=\"")
        .skip(1)
        .map(|p| p[..p.find('"').expect("path end")].to_string())
        .collect()
}

/// In the demo's escalade, "Réattribuer le ticket au groupe N2" (GLPI's lane) had its
/// comment beside it, which made the lane 450 px wide for a 175-px box, and left it no side
/// for a second handoff: the documentation's flow came down a row into its top. The comment
/// now stands above it, its bracket's bar along its bottom and the dashed line running up
/// from the step's top centre, and the step takes the flows in and out across its row, from
/// "Documenter le diagnostic" on the left to "Prendre en charge le ticket" on the right:
/// 911 × 997 px instead of 1,122 × 982, the GLPI lane 216 px wide, 4 bends instead of 5.
/// The comment reaches up into the channel above and the lower half of the decision's rank
/// above it, where GLPI's lane is empty, so its rank is no taller than its boxes: 911 × 937
/// px (997 when the comment made its rank taller in every lane).
#[test]
fn a_comment_stands_above_its_step_which_takes_handoffs_on_both_sides() {
    let d = layout(&load("workflows/escalade.yaml"), Language::Fr);
    assert_eq!(rect(&d, "reattribuer"), (358.5, 382.0, 175.0, 67.0));
    assert_eq!(rect(&d, "note-sla"), (360.5, 286.0, 171.0, 76.0));
    // 20 px between the comment's bottom and the step's top, both centred on x = 446.
    assert_eq!(tether(&d, "note-sla"), ((446.0, 382.0), (446.0, 362.0)));
    assert_eq!(
        step_paths(&d, "note-sla"),
        vec!["M360.5 352V362H531.5V352", "M446 382V362"]
    );
    // Both handoffs on the step's centre line, y = 382 + 67 / 2.
    assert_eq!(
        route(&d, "documenter", "reattribuer"),
        vec![(318.0, 415.5), (358.5, 415.5)]
    );
    assert_eq!(
        route(&d, "reattribuer", "prendre"),
        vec![(533.5, 415.5), (598.5, 415.5)]
    );
    let glpi = d.lanes.iter().find(|l| l.id == "glpi").expect("lane");
    assert_eq!((glpi.rect.x, glpi.rect.w), (338.0, 216.0));
    assert_eq!((d.width, d.height), (911.0, 937.0));
    let m = measure(&d);
    assert_eq!((m.crossings, m.bends), (0, 4));
}

/// The drawio export draws escalade's comment as the SVG does: a partial rectangle without
/// its top (the bar along its bottom, facing the step below), and the dashed line from the
/// step's top centre to the comment's bottom.
#[test]
fn the_export_draws_a_comment_above_its_step_as_the_svg_does() {
    let d = layout(&load("workflows/escalade.yaml"), Language::Fr);
    let xml = guichet::workflow::to_drawio(&d);
    let doc = roxmltree::Document::parse(&xml).expect("drawio XML");
    let cell = |id: &str| {
        doc.descendants()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("{id}"))
    };
    let style = cell("step-note-sla").attribute("style").expect("style");
    assert!(
        style.starts_with("shape=partialRectangle;top=0;"),
        "{style}"
    );
    let points: Vec<(&str, &str, &str)> = cell("step-note-sla-renvoi")
        .descendants()
        .filter(|n| n.has_tag_name("mxPoint"))
        .map(|n| {
            (
                n.attribute("x").unwrap_or(""),
                n.attribute("y").unwrap_or(""),
                n.attribute("as").unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        points,
        vec![("446", "382", "sourcePoint"), ("446", "362", "targetPoint")]
    );
}

/// In the demo's incident, "Solution ajoutée, passage automatique à Résolu" (GLPI's lane) is
/// entered from above by the escalation and left by a handoff to "Solution acceptée ?": its
/// comment stands below it, the bracket's bar along its top. The GLPI lane is 234 px wide
/// instead of 461, the drawing 1,006 × 1,031 px instead of 1,217 × 955, and 1,006 × 993 since
/// the comment reaches into the channel below, where GLPI's lane carries no flow.
#[test]
fn a_comment_stands_below_a_step_whose_bottom_carries_no_flow() {
    let d = layout(&load("workflows/incident.yaml"), Language::Fr);
    assert_eq!(rect(&d, "solution"), (288.5, 609.5, 193.0, 67.0));
    assert_eq!(rect(&d, "note-cloture"), (299.0, 696.5, 172.0, 61.0));
    assert_eq!(tether(&d, "note-cloture"), ((385.0, 676.5), (385.0, 696.5)));
    assert_eq!(
        step_paths(&d, "note-cloture"),
        vec!["M299 706.5V696.5H471V706.5", "M385 676.5V696.5"]
    );
    // The escalation comes into the step's top; the handoff leaves its left side.
    assert_eq!(
        route(&d, "escalade", "solution"),
        vec![(589.0, 534.5), (385.0, 534.5), (385.0, 609.5)]
    );
    assert_eq!(
        route(&d, "solution", "accepte"),
        vec![(288.5, 643.0), (242.5, 643.0)]
    );
    let glpi = d.lanes.iter().find(|l| l.id == "glpi").expect("lane");
    assert_eq!((glpi.rect.x, glpi.rect.w), (268.0, 234.0));
    assert_eq!((d.width, d.height), (1006.0, 993.0));
}

/// In probleme, the knowledge-base article's comment stood beside it, the bracket's bar
/// facing the article; it now stands below it (the article leaves by a loop from its left
/// side), and a comment beside its step on the right still has its bar on its left.
#[test]
fn a_brackets_bar_faces_its_step() {
    let d = layout(&load("benches/workflows/probleme.yaml"), Language::Fr);
    let (x, y, w, _) = rect(&d, "note-kb");
    let ((_, top), (cx, bottom)) = tether(&d, "note-kb");
    let article = d.node("publier-kb").expect("step").rect;
    assert_eq!((top, bottom, cx), (article.bottom(), y, x + w / 2.0));
    assert_eq!(bottom - top, 20.0);
    // The bar along the comment's top, its arms going down 10 px into the box.
    let bracket = &step_paths(&d, "note-kb")[0];
    assert!(bracket.starts_with(&format!("M{x} {}V{y}H{}V", y + 10.0, x + w)));
}

/// Checks every comment of `d`, laid out from `wf`: its dashed line is horizontal or
/// vertical, runs from its step's edge to its own, joins the centres of the facing edges
/// when vertical, and neither it nor the comment's box (grown by 8 px) is touched by a flow.
/// Returns the comments standing above or below their step.
fn assert_comments_clear(wf: &Workflow, d: &Diagram) -> Vec<String> {
    let mut stacked = Vec::new();
    for comment in d.nodes.iter().filter(|n| n.kind == "comment") {
        let what = format!("{} {}", wf.id, comment.id);
        let (a, b) = comment.tether.expect("dashed line");
        let about = wf
            .steps
            .iter()
            .find(|s| s.id == comment.id)
            .and_then(|s| s.about.as_deref())
            .expect("about");
        let step = d.node(about).expect("step").rect;
        let c = comment.rect;
        if a.x == b.x {
            stacked.push(what.clone());
            assert_eq!((a.x, b.x), (step.center().x, c.center().x), "{what}");
            let edges = if b.y < a.y {
                (step.y, c.bottom())
            } else {
                (step.bottom(), c.y)
            };
            assert_eq!((a.y, b.y), edges, "{what}");
        } else {
            assert_eq!((a.y, b.y), (step.center().y, step.center().y), "{what}");
            let edges = if b.x > a.x {
                (step.right(), c.x)
            } else {
                (step.x, c.right())
            };
            assert_eq!((a.x, b.x), edges, "{what}");
        }
        let line = [a, b];
        // The comment's box grown by 8 px: no flow segment comes into it.
        let (x0, x1, y0, y1) = (c.x - 8.0, c.right() + 8.0, c.y - 8.0, c.bottom() + 8.0);
        for f in &d.flows {
            assert_eq!(crossings(&f.points, &line), 0, "{what}: {}", f.from);
            for s in f.points.windows(2) {
                let (p, q) = (s[0], s[1]);
                let touches = p.x.min(q.x) < x1
                    && p.x.max(q.x) > x0
                    && p.y.min(q.y) < y1
                    && p.y.max(q.y) > y0;
                assert!(!touches, "{what}: {}->{} {s:?}", f.from, f.to);
            }
            // No flow ends on the dashed line's end on the step.
            for p in [f.points[0], f.points[f.points.len() - 1]] {
                assert!(
                    (p.x - a.x).abs() + (p.y - a.y).abs() > 0.5,
                    "{what}: {}->{} {:?} {:?}",
                    f.from,
                    f.to,
                    f.points,
                    (a, b)
                );
            }
        }
        // Nor does another box or a flow's label, though a comment above or below its step
        // may reach into the rank beyond.
        let near = |r: &guichet::diagram::geometry::Rect| {
            r.x < x1 && r.right() > x0 && r.y < y1 && r.bottom() > y0
        };
        for n in d.nodes.iter().filter(|n| n.id != comment.id) {
            assert!(!near(&n.rect), "{what}: box {}", n.id);
        }
        for f in &d.flows {
            if let Some(l) = &f.label {
                assert!(!near(&l.rect), "{what}: label of {}->{}", f.from, f.to);
            }
        }
    }
    stacked
}

/// Wherever a comment stands, in the demo, the realistic set and the unseen set, in both
/// languages, it stands clear of every flow, box and label ([`assert_comments_clear`]).
#[test]
fn comments_stand_clear_of_every_flow() {
    let mut stacked: BTreeSet<String> = BTreeSet::new();
    for folder in ["workflows", "benches/workflows", "benches/workflows-unseen"] {
        let workflows = guichet::workflow::load_dir(&repo(folder), &|_| true)
            .unwrap_or_else(|e| panic!("{}", e.iter().map(|d| d.to_string()).collect::<String>()));
        for wf in &workflows {
            for lang in [Language::Fr, Language::En] {
                let d = layout(wf, lang);
                for c in assert_comments_clear(wf, &d) {
                    stacked.insert(format!("{c} {lang:?}"));
                }
            }
        }
    }
    // support-complet's comment stands below its step in English only, where "Yes" and
    // "No" are narrower than "Oui" and "Non" and the search keeps another layout.
    let expected: BTreeSet<String> = [
        "escalade note-sla",
        "incident note-cloture",
        "hameconnage note-cnil",
        "probleme note-kb",
        "alerte-antivirus consignes-note",
    ]
    .iter()
    .flat_map(|c| [format!("{c} Fr"), format!("{c} En")])
    .chain(["support-complet note-escalade En".to_string()])
    .collect();
    assert_eq!(stacked, expected);
}

/// Four comments in three lanes: a long one (its box 325 px wide, over twice its step's)
/// below the call that hands off to the service desk, one above the ticket that call comes
/// into, one beside a decision (on its left, its right vertex taken), one beside the end.
const FOUR_COMMENTS: &str = r#"
title: Notes partout
lanes:
  - { id: user, label: Utilisateur }
  - { id: sd, label: Centre de services }
  - { id: tech, label: Technicien }
steps:
  - { id: debut, kind: start, label: Panne signalée, lane: user }
  - { id: appel, kind: action, label: Appeler le centre de services }
  - id: note-appel
    kind: comment
    label: Le numéro court 4400 est affiché sur chaque poste de travail, à côté de l'étiquette d'inventaire ; en dehors des heures ouvrées, le répondeur renvoie vers l'astreinte.
    about: appel
  - { id: ticket, kind: action, label: Créer le ticket, lane: sd }
  - { id: note-ticket, kind: comment, label: Catégorie et priorité selon la matrice., about: ticket }
  - { id: connu, kind: decision, label: Panne connue ?, yes: resoudre, no: diagnostic }
  - { id: note-connu, kind: comment, label: Chercher d'abord dans la base., about: connu }
  - { id: diagnostic, kind: action, label: Diagnostiquer sur place, lane: tech, next: resoudre }
  - { id: resoudre, kind: action, label: Résoudre, lane: sd }
  - { id: fin, kind: end, label: Ticket clos, lane: user }
  - { id: note-fin, kind: comment, label: Enquête de satisfaction envoyée., about: fin }
"#;

/// Comments above, below and beside their steps, one much wider than its step: the
/// diagram keeps the quality invariants, every comment stands clear of the flows, and each
/// bracket's bar faces its step.
#[test]
fn comments_on_every_side_keep_the_invariants() {
    let wf = parse_workflow(
        "notes",
        Path::new("notes.yaml"),
        FOUR_COMMENTS,
        &Context::default(),
    )
    .unwrap_or_else(|e| panic!("{}", e.iter().map(|d| d.to_string()).collect::<String>()));
    let d = layout(&wf, Language::Fr);
    let problems = violations(&d);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let stacked = assert_comments_clear(&wf, &d);
    assert_eq!(
        stacked,
        vec!["notes note-appel", "notes note-ticket", "notes note-fin"]
    );
    let bracket = |id: &str| step_paths(&d, id).remove(0);
    // Below the call: the bar along the comment's top (y = 230), 325 px long; the comment
    // reaches down into the decision's rank, where the first lane is empty.
    assert_eq!(bracket("note-appel"), "M36.5 240V230H361.5V240");
    // Above the ticket: along its bottom.
    assert_eq!(bracket("note-ticket"), "M601 136V146H775V136");
    // On the decision's left: the bar on the comment's right edge.
    assert_eq!(bracket("note-connu"), "M560 307H570V353H560");
    // Above the end, entered by a handoff from its right side: along its bottom. It stood
    // on the end's left until a comment could reach into the channel above.
    assert_eq!(bracket("note-fin"), "M36 390V400H194V390");
}

/// Generated workflows of 24 steps in four lanes (seeds 1–24, loops and decisions included),
/// each with a comment on every third step: wherever the layout puts each comment (beside,
/// above or below its step, reaching into an empty channel or not), the diagram keeps the
/// quality invariants and each comment stands clear of every flow, box and label.
#[test]
fn comments_on_generated_workflows_keep_clear() {
    let mut stacked = 0;
    for seed in 1..=24 {
        let mut yaml = generate_yaml(24, seed);
        for k in (1..23).step_by(3) {
            yaml.push_str(&format!(
                "  - id: c{k}\n    kind: comment\n    label: Remarque sur l'étape {k}, à relire avant de continuer.\n    about: s{k}\n"
            ));
        }
        let wf = parse_workflow("gen", Path::new("gen.yaml"), &yaml, &Context::default())
            .unwrap_or_else(|e| panic!("seed {seed}: {e:?}"));
        let d = layout(&wf, Language::Fr);
        let problems = violations(&d);
        assert!(problems.is_empty(), "seed {seed}: {}", problems.join("\n"));
        stacked += assert_comments_clear(&wf, &d).len();
    }
    assert_eq!(stacked, 8);
}
