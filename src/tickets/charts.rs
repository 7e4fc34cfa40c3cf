//! SVG charts of the dashboard, generated at build time: horizontal bars, a monthly trend and
//! a gauge.
//!
//! Every mark is drawn in `currentColor` (with opacity or dash patterns to tell series apart),
//! so a chart follows the page's text colour in dark mode and stays legible printed in black
//! and white. Each SVG has a `<title>` and a `<desc>` that says the data in words; the HTML
//! fragments add a data table as the text equivalent.

use std::fmt::Write;

use crate::escape::escape;

/// Width of every chart, in SVG units (pixels at 100 %).
pub(crate) const WIDTH: f64 = 560.0;
/// System UI faces first, then faces that resvg finds on common Linux systems: a generic
/// family alone renders no text in resvg when its default face is missing.
const FONT: &str = "font-family=\"system-ui, 'Segoe UI', 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif\" font-size=\"12\"";

/// One bar: its label, its value and the text shown after it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bar {
    /// Category label.
    pub label: String,
    /// Length of the bar.
    pub value: f64,
    /// Shown at the end of the bar (the value, formatted).
    pub text: String,
}

/// Horizontal bars, longest scale = largest value, `width` units wide. `id` makes the
/// title/desc ids unique in the page.
pub(crate) fn bar_chart(id: &str, title: &str, width: f64, bars: &[Bar]) -> String {
    const ROW: f64 = 26.0;
    const TOP: f64 = 8.0;
    let label_width = bars
        .iter()
        .map(|b| text_width(&b.label).min(210.0))
        .fold(40.0, f64::max)
        + 12.0;
    let value_width = bars
        .iter()
        .map(|b| text_width(&b.text))
        .fold(24.0, f64::max)
        + 10.0;
    let plot = (width - label_width - value_width).max(60.0);
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let height = TOP * 2.0 + ROW * bars.len().max(1) as f64;
    let desc = bars
        .iter()
        .map(|b| format!("{} : {}", b.label, b.text))
        .collect::<Vec<_>>()
        .join(" ; ");
    let mut svg = open_svg(id, title, &desc, width, height);
    // The axis the bars grow from.
    let _ = write!(
        svg,
        "<line class=\"kpi-axis\" x1=\"{x:.1}\" y1=\"{TOP}\" x2=\"{x:.1}\" y2=\"{y2:.1}\" stroke=\"currentColor\" stroke-opacity=\"0.6\"/>",
        x = label_width,
        y2 = height - TOP
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let length = if max > 0.0 {
            plot * bar.value / max
        } else {
            0.0
        };
        let label = truncate(&bar.label, 210.0);
        let _ = write!(
            svg,
            "<g class=\"kpi-bar-row\"><title>{full} : {text}</title>\
             <text x=\"{lx:.1}\" y=\"{ty:.1}\" text-anchor=\"end\" fill=\"currentColor\">{label}</text>\
             <rect class=\"kpi-bar\" x=\"{x:.1}\" y=\"{by:.1}\" width=\"{length:.1}\" height=\"{bh:.1}\" fill=\"currentColor\" fill-opacity=\"0.55\"/>\
             <text x=\"{vx:.1}\" y=\"{ty:.1}\" fill=\"currentColor\">{text}</text></g>",
            full = escape(&bar.label),
            text = escape(&bar.text),
            label = escape(&label),
            lx = label_width - 8.0,
            ty = y + ROW / 2.0 + 4.0,
            x = label_width,
            by = y + 4.0,
            bh = ROW - 8.0,
            vx = label_width + length + 6.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One point of the monthly trend.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TrendPoint {
    /// Axis label (`2025-03`).
    pub label: String,
    /// First series (opened).
    pub first: f64,
    /// Second series (closed).
    pub second: f64,
}

/// Two series per month: the first as a solid line with round markers, the second dashed
/// with square markers, so that they differ without colour.
pub(crate) fn trend_chart(
    id: &str,
    title: &str,
    names: (&str, &str),
    points: &[TrendPoint],
) -> String {
    const HEIGHT: f64 = 250.0;
    const LEFT: f64 = 44.0;
    const RIGHT: f64 = 16.0;
    const TOP: f64 = 34.0;
    const BOTTOM: f64 = 40.0;
    let max = points
        .iter()
        .flat_map(|p| [p.first, p.second])
        .fold(0.0, f64::max);
    let scale_max = nice_ceiling(max);
    // The first and last points sit inside the grid so that their markers clear the axis
    // values and their month labels are not cut at the edges.
    const INSET: f64 = 32.0;
    let plot_w = WIDTH - LEFT - RIGHT - 2.0 * INSET;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |i: usize| {
        if points.len() <= 1 {
            LEFT + INSET + plot_w / 2.0
        } else {
            LEFT + INSET + plot_w * i as f64 / (points.len() - 1) as f64
        }
    };
    let y = |v: f64| TOP + plot_h - plot_h * v / scale_max;
    let desc = points
        .iter()
        .map(|p| {
            format!(
                "{} : {} {}, {} {}",
                p.label, p.first, names.0, p.second, names.1
            )
        })
        .collect::<Vec<_>>()
        .join(" ; ");
    let mut svg = open_svg(id, title, &desc, WIDTH, HEIGHT);
    // Horizontal grid with its values.
    for k in 0..=4 {
        let v = scale_max * f64::from(k) / 4.0;
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" y1=\"{yy:.1}\" x2=\"{x2:.1}\" y2=\"{yy:.1}\" stroke=\"currentColor\" stroke-opacity=\"{o}\"/>\
             <text x=\"{tx:.1}\" y=\"{ty:.1}\" text-anchor=\"end\" fill=\"currentColor\">{v}</text>",
            yy = y(v),
            x2 = WIDTH - RIGHT,
            o = if k == 0 { "0.6" } else { "0.15" },
            tx = LEFT - 6.0,
            ty = y(v) + 4.0,
        );
    }
    let step = points.len().div_ceil(8).max(1);
    for (i, p) in points.iter().enumerate() {
        if i % step == 0 || i + 1 == points.len() {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"currentColor\">{}</text>",
                x(i),
                HEIGHT - BOTTOM + 18.0,
                escape(&p.label)
            );
        }
    }
    for (series, dash, marker) in [
        (0, "", "circle"),
        (1, " stroke-dasharray=\"6 4\"", "square"),
    ] {
        let value = |p: &TrendPoint| if series == 0 { p.first } else { p.second };
        let line: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(value(p))))
            .collect();
        let _ = write!(
            svg,
            "<polyline class=\"kpi-series-{series}\" points=\"{}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"{dash}/>",
            line.join(" ")
        );
        for (i, p) in points.iter().enumerate() {
            svg.push_str(&marker_svg(marker, x(i), y(value(p))));
        }
    }
    // Legend above the plot.
    let legend_y = 16.0;
    let _ = write!(
        svg,
        "<line x1=\"{LEFT}\" y1=\"{legend_y}\" x2=\"{l2}\" y2=\"{legend_y}\" stroke=\"currentColor\" stroke-width=\"2\"/>{m1}\
         <text x=\"{t1}\" y=\"{ty}\" fill=\"currentColor\">{n1}</text>\
         <line x1=\"{l3}\" y1=\"{legend_y}\" x2=\"{l4}\" y2=\"{legend_y}\" stroke=\"currentColor\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>{m2}\
         <text x=\"{t2}\" y=\"{ty}\" fill=\"currentColor\">{n2}</text>",
        l2 = LEFT + 28.0,
        m1 = marker_svg("circle", LEFT + 14.0, legend_y),
        t1 = LEFT + 34.0,
        ty = legend_y + 4.0,
        n1 = escape(names.0),
        l3 = LEFT + 60.0 + text_width(names.0),
        l4 = LEFT + 88.0 + text_width(names.0),
        m2 = marker_svg("square", LEFT + 74.0 + text_width(names.0), legend_y),
        t2 = LEFT + 94.0 + text_width(names.0),
        n2 = escape(names.1),
    );
    svg.push_str("</svg>");
    svg
}

/// A half-circle gauge for a rate 0..1 (`None`: empty gauge marked "n/a").
pub(crate) fn gauge(id: &str, title: &str, rate: Option<f64>, value_text: &str) -> String {
    const W: f64 = 200.0;
    const H: f64 = 120.0;
    const R: f64 = 80.0;
    let (cx, cy) = (W / 2.0, 100.0);
    let desc = format!("{title} : {value_text}");
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kpi-chart kpi-gauge\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" {FONT}>\
         <title id=\"{id}-t\">{t}</title><desc id=\"{id}-d\">{d}</desc>",
        t = escape(title),
        d = escape(&desc),
    );
    let _ = write!(
        svg,
        "<path d=\"M {x0:.1} {cy:.1} A {R} {R} 0 0 1 {x1:.1} {cy:.1}\" fill=\"none\" stroke=\"currentColor\" stroke-opacity=\"0.18\" stroke-width=\"16\"/>",
        x0 = cx - R,
        x1 = cx + R,
    );
    if let Some(rate) = rate {
        let r = rate.clamp(0.0, 1.0);
        let angle = std::f64::consts::PI * (1.0 - r);
        let (ex, ey) = (cx + R * angle.cos(), cy - R * angle.sin());
        if r > 0.0 {
            let _ = write!(
                svg,
                "<path class=\"kpi-gauge-value\" d=\"M {x0:.1} {cy:.1} A {R} {R} 0 0 1 {ex:.1} {ey:.1}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"16\"/>",
                x0 = cx - R,
            );
        }
    }
    let _ = write!(
        svg,
        "<text x=\"{cx}\" y=\"{ty}\" text-anchor=\"middle\" font-size=\"24\" font-weight=\"bold\" fill=\"currentColor\">{v}</text>\
         <text x=\"{l}\" y=\"{sy}\" text-anchor=\"middle\" fill=\"currentColor\">0</text>\
         <text x=\"{r}\" y=\"{sy}\" text-anchor=\"middle\" fill=\"currentColor\">100</text></svg>",
        ty = cy - 8.0,
        v = escape(value_text),
        l = cx - R,
        r = cx + R,
        sy = cy + 16.0,
    );
    svg
}

fn open_svg(id: &str, title: &str, desc: &str, width: f64, height: f64) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kpi-chart\" viewBox=\"0 0 {width} {height:.0}\" width=\"{width}\" height=\"{height:.0}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" {FONT}>\
         <title id=\"{id}-t\">{t}</title><desc id=\"{id}-d\">{d}</desc>",
        t = escape(title),
        d = escape(desc),
    )
}

fn marker_svg(kind: &str, x: f64, y: f64) -> String {
    if kind == "circle" {
        format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"currentColor\"/>")
    } else {
        format!(
            // Hollow and larger than the round marker, so that both stay visible when the two
            // series have the same value.
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>",
            x - 6.0,
            y - 6.0
        )
    }
}

/// A rough width of `text` at 12 px in a sans-serif face (0.6 em per character): enough to
/// leave room for labels without a font at build time.
fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * 7.2
}

/// Cuts a label that would not fit in `width`, with an ellipsis.
fn truncate(text: &str, width: f64) -> String {
    let max = (width / 7.2) as usize;
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// The smallest of 1, 2, 5 × 10ⁿ (times 4 for the grid) at or above `max`.
fn nice_ceiling(max: f64) -> f64 {
    if max <= 0.0 {
        return 4.0;
    }
    let mut step = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            if 4.0 * step * m >= max {
                return 4.0 * step * m;
            }
        }
        step *= 10.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value() {
        let bars = [
            Bar {
                label: "Réseau".into(),
                value: 4.0,
                text: "4".into(),
            },
            Bar {
                label: "Poste".into(),
                value: 2.0,
                text: "2".into(),
            },
        ];
        let svg = bar_chart("v", "Par catégorie", WIDTH, &bars);
        // Label "Réseau" 6 × 7.2 + 12 = 55.2; values 24 + 10: plot = 560 - 55.2 - 34 = 470.8.
        assert!(
            svg.contains("x=\"55.2\" y=\"12.0\" width=\"470.8\""),
            "{svg}"
        );
        assert!(svg.contains("width=\"235.4\""));
        assert!(svg.contains("<desc id=\"v-d\">Réseau : 4 ; Poste : 2</desc>"));
    }

    #[test]
    fn gauge_arc_ends_at_the_rate() {
        let svg = gauge("g", "SLA", Some(0.5), "50 %");
        // Half way: the arc ends at the top of the circle.
        assert!(svg.contains("A 80 80 0 0 1 100.0 20.0"), "{svg}");
        assert!(!gauge("g", "SLA", None, "n/d").contains("kpi-gauge-value"));
    }

    #[test]
    fn trend_grid_uses_round_steps() {
        assert_eq!(nice_ceiling(6.0), 8.0);
        assert_eq!(nice_ceiling(13.0), 20.0);
        assert_eq!(nice_ceiling(0.0), 4.0);
    }
}
