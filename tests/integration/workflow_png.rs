//! PNG output: resvg draws every shipped workflow with all its text in the bundled font,
//! and `guichet render` writes SVG or PNG, or nothing at all when the file has an error.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::repo;
use guichet::diagram::png;
use guichet::language::Language;
use guichet::workflow::{SvgOptions, layout, to_png, to_svg};
use resvg::usvg;

fn shipped_svgs() -> Vec<(String, String)> {
    let workflows =
        guichet::workflow::load_dir(&repo("workflows"), &|_| true).expect("valid workflows");
    workflows
        .iter()
        .map(|wf| {
            let svg = to_svg(
                &layout(wf, Language::Fr),
                &SvgOptions {
                    id_prefix: &wf.id,
                    subprocess_href: &|id| format!("../{id}/"),
                    page_href: None,
                    highlight: None,
                },
            );
            (wf.id.clone(), svg)
        })
        .collect()
}

/// Text nodes of the rendered tree whose glyphs were all turned into outlines.
fn drawn_texts(group: &usvg::Group, count: &mut usize) {
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => drawn_texts(g, count),
            usvg::Node::Text(t) => {
                assert!(
                    t.flattened().has_children(),
                    "a text produced no glyph outlines"
                );
                *count += 1;
            }
            _ => {}
        }
    }
}

#[test]
fn resvg_draws_every_shipped_workflow_with_its_text() {
    for (id, svg) in shipped_svgs() {
        let missing = AtomicBool::new(false);
        let tree = png::parse(&svg, &missing).expect("usvg reads the SVG");
        assert!(
            !missing.load(Ordering::Relaxed),
            "{id}: a text found no font"
        );
        let mut drawn = 0;
        drawn_texts(tree.root(), &mut drawn);
        let doc = roxmltree::Document::parse(&svg).expect("xml");
        let written = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter(|n| {
                n.descendants()
                    .any(|t| t.is_text() && !t.text().unwrap_or("").trim().is_empty())
            })
            .count();
        assert_eq!(drawn, written, "{id}: every text is drawn");
        assert!(
            png::missing_glyphs(&svg).is_empty(),
            "{id}: the font lacks a glyph"
        );
        let bytes = to_png(&svg, 2.0).expect("png");
        let size = tree.size();
        let (w, h) = png_size(&bytes);
        assert_eq!(
            (w, h),
            (
                (size.width() * 2.0).ceil() as u32,
                (size.height() * 2.0).ceil() as u32
            )
        );
    }
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let w = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    let h = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
    (w, h)
}

/// A fresh folder under target/ for one test.
fn scratch(name: &str) -> PathBuf {
    // Outside the repository: `render` looks for a guichet.yaml in the parent folders.
    let dir = std::env::temp_dir().join(format!(
        "guichet-workflow-png-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Runs `guichet render INPUT -o OUTPUT --scale SCALE`: Ok when it succeeds, else the
/// headlines of the errors it printed.
fn guichet_render(input: &Path, output: &Path, scale: f32) -> Result<(), Vec<String>> {
    let run = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .arg("render")
        .arg(input)
        .arg("-o")
        .arg(output)
        .args(["--scale", &scale.to_string()])
        .output()
        .expect("guichet runs");
    if run.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.ends_with("nothing written\n"), "{stderr}");
    Err(stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .map(str::to_string)
        .collect())
}

/// Runs `guichet render INPUT -o OUTPUT` with `extra` arguments; returns its exit status's
/// success and what it printed on stderr.
fn guichet_render_with(input: &Path, output: &Path, extra: &[&str]) -> (bool, String) {
    let run = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .arg("render")
        .arg(input)
        .arg("-o")
        .arg(output)
        .args(extra)
        .output()
        .expect("guichet runs");
    (
        run.status.success(),
        String::from_utf8_lossy(&run.stderr).into_owned(),
    )
}

/// The boxes (every `data-bbox`: lanes, steps, labels, the legend) and the flows' lines of
/// an SVG: its layout, the words aside.
fn geometry(svg: &str) -> Vec<String> {
    let boxes = svg
        .split(" data-bbox=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next());
    let flows = svg
        .split("<g class=\"flow\"")
        .skip(1)
        .filter_map(|rest| rest.split("<path d=\"").nth(1)?.split('"').next());
    boxes.chain(flows).map(str::to_string).collect()
}

/// A workflow written in two languages (a user's, benches/workflows-unseen2/) renders in
/// either with `--lang`: the English drawing has the English texts and Yes/No, and the two
/// drawings have the same boxes and flows, as on a translated site, the legend aside (its
/// words differ). Without `--lang`, French; an unknown language is refused.
#[test]
fn render_draws_a_bilingual_workflow_in_either_language_with_one_layout() {
    let dir = scratch("render-lang");
    let input = repo("benches/workflows-unseen2/07-perte-telephone.yaml");
    let (fr, en) = (dir.join("fr.svg"), dir.join("en.svg"));
    assert!(guichet_render_with(&input, &dir.join("default.svg"), &[]).0);
    assert!(guichet_render_with(&input, &fr, &["--lang", "fr"]).0);
    assert!(guichet_render_with(&input, &en, &["--lang", "en"]).0);
    let read = |p: &Path| std::fs::read_to_string(p).expect("svg written");
    let (fr, en) = (read(&fr), read(&en));
    assert_eq!(read(&dir.join("default.svg")), fr);
    assert!(
        fr.contains(">Perte ou vol d&#39;un smartphone"),
        "{}",
        &fr[..400]
    );
    assert!(
        en.contains(">Loss or theft of a company smartphone<"),
        "{}",
        &en[..400]
    );
    assert!(en.contains(">Yes<") && !en.contains(">Oui<"));
    let (gf, ge) = (geometry(&fr), geometry(&en));
    let legend = |g: &[String]| g.iter().filter(|b| b.starts_with("16 1057.5 ")).count();
    assert_eq!((legend(&gf), legend(&ge)), (1, 1));
    let without_legend = |g: Vec<String>| -> Vec<String> {
        g.into_iter()
            .filter(|b| !b.starts_with("16 1057.5 "))
            .collect()
    };
    assert_eq!(without_legend(gf), without_legend(ge));
    let (ok, stderr) = guichet_render_with(&input, &dir.join("de.svg"), &["--lang", "de"]);
    assert!(!ok);
    assert!(
        stderr.contains(
            "invalid value 'de' for '--lang <LANG>': unknown language `de` (expected fr or en)"
        ),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

const SMALL: &str = "title: Petit\nsteps:\n  - { id: debut, kind: start, label: Début }\n  - { id: suite, kind: subprocess, label: Suite, workflow: autre }\n  - { id: fin, kind: end, label: Fin, link: aide.md }\n";
const OTHER: &str = "title: Autre\nsteps:\n  - { id: debut, kind: start, label: Début }\n  - { id: fin, kind: end, label: Fin }\n";

#[test]
fn render_writes_svg_and_png() {
    let dir = scratch("render-ok");
    std::fs::write(dir.join("petit.yaml"), SMALL).expect("write");
    std::fs::write(dir.join("autre.yaml"), OTHER).expect("write");
    guichet_render(&dir.join("petit.yaml"), &dir.join("petit.svg"), 1.0).expect("svg");
    let svg = std::fs::read_to_string(dir.join("petit.svg")).expect("svg written");
    assert!(svg.contains("data-workflow=\"petit\""));
    assert!(svg.contains("<a href=\"autre.svg\">"));
    guichet_render(&dir.join("petit.yaml"), &dir.join("petit.png"), 3.0).expect("png");
    let png = std::fs::read(dir.join("petit.png")).expect("png written");
    let doc = roxmltree::Document::parse(&svg).expect("xml");
    let width: f32 = doc
        .root_element()
        .attribute("width")
        .expect("width")
        .parse()
        .expect("number");
    assert_eq!(png_size(&png).0, (width * 3.0).ceil() as u32);
}

#[test]
fn render_checks_links_against_the_site_and_writes_nothing_on_error() {
    let dir = scratch("render-site");
    std::fs::write(dir.join("guichet.yaml"), "title: Site\nlanguage: en\n").expect("write");
    std::fs::create_dir_all(dir.join("content")).expect("content");
    std::fs::create_dir_all(dir.join("workflows")).expect("workflows");
    std::fs::write(dir.join("workflows/petit.yaml"), SMALL).expect("write");
    std::fs::write(dir.join("workflows/autre.yaml"), OTHER).expect("write");
    let input = dir.join("workflows/petit.yaml");
    let out = dir.join("petit.png");
    let errors = guichet_render(&input, &out, 2.0).expect_err("missing page");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(&format!("{}:5:", input.display()))
            && errors[0].ends_with(": error: link to a page that does not exist: content/aide.md"),
        "{errors:?}"
    );
    assert!(!out.exists(), "nothing is written on error");
    std::fs::write(dir.join("content/aide.md"), "---\ntitle: Aide\n---\n").expect("page");
    guichet_render(
        &dir.join("workflows/petit.yaml"),
        &dir.join("petit.svg"),
        2.0,
    )
    .expect("renders");
    let svg = std::fs::read_to_string(dir.join("petit.svg")).expect("svg");
    assert!(svg.contains("lang=\"en\""), "the site's language is used");
}

#[test]
fn render_reports_missing_subprocess_and_bad_output() {
    let dir = scratch("render-errors");
    std::fs::write(dir.join("petit.yaml"), SMALL).expect("write");
    let errors = guichet_render(&dir.join("petit.yaml"), &dir.join("petit.svg"), 1.0)
        .expect_err("no autre.yaml");
    assert_eq!(
        errors[0],
        format!(
            "{}:4:60: error: no workflow has the id `autre`",
            dir.join("petit.yaml").display()
        )
    );
    assert!(!dir.join("petit.svg").exists());
    let errors = guichet_render(&dir.join("petit.yaml"), &dir.join("petit.pdf"), 1.0)
        .expect_err("bad extension");
    assert!(
        errors[0].ends_with(": error: the output file must end in .svg, .png or .drawio"),
        "{errors:?}"
    );
    let errors = guichet_render(&dir.join("petit.yaml"), &dir.join("petit.png"), 0.0)
        .expect_err("bad scale");
    assert!(
        errors[0].ends_with(": error: the scale 0 is out of range"),
        "{errors:?}"
    );
}
