//! Topologies of a translated site (tests/fixtures/bilingual_topology): texts written per
//! language (`{fr: …, en: …}`), the fallback warning, unknown language codes, one layout for
//! every language, and the embedded topology drawn in the page's language.

use std::fs;
use std::path::{Path, PathBuf};

use guichet::build::{BuildOptions, build};
use guichet::language::Language;
use guichet::topology::{self, Languages, SharedSizes, Topology};

use crate::common::{TempSite, attr_values, repo, snapshot};
use crate::search_support::fresh_dir;

const FIXTURE: &str = "tests/fixtures/bilingual_topology";
const TOPOLOGY: &str = "content/reseau/agence.yaml";

/// The fixture's topology in `language`, with its warnings' headlines.
fn agence(language: Language) -> (Topology, Vec<String>) {
    let text = fs::read_to_string(repo(FIXTURE).join(TOPOLOGY)).unwrap();
    in_language(Path::new(TOPOLOGY), &text, language).unwrap()
}

fn in_language(
    path: &Path,
    text: &str,
    language: Language,
) -> Result<(Topology, Vec<String>), Vec<String>> {
    let languages = Languages {
        language,
        default: Language::Fr,
    };
    let headlines = |d: Vec<guichet::diagnostics::Diagnostic>| -> Vec<String> {
        d.iter().map(|d| d.headline()).collect()
    };
    topology::parse_in_language(path, text, 1, text, "agence", languages)
        .map(|(t, warnings)| (t, headlines(warnings)))
        .map_err(headlines)
}

/// The geometry of an SVG (the position, size, path and points of every shape and group
/// box, in document order, each with its tag) and its texts. Text elements are left out of
/// the geometry: a role wrapped on two lines in one language and on one in another is one
/// more `<text>` in the same box.
fn geometry_and_texts(svg: &str) -> (Vec<String>, Vec<String>) {
    let svg = &svg[svg.find("<svg").unwrap()..svg.find("</svg>").unwrap()];
    const SHAPES: [&str; 9] = [
        "svg", "g", "rect", "path", "circle", "ellipse", "line", "polygon", "polyline",
    ];
    const GEOMETRY: [&str; 16] = [
        "viewBox",
        "x",
        "y",
        "width",
        "height",
        "points",
        "d",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "data-bbox",
        "transform",
    ];
    let mut geometry = Vec::new();
    for element in svg.split('<').skip(1) {
        let tag_end = element.find(['>']).unwrap_or(element.len());
        let tag = &element[..tag_end];
        let name = tag.split([' ', '/']).next().unwrap_or("");
        if !SHAPES.contains(&name) {
            continue;
        }
        let attrs: Vec<String> = GEOMETRY
            .iter()
            .flat_map(|a| {
                attr_values(&format!(" {tag}"), a)
                    .into_iter()
                    .map(move |v| format!("{a}={v}"))
            })
            .collect();
        if !attrs.is_empty() {
            geometry.push(format!("{name} {}", attrs.join(" ")));
        }
    }
    let texts = svg
        .split("<text")
        .skip(1)
        .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].to_string())
        .collect();
    (geometry, texts)
}

/// The drawing of `t` in `language` laid out with the room of both versions of the fixture.
fn shared_svg(t: &Topology, language: Language) -> String {
    let (fr, _) = agence(Language::Fr);
    let (en, _) = agence(Language::En);
    let sizes = SharedSizes::of(&[(&fr, Language::Fr), (&en, Language::En)]);
    topology::to_svg_shared(t, language, Some(&sizes))
}

#[test]
fn texts_written_per_language_give_each_language_its_words() {
    let (fr, fr_warnings) = agence(Language::Fr);
    let (en, _) = agence(Language::En);
    assert_eq!(fr_warnings, Vec::<String>::new());
    assert_eq!(fr.title.as_deref(), Some("Réseau de l'agence"));
    assert_eq!(en.title.as_deref(), Some("Branch office network"));
    assert_eq!(
        en.description.as_deref(),
        Some("A router, the servers' VLAN and the workstations' one.")
    );
    assert_eq!(
        (fr.networks[0].label.as_str(), en.networks[0].label.as_str()),
        ("Serveurs", "Server room")
    );
    assert_eq!(
        (fr.devices[1].label.as_str(), en.devices[1].label.as_str()),
        ("SRV-FICHIERS", "SRV-FILES")
    );
    assert_eq!(
        (fr.devices[0].role.as_deref(), en.devices[0].role.as_deref()),
        (Some("Routeur"), Some("Inter-VLAN router and firewall"))
    );
    assert_eq!(
        (fr.devices[2].os.as_deref(), en.devices[2].os.as_deref()),
        (Some("Windows 11 Professionnel"), Some("Windows 11 Pro"))
    );
    // A plain string is the same in every language.
    assert_eq!(en.devices[1].os.as_deref(), Some("Debian 12"));
    assert_eq!(
        (fr.links[0].label.as_deref(), en.links[0].label.as_deref()),
        (Some("lien cuivre"), Some("copper uplink cable"))
    );
    assert_eq!(
        (fr.flows[0].purpose.as_str(), en.flows[0].purpose.as_str()),
        ("Accès aux partages", "Access to the shares")
    );
    // Without a language asked for, the default language's words.
    let text = fs::read_to_string(repo(FIXTURE).join(TOPOLOGY)).unwrap();
    let plain = topology::parse(Path::new(TOPOLOGY), &text, "agence").unwrap();
    assert_eq!(plain.title.as_deref(), Some("Réseau de l'agence"));
}

#[test]
fn a_text_missing_in_a_language_falls_back_with_a_warning_at_its_line() {
    let (en, warnings) = agence(Language::En);
    assert_eq!(
        warnings,
        [
            "content/reseau/agence.yaml:30:11: warning: the role of device `srv-fichiers` has no `en` text: the `fr` one is shown in that language's diagram and tables"
        ]
    );
    assert_eq!(
        en.devices[1].role.as_deref(),
        Some("Partages de fichiers du service comptable")
    );
}

#[test]
fn the_documented_warning_and_example_are_the_real_ones() {
    let text = fs::read_to_string(repo(FIXTURE).join(TOPOLOGY)).unwrap();
    let languages = Languages {
        language: Language::En,
        default: Language::Fr,
    };
    let (_, warnings) =
        topology::parse_in_language(Path::new(TOPOLOGY), &text, 1, &text, "agence", languages)
            .unwrap();
    let doc = fs::read_to_string(repo("docs/topology.md")).unwrap();
    let indented: String = (warnings[0].to_string().lines())
        .map(|l| format!("  {l}\n"))
        .collect();
    assert!(doc.contains(&indented), "{indented}");
    let readme = fs::read_to_string(repo("README.md")).unwrap();
    assert!(readme.contains(&format!("```\n{}\n```", warnings[0].headline())));
    // The example of the section parses, with each language's words.
    let section = &doc[doc.find("## In several languages").unwrap()..];
    let start = section.find("```yaml\n").unwrap() + "```yaml\n".len();
    let example = &section[start..start + section[start..].find("```").unwrap()];
    let (en, warnings) = in_language(Path::new("doc.yaml"), example, Language::En).unwrap();
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(en.title.as_deref(), Some("Ateliers Morel GLPI lab"));
    assert_eq!(
        en.devices[0].role.as_deref(),
        Some("Inter-VLAN routing, NAT, filtering")
    );
    let (fr, _) = in_language(Path::new("doc.yaml"), example, Language::Fr).unwrap();
    assert_eq!(fr.flows[0].purpose, "Résolution de noms");
}

#[test]
fn yaml_written_in_a_page_is_warned_at_the_page_line() {
    let page = "---\ntitle: Réseau\n---\n\n```topologie\ntitle: {fr: Réseau}\ndevices:\n  - { id: a, kind: server }\n```\n";
    let block = "title: {fr: Réseau}\ndevices:\n  - { id: a, kind: server }\n";
    let languages = Languages {
        language: Language::En,
        default: Language::Fr,
    };
    let (t, warnings) =
        topology::parse_in_language(Path::new("content/p.md"), block, 6, page, "p", languages)
            .unwrap();
    assert_eq!(t.title.as_deref(), Some("Réseau"));
    assert_eq!(
        warnings.iter().map(|d| d.headline()).collect::<Vec<_>>(),
        [
            "content/p.md:6:8: warning: the title has no `en` text: the `fr` one is shown in that language's diagram and tables"
        ]
    );
    assert_eq!(
        warnings[0].source_line.as_deref(),
        Some("title: {fr: Réseau}")
    );
}

#[test]
fn an_unknown_language_is_an_error_at_its_line() {
    let yaml = "title: {fr: Réseau, de: Netzwerk}\n\
                devices:\n  - id: a\n    kind: server\n    label:\n      fr: Serveur\n      es: Servidor\n";
    let errors = in_language(Path::new("t.yaml"), yaml, Language::En).unwrap_err();
    assert_eq!(
        errors,
        [
            "t.yaml:1:21: error: unknown language `de` in the title",
            "t.yaml:7:7: error: unknown language `es` in the label of device `a`",
        ]
    );
}

#[test]
fn every_language_is_drawn_with_one_layout() {
    let (fr, _) = agence(Language::Fr);
    let (en, _) = agence(Language::En);
    let (fr_geometry, fr_texts) = geometry_and_texts(&shared_svg(&fr, Language::Fr));
    let (en_geometry, en_texts) = geometry_and_texts(&shared_svg(&en, Language::En));
    assert_eq!(fr_geometry, en_geometry);
    assert_eq!(fr_geometry.len(), 32);
    let boxes: Vec<&str> = (fr_geometry.iter())
        .filter(|g| {
            g.starts_with("svg ") || g.starts_with("g data-bbox") || g.ends_with("height=16")
        })
        .map(String::as_str)
        .collect();
    // The viewBox, the two zones, the router, the file server, the desktop and the two
    // link labels: each as wide as its longer language needs ("copper uplink cable",
    // "câble de brassage du bureau").
    assert_eq!(
        boxes,
        [
            "svg viewBox=0 0 730 414 width=730 height=414",
            "g data-bbox=16 235 330 163",
            "g data-bbox=386 235 328 163",
            "rect x=303.5 y=188 width=117 height=16",
            "rect x=474.5 y=188 width=169 height=16",
            "g data-bbox=392 50 135 121",
            "g data-bbox=205 263 127 121",
            "g data-bbox=602 263 97 107",
        ]
    );
    assert_eq!(fr_texts.len(), en_texts.len());
    assert_ne!(fr_texts, en_texts);
    assert!(fr_texts.contains(&"lien cuivre".to_string()));
    assert!(en_texts.contains(&"copper uplink cable".to_string()));
    // Laid out alone, each language would have had its own geometry.
    let (fr_alone, _) = geometry_and_texts(&topology::to_svg(&fr, Language::Fr));
    let (en_alone, _) = geometry_and_texts(&topology::to_svg(&en, Language::En));
    assert_ne!(fr_alone, en_alone);
}

#[test]
fn a_topology_in_one_language_is_laid_out_from_its_own_words() {
    // One version only: the shared room is its own, and the drawing is the one of a site
    // in one language.
    let (fr, _) = agence(Language::Fr);
    let sizes = SharedSizes::of(&[(&fr, Language::Fr)]);
    assert_eq!(
        topology::to_svg_shared(&fr, Language::Fr, Some(&sizes)),
        topology::to_svg(&fr, Language::Fr)
    );
    let demo_text = fs::read_to_string(repo("content/portfolio/reseau.yaml")).unwrap();
    let demo = topology::parse(Path::new("reseau.yaml"), &demo_text, "reseau").unwrap();
    let sizes = SharedSizes::of(&[(&demo, Language::Fr)]);
    assert_eq!(
        topology::to_svg_shared(&demo, Language::Fr, Some(&sizes)),
        topology::to_svg(&demo, Language::Fr)
    );
}

/// The fixture built into a fresh folder, with its warnings' headlines.
fn built(root: &Path, name: &str) -> (PathBuf, Vec<String>) {
    let out = fresh_dir(name);
    let mut options = BuildOptions::new(root.to_path_buf());
    options.out = Some(out.clone());
    let report = build(&options).map_err(|d| d.to_string()).unwrap();
    (out, report.warnings.iter().map(|d| d.headline()).collect())
}

fn read(out: &Path, file: &str) -> String {
    fs::read_to_string(out.join(file)).unwrap()
}

#[test]
fn an_embedded_topology_is_drawn_in_the_page_language_with_one_layout() {
    let (out, warnings) = built(&repo(FIXTURE), "topology-languages");
    // Two English pages embed the file: its warning is reported once.
    assert_eq!(
        warnings,
        [
            "content/reseau/agence.yaml:30:11: warning: the role of device `srv-fichiers` has no `en` text: the `fr` one is shown in that language's diagram and tables"
        ]
    );
    let fr = read(&out, "reseau/index.html");
    let en = read(&out, "en/reseau/index.html");
    assert!(fr.contains("<title id=\"agence-title\">Réseau de l&#39;agence</title>"));
    assert!(en.contains("<title id=\"agence-title\">Branch office network</title>"));
    assert!(en.contains("<td>Access to the shares</td>"), "{en}");
    assert!(fr.contains("<td>Accès aux partages</td>"));
    // A French page shown untranslated in the English tree draws its topology in English,
    // as it draws its workflows.
    let untranslated = read(&out, "en/reseau/plan/index.html");
    assert!(untranslated.contains("translation-notice"));
    assert!(untranslated.contains("<title id=\"agence-title\">Branch office network</title>"));
    let (fr_geometry, fr_texts) = geometry_and_texts(&fr);
    let (en_geometry, en_texts) = geometry_and_texts(&en);
    assert_eq!(fr_geometry, en_geometry);
    assert_ne!(fr_texts, en_texts);
    assert_eq!(
        fr_geometry[0],
        "svg viewBox=0 0 730 414 width=730 height=414"
    );
    assert_eq!(
        read(&out, "en/reseau/agence-flux.csv"),
        "\u{feff}Source;Destination;Service;Port;Protocol;Purpose\r\n\
         Desktops (192.168.20.0/24);SRV-FILES (192.168.10.10);SMB;445;TCP;Access to the shares\r\n"
    );
    let png_size = |file: &str| {
        let png = fs::read(out.join(file)).unwrap();
        (
            u32::from_be_bytes(png[16..20].try_into().unwrap()),
            u32::from_be_bytes(png[20..24].try_into().unwrap()),
        )
    };
    assert_eq!(png_size("reseau/agence.png"), (1460, 828));
    assert_eq!(png_size("en/reseau/agence.png"), (1460, 828));
}

#[test]
fn a_site_in_one_language_draws_its_topology_as_before() {
    let site = TempSite::new(&[("guichet.yaml", "title: Réseau\n")]);
    for (path, bytes) in snapshot(&repo(FIXTURE)) {
        if path != "guichet.yaml" && !path.ends_with(".en.md") {
            site.write(&path, &String::from_utf8(bytes).unwrap());
        }
    }
    let (out, warnings) = built(&site.root, "topology-one-language");
    assert_eq!(warnings, Vec::<String>::new());
    let html = read(&out, "reseau/index.html");
    let (fr, _) = agence(Language::Fr);
    let svg = topology::to_svg(&fr, Language::Fr);
    assert!(html.contains(&svg), "{html}");
    // Its own words' room: narrower link labels and a shorter router than in the
    // bilingual site.
    let geometry = geometry_and_texts(&html).0;
    assert_eq!(geometry[0], "svg viewBox=0 0 714 400 width=714 height=400");
    let labels: Vec<&str> = (geometry.iter())
        .filter(|g| g.ends_with("height=16"))
        .map(String::as_str)
        .collect();
    assert_eq!(
        labels,
        [
            "rect x=325 y=174 width=66 height=16",
            "rect x=467.5 y=174 width=169 height=16",
        ]
    );
}
