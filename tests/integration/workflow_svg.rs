//! The SVG contract and the five quality invariants of docs/diagrams.md, checked on every shipped
//! workflow and on test workflows made to stress the layout.

use std::path::Path;

use crate::common::{self, repo};
use guichet::language::Language;
use guichet::workflow::{Context, SvgOptions, Workflow, layout, parse_workflow, to_svg};

use crate::gen_workflow::{self, generate_yaml};

fn parse(id: &str, yaml: &str) -> Workflow {
    parse_workflow(id, Path::new("test.yaml"), yaml, &Context::default())
        .unwrap_or_else(|e| panic!("{}", e.iter().map(|d| d.to_string()).collect::<String>()))
}

fn svg_of(wf: &Workflow, prefix: &str, lang: Language) -> String {
    to_svg(
        &layout(wf, lang),
        &SvgOptions {
            id_prefix: prefix,
            subprocess_href: &|id| format!("../{id}/"),
            page_href: None,
            highlight: None,
        },
    )
}

fn shipped() -> Vec<Workflow> {
    guichet::workflow::load_dir(&repo("workflows"), &|_| true)
        .unwrap_or_else(|e| panic!("{}", e.iter().map(|d| d.to_string()).collect::<String>()))
}

fn assert_invariants(name: &str, svg: &str) -> common::Parsed {
    let parsed = common::parse(svg);
    let problems = common::violations(&parsed);
    assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    parsed
}

const LOOPS: &str = r#"
title: Boucles
steps:
  - { id: debut, kind: start, label: Début }
  - { id: saisir, kind: data, label: Saisir le formulaire }
  - { id: valide, kind: decision, label: Formulaire valide ?, yes: traiter, no: corriger }
  - { id: corriger, kind: action, label: Corriger les champs, next: saisir }
  - { id: traiter, kind: action, label: Traiter la demande }
  - { id: ok, kind: decision, label: Résultat correct ?, yes: fin, no: traiter }
  - { id: fin, kind: end, label: Fin }
"#;

const LOOPS_INTO_ONE: &str = r#"
title: Plusieurs boucles vers une étape
steps:
  - { id: debut, kind: start, label: Début }
  - { id: controle, kind: decision, label: Dossier complet ?, yes: a, no: relance }
  - { id: relance, kind: action, label: Relancer le demandeur, next: controle }
  - { id: a, kind: action, label: Vérifier la pièce A }
  - { id: a-ok, kind: decision, label: Pièce A conforme ?, yes: b, no: controle }
  - { id: b, kind: action, label: Vérifier la pièce B }
  - { id: b-ok, kind: decision, label: Pièce B conforme ?, yes: fin, no: controle }
  - { id: fin, kind: end, label: Fin }
"#;

const THREE_BRANCHES: &str = r#"
title: Trois branches
steps:
  - { id: debut, kind: start, label: Début }
  - id: niveau
    kind: decision
    label: Quel niveau de support ?
    branches:
      - { label: Niveau 1, to: n1 }
      - { label: Niveau 2, to: n2 }
      - { label: Fournisseur, to: externe }
  - { id: n1, kind: action, label: Traitement N1, next: fin }
  - { id: n2, kind: action, label: Traitement N2, next: fin }
  - { id: externe, kind: document, label: Dossier fournisseur, next: fin }
  - { id: fin, kind: end, label: Fin }
"#;

const LANES: &str = r#"
title: Couloirs
lanes:
  - { id: user, label: Utilisateur }
  - { id: n1, label: Technicien N1 }
  - { id: n2, label: Technicien N2 }
steps:
  - { id: debut, kind: start, label: Panne, lane: user }
  - { id: appel, kind: action, label: Appeler le support }
  - { id: prise, kind: action, label: Prendre l'appel, lane: n1, status: assigned, sla: tto }
  - { id: simple, kind: decision, label: Panne connue ?, yes: resoudre, no: escalader }
  - { id: escalader, kind: subprocess, label: Escalade, workflow: escalade, lane: n2, next: resoudre }
  - { id: note, kind: comment, label: Voir la procédure d'escalade, about: escalader }
  - { id: resoudre, kind: action, label: Résoudre, lane: n1, status: solved, sla: ttr }
  - { id: renvoi, kind: connector, label: A }
  - { id: fin, kind: end, label: Fin, lane: user, status: closed }
"#;

/// A label of exactly 1,000 characters.
/// Data steps (parallelograms) in three lanes: handoffs between them, loops out of them and
/// decisions' side exits into them.
const DATA_STEPS: &str = r#"
title: Données entre acteurs
lanes:
  - { id: user, label: Utilisateur }
  - { id: glpi, label: GLPI }
  - { id: tech, label: Technicien }
steps:
  - { id: debut, kind: start, label: Début, lane: user }
  - { id: form, kind: data, label: Formulaire de demande rempli }
  - { id: recu, kind: data, label: Accusé de réception, lane: glpi }
  - { id: tri, kind: decision, label: Demande complète ?, lane: tech, yes: export, no: complement }
  - { id: complement, kind: data, label: Pièces complémentaires, lane: user, next: recu }
  - { id: export, kind: data, label: Export CSV de l'inventaire, lane: tech }
  - { id: import, kind: data, label: Import dans GLPI, lane: glpi }
  - { id: choix, kind: decision, label: Import valide ?, lane: glpi, yes: rapport, no: journal }
  - { id: journal, kind: data, label: Journal d'erreurs, lane: tech, next: export }
  - { id: rapport, kind: data, label: Rapport envoyé, lane: user }
  - { id: fin, kind: end, label: Fin, lane: user }
"#;

fn long_label() -> String {
    "Un libellé très long "
        .repeat(48)
        .chars()
        .take(1000)
        .collect()
}

fn hostile_labels() -> String {
    let long = long_label();
    assert_eq!(long.chars().count(), 1000);
    format!(
        r#"
title: "Libellés <script>alert('titre')</script>"
steps:
  - id: debut
    kind: start
    label: "<script>alert('x')</script>"
  - id: guillemets
    kind: action
    label: "Il a dit \"d'accord\" & c'est 'fini' > 3 < 4"
  - id: emoji
    kind: decision
    label: "Tout va bien 🎉 ? ✅"
    yes: long
    no: fin
  - id: long
    kind: action
    label: "{long}"
  - id: fin
    kind: end
    label: "Fin 👍"
"#
    )
}

#[test]
fn shipped_workflows_satisfy_the_invariants() {
    let workflows = shipped();
    assert_eq!(workflows.len(), 4);
    for wf in &workflows {
        for lang in [Language::Fr, Language::En] {
            let svg = svg_of(wf, &wf.id, lang);
            let p = assert_invariants(&wf.id, &svg);
            assert_eq!(p.root_class, "logigramme");
            assert_eq!(p.workflow, wf.id);
            let drawn = wf.steps.len();
            assert_eq!(p.steps.len(), drawn, "{}: every step is drawn", wf.id);
            let flows: usize = wf.steps.iter().map(|s| s.exits.len()).sum();
            assert_eq!(p.flows.len(), flows, "{}: every exit is drawn", wf.id);
        }
    }
}

#[test]
fn test_workflows_satisfy_the_invariants() {
    let generated = gen_workflow::generate_yaml(60, 3);
    let hostile = hostile_labels();
    let cases: [(&str, &str); 7] = [
        ("boucles", LOOPS),
        ("donnees", DATA_STEPS),
        ("boucles-vers-une-etape", LOOPS_INTO_ONE),
        ("trois-branches", THREE_BRANCHES),
        ("couloirs", LANES),
        ("soixante", &generated),
        ("libelles", &hostile),
    ];
    for (id, yaml) in cases {
        let wf = parse(id, yaml);
        let svg = svg_of(&wf, id, Language::Fr);
        assert_invariants(id, &svg);
    }
}

/// A flow leaves or enters a parallelogram's slanted side at its midpoint, half the 12 px
/// skew inside its box, on its centre line: a handoff between two data steps, decisions'
/// exits handed across into them (Oui on the left, Non on the right), and loops out of one
/// on its left and on its right. They left
/// from the corners before, where the line read as the top or bottom edge drawn on.
#[test]
fn flows_meet_a_data_steps_slanted_sides_at_their_middle() {
    let d = layout(&parse("donnees", DATA_STEPS), Language::Fr);
    assert_eq!(
        common::route(&d, "export", "import"),
        vec![(553.0, 440.0), (478.0, 440.0)]
    );
    assert_eq!(
        common::route(&d, "choix", "rapport"),
        vec![(329.0, 537.5), (182.0, 537.5)]
    );
    assert_eq!(
        common::route(&d, "tri", "complement"),
        vec![(544.0, 329.0), (255.5, 329.0)]
    );
    assert_eq!(
        common::route(&d, "complement", "recu"),
        vec![
            (60.5, 329.0),
            (36.0, 329.0),
            (36.0, 202.0),
            (393.0, 202.0),
            (393.0, 214.0)
        ]
    );
    assert_eq!(
        common::route(&d, "journal", "export"),
        vec![
            (675.5, 643.0),
            (715.0, 643.0),
            (715.0, 404.0),
            (622.0, 404.0),
            (622.0, 416.0)
        ]
    );
    for (id, x) in [
        ("export", 553.0),
        ("import", 478.0),
        ("rapport", 182.0),
        ("complement", 255.5),
        ("complement", 60.5),
        ("journal", 675.5),
    ] {
        let r = d.node(id).expect("step").rect;
        let side = if x < r.center().x {
            r.x + 6.0
        } else {
            r.right() - 6.0
        };
        assert_eq!(x, side, "{id}");
    }
}

/// Generated workflows of 24 steps in four lanes (seeds 1–24), every third action made a
/// data step: wherever their flows leave or enter them (handoffs across a row, side exits,
/// loops), the diagrams keep the quality invariants, a data step's slanted sides counting as
/// its border; the flows that meet a slanted side are counted and pinned.
#[test]
fn data_steps_on_generated_workflows_keep_the_invariants() {
    let mut on_slants = 0;
    for seed in 1..=24 {
        let yaml = generate_yaml(24, seed);
        let mut actions = 0;
        let yaml: String = yaml
            .lines()
            .map(|line| {
                if line.trim() != "kind: action" {
                    return format!("{line}\n");
                }
                actions += 1;
                let kind = if actions % 3 == 0 { "data" } else { "action" };
                format!("{}\n", line.replace("action", kind))
            })
            .collect();
        let wf = parse(&format!("gen{seed}"), &yaml);
        let svg = svg_of(&wf, "gen", Language::Fr);
        let parsed = assert_invariants(&format!("seed {seed}"), &svg);
        let data: Vec<&common::StepInfo> =
            parsed.steps.iter().filter(|s| s.kind == "data").collect();
        for f in &parsed.flows {
            for (id, p) in [
                (&f.from, f.points[0]),
                (&f.to, f.points[f.points.len() - 1]),
            ] {
                if data
                    .iter()
                    .any(|s| &s.id == id && !s.bbox.on_border(p) && s.bbox.on_slanted_side(p, 12.0))
                {
                    on_slants += 1;
                }
            }
        }
    }
    assert_eq!(on_slants, 28);
}

/// What the checker reports on `d` as drawn (a layout the test has broken on purpose).
fn violations_of(d: &guichet::workflow::Diagram) -> Vec<String> {
    let svg = to_svg(
        d,
        &SvgOptions {
            id_prefix: "b",
            subprocess_href: &|id| id.to_string(),
            page_href: None,
            highlight: None,
        },
    );
    common::violations(&common::parse(&svg))
}

#[test]
fn the_checker_sees_a_broken_diagram() {
    let wf = parse("boucles", LOOPS);
    let mut d = layout(&wf, Language::Fr);
    // Move a step onto the one above it, and cut a flow short of its target.
    let above = d.nodes[0].rect;
    d.nodes[1].rect = above;
    let flow = &mut d.flows[2];
    let n = flow.points.len();
    flow.points[n - 1].y -= 5.0;
    let problems = violations_of(&d);
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("1: steps debut and saisir overlap")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("4: flow") && p.contains("does not end")),
        "{problems:?}"
    );
}

/// A decision's flows start and end at its vertices, and a data step's on its parallelogram:
/// an end elsewhere on their boxes' borders is reported.
#[test]
fn the_checker_holds_decisions_to_vertices_and_data_steps_to_their_outline() {
    let wf = parse("boucles", LOOPS);
    let mut d = layout(&wf, Language::Fr);
    let index = |d: &guichet::workflow::Diagram, from: &str, to: &str| {
        d.flows
            .iter()
            .position(|f| f.from == from && f.to == to)
            .expect("flow")
    };
    // Into the decision 10 px right of its top vertex, still on its box's top edge.
    let f = index(&d, "saisir", "valide");
    let n = d.flows[f].points.len();
    d.flows[f].points[n - 1].x += 10.0;
    d.flows[f].points[n - 2].x += 10.0;
    // Into the data step at its box's left edge, on its centre line: 6 px short of the
    // slanted side.
    let r = d.node("saisir").expect("step").rect;
    let f = index(&d, "debut", "saisir");
    let n = d.flows[f].points.len();
    let end = &mut d.flows[f].points[n - 1];
    (end.x, end.y) = (r.x, r.center().y);
    let problems = violations_of(&d);
    for expected in [
        "4: flow saisir→valide does not end on valide's border",
        "4: flow debut→saisir does not end on saisir's border",
    ] {
        assert!(problems.iter().any(|p| p == expected), "{problems:?}");
    }
}

#[test]
fn decisions_use_the_site_language_words() {
    let wf = parse("boucles", LOOPS);
    let fr = common::parse(&svg_of(&wf, "b", Language::Fr));
    let en = common::parse(&svg_of(&wf, "b", Language::En));
    let labels = |p: &common::Parsed| {
        let mut l: Vec<String> = p.flows.iter().filter_map(|f| f.label.clone()).collect();
        l.sort();
        l
    };
    assert_eq!(labels(&fr), ["Non", "Non", "Oui", "Oui"]);
    assert_eq!(labels(&en), ["No", "No", "Yes", "Yes"]);
}

#[test]
fn three_branches_leave_from_three_vertices() {
    let wf = parse("trois-branches", THREE_BRANCHES);
    let d = layout(&wf, Language::Fr);
    let node = d.node("niveau").expect("decision");
    let c = node.rect.center();
    let starts: Vec<(String, f32, f32)> = d
        .flows
        .iter()
        .filter(|f| f.from == "niveau")
        .map(|f| (f.to.clone(), f.points[0].x, f.points[0].y))
        .collect();
    // The first branch leaves from the bottom vertex, the others from the side vertices.
    assert_eq!(starts[0], ("n1".to_string(), c.x, node.rect.bottom()));
    let mut sides: Vec<f32> = starts[1..].iter().map(|s| s.1).collect();
    sides.sort_by(f32::total_cmp);
    assert_eq!(sides, vec![node.rect.x, node.rect.right()]);
    assert!(starts[1..].iter().all(|s| s.2 == c.y));
}

#[test]
fn loops_go_back_up_beside_the_drawing() {
    let wf = parse("boucles", LOOPS);
    let d = layout(&wf, Language::Fr);
    let back = d.flows.iter().find(|f| f.from == "corriger").expect("loop");
    assert!(back.back);
    let target = d.node("saisir").expect("target").rect;
    let source = d.node("corriger").expect("source").rect;
    // It leaves the source's side and enters the target from above.
    assert_eq!(back.points[0].x, source.right());
    let end = back.points[back.points.len() - 1];
    assert_eq!((end.x, end.y), (target.center().x, target.y));
    assert!(
        back.points.iter().any(|p| p.y < target.y),
        "{:?}",
        back.points
    );
}

#[test]
fn all_text_is_escaped() {
    let wf = parse("libelles", &hostile_labels());
    let svg = svg_of(&wf, "libelles", Language::Fr);
    assert!(!svg.contains("<script"), "raw markup leaked");
    assert!(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(svg.contains("&quot;d&#39;accord&quot; &amp; c&#39;est"));
    let p = common::parse(&svg);
    // The label shows as those characters (cut between characters to fit its box).
    let start = p.steps.iter().find(|s| s.id == "debut").expect("start");
    assert_eq!(start.text.replace(' ', ""), "<script>alert('x')</script>");
    // The 1,000-character label is wrapped, not cut: every word is there.
    let long = p.steps.iter().find(|s| s.id == "long").expect("long step");
    let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    assert_eq!(words(&long.text), words(&long_label()));
}

#[test]
fn ids_are_unique_when_two_diagrams_share_a_page() {
    let workflows = shipped();
    let incident = workflows
        .iter()
        .find(|w| w.id == "incident")
        .expect("incident");
    let escalade = workflows
        .iter()
        .find(|w| w.id == "escalade")
        .expect("escalade");
    let page = format!(
        "<div>{}{}{}</div>",
        svg_of(incident, "incident", Language::Fr),
        svg_of(escalade, "escalade", Language::Fr),
        svg_of(incident, "incident-2", Language::Fr)
    );
    let doc = roxmltree::Document::parse(&page).expect("well-formed page");
    let mut ids: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate ids in the page");
    // Every reference points inside its own diagram.
    for svg in doc.descendants().filter(|n| n.has_tag_name("svg")) {
        let own: Vec<&str> = svg
            .descendants()
            .filter_map(|n| n.attribute("id"))
            .collect();
        for r in svg.descendants().filter_map(|n| n.attribute("marker-end")) {
            let id = r.trim_start_matches("url(#").trim_end_matches(')');
            assert!(own.contains(&id), "{id} is not in its diagram");
        }
        for r in svg.attribute("aria-labelledby").unwrap_or("").split(' ') {
            assert!(own.contains(&r), "{r} is not in its diagram");
        }
    }
}

#[test]
fn a_highlighted_path_marks_its_steps_and_flows() {
    let wf = parse("boucles", LOOPS);
    let path: Vec<String> = ["debut", "saisir", "valide", "traiter", "ok", "fin"]
        .map(String::from)
        .to_vec();
    let svg = to_svg(
        &layout(&wf, Language::Fr),
        &SvgOptions {
            id_prefix: "b",
            subprocess_href: &|id| format!("../{id}/"),
            page_href: None,
            highlight: Some(&path),
        },
    );
    let doc = roxmltree::Document::parse(&svg).expect("svg");
    let marked: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("step highlighted"))
        .filter_map(|n| n.attribute("data-step"))
        .collect();
    assert_eq!(
        marked,
        ["debut", "saisir", "valide", "traiter", "ok", "fin"]
    );
    let flows: Vec<(&str, &str)> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("flow highlighted"))
        .map(|n| {
            (
                n.attribute("data-from").unwrap_or(""),
                n.attribute("data-to").unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(flows.len(), 5);
    assert!(flows.contains(&("valide", "traiter")));
    assert!(!flows.contains(&("valide", "corriger")));
}

#[test]
fn subprocess_steps_link_to_the_other_workflow() {
    let wf = parse("couloirs", LANES);
    let svg = svg_of(&wf, "couloirs", Language::Fr);
    assert!(svg.contains("<a href=\"../escalade/\">"), "{svg}");
}

#[test]
fn a_hand_built_workflow_without_steps_lays_out() {
    let wf = Workflow {
        id: "vide".to_string(),
        path: "vide.yaml".into(),
        title: "Vide".to_string(),
        description: None,
        lanes: Vec::new(),
        steps: Vec::new(),
    };
    let svg = svg_of(&wf, "vide", Language::Fr);
    let p = common::parse(&svg);
    assert!(p.steps.is_empty() && p.flows.is_empty());
}
