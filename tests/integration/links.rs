//! Links by scheme: any URI with a scheme points outside the site and is kept as written,
//! e-mail autolinks become `mailto:`, links that run code are refused, and web addresses
//! that lost their scheme or a slash get the likely fix.

use guichet::build::{BuildOptions, build};
use guichet::diagnostics::Diagnostic;

use crate::common::TempSite;

fn site_with(body: &str) -> TempSite {
    TempSite::new(&[
        ("guichet.yaml", "title: Démo\n"),
        ("content/_index.md", "---\ntitle: Accueil\n---\nBonjour.\n"),
        (
            "content/contact.md",
            &format!("---\ntitle: Contact\n---\n{body}"),
        ),
    ])
}

fn page_html(site: &TempSite) -> String {
    build(&BuildOptions::new(&site.root)).unwrap();
    std::fs::read_to_string(site.out().join("contact/index.html")).unwrap()
}

fn only_error(site: &TempSite) -> Diagnostic {
    let mut errors = build(&BuildOptions::new(&site.root)).unwrap_err().0;
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors.remove(0)
}

#[test]
fn links_with_any_scheme_are_external_and_kept_as_written() {
    let site = site_with(
        "[salon](xmpp:salon@muc.example.org?join) [tél](sip:3615@example.org) \
         [miroir](ftp://ftp.example.org/pub/) [serveur](ssh://admin@srv-glpi01) \
         [matrix](matrix:r/support:example.org) [appel](tel:+33123456789)\n",
    );
    let html = page_html(&site);
    for href in [
        "xmpp:salon@muc.example.org?join",
        "sip:3615@example.org",
        "ftp://ftp.example.org/pub/",
        "ssh://admin@srv-glpi01",
        "matrix:r/support:example.org",
        "tel:+33123456789",
    ] {
        assert!(html.contains(&format!("href=\"{href}\"")), "{href}");
    }
}

#[test]
fn an_email_autolink_is_a_mailto_link() {
    let site = site_with("Écrire au salon : <salon@muc.example.org>.\n");
    let html = page_html(&site);
    assert!(
        html.contains("<a href=\"mailto:salon@muc.example.org\">salon@muc.example.org</a>"),
        "{html}"
    );
}

#[test]
fn javascript_links_are_refused_at_their_position() {
    let site = site_with("Texte.\n\nCliquez [ici](javascript:alert(1)).\n");
    let d = only_error(&site);
    assert_eq!(
        d.headline(),
        "content/contact.md:6:9: error: `javascript:` links are refused: they run code or carry content in the reader's browser"
    );
    assert_eq!(
        d.help.as_deref(),
        Some("link to a page or a file of the site, or to a web address (https://…)")
    );
}

#[test]
fn vbscript_links_are_refused_whatever_their_case() {
    let site = site_with("[x](VBScript:msgbox)\n");
    assert_eq!(
        only_error(&site).headline(),
        "content/contact.md:4:1: error: `vbscript:` links are refused: they run code or carry content in the reader's browser"
    );
}

#[test]
fn data_links_and_images_are_refused() {
    let site = site_with("![logo](data:image/svg+xml;base64,PHN2Zz4=)\n");
    assert_eq!(
        only_error(&site).headline(),
        "content/contact.md:4:1: error: `data:` links are refused: they run code or carry content in the reader's browser"
    );
}

#[test]
fn a_web_address_without_its_scheme_gets_the_fix() {
    let site = site_with("Voir [le site](www.example.org/aide).\n");
    let d = only_error(&site);
    assert_eq!(
        d.headline(),
        "content/contact.md:4:6: error: `www.example.org/aide` looks like a web address without its `https://`: as a path, it names no file of the site"
    );
    assert_eq!(
        d.help.as_deref(),
        Some("write `https://www.example.org/aide`")
    );
}

#[test]
fn a_web_address_missing_a_slash_gets_the_fix() {
    let site = site_with("Voir [le site](https:/example.org).\n");
    let d = only_error(&site);
    assert_eq!(
        d.headline(),
        "content/contact.md:4:6: error: `https:/example.org` is not a web address: `https:` must be followed by `//`"
    );
    assert_eq!(d.help.as_deref(), Some("write `https://example.org`"));
}
