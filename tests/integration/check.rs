//! `guichet check`: the fixture site tests/fixtures/check has one planted fault per rule and
//! gets exactly those findings, in text and JSON; the demo passes `--strict`; settings,
//! ignore comments, `--fix`, a missing dictionary and `--external` against a local server.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use guichet::check::{CheckOptions, SYSTEM_DICTIONARIES, check};

use crate::common::{TempSite, repo, skip_without};

/// The headline of each planted fault, in the order check sorts them.
const PLANTED: &[&str] = &[
    "content/connexion.ini:2:10: error[secrets]: the value of `password` published with the site",
    "content/doublon-b.md:2:8: warning[duplicate-title]: the title `Sauvegarde` is also the title of content/doublon-a.md",
    "content/orpheline.md:2:8: warning[orphan-page]: no other page links to this page",
    "content/procedure.md:8:14: warning[spelling]: unknown word `redémaré`",
    "content/procedure.md:10:1: warning[alt-text]: image without alternative text",
    "content/procedure.md:12:1: warning[heading-levels]: heading level jumps from h2 to h4",
    "content/procedure.md:14:6: warning[link-text]: link text `ici` does not say where it goes",
    "content/procedure.md:16:1: warning[empty-section]: heading with nothing under it",
    "content/procedure.md:16:11: warning[typography]: plain space before `:`",
    "content/sans-description.md:2:8: warning[description]: page without description",
];

/// True when Debian's French and English dictionaries are installed; otherwise says the
/// test is skipped (or fails it on CI, which installs them).
fn dictionaries() -> bool {
    let dir = Path::new(SYSTEM_DICTIONARIES);
    let there = dir.join("fr.aff").exists() && dir.join("en_US.aff").exists();
    if !there {
        skip_without("hunspell-fr and hunspell-en-us");
    }
    there
}

fn guichet_check(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_guichet"))
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap()
}

fn headlines(stdout: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter(|l| l.starts_with("content/"))
        .map(str::to_string)
        .collect()
}

/// A copy of the fixture site, to edit.
fn fixture_copy() -> TempSite {
    let site = TempSite::new(&[]);
    for entry in walk(&repo("tests/fixtures/check")) {
        let rel = entry.strip_prefix(repo("tests/fixtures/check")).unwrap();
        site.write(rel.to_str().unwrap(), &fs::read_to_string(&entry).unwrap());
    }
    site
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            files.extend(walk(&e.path()));
        } else {
            files.push(e.path());
        }
    }
    files
}

#[test]
fn the_fixture_gets_exactly_its_planted_faults_in_text() {
    if !dictionaries() {
        return;
    }
    let out = guichet_check(&repo("tests/fixtures/check"), &[]);
    assert_eq!(headlines(&out.stdout), PLANTED);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(
        "8 | Le serveur a redémaré cette nuit.\n  |              ^\n  = help: did you mean `redémarré`? If `redémaré` is right, add it to mots.txt\n"
    ));
    assert!(
        text.ends_with("\n")
            && text
                .lines()
                .last()
                .unwrap()
                .starts_with("check: 1 error(s), 9 warning(s) in 6 pages (")
    );
    assert_eq!(out.status.code(), Some(1), "a secret is an error");
    assert!(
        !repo("tests/fixtures/check/site").exists(),
        "check writes no site"
    );
}

#[test]
fn the_fixture_gets_exactly_its_planted_faults_in_json() {
    if !dictionaries() {
        return;
    }
    let out = guichet_check(&repo("tests/fixtures/check"), &["--format", "json"]);
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{}: {}[{}]: {}",
                f["file"].as_str().unwrap(),
                f["line"],
                f["column"],
                f["severity"].as_str().unwrap(),
                f["rule"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(got, PLANTED);
    assert_eq!(
        findings[8]["help"],
        "replace it with a non-breaking space (U+00A0); `guichet check --fix` does it"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_demo_passes_strict_with_no_finding() {
    if !dictionaries() {
        return;
    }
    let out = guichet_check(&repo("."), &["--strict"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("check: 0 error(s), 0 warning(s) in 46 pages ("),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn warnings_fail_only_with_strict_and_rules_turn_off_in_guichet_yaml() {
    let site = fixture_copy();
    site.write(
        "guichet.yaml",
        "title: Fautes\ncheck: { secrets: false, spelling: false }\n",
    );
    let out = guichet_check(&site.root, &[]);
    let found = headlines(&out.stdout);
    assert_eq!(found.len(), PLANTED.len() - 2, "{found:?}");
    assert!(
        !found
            .iter()
            .any(|h| h.contains("[secrets]") || h.contains("[spelling]"))
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        guichet_check(&site.root, &["--strict"]).status.code(),
        Some(1)
    );
}

#[test]
fn an_ignore_comment_silences_one_rule_on_its_line_or_block() {
    let site = fixture_copy();
    let page = fs::read_to_string(site.root.join("content/procedure.md")).unwrap();
    site.write(
        "content/procedure.md",
        &page
            .replace(
                "## Étape 3 : vérifier",
                "## Étape 3 : vérifier <!-- check: ignore typography -->",
            )
            .replace(
                "![](schema.png)",
                "<!-- check: ignore alt-text -->\n![](schema.png)",
            ),
    );
    site.write(
        "content/connexion.ini",
        "[base]\n; check: ignore secrets\npassword=S3cretPass\n",
    );
    let report = check(&CheckOptions::new(&site.root));
    let rules: Vec<&str> = report.findings.iter().filter_map(|d| d.rule).collect();
    assert!(!rules.contains(&"typography"), "{rules:?}");
    assert!(!rules.contains(&"alt-text"), "{rules:?}");
    assert!(!rules.contains(&"secrets"), "{rules:?}");
    // Only the named rule: the empty section on the same line is still found.
    assert!(rules.contains(&"empty-section"), "{rules:?}");
}

#[test]
fn fix_puts_the_non_breaking_spaces_in_the_files_and_shows_them() {
    let site = fixture_copy();
    site.write(
        "content/sans-description.md",
        "---\ntitle: « Page » sans résumé\n---\n\nPourquoi ? Parce que ; voilà !\n",
    );
    let out = guichet_check(&site.root, &["--fix"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(
        "fixed: content/procedure.md:16:11: warning[typography]: plain space before `:`\n"
    ));
    assert_eq!(text.matches("fixed: ").count(), 6, "{text}");
    assert_eq!(
        fs::read_to_string(site.root.join("content/sans-description.md")).unwrap(),
        "---\ntitle: «\u{a0}Page\u{a0}» sans résumé\n---\n\nPourquoi\u{202f}? Parce que\u{202f}; voilà\u{202f}!\n"
    );
    assert!(
        fs::read_to_string(site.root.join("content/procedure.md"))
            .unwrap()
            .contains("## Étape 3\u{a0}: vérifier\n")
    );
    let again = check(&CheckOptions::new(&site.root));
    assert!(!again.findings.iter().any(|d| d.rule == Some("typography")));
}

#[test]
fn without_a_dictionary_spelling_is_skipped_with_one_note() {
    let site = fixture_copy();
    let report = check(&CheckOptions {
        dictionaries: site.root.join("no-dictionaries-here"),
        ..CheckOptions::new(&site.root)
    });
    assert!(!report.findings.iter().any(|d| d.rule == Some("spelling")));
    assert_eq!(report.findings.len(), PLANTED.len() - 1);
    assert_eq!(report.notes.len(), 1, "{:?}", report.notes);
    assert!(report.notes[0].starts_with("no French dictionary (fr_FR.aff and .dic) in "));
}

#[test]
fn a_build_error_is_reported_as_build_reports_it() {
    let site = fixture_copy();
    site.write(
        "content/casse.md",
        "---\ntitle: Casse\ndescription: Un lien mort.\n---\n\nVoir [la page](absente.md).\n",
    );
    let out = guichet_check(&site.root, &["--format", "json"]);
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(
        (
            findings[0]["file"].as_str(),
            findings[0]["line"].as_u64(),
            findings[0]["rule"].as_str()
        ),
        (Some("content/casse.md"), Some(6), Some("build"))
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn external_links_are_requested_once_then_cached() {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
    let port = server.server_addr().to_ip().unwrap().port();
    let requests = Arc::new(AtomicUsize::new(0));
    let serving = {
        let (server, requests) = (server.clone(), requests.clone());
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                requests.fetch_add(1, Ordering::SeqCst);
                let head = *request.method() == tiny_http::Method::Head;
                let code = match request.url() {
                    "/ok" => 200,
                    // Refuses HEAD, answers GET: checked with GET after HEAD.
                    "/get-only" if head => 405,
                    "/get-only" => 200,
                    _ => 404,
                };
                let _ = request.respond(tiny_http::Response::empty(code));
            }
        })
    };
    let site = TempSite::new(&[
        ("guichet.yaml", "title: Liens\ncheck: { spelling: false }\n"),
        (
            "content/_index.md",
            &format!(
                "---\ntitle: Liens\ndescription: Des liens.\n---\n\n[Bon](http://127.0.0.1:{port}/ok), [encore](http://127.0.0.1:{port}/ok), [GET](http://127.0.0.1:{port}/get-only).\n\n[Absent](http://127.0.0.1:{port}/absent)\n"
            ),
        ),
    ]);
    let options = CheckOptions {
        external: true,
        ..CheckOptions::new(&site.root)
    };
    let first = check(&options);
    let broken: Vec<String> = first.findings.iter().map(|d| d.headline()).collect();
    assert_eq!(
        broken,
        [format!(
            "content/_index.md:8:1: error[external-links]: broken external link `http://127.0.0.1:{port}/absent`: HTTP 404"
        )]
    );
    // /ok HEAD, /get-only HEAD then GET, /absent HEAD then GET.
    assert_eq!(requests.load(Ordering::SeqCst), 5);
    let cache = fs::read_to_string(site.root.join(guichet::check::LINK_CACHE_FILE)).unwrap();
    assert!(cache.contains(&format!("\"http://127.0.0.1:{port}/ok\"")));
    assert!(!cache.contains("/absent"));
    let second = check(&options);
    assert_eq!(second.findings.len(), 1);
    assert_eq!(
        requests.load(Ordering::SeqCst),
        7,
        "only the broken link is requested again"
    );
    assert!(
        !check(&CheckOptions::new(&site.root))
            .findings
            .iter()
            .any(|d| d.rule == Some("external-links"))
    );
    server.unblock();
    serving.join().unwrap();
}

#[test]
fn a_secret_in_a_static_folder_is_found_at_its_line() {
    let site = fixture_copy();
    site.write(
        "static/outils/connexion.ini",
        "[glpi]\nuser=tech\npassword=Hunter22x\n",
    );
    site.write(
        "themes/guichet/static/outils.js",
        "// Jeton du robot\nfetch(url, { headers: { Authorization: 'glpat-Zx81Kq3LmN0pRt5VwY7b' } });\n",
    );
    let out = guichet_check(&site.root, &["--format", "text"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let statics: Vec<&str> = text.lines().filter(|l| l.starts_with("static/")).collect();
    assert_eq!(
        statics,
        [
            "static/outils/connexion.ini:3:10: error[secrets]: the value of `password` published with the site"
        ],
        "{text}"
    );
    let theme: Vec<&str> = text.lines().filter(|l| l.starts_with("themes/")).collect();
    assert_eq!(
        theme,
        [
            "themes/guichet/static/outils.js:2:41: error[secrets]: an API token published with the site"
        ],
        "{text}"
    );
    assert!(
        text.contains("published as it is from a static folder"),
        "{text}"
    );
}

/// `guichet check | head -1` stops reading early: the command ends on SIGPIPE as Unix tools do,
/// not with a panic message about a broken pipe.
#[test]
fn a_reader_that_goes_away_ends_the_command_quietly() {
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .args(["check", "--root"])
        .arg(repo("tests/fixtures/check"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.signal(), Some(libc::SIGPIPE), "{stderr}");
}
