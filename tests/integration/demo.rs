//! The repository's demo site: it builds without warnings and every internal link resolves.

use std::path::Path;

use crate::common::{broken_links, snapshot};
use guichet::build::{BuildOptions, build};

fn demo_out(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("guichet-demo-{}-{name}", std::process::id()))
}

#[test]
fn demo_builds_without_warnings_or_broken_links() {
    let out = demo_out("links");
    let mut options = BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.out = Some(out.clone());
    options.strict = true;
    let report = match build(&options) {
        Ok(r) => r,
        Err(d) => panic!("the demo does not build:\n{d}"),
    };
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert!(report.pages >= 25, "only {} pages", report.pages);
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    for generated in [
        "logigrammes/incident/index.html",
        "logigrammes/incident.svg",
        "logigrammes/incident.png",
        "indicateurs/index.html",
        "indicateurs.json",
        "indicateurs.csv",
    ] {
        assert!(out.join(generated).is_file(), "{generated} missing");
    }
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn demo_build_is_deterministic() {
    let (a, b) = (demo_out("a"), demo_out("b"));
    for out in [&a, &b] {
        let mut options = BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
        options.out = Some(out.to_path_buf());
        build(&options).map_err(|d| d.to_string()).unwrap();
    }
    let (sa, sb) = (snapshot(Path::new(&a)), snapshot(Path::new(&b)));
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (name, bytes) in &sa {
        assert!(bytes == &sb[name], "{name} differs between two builds");
    }
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}
