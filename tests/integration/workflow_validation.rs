//! Every validation rule of docs/diagrams.md §1, one fixture each (tests/fixtures/workflows/,
//! named after what it shows), checked with the exact file, line, column and message.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::repo;
use guichet::workflow::{Context, parse_workflow};

/// Parses the fixture `name` with the page `utilisateurs/declarer-un-incident.md` and the
/// workflow `escalade` known, and returns the headlines of its errors.
fn errors_of(name: &str) -> Vec<String> {
    let file = repo("tests/fixtures/workflows").join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&file).expect("fixture");
    let ids: BTreeSet<String> = ["escalade".to_string()].into();
    let exists = |p: &str| p == "utilisateurs/declarer-un-incident.md";
    let ctx = Context {
        page_exists: Some(&exists),
        workflow_ids: Some(&ids),
        languages: None,
    };
    let shown = Path::new("fixtures").join(format!("{name}.yaml"));
    match parse_workflow(&name.replace('_', "-"), &shown, &text, &ctx) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(|e| e.headline()).collect(),
    }
}

#[test]
fn every_rule_is_reported_at_its_line_and_column() {
    let cases: &[(&str, &[&str])] = &[
        (
            "comment_without_about",
            &[
                "fixtures/comment_without_about.yaml:6:9: error: comment `remarque` says no step it is about",
            ],
        ),
        (
            "decision_one_branch",
            &[
                "fixtures/decision_one_branch.yaml:9:5: error: decision `choix` needs two or more branches",
            ],
        ),
        (
            "decision_with_both_forms",
            &[
                "fixtures/decision_with_both_forms.yaml:11:5: error: decision `choix` has both `yes:`/`no:` and `branches:`",
            ],
        ),
        (
            "decision_without_no",
            &[
                "fixtures/decision_without_no.yaml:9:10: error: decision `choix` has `yes:` but no `no:`",
            ],
        ),
        (
            "duplicate_id",
            &[
                "fixtures/duplicate_id.yaml:9:9: error: duplicate step id `etape` (first used on line 6)",
            ],
        ),
        (
            // The model refuses a field written twice, and the generic reading says where,
            // as for the texts by language below (read without the scan of positions).
            "duplicate_key",
            &[
                "fixtures/duplicate_key.yaml:3:5: error: steps[0]: duplicate entry with key \"label\"",
            ],
        ),
        (
            // The model would take the last `fr`: the generic reading refuses the file.
            "duplicate_language",
            &[
                "fixtures/duplicate_language.yaml:5:12: error: steps[0].label: duplicate entry with key \"fr\"",
            ],
        ),
        (
            "endless_loop",
            &[
                "fixtures/endless_loop.yaml:11:9: error: no end can be reached from step `attendre`: an endless loop",
                "fixtures/endless_loop.yaml:14:9: error: no end can be reached from step `relancer`: an endless loop",
            ],
        ),
        (
            "flow_to_comment",
            &[
                "fixtures/flow_to_comment.yaml:6:11: error: a flow cannot go to the comment `remarque`",
            ],
        ),
        (
            "last_without_next",
            &[
                "fixtures/last_without_next.yaml:10:9: error: step `oubli` is the last of the list and says no `next:`",
            ],
        ),
        (
            "missing_link",
            &[
                "fixtures/missing_link.yaml:6:11: error: link to a page that does not exist: content/utilisateurs/page-absente.md",
            ],
        ),
        (
            "missing_reference",
            &["fixtures/missing_reference.yaml:6:11: error: no step has the id `qualifer`"],
        ),
        (
            "no_end",
            &["fixtures/no_end.yaml:2:1: error: the workflow has no end step"],
        ),
        (
            "no_start",
            &["fixtures/no_start.yaml:2:1: error: the workflow has no start step"],
        ),
        (
            "several_errors",
            &[
                "fixtures/several_errors.yaml:8:11: error: lane `users` is not declared in `lanes:`",
                "fixtures/several_errors.yaml:9:9: error: invalid step id `Qualifier`",
                "fixtures/several_errors.yaml:12:13: error: GLPI has no status `open`",
                "fixtures/several_errors.yaml:13:10: error: unknown SLA clock `tta`",
                "fixtures/several_errors.yaml:18:9: error: no step has the id `nulle-part`",
                "fixtures/several_errors.yaml:22:5: error: `next:` is not allowed on `fin`: an end step has no exit",
            ],
        ),
        (
            "syntax_error",
            &["fixtures/syntax_error.yaml:6:7: error: did not find expected ',' or ']'"],
        ),
        (
            "two_starts",
            &[
                "fixtures/two_starts.yaml:7:11: error: a second start step: `debut` (line 4) is already the start",
            ],
        ),
        (
            "undeclared_lane",
            &["fixtures/undeclared_lane.yaml:12:11: error: lane `n3` is not declared in `lanes:`"],
        ),
        (
            "unknown_keys",
            &[
                "fixtures/unknown_keys.yaml:1:1: error: unknown key `titel` in a workflow",
                "fixtures/unknown_keys.yaml:6:5: error: unknown key `nxt` in a step",
                "fixtures/unknown_keys.yaml:10:5: error: unknown key `colour` in a step",
            ],
        ),
        (
            "unknown_kind",
            &["fixtures/unknown_kind.yaml:7:11: error: unknown kind `task`"],
        ),
        (
            "unknown_status",
            &["fixtures/unknown_status.yaml:9:13: error: GLPI has no status `in-progress`"],
        ),
        (
            "unknown_workflow",
            &["fixtures/unknown_workflow.yaml:9:15: error: no workflow has the id `escalade-n3`"],
        ),
        (
            "unreachable_step",
            &[
                "fixtures/unreachable_step.yaml:7:9: error: step `oubliee` cannot be reached from the start `debut`",
            ],
        ),
        (
            "wrong_type",
            &[
                "fixtures/wrong_type.yaml:2:8: error: lanes: invalid type: string \"utilisateur\", expected a sequence",
            ],
        ),
    ];
    let mut fixtures: Vec<String> = std::fs::read_dir(repo("tests/fixtures/workflows"))
        .expect("fixtures folder")
        .map(|e| {
            e.expect("entry")
                .path()
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    fixtures.sort();
    let covered: Vec<String> = cases.iter().map(|c| c.0.to_string()).collect();
    assert_eq!(fixtures, covered, "every fixture has its expected errors");
    for (name, expected) in cases {
        assert_eq!(&errors_of(name), expected, "fixture {name}");
    }
}

#[test]
fn errors_carry_the_source_line_and_a_help() {
    let file = repo("tests/fixtures/workflows/missing_reference.yaml");
    let text = std::fs::read_to_string(file).expect("fixture");
    let errors = parse_workflow(
        "missing-reference",
        Path::new("w.yaml"),
        &text,
        &Context::default(),
    )
    .expect_err("a missing reference");
    assert_eq!(
        errors[0].to_string(),
        "w.yaml:6:11: error: no step has the id `qualifer`\n  |\n6 |     next: qualifer\n  |           ^\n  = help: did you mean `qualifier`?\n"
    );
}

/// Two users wrote `{ label: Utilisateur (enseignant, agent) }` and `{ label: Non, bogue
/// suspecté, to: … }`: YAML ends the label at the comma and reads the rest as a key. The
/// error said only which keys are allowed; it now says why and how to fix it. A key on a
/// line of its own keeps the plain help.
#[test]
fn a_key_cut_from_a_label_by_a_comma_says_to_quote_the_label() {
    let text = "title: Virgule
lanes:
  - { id: usager, label: Utilisateur (enseignant, agent) }
steps:
  - { id: debut, kind: start, label: Début, lane: usager }
  - id: fin
    kind: end
    label: Fin
    lane: usager
    colour: vert
";
    let errors = parse_workflow("virgule", Path::new("v.yaml"), text, &Context::default())
        .expect_err("two unknown keys");
    let messages: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        messages[0],
        "v.yaml:3:51: error: unknown key `agent)` in a lane\n  |\n3 |   - { id: usager, label: Utilisateur (enseignant, agent) }\n  |                                                   ^\n  = help: a comma inside `{ … }` ends a value, so `agent)` is read as a key: if it is the end of the value before it, put that whole value in quotes (`label: \"…, agent)\"`); allowed keys here: `id`, `label`\n"
    );
    assert!(
        messages[1].starts_with("v.yaml:10:5: error: unknown key `colour` in a step\n"),
        "{}",
        messages[1]
    );
    assert!(
        messages[1].contains("  = help: allowed keys here: `"),
        "{}",
        messages[1]
    );
    assert!(!messages[1].contains("comma"), "{}", messages[1]);
}

#[test]
fn links_and_subprocesses_are_not_checked_without_context() {
    for name in ["missing_link", "unknown_workflow"] {
        let file = repo("tests/fixtures/workflows").join(format!("{name}.yaml"));
        let text = std::fs::read_to_string(&file).expect("fixture");
        assert!(
            parse_workflow("x", &file, &text, &Context::default()).is_ok(),
            "{name}"
        );
    }
}

#[test]
fn shipped_workflows_are_valid() {
    let pages = [
        "utilisateurs/declarer-un-incident.md",
        "utilisateurs/valider-ou-refuser-une-solution.md",
        "utilisateurs/faire-une-demande.md",
        "techniciens/qualifier-un-ticket.md",
        "techniciens/escalade.md",
    ];
    let exists = |p: &str| pages.contains(&p);
    let workflows = guichet::workflow::load_dir(&repo("workflows"), &exists)
        .unwrap_or_else(|e| panic!("{}", e.iter().map(|d| d.to_string()).collect::<String>()));
    let ids: Vec<&str> = workflows.iter().map(|w| w.id.as_str()).collect();
    assert_eq!(ids, ["demande", "escalade", "incident", "statuts-glpi"]);
}

#[test]
fn odd_files_give_errors_not_panics() {
    let odd = [
        "",
        "title: x",
        "title: x\nsteps: []\n",
        "title: x\nsteps:\n  - { id: a, kind: start, label: A, next: [] }\n  - { id: b, kind: end, label: B }\n",
        "title: x\nsteps:\n  - { id: a, kind: start, label: A, next: a }\n  - { id: b, kind: end, label: B }\n",
        "title: x\nsteps:\n  - { id: a, kind: decision, label: A, yes: a, no: a }\n",
        "title: x\nsteps:\n  - { id: a, kind: comment, label: A, about: a }\n",
        "- a\n- b\n",
        "title: [x\n",
        "title: x\nsteps:\n  - 12\n",
    ];
    for text in odd {
        let result = parse_workflow("odd", Path::new("odd.yaml"), text, &Context::default());
        let errors = result.expect_err(text);
        assert!(!errors.is_empty(), "{text}");
        assert!(errors.iter().all(|e| e.is_error()), "{text}");
    }
}
