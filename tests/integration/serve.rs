//! `guichet serve` end to end: a real server on a free loopback port, spoken to over raw TCP
//! (so no client normalises the paths we send), with its live-reload stream.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::TempSite;
use crate::common::server::{
    Events, PATIENCE, build_for_comparison, built_file, get, live_reload_script, options, request,
    save, start, start_with, start_with_events, start_with_sources_read,
};
use guichet::serve::http::inject_before_head_end;
use guichet::serve::{ServeEvent, ServeOptions};

fn small_site() -> TempSite {
    TempSite::new(&[
        ("guichet.yaml", "title: Démo\n"),
        (
            "content/_index.md",
            "---\ntitle: Accueil\n---\nBienvenue.\n",
        ),
        (
            "content/utilisateurs/_index.md",
            "---\ntitle: Utilisateurs\n---\nProcédures.\n",
        ),
        (
            "content/utilisateurs/suivre.md",
            "---\ntitle: Suivre\nweight: 2\n---\nPremière version.\n",
        ),
        ("content/utilisateurs/capture.png", "PNG"),
        ("content/utilisateurs/config_db.php", "<?php $a = 1;\n"),
        ("secret.txt", "ne pas servir"),
    ])
}

#[test]
fn listens_on_loopback_by_default() {
    let site = small_site();
    assert_eq!(
        ServeOptions::new(&site.root).bind,
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    );
    let server = start(&site);
    assert_eq!(server.addr().ip(), IpAddr::V4(Ipv4Addr::LOCALHOST));
    assert_eq!(server.url(), format!("http://{}/", server.addr()));
    server.shutdown();
}

#[test]
fn serves_pages_and_assets_with_their_types() {
    let site = small_site();
    let server = start(&site);
    let addr = server.addr();

    let page = get(addr, "/utilisateurs/suivre/");
    assert_eq!(page.status, 200);
    assert_eq!(page.header("Content-Type"), "text/html; charset=utf-8");
    // The served page is the built page plus the live-reload script before </head>, nothing
    // else: `build` output never contains the script.
    let built = built_file(&site, "utilisateurs/suivre/index.html");
    assert!(!String::from_utf8_lossy(&built).contains("guichet-live-reload"));
    let text = page.text();
    assert_eq!(
        page.body,
        inject_before_head_end(&built, live_reload_script(&text))
    );
    assert!(page.text().contains("Première version."));

    for (target, kind) in [
        ("/", "text/html; charset=utf-8"),
        ("/static/style.css", "text/css; charset=utf-8"),
        ("/utilisateurs/capture.png", "image/png"),
        ("/utilisateurs/config_db.php", "text/plain; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let reply = get(addr, target);
        assert_eq!(
            (reply.status, reply.header("Content-Type")),
            (200, kind),
            "{target}"
        );
    }
    assert_eq!(get(addr, "/utilisateurs/capture.png").body, b"PNG");
    server.shutdown();
}

#[test]
fn etag_304_and_head() {
    let site = small_site();
    let server = start(&site);
    let addr = server.addr();
    for target in ["/utilisateurs/", "/static/style.css"] {
        let first = get(addr, target);
        let etag = first.header("ETag").to_string();
        assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
        let again = request(addr, "GET", target, &[("If-None-Match", &etag)]);
        assert_eq!(again.status, 304, "{target}");
        assert!(again.body.is_empty());
        assert_eq!(again.header("ETag"), etag);
        let other = request(addr, "GET", target, &[("If-None-Match", "\"autre\"")]);
        assert_eq!(other.status, 200);
        assert_eq!(other.body, first.body);

        let head = request(addr, "HEAD", target, &[]);
        assert_eq!(head.status, 200);
        assert!(head.body.is_empty());
        assert_eq!(
            head.header("Content-Length"),
            first.body.len().to_string(),
            "{target}"
        );
        assert_eq!(head.header("Content-Type"), first.header("Content-Type"));
    }
    assert_eq!(request(addr, "POST", "/", &[]).status, 405);
    server.shutdown();
}

#[test]
fn folder_redirect_and_404_page() {
    let site = small_site();
    let server = start(&site);
    let addr = server.addr();
    let moved = get(addr, "/utilisateurs");
    assert_eq!(moved.status, 308);
    assert_eq!(moved.header("Location"), "/utilisateurs/");
    let moved = get(addr, "/utilisateurs/suivre?x=1");
    assert_eq!(moved.status, 308);
    assert_eq!(moved.header("Location"), "/utilisateurs/suivre/?x=1");

    let missing = get(addr, "/absent/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("Content-Type"), "text/html; charset=utf-8");
    let not_found = built_file(&site, "404.html");
    assert_eq!(
        missing.body,
        inject_before_head_end(&not_found, live_reload_script(&missing.text()))
    );
    assert_eq!(get(addr, "/absent.css").status, 404);
    server.shutdown();
}

#[test]
fn no_way_out_of_the_site() {
    let site = small_site();
    let server = start(&site);
    let addr = server.addr();
    let secret = site.root.join("secret.txt");
    let absolute = secret.to_string_lossy().into_owned();
    let cases: &[(&str, u16)] = &[
        ("/../secret.txt", 400),
        ("/utilisateurs/../../secret.txt", 400),
        ("/%2e%2e/secret.txt", 400),
        ("/%2E%2E/%2e%2e/secret.txt", 400),
        ("/.%2e/secret.txt", 400),
        ("/utilisateurs%2f..%2f..%2fsecret.txt", 400),
        ("/%2f..%2fsecret.txt", 400),
        ("/%252e%252e/secret.txt", 404),
        ("/%252e%252e%252fsecret.txt", 404),
        ("/..%5csecret.txt", 400),
        ("/..\\secret.txt", 400),
        ("/utilisateurs/suivre/index.html%00.png", 400),
        ("//etc/passwd", 400),
        ("/etc/passwd", 404),
        (&absolute, 404),
        ("/secret.txt", 404),
        ("/guichet.yaml", 404),
        ("/content/utilisateurs/suivre.md", 404),
        ("http://127.0.0.1/../secret.txt", 400),
        ("/%zz", 400),
    ];
    for (target, status) in cases {
        let reply = get(addr, target);
        assert_eq!(reply.status, *status, "{target}");
        assert!(!reply.text().contains("ne pas servir"), "{target}");
    }
    server.shutdown();
}

#[test]
fn two_hundred_concurrent_requests() {
    let site = small_site();
    let server = start(&site);
    let addr = server.addr();
    let expected = get(addr, "/utilisateurs/suivre/").body;
    let replies: Vec<(u16, Vec<u8>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..200)
            .map(|i| {
                scope.spawn(move || {
                    let target = if i % 2 == 0 {
                        "/utilisateurs/suivre/"
                    } else {
                        "/static/style.css"
                    };
                    let r = get(addr, target);
                    (r.status, if i % 2 == 0 { r.body } else { Vec::new() })
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(replies.len(), 200);
    for (i, (status, body)) in replies.iter().enumerate() {
        assert_eq!(*status, 200, "request {i}");
        if i % 2 == 0 {
            assert_eq!(body, &expected, "request {i}");
        }
    }
    server.shutdown();
}

#[test]
fn reload_event_after_an_edit_then_new_content() {
    let site = small_site();
    let server = start(&site);
    let addr = server.addr();
    let mut events = Events::open(addr);
    let first = events.generation.clone();
    assert!(
        get(addr, "/utilisateurs/suivre/")
            .text()
            .contains("Première version.")
    );

    save(
        &site,
        "content/utilisateurs/suivre.md",
        "---\ntitle: Suivre\nweight: 2\n---\nDeuxième version.\n",
    );
    let generation = events.wait_for("reload");
    assert_ne!(generation, first);
    // The event is sent after the new site is in place: the very next request sees it.
    let page = get(addr, "/utilisateurs/suivre/");
    assert!(page.text().contains("Deuxième version."), "{}", page.text());
    assert!(
        page.text()
            .contains(&format!("window.__guichetGeneration=\"{generation}\""))
    );
    // A tab connecting now is told the new generation.
    assert_eq!(Events::open(addr).generation, generation);
    server.shutdown();
}

#[test]
fn polling_sees_edits_too() {
    let site = small_site();
    let mut options = options(&site);
    options.poll = true;
    let server = start_with(options, |_| {});
    let addr = server.addr();
    let mut events = Events::open(addr);
    save(
        &site,
        "content/utilisateurs/suivre.md",
        "---\ntitle: Suivre\nweight: 2\n---\nVue par sondage.\n",
    );
    events.wait_for("reload");
    assert!(
        get(addr, "/utilisateurs/suivre/")
            .text()
            .contains("Vue par sondage.")
    );
    server.shutdown();
}

#[test]
fn stylesheet_change_swaps_css_without_reload() {
    let site = small_site();
    let server = start(&site);
    let addr = server.addr();
    let mut events = Events::open(addr);
    save(
        &site,
        "static/style.css",
        "body { color: rebeccapurple; }\n",
    );
    let (name, _) = events.next().expect("an event");
    assert_eq!(name, "css");
    assert_eq!(
        get(addr, "/static/style.css?guichet=2").text(),
        "body { color: rebeccapurple; }\n"
    );
    server.shutdown();
}

#[test]
fn overlay_on_a_broken_file_then_recovery() {
    let site = small_site();
    let (tx, rx) = mpsc::channel();
    let server = start_with(options(&site), move |e| {
        if let ServeEvent::Failed(d) = e {
            let _ = tx.send(d.to_string());
        }
    });
    let addr = server.addr();
    let mut events = Events::open(addr);

    save(
        &site,
        "content/utilisateurs/suivre.md",
        "---\ntitle: Suivre\nweight: deux\n---\nCassée.\n",
    );
    let payload: serde_json::Value = serde_json::from_str(&events.wait_for("errors")).unwrap();
    let terminal = rx
        .recv_timeout(PATIENCE)
        .expect("the terminal got the errors");
    assert_eq!(payload["text"], terminal.as_str());
    assert_eq!(payload["errors"], 1);
    assert_eq!(payload["site_served"], true);
    assert_eq!(
        terminal,
        "content/utilisateurs/suivre.md:3:9: error: weight: invalid type: string \"deux\", expected a whole number\n  |\n3 | weight: deux\n  |         ^\n"
    );
    // The last good site is still served, and a tab opened now sees the overlay at once.
    assert!(
        get(addr, "/utilisateurs/suivre/")
            .text()
            .contains("Première version.")
    );
    let mut late = Events::open(addr);
    let late_payload: serde_json::Value = serde_json::from_str(&late.wait_for("errors")).unwrap();
    assert_eq!(late_payload, payload);

    save(
        &site,
        "content/utilisateurs/suivre.md",
        "---\ntitle: Suivre\nweight: 2\n---\nRéparée.\n",
    );
    assert_eq!(events.next().map(|e| e.0).as_deref(), Some("ok"));
    assert_eq!(events.next().map(|e| e.0).as_deref(), Some("reload"));
    assert!(
        get(addr, "/utilisateurs/suivre/")
            .text()
            .contains("Réparée.")
    );
    server.shutdown();
}

#[test]
fn a_site_that_never_built_shows_the_overlay_until_fixed() {
    let site = small_site();
    site.write("guichet.yaml", "titre: Démo\n");
    let server = start(&site);
    let addr = server.addr();
    let placeholder = get(addr, "/");
    assert_eq!(placeholder.status, 503);
    assert!(
        placeholder
            .text()
            .contains("<script data-guichet-live-reload>")
    );
    let mut events = Events::open(addr);
    let payload = events.wait_for("errors");
    assert!(
        payload.contains("guichet.yaml:1:1: error: unknown key `titre`"),
        "{payload}"
    );

    save(&site, "guichet.yaml", "title: Démo\n");
    events.wait_for("reload");
    assert_eq!(get(addr, "/").status, 200);
    server.shutdown();
}

#[test]
fn serves_under_the_base_path() {
    let site = small_site();
    site.write(
        "guichet.yaml",
        "title: Démo\nbase_url: https://nom.github.io/portfolio/\n",
    );
    let server = start(&site);
    let addr = server.addr();
    assert_eq!(server.url(), format!("http://{addr}/portfolio/"));
    let root = get(addr, "/");
    assert_eq!((root.status, root.header("Location")), (308, "/portfolio/"));
    let bare = get(addr, "/portfolio");
    assert_eq!((bare.status, bare.header("Location")), (308, "/portfolio/"));
    assert_eq!(get(addr, "/portfolio/").status, 200);
    assert_eq!(get(addr, "/portfolio/utilisateurs/suivre/").status, 200);
    assert_eq!(
        get(addr, "/portfolio/utilisateurs").header("Location"),
        "/portfolio/utilisateurs/"
    );
    assert_eq!(get(addr, "/utilisateurs/suivre/").status, 404);
    server.shutdown();
}

#[test]
fn shutdown_is_prompt_with_a_tab_connected_and_frees_the_port() {
    let site = small_site();
    let server = start(&site);
    let addr = server.addr();
    let _tab = Events::open(addr);
    let started = Instant::now();
    while server.live_clients() != 1 {
        assert!(started.elapsed() < PATIENCE, "the stream was never counted");
        std::thread::sleep(Duration::from_millis(10));
    }
    let stopping = Instant::now();
    server.shutdown();
    // The workers poll for the stop flag every 100 ms; a connected tab must not hold it up.
    assert!(
        stopping.elapsed() < Duration::from_secs(5),
        "{:?}",
        stopping.elapsed()
    );
    // tiny_http closes its listener from its accept thread, just after the server is dropped.
    let stopped = Instant::now();
    while TcpStream::connect(addr).is_ok() {
        assert!(stopped.elapsed() < PATIENCE, "the port is still open");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn linked_site() -> TempSite {
    TempSite::new(&[
        ("guichet.yaml", "title: Démo\n"),
        (
            "content/_index.md",
            "---\ntitle: Accueil\n---\nBienvenue.\n",
        ),
        (
            "content/utilisateurs/_index.md",
            "---\ntitle: Utilisateurs\ndescription: Les procédures.\n---\nProcédures.\n",
        ),
        (
            "content/utilisateurs/se-connecter.md",
            "---\ntitle: Se connecter\nweight: 1\ndate: 2025-03-02\n---\n## Étape 1 : ouvrir\n\nTexte.\n\n## Étape 2 : vérifier\n\nVoir [suivre](suivre.md).\n",
        ),
        (
            "content/utilisateurs/suivre.md",
            "---\ntitle: Suivre\nweight: 2\n---\nRetour à [l'étape 2](se-connecter.md#etape-2-verifier).\n",
        ),
    ])
}

/// Every file `guichet build` writes, compared with what the server answers for it (HTML
/// without the live-reload script); the list of the output's files with their hashes
/// (`.guichet-files`), the build's own bookkeeping, is not served.
fn assert_serves_what_build_writes(site: &TempSite, addr: SocketAddr) {
    let out = build_for_comparison(site).expect("builds");
    let mut files = crate::common::snapshot(&out);
    assert!(files.remove(".guichet-files").is_some());
    assert_eq!(get(addr, "/.guichet-files").status, 404);
    assert!(files.len() > 5);
    for (path, bytes) in files {
        let reply = get(addr, &format!("/{path}"));
        assert_eq!(reply.status, 200, "{path}");
        let served = if path.ends_with(".html") {
            let text = reply.text();
            text.replacen(live_reload_script(&text), "", 1).into_bytes()
        } else {
            reply.body
        };
        assert!(served == bytes, "{path} differs from the build");
    }
}

/// The next build outcome (file-change notices skipped): the page rendered alone, or panics.
fn expect_rerendered(built: &mpsc::Receiver<ServeEvent>, what: &str) -> String {
    loop {
        match built.recv_timeout(PATIENCE).expect("an event") {
            ServeEvent::Rerendered { path, .. } => return path,
            ServeEvent::Changed(_) => {}
            other => panic!("expected {what} to be rendered alone, got {other:?}"),
        }
    }
}

/// The next build outcome (file-change notices skipped) must be a full build.
fn expect_full_build(built: &mpsc::Receiver<ServeEvent>, what: &str) {
    loop {
        match built.recv_timeout(PATIENCE).expect("an event") {
            ServeEvent::Built { .. } => return,
            ServeEvent::Changed(_) => {}
            other => panic!("expected {what}, got {other:?}"),
        }
    }
}

#[test]
fn a_body_edit_renders_one_page_identical_to_a_full_build() {
    let site = linked_site();
    let (server, built) = start_with_events(&site);
    let addr = server.addr();
    let mut events = Events::open(addr);

    save(
        &site,
        "content/utilisateurs/se-connecter.md",
        "---\ntitle: Se connecter\nweight: 1\ndate: 2025-03-02\n---\n## Étape 1 : ouvrir\n\nTexte changé, avec `code`.\n\n## Étape 2 : vérifier\n\nVoir [suivre](suivre.md) et [l'accueil](../_index.md).\n",
    );
    let generation = events.wait_for("reload");
    let rerendered = expect_rerendered(&built, "the page");
    assert_eq!(rerendered, "utilisateurs/se-connecter/index.html");
    assert!(
        get(addr, "/utilisateurs/se-connecter/")
            .text()
            .contains("Texte changé, avec <code>code</code>.")
    );
    // Pages are already identical; once the edits pause, the full build that refreshes the
    // search index makes every file identical, without another reload.
    assert!(matches!(
        built.recv_timeout(PATIENCE),
        Ok(ServeEvent::Built { .. })
    ));
    assert_eq!(Events::open(addr).generation, generation);
    assert_serves_what_build_writes(&site, addr);

    // A new title is rendered at once in the page, its neighbour's previous/next link, the
    // sidebar of its section's pages and the section's listing; the refresh build that
    // follows finds no page different (the generation stays).
    save(
        &site,
        "content/utilisateurs/suivre.md",
        "---\ntitle: Suivre le ticket\nweight: 2\n---\nRetour à [l'étape 2](se-connecter.md#etape-2-verifier).\n",
    );
    let generation = events.wait_for("reload");
    assert_eq!(
        expect_rerendered(&built, "the page and those showing its title"),
        "utilisateurs/suivre/index.html"
    );
    for url in [
        "/utilisateurs/suivre/",
        "/utilisateurs/se-connecter/",
        "/utilisateurs/",
    ] {
        let text = get(addr, url).text();
        assert!(text.contains("Suivre le ticket"), "{url}");
    }
    expect_full_build(&built, "the refresh build");
    assert_eq!(Events::open(addr).generation, generation);
    assert_serves_what_build_writes(&site, addr);

    // A new weight reorders the section: both pages' neighbours and sidebars change.
    save(
        &site,
        "content/utilisateurs/suivre.md",
        "---\ntitle: Suivre le ticket\nweight: 0\ndescription: Où en est ma demande.\n---\nRetour à [l'étape 2](se-connecter.md#etape-2-verifier).\n",
    );
    let generation = events.wait_for("reload");
    expect_rerendered(&built, "the reordered pages");
    expect_full_build(&built, "the refresh build");
    assert_eq!(Events::open(addr).generation, generation);
    assert_serves_what_build_writes(&site, addr);

    // Any other front matter key is a full build.
    save(
        &site,
        "content/utilisateurs/suivre.md",
        "---\ntitle: Suivre le ticket\nweight: 0\naliases: [/suivi/]\n---\nRetour à [l'étape 2](se-connecter.md#etape-2-verifier).\n",
    );
    events.wait_for("reload");
    expect_full_build(&built, "a full build");
    assert_serves_what_build_writes(&site, addr);
    server.shutdown();
}

/// A body edit saved while a full build runs is served at once, rendered against the site
/// in memory, and the build's result, which read the old body, does not replace it. The
/// build's result is held back until the edit is served: the demo builds in some 60 ms in
/// release, often less than the test takes to save and the watcher to see the save, and a
/// build over first would be published before the edit is seen.
#[test]
fn a_body_edit_during_a_full_build_is_served_first_and_kept() {
    let site = TempSite::demo_in_one_language();
    let (server, built, sources_read, hold) = start_with_sources_read(&site);
    let addr = server.addr();
    hold.hold();
    // A new page needs a full build, which reads the old text of escalade.md.
    save(
        &site,
        "content/techniciens/nouvelle.md",
        "---\ntitle: Nouvelle fiche\n---\nUne fiche ajoutée.\n",
    );
    assert!(matches!(
        built.recv_timeout(PATIENCE),
        Ok(ServeEvent::Changed(_))
    ));
    // The edit lands once the build has read the sources: its result has the old text.
    sources_read
        .recv_timeout(PATIENCE)
        .expect("the build of the new page reads the sources");
    let page = "content/techniciens/escalade.md";
    let text = std::fs::read_to_string(site.root.join(page)).unwrap();
    save(
        &site,
        page,
        &format!("{text}\n## Ajout pendant la construction\n\nUn paragraphe ajouté.\n"),
    );
    assert_eq!(
        expect_rerendered(&built, page),
        "techniciens/escalade/index.html"
    );
    assert!(
        get(addr, "/techniciens/escalade/")
            .text()
            .contains("Un paragraphe ajouté.")
    );
    // Served before the build's result: the new page is not there yet.
    assert_eq!(get(addr, "/techniciens/nouvelle/").status, 404);
    hold.release();
    expect_full_build(&built, "the build of the new page");
    assert!(
        get(addr, "/techniciens/escalade/")
            .text()
            .contains("Un paragraphe ajouté.")
    );
    assert!(
        get(addr, "/techniciens/nouvelle/")
            .text()
            .contains("Une fiche ajoutée.")
    );
    expect_full_build(&built, "the refresh build");
    assert_serves_what_build_writes(&site, addr);
    server.shutdown();
}

#[test]
fn an_editor_probe_file_does_not_turn_a_page_edit_into_a_full_build() {
    let site = linked_site();
    let (server, built) = start_with_events(&site);
    let mut events = Events::open(server.addr());
    // Vim checks that it may write in a folder with a file named 4913, deleted at once.
    let probe = site.root.join("content/utilisateurs/4913");
    std::fs::write(&probe, "").unwrap();
    std::fs::remove_file(&probe).unwrap();
    save(
        &site,
        "content/utilisateurs/suivre.md",
        "---\ntitle: Suivre\nweight: 2\n---\nRetour à [l'étape 2](se-connecter.md#etape-2-verifier) !\n",
    );
    events.wait_for("reload");
    assert_eq!(
        expect_rerendered(&built, "the page"),
        "utilisateurs/suivre/index.html"
    );
    server.shutdown();
}

#[test]
fn a_body_edit_that_breaks_another_page_anchor_is_reported_there() {
    let site = linked_site();
    let (server, built) = start_with_events(&site);
    let addr = server.addr();
    let mut events = Events::open(addr);

    save(
        &site,
        "content/utilisateurs/se-connecter.md",
        "---\ntitle: Se connecter\nweight: 1\ndate: 2025-03-02\n---\n## Étape 1 : ouvrir\n\nTexte.\n\n## Étape deux\n\nVoir [suivre](suivre.md).\n",
    );
    let payload: serde_json::Value = serde_json::from_str(&events.wait_for("errors")).unwrap();
    let full = build_for_comparison(&site).unwrap_err();
    assert_eq!(payload["text"], full.to_string().as_str());
    assert!(
        full.to_string().starts_with(
            "content/utilisateurs/suivre.md:5:10: error: link to a missing anchor `#etape-2-verifier` in utilisateurs/se-connecter.md\n"
        ),
        "{full}"
    );
    // The last good page is still served.
    assert!(
        get(addr, "/utilisateurs/se-connecter/")
            .text()
            .contains("Étape 2 : vérifier")
    );

    save(
        &site,
        "content/utilisateurs/suivre.md",
        "---\ntitle: Suivre\nweight: 2\n---\nRetour à [l'étape 2](se-connecter.md#etape-deux).\n",
    );
    assert_eq!(events.next().map(|e| e.0).as_deref(), Some("ok"));
    assert_eq!(events.next().map(|e| e.0).as_deref(), Some("reload"));
    while let Ok(event) = built.recv_timeout(Duration::from_millis(10)) {
        drop(event);
    }
    assert_serves_what_build_writes(&site, addr);
    server.shutdown();
}

/// Body edits of demo pages with a workflow diagram and KPI cards, rendered alone, give the
/// pages a full build gives; after the refresh every file matches.
#[test]
fn demo_site_body_edits_match_a_full_build() {
    let site = TempSite::demo_in_one_language();
    let (server, built) = start_with_events(&site);
    let addr = server.addr();
    let mut events = Events::open(addr);
    for (page, output) in [
        (
            "content/techniciens/escalade.md",
            "techniciens/escalade/index.html",
        ),
        ("content/techniciens/sla.md", "techniciens/sla/index.html"),
    ] {
        let text = std::fs::read_to_string(site.root.join(page)).unwrap();
        save(
            &site,
            page,
            &format!("{text}\n## Ajout de test\n\nUn paragraphe ajouté.\n"),
        );
        let generation = events.wait_for("reload");
        assert_eq!(expect_rerendered(&built, page), output);
        expect_full_build(&built, "the refresh build");
        // The refresh keeps the generation only when no page differs from the ones rendered
        // alone: so the page sent to the tabs was already the full build's.
        assert_eq!(Events::open(addr).generation, generation, "{page}");
    }
    assert_serves_what_build_writes(&site, addr);
    server.shutdown();
}
