//! Embeds the default theme (themes/guichet/) into the binary, so a site without a themes/
//! folder still builds. Generates `theme_files.rs` with one `include_bytes!` per file.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn collect(dir: &Path, prefix: &str, out: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let path = entry.path();
        if path.is_dir() {
            collect(&path, &rel, out);
        } else {
            out.push((
                rel,
                path.canonicalize().unwrap_or(path).display().to_string(),
            ));
        }
    }
}

fn main() {
    let theme = Path::new("themes/guichet");
    println!("cargo::rerun-if-changed=themes/guichet");
    let mut code = String::new();
    for (kind, konst) in [("templates", "TEMPLATES"), ("static", "STATIC")] {
        let mut files = Vec::new();
        collect(&theme.join(kind), "", &mut files);
        for (rel, _) in &files {
            println!("cargo::rerun-if-changed=themes/guichet/{kind}/{rel}");
        }
        let _ = writeln!(
            code,
            "/// The default theme's {kind} files: (path relative to {kind}/, bytes)."
        );
        let _ = writeln!(code, "pub static {konst}_BYTES: &[(&str, &[u8])] = &[");
        for (rel, abs) in &files {
            let _ = writeln!(code, "    ({rel:?}, include_bytes!({abs:?})),");
        }
        let _ = writeln!(code, "];");
    }
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("theme_files.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
