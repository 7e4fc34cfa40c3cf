//! ```` ```topologie FILE.yaml ```` (or YAML written in the block): the network diagram, IP
//! plan and flow matrix, with the tables as CSV and the diagram as PNG beside the page.

use crate::data::TopologyBlock;
use crate::markdown::{EmbedCall, EmbedError, Embedded};
use crate::page::strings::UiStrings;
use crate::topology;

use super::PageEmbeds;

pub(super) fn embed(embeds: &mut PageEmbeds, _: &EmbedCall) -> Result<Embedded, EmbedError> {
    let page = embeds.page;
    let language = page.language;
    let block = embeds.files.topologies.get(embeds.topologies);
    embeds.topologies += 1;
    let (topology, stem, inline, sizes) = match block {
        Some(TopologyBlock::Ready {
            topology,
            stem,
            inline,
            sizes,
        }) => (topology, stem.as_str(), *inline, sizes.as_ref()),
        Some(TopologyBlock::Unreadable(e)) => return Err(e.clone()),
        // The validate stage reported the file's errors and stopped the build.
        Some(TopologyBlock::Invalid) | None => {
            return Err(EmbedError::new(
                "the topology was not read by the validate stage",
            ));
        }
    };
    let id = embeds.next_diagram_id(stem);
    let mut topology = topology.as_ref().clone();
    // The files of a topology written in the block are named after its id, those of a file
    // after the file.
    let stem = if inline { id.clone() } else { stem.to_string() };
    topology.id = id;
    let (plan, flows, png) = (
        format!("{stem}-plan-ip.csv"),
        format!("{stem}-flux.csv"),
        format!("{stem}.png"),
    );
    let png_path = format!("{}{png}", page.url);
    let svg = topology::to_svg_shared(&topology, language, sizes);
    let png_bytes = crate::diagram::png::to_png_or_earlier(
        &svg,
        2.0,
        embeds.earlier.iter().map(|dir| dir.join(&png_path)),
    )
    .map_err(|e| EmbedError::new(format!("cannot draw the topology as PNG: {e:?}")))?;
    let dir = &page.url;
    let files = vec![
        (
            format!("{dir}{plan}"),
            topology::ip_plan_csv(&topology, language).into_bytes(),
        ),
        (
            format!("{dir}{flows}"),
            topology::flow_matrix_csv(&topology, language).into_bytes(),
        ),
        (png_path, png_bytes),
    ];
    let label = UiStrings::of(page.language).generated.topology_png;
    Ok(Embedded {
        html: format!(
            "{}<p class=\"downloads\"><a href=\"{png}\" download>{label}</a></p>\n",
            topology::embed_html(&topology, language, &svg, &plan, &flows)
        ),
        files,
        masked: Vec::new(),
    })
}
