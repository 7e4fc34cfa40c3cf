//! Helpers shared by the integration tests: repository paths, throw-away sites, the browser
//! and Node tools, output crawling and diagram SVG reading; [`server`] for the tests that run
//! `guichet serve`.

pub mod browser;
pub mod server;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `rel`, a path in the repository (a fixture, the demo site, a doc), whatever the current
/// folder the tests run from.
pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The points of a laid-out diagram's flow from step `from` to step `to`, as (x, y).
pub fn route(d: &guichet::workflow::Diagram, from: &str, to: &str) -> Vec<(f32, f32)> {
    let flow = d.flows.iter().find(|f| f.from == from && f.to == to);
    let points = &flow.expect("flow").points;
    points.iter().map(|p| (p.x, p.y)).collect()
}

/// A site in a fresh temporary folder, removed on drop.
pub struct TempSite {
    /// The site root.
    pub root: PathBuf,
}

impl TempSite {
    /// A site whose files are `(path, text)` pairs.
    pub fn new(files: &[(&str, &str)]) -> TempSite {
        static N: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir().join(format!(
            "guichet-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = fs::remove_dir_all(&root);
        for (path, text) in files {
            let p = root.join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        TempSite { root }
    }

    /// A copy of the repository's demo site: its sources, which the test may edit.
    pub fn demo() -> TempSite {
        let site = TempSite::new(&[]);
        fs::create_dir_all(&site.root).unwrap();
        fs::copy(repo("guichet.yaml"), site.root.join("guichet.yaml")).unwrap();
        for dir in ["content", "workflows", "themes", "templates", "static"] {
            copy_tree(&repo(dir), &site.root.join(dir));
        }
        site
    }

    /// The demo site in French only: `languages:` dropped and the English translations
    /// deleted, for tests of what serve renders alone (a translated site's edits are full
    /// builds, since one page is shown in every language).
    #[allow(dead_code)]
    pub fn demo_in_one_language() -> TempSite {
        let site = TempSite::demo();
        let config = fs::read_to_string(site.root.join("guichet.yaml")).unwrap();
        let kept: String = config
            .lines()
            .filter(|line| !line.starts_with("languages:"))
            .map(|line| format!("{line}\n"))
            .collect();
        assert_ne!(kept.len(), config.len(), "the demo declares its languages");
        fs::write(site.root.join("guichet.yaml"), kept).unwrap();
        remove_translations(&site.root.join("content"));
        site
    }

    /// Writes or replaces one file.
    pub fn write(&self, path: &str, text: &str) {
        let p = self.root.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    /// The output folder.
    pub fn out(&self) -> PathBuf {
        self.root.join("site")
    }
}

/// Deletes every `*.en.md` translation under `dir`.
fn remove_translations(dir: &Path) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            remove_translations(&path);
        } else if path.to_string_lossy().ends_with(".en.md") {
            fs::remove_file(path).unwrap();
        }
    }
}

impl Drop for TempSite {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// Copies the folder `from` to `to`, if it exists.
fn copy_tree(from: &Path, to: &Path) {
    let Ok(entries) = fs::read_dir(from) else {
        return;
    };
    fs::create_dir_all(to).unwrap();
    for e in entries.flatten() {
        if e.path().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

// ---- Tools the browser and JavaScript tests drive ----

/// True when `program args` runs and succeeds.
pub fn runs(program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Says the test is skipped for want of `what`; under GUICHET_REQUIRE_BROWSER=1 (CI), fails it
/// instead.
pub fn skip_without(what: &str) {
    assert!(
        std::env::var("GUICHET_REQUIRE_BROWSER").as_deref() != Ok("1"),
        "GUICHET_REQUIRE_BROWSER=1 but {what} was not found (.ci/run installs it)"
    );
    eprintln!("skipped: {what} not found (set GUICHET_REQUIRE_BROWSER=1 to make this an error)");
}

/// The headless browser: $CHROMIUM, else `chromium` or `chromium-browser`. None, after
/// [`skip_without`], when none runs.
pub fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var("CHROMIUM").unwrap_or_default(),
        "chromium".into(),
        "chromium-browser".into(),
    ];
    let found = candidates
        .iter()
        .filter(|c| !c.is_empty())
        .find(|c| runs(c, &["--version"]))
        .map(PathBuf::from);
    if found.is_none() {
        skip_without("chromium");
    }
    found
}

/// axe-core's browser script: $AXE_CORE, else where .ci/run installs it
/// (target/npm/node_modules/axe-core/axe.min.js). None, after [`skip_without`], when absent.
pub fn axe_core() -> Option<PathBuf> {
    let path = std::env::var_os("AXE_CORE")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo("target/npm/node_modules/axe-core/axe.min.js"));
    if path.is_file() {
        Some(path)
    } else {
        skip_without("axe-core (npm install --prefix target/npm axe-core@4)");
        None
    }
}

/// True when `node` runs; otherwise false, after [`skip_without`].
pub fn node() -> bool {
    let found = runs("node", &["--version"]);
    if !found {
        skip_without("node");
    }
    found
}

/// The headlines (`file:line:column: error: message`) of a build of `site` that must fail.
pub fn build_errors(site: &TempSite) -> Vec<String> {
    guichet::build::build(&guichet::build::BuildOptions::new(&site.root))
        .unwrap_err()
        .0
        .iter()
        .map(|d| d.headline())
        .collect()
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(base, &p, out);
        } else {
            out.insert(
                p.strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
                fs::read(&p).unwrap(),
            );
        }
    }
}

/// Internal links (`href`/`src`) of every HTML file that do not resolve to a file of the
/// output, as `page -> link` strings. `#anchors` are checked against the target's ids.
pub fn broken_links(out: &Path) -> Vec<String> {
    let files = snapshot(out);
    let mut broken = Vec::new();
    for (path, bytes) in &files {
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for link in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            if link.contains("://")
                || link.starts_with("mailto:")
                || link.starts_with("data:")
                || link.starts_with("tel:")
            {
                continue;
            }
            let (file_part, anchor) = link
                .split_once('#')
                .map(|(a, b)| (a.to_string(), Some(b.to_string())))
                .unwrap_or((link.clone(), None));
            let target = if file_part.is_empty() {
                path.clone()
            } else {
                resolve(path, &file_part)
            };
            let target = if target.ends_with('/') || target.is_empty() {
                format!("{target}index.html")
            } else {
                target
            };
            match files.get(&target) {
                None => broken.push(format!("{path} -> {link}")),
                Some(t) => {
                    if let Some(a) = anchor.filter(|a| !a.is_empty()) {
                        let text = String::from_utf8_lossy(t);
                        if !text.contains(&format!("id=\"{a}\"")) {
                            broken.push(format!("{path} -> {link} (anchor)"));
                        }
                    }
                }
            }
        }
    }
    broken
}

fn resolve(from: &str, link: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut s = parts.join("/");
    if link.ends_with('/') {
        s.push('/');
    }
    s
}

/// The values of `name="…"` attributes in `html`, unescaped for `&amp;`.
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

// ---- Diagram SVG helpers: reading a diagram back and checking docs/diagrams.md's invariants ----

/// A box: x, y, width, height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

const EPS: f64 = 0.02;

impl BBox {
    pub fn parse(s: &str) -> BBox {
        let v: Vec<f64> = s
            .split(' ')
            .map(|n| n.parse().expect("number in bbox"))
            .collect();
        assert_eq!(v.len(), 4, "bbox `{s}` has four numbers");
        BBox {
            x: v[0],
            y: v[1],
            w: v[2],
            h: v[3],
        }
    }
    fn right(&self) -> f64 {
        self.x + self.w
    }
    fn bottom(&self) -> f64 {
        self.y + self.h
    }
    pub fn overlaps(&self, o: &BBox) -> bool {
        self.x < o.right() - EPS
            && o.x < self.right() - EPS
            && self.y < o.bottom() - EPS
            && o.y < self.bottom() - EPS
    }
    /// Strictly inside: no contact with the border.
    pub fn strictly_inside(&self, outer: &BBox) -> bool {
        self.x > outer.x + EPS
            && self.y > outer.y + EPS
            && self.right() < outer.right() - EPS
            && self.bottom() < outer.bottom() - EPS
    }
    /// True on a parallelogram's slanted left or right side (`skew` its horizontal offset:
    /// the left side runs from (x + skew, y) down to (x, bottom), the right side from
    /// (right, y) down to (right - skew, bottom)).
    pub fn on_slanted_side(&self, (x, y): (f64, f64), skew: f64) -> bool {
        if y < self.y - EPS || y > self.bottom() + EPS {
            return false;
        }
        let down = (y - self.y) / self.h;
        (x - (self.x + skew * (1.0 - down))).abs() <= EPS
            || (x - (self.right() - skew * down)).abs() <= EPS
    }
    /// True on the outline of the parallelogram drawn in this box (`skew` as above): its
    /// straight top and bottom edges or its slanted sides.
    pub fn on_parallelogram(&self, (x, y): (f64, f64), skew: f64) -> bool {
        let on_top =
            (y - self.y).abs() <= EPS && x >= self.x + skew - EPS && x <= self.right() + EPS;
        let on_bottom =
            (y - self.bottom()).abs() <= EPS && x >= self.x - EPS && x <= self.right() - skew + EPS;
        on_top || on_bottom || self.on_slanted_side((x, y), skew)
    }
    /// True at one of the four vertices of the diamond drawn in this box: the middles of
    /// its edges.
    pub fn at_vertex(&self, (x, y): (f64, f64)) -> bool {
        let (cx, cy) = (self.x + self.w / 2.0, self.y + self.h / 2.0);
        [
            (cx, self.y),
            (cx, self.bottom()),
            (self.x, cy),
            (self.right(), cy),
        ]
        .iter()
        .any(|&(vx, vy)| (x - vx).abs() <= EPS && (y - vy).abs() <= EPS)
    }
    pub fn on_border(&self, (x, y): (f64, f64)) -> bool {
        let in_x = x >= self.x - EPS && x <= self.right() + EPS;
        let in_y = y >= self.y - EPS && y <= self.bottom() + EPS;
        ((x - self.x).abs() <= EPS || (x - self.right()).abs() <= EPS) && in_y
            || ((y - self.y).abs() <= EPS || (y - self.bottom()).abs() <= EPS) && in_x
    }
    /// True when the axis-parallel segment passes through the interior.
    pub fn crossed_by(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        x0 < self.right() - EPS
            && x1 > self.x + EPS
            && y0 < self.bottom() - EPS
            && y1 > self.y + EPS
    }
}

#[derive(Debug, Clone)]
pub struct StepInfo {
    pub id: String,
    pub kind: String,
    pub lane: Option<String>,
    pub bbox: BBox,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct FlowInfo {
    pub from: String,
    pub to: String,
    pub label: Option<String>,
    pub label_bbox: Option<BBox>,
    pub points: Vec<(f64, f64)>,
}

#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub root_class: String,
    pub workflow: String,
    pub lanes: BTreeMap<String, BBox>,
    pub steps: Vec<StepInfo>,
    pub flows: Vec<FlowInfo>,
    pub ids: Vec<String>,
    pub texts: Vec<String>,
}

/// Parses an SVG path that may use only M, L, H and V (absolute) into its points.
pub fn path_points(d: &str) -> Vec<(f64, f64)> {
    let mut pts: Vec<(f64, f64)> = Vec::new();
    let mut chars = d.chars().peekable();
    let number = |chars: &mut std::iter::Peekable<std::str::Chars>| -> f64 {
        while chars.peek().is_some_and(|c| *c == ' ' || *c == ',') {
            chars.next();
        }
        let mut s = String::new();
        while chars
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        {
            s.push(chars.next().unwrap_or(' '));
        }
        s.parse().unwrap_or_else(|_| panic!("number in path `{d}`"))
    };
    while let Some(c) = chars.next() {
        match c {
            ' ' => {}
            'M' | 'L' => {
                let x = number(&mut chars);
                let y = number(&mut chars);
                pts.push((x, y));
            }
            'H' => {
                let x = number(&mut chars);
                let y = pts.last().expect("H after a point").1;
                pts.push((x, y));
            }
            'V' => {
                let y = number(&mut chars);
                let x = pts.last().expect("V after a point").0;
                pts.push((x, y));
            }
            other => panic!("path command `{other}` is not allowed in `{d}`"),
        }
    }
    pts
}

fn text_of(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .map(|n| n.text().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads the contract's structure from one `<svg>` root (or several inlined in a page).
pub fn parse(svg: &str) -> Parsed {
    let doc = roxmltree::Document::parse(svg)
        .unwrap_or_else(|e| panic!("the SVG is not well-formed XML: {e}"));
    let root = doc
        .descendants()
        .find(|n| n.has_tag_name("svg"))
        .expect("an svg root");
    let mut p = Parsed {
        root_class: root.attribute("class").unwrap_or("").to_string(),
        workflow: root.attribute("data-workflow").unwrap_or("").to_string(),
        ..Parsed::default()
    };
    for n in doc.descendants().filter(|n| n.is_element()) {
        if let Some(id) = n.attribute("id") {
            p.ids.push(id.to_string());
        }
        if n.has_tag_name("text") {
            p.texts.push(text_of(n));
        }
        let class = n.attribute("class").unwrap_or("");
        let classes: Vec<&str> = class.split(' ').collect();
        if n.has_tag_name("g") && classes.contains(&"lane") {
            p.lanes.insert(
                n.attribute("data-lane").expect("data-lane").to_string(),
                BBox::parse(n.attribute("data-bbox").expect("lane bbox")),
            );
        }
        if n.has_tag_name("g") && classes.contains(&"step") {
            p.steps.push(StepInfo {
                id: n.attribute("data-step").expect("data-step").to_string(),
                kind: n.attribute("data-kind").expect("data-kind").to_string(),
                lane: n.attribute("data-lane").map(str::to_string),
                bbox: BBox::parse(n.attribute("data-bbox").expect("step bbox")),
                text: n
                    .children()
                    .filter(|c| c.has_tag_name("text"))
                    .map(text_of)
                    .collect::<Vec<_>>()
                    .join("")
                    + &n.children()
                        .filter(|c| c.has_tag_name("a"))
                        .flat_map(|a| {
                            a.children()
                                .filter(|c| c.has_tag_name("text"))
                                .map(text_of)
                                .collect::<Vec<_>>()
                        })
                        .collect::<String>(),
            });
        }
        if n.has_tag_name("g") && classes.contains(&"flow") {
            let path = n
                .children()
                .find(|c| c.has_tag_name("path"))
                .expect("a flow has a path");
            p.flows.push(FlowInfo {
                from: n.attribute("data-from").expect("data-from").to_string(),
                to: n.attribute("data-to").expect("data-to").to_string(),
                label: n.attribute("data-label").map(str::to_string),
                label_bbox: n.attribute("data-label-bbox").map(BBox::parse),
                points: path_points(path.attribute("d").expect("d")),
            });
        }
    }
    p
}

/// Every violation of the contract's structure and of the five invariants, in words.
pub fn violations(p: &Parsed) -> Vec<String> {
    let mut v = Vec::new();
    let steps: BTreeMap<&str, &StepInfo> = p.steps.iter().map(|s| (s.id.as_str(), s)).collect();
    // 1. No two step boxes overlap, and none overlaps a lane border.
    for (i, a) in p.steps.iter().enumerate() {
        for b in &p.steps[i + 1..] {
            if a.bbox.overlaps(&b.bbox) {
                v.push(format!("1: steps {} and {} overlap", a.id, b.id));
            }
        }
    }
    // 5. Each step's box lies inside its lane's box (strictly: it touches no lane border).
    for s in &p.steps {
        match (&s.lane, p.lanes.is_empty()) {
            (Some(l), false) => match p.lanes.get(l) {
                Some(lane) if s.bbox.strictly_inside(lane) => {}
                Some(_) => v.push(format!("5: step {} is not inside lane {l}", s.id)),
                None => v.push(format!("5: step {} names an unknown lane {l}", s.id)),
            },
            (None, false) => v.push(format!("5: step {} has no lane", s.id)),
            _ => {}
        }
        for (id, lane) in &p.lanes {
            if Some(id) != s.lane.as_ref() && s.bbox.overlaps(lane) {
                v.push(format!("1: step {} overlaps lane {id}", s.id));
            }
        }
    }
    for f in &p.flows {
        let (Some(from), Some(to)) = (steps.get(f.from.as_str()), steps.get(f.to.as_str())) else {
            v.push(format!("flow {}→{} names an unknown step", f.from, f.to));
            continue;
        };
        if f.points.len() < 2 {
            v.push(format!(
                "flow {}→{} has fewer than two points",
                f.from, f.to
            ));
            continue;
        }
        for w in f.points.windows(2) {
            if (w[0].0 - w[1].0).abs() > EPS && (w[0].1 - w[1].1).abs() > EPS {
                v.push(format!("flow {}→{} has an oblique segment", f.from, f.to));
            }
            // 2. No flow passes through a step box other than its own two ends.
            for s in &p.steps {
                if s.id != f.from && s.id != f.to && s.bbox.crossed_by(w[0], w[1]) {
                    v.push(format!(
                        "2: flow {}→{} passes through step {}",
                        f.from, f.to, s.id
                    ));
                }
            }
        }
        // 4. A flow starts on its source's border and ends on its target's border (a data
        // step's border is its parallelogram, whose sides slant by 12 px).
        let (first, last) = (f.points[0], f.points[f.points.len() - 1]);
        let on_outline = |s: &StepInfo, p: (f64, f64)| match s.kind.as_str() {
            "data" => s.bbox.on_parallelogram(p, 12.0),
            "decision" => s.bbox.at_vertex(p),
            _ => s.bbox.on_border(p),
        };
        if !on_outline(from, first) {
            v.push(format!(
                "4: flow {}→{} does not start on {}'s border",
                f.from, f.to, f.from
            ));
        }
        if !on_outline(to, last) {
            v.push(format!(
                "4: flow {}→{} does not end on {}'s border",
                f.from, f.to, f.to
            ));
        }
        // 4. Every exit of a decision is labelled.
        if from.kind == "decision" && f.label.as_deref().is_none_or(str::is_empty) {
            v.push(format!(
                "4: exit {}→{} of a decision has no label",
                f.from, f.to
            ));
        }
        if f.label.is_some() != f.label_bbox.is_some() {
            v.push(format!(
                "flow {}→{}: data-label and data-label-bbox go together",
                f.from, f.to
            ));
        }
    }
    // 3. No label box overlaps a step box or another label box.
    let labels: Vec<(&FlowInfo, BBox)> = p
        .flows
        .iter()
        .filter_map(|f| f.label_bbox.map(|b| (f, b)))
        .collect();
    for (i, (f, b)) in labels.iter().enumerate() {
        for s in &p.steps {
            if b.overlaps(&s.bbox) {
                v.push(format!(
                    "3: label of {}→{} overlaps step {}",
                    f.from, f.to, s.id
                ));
            }
        }
        for (g, c) in &labels[i + 1..] {
            if b.overlaps(c) {
                v.push(format!(
                    "3: labels of {}→{} and {}→{} overlap",
                    f.from, f.to, g.from, g.to
                ));
            }
        }
    }
    let mut ids = p.ids.clone();
    ids.sort();
    for w in ids.windows(2) {
        if w[0] == w[1] {
            v.push(format!("id {} is not unique", w[0]));
        }
    }
    v
}
