//! Renders the demo tickets' KPIs for a visual check: the dashboard as a standalone HTML page
//! (with tickets.css), one chart as SVG and PNG (through resvg, light and dark), plus the
//! JSON and CSV exports.
//!
//! `cargo run --example tickets_preview -- [OUT_DIR]` (default target/tickets-preview).

use std::path::{Path, PathBuf};

use guichet::language::Language;
use guichet::tickets::{self, Ticket, TicketSettings};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or("target/tickets-preview".into()),
    );
    std::fs::create_dir_all(&out)?;
    let settings: TicketSettings = serde_yaml::from_str(&std::fs::read_to_string(
        "tests/fixtures/tickets/demo_settings.yaml",
    )?)?;
    let tickets = load_tickets(Path::new("content/tickets"))?;
    let kpis = tickets::compute_kpis(&tickets, &settings);
    std::fs::write(out.join("indicateurs.json"), tickets::kpis_json(&kpis))?;
    std::fs::write(out.join("indicateurs.csv"), tickets::kpis_csv(&kpis))?;

    let css = std::fs::read_to_string("themes/guichet/static/tickets.css")?;
    let href = |t: &Ticket| format!("{}/", t.source.slug);
    let card = tickets::ticket_card_html(&tickets[2], &settings, &kpis, Language::Fr);
    let dashboard = format!(
        "<h1>Indicateurs</h1>{}",
        tickets::dashboard_html(&kpis, Language::Fr)
    );
    std::fs::write(out.join("dashboard.html"), page(&css, &dashboard))?;
    let index = format!(
        "<h1>Fiche</h1>{card}<h1>Index</h1>{}<script>{}</script>",
        tickets::tickets_index_html(&tickets, &settings, Language::Fr, &href),
        std::fs::read_to_string("themes/guichet/static/tickets.js")?
    );
    std::fs::write(out.join("tickets.html"), page(&css, &index))?;

    let chart = extract_svg(&tickets::kpi_embed_html("flow", &kpis, Language::Fr)?);
    std::fs::write(out.join("flow.svg"), &chart)?;
    render_png(&chart, &out.join("flow.png"), None)?;
    render_png(
        &chart,
        &out.join("flow-dark.png"),
        Some(("#1e1e1e", "#e8e8e8")),
    )?;
    let bars = extract_svg(&tickets::kpi_embed_html("volumes", &kpis, Language::Fr)?);
    render_png(&bars, &out.join("volumes.png"), None)?;
    println!("{} tickets -> {}", tickets.len(), out.display());
    Ok(())
}

fn load_tickets(dir: &Path) -> Result<Vec<Ticket>, Box<dyn std::error::Error>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    paths.retain(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"));
    paths.sort();
    let mut tickets = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path)?;
        let page = guichet::content::split(&path, &path.to_string_lossy(), text)
            .map_err(|e| e.to_string())?;
        let ticket = tickets::parse_ticket(&page)
            .map_err(|errors| errors.iter().map(|e| e.to_string()).collect::<String>())?;
        tickets.push(ticket);
    }
    Ok(tickets)
}

fn page(css: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Aperçu</title>\
         <meta name=\"color-scheme\" content=\"light dark\"><style>body{{font-family:system-ui,sans-serif;\
         max-width:62rem;margin:1rem auto;padding:0 1rem}}@media (prefers-color-scheme: dark){{body{{background:#1e1e1e;color:#e8e8e8}}}}\
         {css}</style></head><body>{body}</body></html>"
    )
}

/// The first `<svg>…</svg>` of an HTML fragment.
fn extract_svg(html: &str) -> String {
    let start = html.find("<svg").unwrap_or(0);
    let end = html[start..]
        .find("</svg>")
        .map(|i| start + i + 6)
        .unwrap_or(html.len());
    html[start..end].to_string()
}

/// Renders an SVG at twice its size; `colours` (background, text) simulates a dark page.
fn render_png(
    svg: &str,
    path: &Path,
    colours: Option<(&str, &str)>,
) -> Result<(), Box<dyn std::error::Error>> {
    let (background, text) = colours.unwrap_or(("#ffffff", "#000000"));
    let svg = svg.replacen(
        "role=\"img\"",
        &format!("role=\"img\" color=\"{text}\" style=\"background:{background}\""),
        1,
    );
    let mut options = resvg::usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    let tree = resvg::usvg::Tree::from_str(&svg, &options)?;
    let size = tree.size().to_int_size();
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(size.width() * 2, size.height() * 2).ok_or("empty chart")?;
    pixmap.fill(resvg::tiny_skia::Color::from_rgba8(
        u8::from_str_radix(&background[1..3], 16)?,
        u8::from_str_radix(&background[3..5], 16)?,
        u8::from_str_radix(&background[5..7], 16)?,
        255,
    ));
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(2.0, 2.0),
        &mut pixmap.as_mut(),
    );
    pixmap.save_png(path)?;
    Ok(())
}
