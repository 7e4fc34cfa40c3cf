//! The pipeline's stages in order, end to end: every validation error comes in one report
//! before anything is rendered, and a failure while rendering one page publishes nothing.

use std::path::Path;

use crate::common::{TempSite, build_errors, snapshot};
use guichet::build::{BuildOptions, build};

#[test]
fn a_template_failing_on_one_page_leaves_the_previous_site_untouched() {
    let site = TempSite::new(&[
        ("guichet.yaml", "title: Démo\n"),
        ("content/_index.md", "---\ntitle: Accueil\n---\nBonjour.\n"),
        ("content/a.md", "---\ntitle: A\n---\nTexte.\n"),
        ("content/b.md", "---\ntitle: B\n---\nTexte.\n"),
        (
            "templates/fiche.html",
            "<h1>{{ page.title }}</h1>\n{{ page.inconnu.champ }}\n",
        ),
    ]);
    build(&BuildOptions::new(&site.root)).unwrap();
    let before = snapshot(&site.out());
    // Only b.md uses the template, and it fails only when b.md is rendered.
    site.write(
        "content/b.md",
        "---\ntitle: B\ntemplate: fiche.html\n---\nTexte.\n",
    );
    let errors = build(&BuildOptions::new(&site.root)).unwrap_err();
    assert_eq!(errors.0.len(), 1, "{errors:?}");
    assert_eq!(errors.0[0].path, Path::new("templates/fiche.html"));
    assert_eq!(errors.0[0].line, 2);
    assert_eq!(snapshot(&site.out()), before);
}

#[test]
fn topology_errors_come_with_the_other_validation_errors_before_any_rendering() {
    let site = TempSite::new(&[
        ("guichet.yaml", "title: Démo\n"),
        ("content/_index.md", "---\ntitle: Accueil\n---\nBonjour.\n"),
        (
            "content/reseau.md",
            "---\ntitle: Réseau\n---\n```topologie reseau.yaml\n```\n\nVoir [la page absente](absente.md).\n",
        ),
        (
            "content/reseau.yaml",
            "networks:\n  - id: lan\n    vlan: 10\n    cidr: 192.168.10.0/24\ndevices:\n  - id: srv\n    kind: server\n    interfaces:\n      - network: lan\n        address: 192.168.20.5\n",
        ),
        (
            "content/tickets/1-wifi.md",
            "---\nid: 1\nname: Wi-Fi coupé\ntype: incident\nurgency: 3\nimpact: 3\nstatus: new\ndate: 2025-03-03 09:00\nworkflow: inexistant\n---\nTexte.\n",
        ),
    ]);
    let errors = build_errors(&site);
    // Both validation errors at their own lines; the broken link is not reported because
    // no page was rendered, and the topology's block adds no error of its own.
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(
        errors[0],
        "content/reseau.yaml:10:18: error: address 192.168.20.5 is outside network `lan` (192.168.10.0/24)"
    );
    assert!(
        errors[1]
            .starts_with("content/tickets/1-wifi.md:9:11: error: unknown workflow `inexistant`"),
        "{errors:?}"
    );
}

#[test]
fn an_inline_topology_and_a_file_topology_get_their_own_files_and_ids() {
    let yaml = "networks:\n  - id: lan\n    cidr: 192.168.10.0/24\ndevices:\n  - id: srv\n    kind: server\n    interfaces:\n      - network: lan\n        address: 192.168.10.5\n";
    let page = format!(
        "---\ntitle: Réseau\n---\n```topologie reseau.yaml\n```\n\n```topologie\n{yaml}```\n"
    );
    let site = TempSite::new(&[
        ("guichet.yaml", "title: Démo\n"),
        ("content/_index.md", "---\ntitle: Accueil\n---\nBonjour.\n"),
        ("content/reseau.md", &page),
        ("content/reseau.yaml", yaml),
    ]);
    build(&BuildOptions::new(&site.root)).unwrap();
    let files: Vec<String> = snapshot(&site.out())
        .into_keys()
        .filter(|f| f.starts_with("reseau/"))
        .collect();
    assert_eq!(
        files,
        [
            "reseau/index.html",
            "reseau/reseau-flux.csv",
            "reseau/reseau-plan-ip.csv",
            "reseau/reseau.png",
            "reseau/topologie-1-flux.csv",
            "reseau/topologie-1-plan-ip.csv",
            "reseau/topologie-1.png",
        ]
    );
    let html = std::fs::read_to_string(site.out().join("reseau/index.html")).unwrap();
    assert!(html.contains("data-topology=\"reseau\""));
    assert!(html.contains("data-topology=\"topologie-1\""));
}

#[test]
fn a_broken_workflow_does_not_fail_the_tickets_of_the_valid_ones() {
    let valid = "title: Incident\nsteps:\n  - id: debut\n    kind: start\n    label: Début\n    next: fin\n  - id: fin\n    kind: end\n    label: Fin\n";
    let broken = "title: Sans fin\nsteps:\n  - id: debut\n    kind: start\n    label: Début\n  - id: boucle\n    kind: action\n    label: Recommencer\n    next: debut\n";
    let ticket = |id: u32, workflow: &str| {
        format!(
            "---\nid: {id}\nname: Ticket {id}\ntype: incident\nurgency: 3\nimpact: 3\nstatus: new\ndate: 2025-03-03 09:00\nworkflow: {workflow}\n---\nTexte.\n"
        )
    };
    let site = TempSite::new(&[
        ("guichet.yaml", "title: Démo\n"),
        ("content/_index.md", "---\ntitle: Accueil\n---\nBonjour.\n"),
        ("workflows/incident.yaml", valid),
        ("workflows/sans-fin.yaml", broken),
        ("content/tickets/1-a.md", &ticket(1, "incident")),
        ("content/tickets/2-b.md", &ticket(2, "sans-fin")),
        ("content/tickets/3-c.md", &ticket(3, "inconnu")),
    ]);
    // The broken file's own error, and the ticket naming a workflow that does not exist;
    // neither ticket 1 (valid workflow) nor ticket 2 (the broken one) is blamed.
    assert_eq!(
        build_errors(&site),
        [
            "content/tickets/3-c.md:9:11: error: unknown workflow `inconnu`",
            "workflows/sans-fin.yaml:2:1: error: the workflow has no end step",
        ]
    );
}
