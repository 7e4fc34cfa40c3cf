//! Timings and quality figures of topology layouts: the demo (`content/portfolio/reseau.yaml`)
//! and generated networks of 40 devices / 6 networks and 100 devices / 10 networks
//! (benches/gen_topology.rs). For each: crossings between links, bends, total link
//! length, drawing area, and the median time of layout + SVG over a few runs.
//!
//! `cargo run --release --example topology_quality`

use std::path::Path;
use std::time::{Duration, Instant};

use guichet::diagram::geometry::{bends, crossings, length};
use guichet::language::Language;
use guichet::topology::{self, Topology};

#[path = "../benches/gen_topology.rs"]
mod gen_topology;

fn cases() -> Vec<(&'static str, Topology)> {
    let demo = std::fs::read_to_string("content/portfolio/reseau.yaml").expect("demo file");
    vec![
        (
            "demo",
            topology::parse(Path::new("reseau.yaml"), &demo, "reseau").expect("valid demo"),
        ),
        (
            "generated 40/6",
            gen_topology::generate(40, 6).expect("valid"),
        ),
        (
            "generated 100/10",
            gen_topology::generate(100, 10).expect("valid"),
        ),
    ]
}

fn median_time(t: &Topology, runs: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let svg = topology::to_svg(t, Language::Fr);
            std::hint::black_box(svg);
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    for (name, t) in cases() {
        let l = topology::to_layout(&t, Language::Fr);
        let mut cross = 0;
        for (i, a) in l.links.iter().enumerate() {
            for b in &l.links[i + 1..] {
                cross += crossings(&a.points, &b.points);
            }
        }
        let bend_count: usize = l.links.iter().map(|k| bends(&k.points)).sum();
        let total: f32 = l.links.iter().map(|k| length(&k.points)).sum();
        println!(
            "{name}: {} devices, {} links — crossings {cross}, bends {bend_count}, length {total:.0}, \
             area {} × {}, layout + SVG {:?} (median of 9)",
            t.devices.len(),
            t.links.len(),
            l.width,
            l.height,
            median_time(&t, 9)
        );
    }
}
