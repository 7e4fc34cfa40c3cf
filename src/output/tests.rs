use super::*;

#[test]
fn a_panic_while_writing_publishes_nothing_and_keeps_the_previous_site() {
    let base = std::env::temp_dir().join(format!("guichet-output-panic-{}", std::process::id()));
    let _ = fs::remove_dir_all(&base);
    let out = base.join("site");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("index.html"), "previous").unwrap();
    fs::write(out.join(MARKER), MARKER_TEXT).unwrap();

    let s = Staging::new(&out).unwrap();
    s.write("index.html", b"new").unwrap();
    // A render thread that panics while it holds the record of written files.
    std::thread::scope(|scope| {
        let panicked = scope
            .spawn(|| {
                let _held = s.written.lock().unwrap();
                panic!("a page's rendering failed");
            })
            .join();
        assert!(panicked.is_err());
    });
    let err = s.write("other.html", b"x").unwrap_err();
    assert!(err.message.contains("interrupted"), "{}", err.message);
    let err = s.commit().unwrap_err();
    assert_eq!(
        err.message,
        "the build was interrupted while writing the site: it is not published, and the previous site is kept"
    );
    assert_eq!(
        fs::read_to_string(out.join("index.html")).unwrap(),
        "previous"
    );
    assert!(out.join(MARKER).exists());
    fs::remove_dir_all(&base).unwrap();
}

#[test]
fn commit_replaces_and_drop_discards() {
    let base = std::env::temp_dir().join(format!("guichet-output-{}", std::process::id()));
    let _ = fs::remove_dir_all(&base);
    fs::create_dir_all(base.join("site")).unwrap();
    fs::write(base.join("site/stale.html"), "old").unwrap();
    let out = base.join("site");

    let s = Staging::new(&out).unwrap();
    s.write("a/index.html", b"new").unwrap();
    drop(s);
    assert_eq!(fs::read_to_string(out.join("stale.html")).unwrap(), "old");

    let s = Staging::new(&out).unwrap();
    s.write("a/index.html", b"new").unwrap();
    s.commit().unwrap();
    assert!(!out.join("stale.html").exists());
    assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new");

    // The next build reuses the spare (the old site) and removes what it did not write.
    let s = Staging::new(&out).unwrap();
    s.write("b/index.html", b"other").unwrap();
    s.commit().unwrap();
    let mut files: Vec<String> = Vec::new();
    for e in fs::read_dir(&out).unwrap() {
        files.push(e.unwrap().file_name().to_string_lossy().into_owned());
    }
    files.sort();
    assert_eq!(files, [".guichet-files", "b"]);
    let mut siblings: Vec<String> = fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    siblings.sort();
    assert_eq!(siblings, [".site.spare", "site"]);
    fs::remove_dir_all(&base).unwrap();
}
#[test]
fn files_of_the_spare_with_the_same_bytes_are_left_alone() {
    let base = std::env::temp_dir().join(format!("guichet-same-{}", std::process::id()));
    let _ = fs::remove_dir_all(&base);
    let out = base.join("site");
    let spare = base.join(".site.spare");
    fs::create_dir_all(spare.join("a")).unwrap();
    fs::write(spare.join("a/index.html"), "same").unwrap();
    fs::write(spare.join("b.html"), "before").unwrap();
    fs::write(spare.join("c.html"), "long before").unwrap();
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    for name in ["a/index.html", "b.html", "c.html"] {
        let file = fs::File::options()
            .write(true)
            .open(spare.join(name))
            .unwrap();
        file.set_modified(old).unwrap();
    }

    let s = Staging::new(&out).unwrap();
    s.write("a/index.html", b"same").unwrap();
    s.write("b.html", b"after!").unwrap(); // same length, other bytes
    s.write("c.html", b"short").unwrap();
    s.commit().unwrap();

    let modified = |name: &str| fs::metadata(out.join(name)).unwrap().modified().unwrap();
    assert_eq!(modified("a/index.html"), old);
    assert_ne!(modified("b.html"), old);
    assert_eq!(
        fs::read_to_string(out.join("a/index.html")).unwrap(),
        "same"
    );
    assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "after!");
    assert_eq!(fs::read_to_string(out.join("c.html")).unwrap(), "short");
    fs::remove_dir_all(&base).unwrap();
}

/// A fresh folder for one test, named after it.
fn scratch(name: &str) -> PathBuf {
    let base = std::env::temp_dir().join(format!("guichet-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&base);
    fs::create_dir_all(&base).unwrap();
    base
}

/// One build writing `files` into `out`; returns whether it trusted the spare's manifest
/// (else it walked the spare).
fn build(out: &Path, files: &[&str]) -> bool {
    let s = Staging::new(out).unwrap();
    let trusted = s.spare_files.is_some();
    for file in files {
        s.write(file, file.as_bytes()).unwrap();
    }
    s.commit().unwrap();
    trusted
}

/// The manifest of a folder that [`build`] wrote `files` into (sorted): each file's path
/// is also its bytes.
fn listing(files: &[&str]) -> String {
    let lines: String = files.iter().map(|f| line(f) + "\n").collect();
    format!("guichet files 2\n{}\n{lines}end\n", files.len())
}

/// The manifest's line for a file that [`build`] wrote at `file`: its hash, then its path.
fn line(file: &str) -> String {
    format!(
        "{:032x} {file}",
        crate::digest::content_hash(file.as_bytes())
    )
}

/// Every entry under `dir`, sorted, folders ending in `/`.
fn entries(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, into: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                into.push(format!("{rel}/"));
                walk(root, &path, into);
            } else {
                into.push(rel);
            }
        }
    }
    let mut into = Vec::new();
    walk(dir, dir, &mut into);
    into.sort();
    into
}

#[test]
fn a_rebuild_deletes_the_listed_files_it_did_not_write_without_walking() {
    let base = scratch("manifest-trusted");
    let out = base.join("site");
    assert!(build(&out, &["a/index.html", "b/c/index.html", "d.html"]));
    assert_eq!(
        fs::read_to_string(out.join(".guichet-files")).unwrap(),
        listing(&["a/index.html", "b/c/index.html", "d.html"])
    );
    assert!(build(&out, &["x.html"])); // no spare yet: a new, empty folder
    // Reuses the first build's folder, as its manifest lists it.
    assert!(build(&out, &["a/index.html", "e/index.html"]));
    assert_eq!(
        entries(&out),
        [".guichet-files", "a/", "a/index.html", "e/", "e/index.html"]
    );
    assert_eq!(
        fs::read_to_string(out.join(".guichet-files")).unwrap(),
        listing(&["a/index.html", "e/index.html"])
    );
    assert_eq!(
        entries(&base.join(".site.spare")),
        [".guichet-files", "x.html"]
    );
    fs::remove_dir_all(&base).unwrap();
}

#[test]
fn files_added_by_hand_make_the_rebuild_walk_the_spare() {
    let base = scratch("manifest-by-hand");
    let out = base.join("site");
    build(&out, &["a/index.html", "b/index.html"]);
    // Added right after the build, in the same clock tick as its manifest maybe.
    fs::write(out.join("a/extra.html"), "by hand").unwrap();
    fs::create_dir_all(out.join("n/deep")).unwrap();
    fs::write(out.join("n/deep/x.html"), "by hand").unwrap();
    build(&out, &["z.html"]);
    assert!(!build(&out, &["a/index.html"]));
    assert_eq!(entries(&out), [".guichet-files", "a/", "a/index.html"]);
    fs::remove_dir_all(&base).unwrap();
}

#[test]
fn a_folder_dated_back_by_hand_is_still_seen_as_changed() {
    let base = scratch("manifest-dated-back");
    let out = base.join("site");
    build(&out, &["a/b/index.html", "c.html"]);
    fs::write(out.join("a/b/extra.html"), "by hand").unwrap();
    // As `rsync -a` or `touch -d` do: the modification time goes back, the change time not.
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    fs::File::open(out.join("a/b"))
        .unwrap()
        .set_modified(old)
        .unwrap();
    assert_eq!(
        fs::metadata(out.join("a/b")).unwrap().modified().unwrap(),
        old
    );
    build(&out, &["z.html"]);
    assert!(!build(&out, &["c.html"]));
    assert_eq!(entries(&out), [".guichet-files", "c.html"]);
    fs::remove_dir_all(&base).unwrap();
}

#[test]
fn a_missing_cut_or_wrong_manifest_makes_the_rebuild_walk_the_spare() {
    // What is done to the spare's manifest: its new text, or `None` to delete it.
    type Change = fn(&str) -> Option<String>;
    let cases: [(&str, Change); 9] = [
        ("missing", |_| None),
        ("cut", |m| Some(m.replace("end\n", ""))),
        ("count", |m| Some(m.replace("\n2\n", "\n1\n"))),
        ("version", |m| Some(m.replace("files 2", "files 1"))),
        ("no hash", |m| {
            Some(m.replace(&line("a/index.html"), "a/index.html"))
        }),
        ("short hash", |m| {
            Some(m.replace(&line("a/index.html"), "0a a/index.html"))
        }),
        ("outside", |m| {
            Some(m.replace("a/index.html", "../a/index.html"))
        }),
        ("unsorted", |m| {
            let (a, b) = (line("a/index.html"), line("b/index.html"));
            Some(m.replace(&format!("{a}\n{b}"), &format!("{b}\n{a}")))
        }),
        ("file and folder", |m| {
            let (a, b) = (line("a/index.html"), line("b/index.html"));
            Some(m.replace(&format!("{a}\n{b}"), &format!("{}\n{a}", line("a"))))
        }),
    ];
    for (name, change) in cases {
        let base = scratch(&format!("manifest-{}", name.replace(' ', "-")));
        let out = base.join("site");
        build(&out, &["a/index.html", "b/index.html"]);
        build(&out, &["z.html"]);
        let manifest = base.join(".site.spare/.guichet-files");
        match change(&fs::read_to_string(&manifest).unwrap()) {
            Some(text) => fs::write(&manifest, text).unwrap(),
            None => fs::remove_file(&manifest).unwrap(),
        }
        assert!(!build(&out, &["b/index.html", "y.html"]), "{name}");
        assert_eq!(
            entries(&out),
            [".guichet-files", "b/", "b/index.html", "y.html"],
            "{name}"
        );
        fs::remove_dir_all(&base).unwrap();
    }
}

#[test]
fn a_failed_build_leaves_a_spare_without_manifest() {
    let base = scratch("manifest-failed");
    let out = base.join("site");
    build(&out, &["a/index.html"]);
    build(&out, &["b.html"]);
    let s = Staging::new(&out).unwrap();
    assert!(s.spare_files.is_some());
    s.write("c/new.html", b"new").unwrap();
    drop(s); // the build failed
    assert_eq!(
        entries(&base.join(".site.spare")),
        ["a/", "a/index.html", "c/", "c/new.html"]
    );
    assert_eq!(entries(&out), [".guichet-files", "b.html"]);
    assert!(!build(&out, &["d.html"]));
    assert_eq!(entries(&out), [".guichet-files", "d.html"]);
    fs::remove_dir_all(&base).unwrap();
}

#[test]
fn a_rebuild_trusts_the_listed_hash_of_a_file_unchanged_since_the_list() {
    let base = scratch("manifest-hash");
    let out = base.join("site");
    build(&out, &["a/index.html", "b.html"]);
    build(&out, &["z.html"]);
    let s = Staging::new(&out).unwrap();
    let hash = |bytes: &[u8]| crate::digest::content_hash(bytes);
    let a = s.tmp_dir.join("a/index.html");
    assert!(s.listed_unchanged(&a, hash(b"a/index.html"), 12));
    assert!(!s.listed_unchanged(&a, hash(b"a/index.htm!"), 12));
    assert!(!s.listed_unchanged(&a, hash(b"a/index.html"), 11));
    assert!(!s.listed_unchanged(&s.tmp_dir.join("c.html"), hash(b"c.html"), 6));
    drop(s);
    fs::remove_dir_all(&base).unwrap();
}

#[test]
fn a_file_of_the_spare_edited_by_hand_is_compared_despite_its_listed_hash() {
    let base = scratch("manifest-edited");
    let out = base.join("site");
    build(&out, &["a/index.html", "b.html"]);
    build(&out, &["z.html"]);
    // Same length, other bytes, after the list was written: its hash no longer tells.
    fs::write(base.join(".site.spare/a/index.html"), "by hand here").unwrap();
    assert!(build(&out, &["a/index.html", "b.html"]));
    assert_eq!(
        fs::read_to_string(out.join("a/index.html")).unwrap(),
        "a/index.html"
    );
    assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "b.html");
    fs::remove_dir_all(&base).unwrap();
}

#[test]
fn the_files_sit_beside_the_output_folder() {
    assert_eq!(
        beside_output(Path::new("/x/site"), ".cache"),
        PathBuf::from("/x/.site.cache")
    );
    assert_eq!(
        beside_output(Path::new("out"), ".spare"),
        PathBuf::from("./.out.spare")
    );
}
