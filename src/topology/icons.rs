//! The device icons, drawn by the project in a 56 × 40 box: simple line drawings that read
//! as the usual network symbols (a cylinder router, a flat switch, a brick-wall firewall,
//! a rack server, a monitor, a printer, a Wi-Fi access point, an envelope, a cloud).
//!
//! Colours are presentation attributes (so the icon draws without any CSS); the classes let
//! the diagram's own `<style>` recolour them in dark mode.

use super::geom::Rect;
use super::model::Kind;
use crate::diagram::number::num;

/// A colour family of icons: light fill, line colour, and their dark-mode class.
struct Tone {
    class: &'static str,
    fill: &'static str,
    line: &'static str,
}

const BLUE: Tone = Tone {
    class: "topo-tone-blue",
    fill: "#dbeafe",
    line: "#1d4ed8",
};
const RED: Tone = Tone {
    class: "topo-tone-red",
    fill: "#fee2e2",
    line: "#b91c1c",
};
const SLATE: Tone = Tone {
    class: "topo-tone-slate",
    fill: "#e2e8f0",
    line: "#334155",
};
const SKY: Tone = Tone {
    class: "topo-tone-sky",
    fill: "#e0f2fe",
    line: "#0369a1",
};
const GREEN: Tone = Tone {
    class: "topo-tone-green",
    fill: "#dcfce7",
    line: "#15803d",
};
const AMBER: Tone = Tone {
    class: "topo-tone-amber",
    fill: "#fef3c7",
    line: "#b45309",
};

/// The icon of `kind` drawn in `at` (56 × 40).
pub(crate) fn icon(kind: Kind, at: &Rect) -> String {
    let (tone, body) = match kind {
        Kind::Router => (BLUE, router()),
        Kind::Switch => (BLUE, switch()),
        Kind::Firewall => (RED, firewall()),
        Kind::Server => (SLATE, server()),
        Kind::Vm => (SLATE, vm()),
        Kind::Client => (SKY, client()),
        Kind::Printer => (SLATE, printer()),
        Kind::AccessPoint => (GREEN, access_point()),
        Kind::Mail => (AMBER, mail()),
        Kind::Internet => (SKY, internet()),
        Kind::Cloud => (SKY, cloud()),
    };
    let body = body.replace("FILL", tone.fill).replace("LINE", tone.line);
    format!(
        "<g class=\"topo-icon {}\" transform=\"translate({} {})\">{body}</g>",
        tone.class,
        num(at.x),
        num(at.y)
    )
}

/// A shape filled with the tone's light colour and outlined with its line colour.
fn body(shape: &str) -> String {
    format!("<{shape} class=\"topo-ic\" fill=\"FILL\" stroke=\"LINE\" stroke-width=\"1.6\"/>")
}

/// A line drawing in the tone's line colour.
fn lines(d: &str) -> String {
    format!(
        "<path class=\"topo-ic-line\" d=\"{d}\" fill=\"none\" stroke=\"LINE\" stroke-width=\"1.6\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/>"
    )
}

fn router() -> String {
    // A short cylinder seen from above, with the four arrows of the usual router symbol.
    [
        body("path d=\"M6 13 V27 A22 8 0 0 0 50 27 V13\""),
        body("ellipse cx=\"28\" cy=\"13\" rx=\"22\" ry=\"8\""),
        lines("M18 9 L24 12 M21 9 H18 V11 M38 17 L32 14 M35 17 H38 V15 M38 9 L32 12 M35 9 H38 V11 M18 17 L24 14 M21 17 H18 V15"),
    ]
    .concat()
}

fn switch() -> String {
    [
        body("rect x=\"3\" y=\"10\" width=\"50\" height=\"22\" rx=\"3\""),
        lines("M14 17 H42 M38 14 L42 17 L38 20 M42 25 H14 M18 22 L14 25 L18 28"),
    ]
    .concat()
}

fn firewall() -> String {
    [
        body("rect x=\"6\" y=\"4\" width=\"44\" height=\"32\" rx=\"1\""),
        lines("M6 12 H50 M6 20 H50 M6 28 H50 M17 4 V12 M28 4 V12 M39 4 V12 M12 12 V20 M23 12 V20 M34 12 V20 M45 12 V20 M17 20 V28 M28 20 V28 M39 20 V28 M12 28 V36 M23 28 V36 M34 28 V36 M45 28 V36"),
    ]
    .concat()
}

fn server_unit(y: f32) -> String {
    [
        body(&format!(
            "rect x=\"10\" y=\"{y}\" width=\"36\" height=\"11\" rx=\"1.5\""
        )),
        lines(&format!("M14 {m} H26", m = y + 5.5)),
        format!(
            "<circle class=\"topo-ic-dot\" cx=\"40\" cy=\"{}\" r=\"1.8\" fill=\"LINE\"/>",
            y + 5.5
        ),
    ]
    .concat()
}

fn server() -> String {
    [server_unit(2.0), server_unit(14.5), server_unit(27.0)].concat()
}

fn vm() -> String {
    [
        "<rect class=\"topo-ic-line\" x=\"5\" y=\"1\" width=\"46\" height=\"38\" rx=\"4\" fill=\"none\" stroke=\"LINE\" stroke-width=\"1.4\" stroke-dasharray=\"4 3\"/>".to_string(),
        server_unit(8.0),
        server_unit(21.0),
    ]
    .concat()
}

fn client() -> String {
    [
        body("rect x=\"10\" y=\"3\" width=\"36\" height=\"25\" rx=\"2\""),
        "<rect class=\"topo-ic-screen\" x=\"13.5\" y=\"6.5\" width=\"29\" height=\"18\" fill=\"#ffffff\" stroke=\"none\"/>".to_string(),
        lines("M28 28 V33"),
        body("rect x=\"18\" y=\"33\" width=\"20\" height=\"4\" rx=\"1\""),
    ]
    .concat()
}

fn printer() -> String {
    [
        body("rect x=\"17\" y=\"3\" width=\"22\" height=\"11\""),
        body("rect x=\"7\" y=\"13\" width=\"42\" height=\"16\" rx=\"3\""),
        body("rect x=\"14\" y=\"26\" width=\"28\" height=\"11\""),
        lines("M18 30 H38 M18 33.5 H32"),
        "<circle class=\"topo-ic-dot\" cx=\"43\" cy=\"18\" r=\"1.8\" fill=\"LINE\"/>".to_string(),
    ]
    .concat()
}

fn access_point() -> String {
    [
        body("rect x=\"13\" y=\"28\" width=\"30\" height=\"9\" rx=\"4.5\""),
        lines("M22.3 21.3 A8 8 0 0 1 33.7 21.3 M18.1 17.1 A14 14 0 0 1 37.9 17.1 M13.8 12.8 A20 20 0 0 1 42.2 12.8"),
        "<circle class=\"topo-ic-dot\" cx=\"28\" cy=\"25\" r=\"2\" fill=\"LINE\"/>".to_string(),
    ]
    .concat()
}

fn mail() -> String {
    [
        body("rect x=\"8\" y=\"7\" width=\"40\" height=\"27\" rx=\"2\""),
        lines("M8.8 8 L28 23 L47.2 8 M8.8 33 L22 19.5 M47.2 33 L34 19.5"),
    ]
    .concat()
}

const CLOUD: &str = "path d=\"M15 36 A9 9 0 0 1 12.5 18.5 A12 12 0 0 1 34 11 A10 10 0 0 1 48.5 21 A7.5 7.5 0 0 1 46 36 Z\"";

fn internet() -> String {
    [
        body(CLOUD),
        lines("M30 16 A8 8 0 1 0 30.01 16 M30 16 A3.5 8 0 1 0 30.01 16 M22 24 H38"),
    ]
    .concat()
}

fn cloud() -> String {
    [body(CLOUD), lines("M22 22 H38 M22 27 H38 M24 32 H36")].concat()
}
