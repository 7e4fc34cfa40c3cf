//! The SVG writer, under the contract of docs/diagrams.md §2: root class `topologie` with
//! `data-topology`, zones as `g.lane`, devices as `g.step`, links as `g.flow` with an
//! orthogonal `M`/`L` path from border to border.
//!
//! Light colours are presentation attributes, so the file draws the same without any CSS
//! (resvg, Inkscape, a word processor); the embedded `<style>` only recolours for dark
//! screens and is scoped to `.topologie` so it cannot leak into the page around it.

use std::fmt::Write;

use super::geom::Point;
use super::icons::icon;
use super::lang::Words;
use super::layout::{Layout, TextLine};
use super::model::Topology;
use crate::diagram::font::FONT_FAMILY_CSS;
use crate::diagram::number::num;
use crate::diagram::svg::bbox;
use crate::escape::escape;
use crate::language::Language;

/// Zone colours (light fill, outline), cycled over the networks; the dark-mode fills are
/// the outlines, faded (`topo-zone-N` in the style).
const ZONE_TONES: [(&str, &str); 6] = [
    ("#eff6ff", "#60a5fa"),
    ("#f0fdf4", "#4ade80"),
    ("#fffbeb", "#f59e0b"),
    ("#f5f3ff", "#a78bfa"),
    ("#fff1f2", "#fb7185"),
    ("#f0fdfa", "#2dd4bf"),
];

const STYLE: &str = "@media screen and (prefers-color-scheme: dark){\
.topologie .topo-bg{fill:#0f172a}\
.topologie .topo-title,.topologie .topo-name,.topologie .topo-zone-name{fill:#f1f5f9}\
.topologie .topo-addr,.topologie .topo-zone-cidr{fill:#cbd5e1}\
.topologie .topo-meta{fill:#94a3b8}\
.topologie .topo-link{stroke:#94a3b8}\
.topologie .topo-label-bg{fill:#0f172a;stroke:#64748b}\
.topologie .topo-label{fill:#e2e8f0}\
.topologie .topo-zone{fill-opacity:0.14}\
.topologie .topo-zone-0{fill:#60a5fa}.topologie .topo-zone-1{fill:#4ade80}\
.topologie .topo-zone-2{fill:#f59e0b}.topologie .topo-zone-3{fill:#a78bfa}\
.topologie .topo-zone-4{fill:#fb7185}.topologie .topo-zone-5{fill:#2dd4bf}\
.topologie .topo-ic-screen{fill:#0f172a}\
.topologie .topo-tone-blue .topo-ic{fill:#1e3a8a;stroke:#93c5fd}\
.topologie .topo-tone-blue .topo-ic-line{stroke:#bfdbfe}\
.topologie .topo-tone-red .topo-ic{fill:#7f1d1d;stroke:#fca5a5}\
.topologie .topo-tone-red .topo-ic-line{stroke:#fecaca}\
.topologie .topo-tone-slate .topo-ic{fill:#334155;stroke:#cbd5e1}\
.topologie .topo-tone-slate .topo-ic-line{stroke:#e2e8f0}\
.topologie .topo-tone-slate .topo-ic-dot{fill:#4ade80}\
.topologie .topo-tone-sky .topo-ic{fill:#0c4a6e;stroke:#7dd3fc}\
.topologie .topo-tone-sky .topo-ic-line{stroke:#bae6fd}\
.topologie .topo-tone-green .topo-ic{fill:#14532d;stroke:#86efac}\
.topologie .topo-tone-green .topo-ic-line,.topologie .topo-tone-green .topo-ic-dot{stroke:#bbf7d0;fill:#bbf7d0}\
.topologie .topo-tone-amber .topo-ic{fill:#78350f;stroke:#fcd34d}\
.topologie .topo-tone-amber .topo-ic-line{stroke:#fde68a}\
}";

/// Writes the laid-out topology as one self-contained SVG document.
pub(crate) fn write(t: &Topology, l: &Layout, words: &Words, lang: Language) -> String {
    let id = &t.id;
    let desc = t
        .description
        .clone()
        .unwrap_or_else(|| (words.summary)(t.devices.len(), t.networks.len()));
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"topologie\" data-topology=\"{id}\" \
         viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{font}\" lang=\"{lang}\">",
        id = escape(id),
        w = num(l.width),
        h = num(l.height),
        font = escape(FONT_FAMILY_CSS),
        lang = lang.code(),
    );
    let _ = writeln!(
        s,
        "<title id=\"{}-title\">{}</title>",
        escape(id),
        escape(&l.title.text)
    );
    let _ = writeln!(
        s,
        "<desc id=\"{}-desc\">{}</desc>",
        escape(id),
        escape(&desc)
    );
    let _ = writeln!(s, "<style>{STYLE}</style>");
    // An opaque background, so the drawing reads the same on any page or viewer; the dark
    // style darkens it together with the text.
    let _ = writeln!(
        s,
        "<rect class=\"topo-bg\" x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>",
        w = num(l.width),
        h = num(l.height)
    );
    s.push_str(&text(&l.title, "#0f172a"));
    s.push('\n');
    for (k, z) in l.zones.iter().enumerate() {
        let network = &t.networks[z.index];
        let (fill, stroke) = ZONE_TONES[k % ZONE_TONES.len()];
        let _ = write!(
            s,
            "<g class=\"lane\" id=\"{id}-lane-{n}\" data-lane=\"{n}\" data-bbox=\"{bbox}\">\
             <rect class=\"topo-zone topo-zone-{tone}\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"10\" \
             fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>",
            id = escape(id),
            n = escape(&network.id),
            bbox = bbox(&z.rect),
            tone = k % ZONE_TONES.len(),
            x = num(z.rect.x),
            y = num(z.rect.y),
            w = num(z.rect.w),
            h = num(z.rect.h),
        );
        for line in &z.lines {
            let color = if line.class == "topo-zone-name" {
                "#0f172a"
            } else {
                "#475569"
            };
            s.push_str(&text(line, color));
        }
        s.push_str("</g>\n");
    }
    for link in &l.links {
        let data = &t.links[link.index];
        let _ = write!(
            s,
            "<g class=\"flow\" data-from=\"{}\" data-to=\"{}\"",
            escape(&data.from),
            escape(&data.to)
        );
        if let Some((label, r)) = &link.label {
            let _ = write!(
                s,
                " data-label=\"{}\" data-label-bbox=\"{}\"",
                escape(label),
                bbox(r)
            );
        }
        let _ = write!(
            s,
            "><path class=\"topo-link\" d=\"{}\" fill=\"none\" stroke=\"#475569\" stroke-width=\"2\" stroke-linejoin=\"round\"/>",
            path_data(&link.points)
        );
        if let Some((label, r)) = &link.label {
            let _ = write!(
                s,
                "<rect class=\"topo-label-bg\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" stroke=\"#94a3b8\" stroke-width=\"0.8\"/>\
                 <text class=\"topo-label\" x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1e293b\">{}</text>",
                num(r.x),
                num(r.y),
                num(r.w),
                num(r.h),
                num(r.x + r.w / 2.0),
                num(r.y + 12.0),
                escape(label)
            );
        }
        s.push_str("</g>\n");
    }
    for d in &l.devices {
        let device = &t.devices[d.index];
        let _ = write!(
            s,
            "<g class=\"step\" id=\"{id}-step-{step}\" data-step=\"{step}\" data-kind=\"{kind}\"",
            id = escape(id),
            step = escape(&device.id),
            kind = device.kind.key(),
        );
        if let Some(zone) = &d.zone {
            let _ = write!(s, " data-lane=\"{}\"", escape(zone));
        }
        let _ = write!(s, " data-bbox=\"{}\">", bbox(&d.rect));
        for (a, b) in &d.leads {
            let _ = write!(
                s,
                "<path class=\"topo-link\" d=\"M{} {} L{} {}\" fill=\"none\" stroke=\"#475569\" stroke-width=\"2\"/>",
                num(a.x),
                num(a.y),
                num(b.x),
                num(b.y)
            );
        }
        s.push_str(&icon(device.kind, &d.icon));
        for line in &d.lines {
            let color = match line.class {
                "topo-name" => "#0f172a",
                "topo-addr" => "#1e293b",
                _ => "#475569",
            };
            s.push_str(&text(line, color));
        }
        s.push_str("</g>\n");
    }
    s.push_str("</svg>\n");
    s
}

fn text(line: &TextLine, color: &str) -> String {
    let anchor = if line.anchor_start { "start" } else { "middle" };
    format!(
        "<text class=\"{}\" x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{anchor}\" fill=\"{color}\">{}</text>",
        line.class,
        num(line.x),
        num(line.y),
        num(line.size),
        escape(&line.text)
    )
}

/// `M x y L x y …`: only absolute moves and lines, as the contract requires.
fn path_data(points: &[Point]) -> String {
    let mut d = String::new();
    for (i, p) in points.iter().enumerate() {
        let _ = write!(
            d,
            "{}{} {}",
            if i == 0 { "M" } else { " L" },
            num(p.x),
            num(p.y)
        );
    }
    d
}
