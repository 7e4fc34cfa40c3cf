//! The text version of a workflow: an ordered list with each jump written in words.

use std::path::Path;

use crate::common::repo;
use guichet::language::Language;
use guichet::workflow::text_version_html;

fn incident() -> guichet::workflow::Workflow {
    guichet::workflow::load_dir(&repo("workflows"), &|_| true)
        .expect("valid workflows")
        .into_iter()
        .find(|w| w.id == "incident")
        .expect("incident")
}

#[test]
fn decisions_are_written_as_if_yes_if_no() {
    let html = text_version_html(&incident(), Language::Fr);
    assert!(html.starts_with("<ol class=\"logigramme-texte\" lang=\"fr\">"));
    assert!(html.contains(
        "<li id=\"incident-texte-complet\"><strong>Informations suffisantes ?</strong> <span class=\"acteur\">(Technicien N1)</span>. \
         Si oui → <a href=\"#incident-texte-niveau1\">8. Résoluble au niveau 1 ?</a>, \
         si non → <a href=\"#incident-texte-demander\">6. Demander des précisions au demandeur</a>.</li>"
    ), "{html}");
}

#[test]
fn steps_carry_status_sla_subprocess_and_comments() {
    let html = text_version_html(&incident(), Language::Fr);
    assert!(html.contains("<strong>Prendre en charge et qualifier : catégorie, impact, priorité</strong> <span class=\"acteur\">(Technicien N1)</span>. Statut GLPI : En cours (attribué). Délai SLA : TTO."));
    assert!(html.contains("Voir le logigramme <a href=\"../escalade/\">escalade</a>."));
    assert!(html.contains("<em>Remarque : Sans réponse, GLPI clôt le ticket après le délai de clôture automatique.</em>"));
    assert!(html.contains("<strong>Ticket clos</strong> <span class=\"acteur\">(Utilisateur)</span>. Statut GLPI : Clos. Fin du processus.</li>"));
    // Comments are not numbered steps: 14 items for 15 steps.
    let doc = roxmltree::Document::parse(&html).expect("well-formed list");
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("li")).count(),
        14
    );
}

#[test]
fn english_words_and_escaping() {
    let yaml = "title: T\nsteps:\n  - { id: a, kind: start, label: \"<b>Start</b>\" }\n  - id: q\n    kind: decision\n    label: Which?\n    branches:\n      - { label: \"A & B\", to: z }\n      - { label: C, to: z }\n  - { id: z, kind: end, label: End }\n";
    let wf = guichet::workflow::parse_workflow("t", Path::new("t.yaml"), yaml, &Default::default())
        .expect("valid");
    let html = text_version_html(&wf, Language::En);
    assert_eq!(
        html,
        "<ol class=\"logigramme-texte\" lang=\"en\">\
         <li id=\"t-texte-a\"><strong>&lt;b&gt;Start&lt;/b&gt;</strong>. Then → <a href=\"#t-texte-q\">2. Which?</a>.</li>\
         <li id=\"t-texte-q\"><strong>Which?</strong>. If “A &amp; B” → <a href=\"#t-texte-z\">3. End</a>, if “C” → <a href=\"#t-texte-z\">3. End</a>.</li>\
         <li id=\"t-texte-z\"><strong>End</strong>. End of the process.</li></ol>"
    );
}
