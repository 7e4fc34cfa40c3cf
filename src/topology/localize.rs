//! Topologies of a translated site: the title, the description, a network's or a device's
//! label, a device's role and OS, a link's label and a flow's purpose may be written once per
//! language (`label: {fr: Serveurs, en: Servers}`). Before validation, [`localize`] picks one
//! language's words with the [`Picker`] the workflows use too; a text missing in that
//! language falls back to the default language's with a warning at its line.

use std::path::Path;

use super::model::{RawDevice, RawFlow, RawLink, RawNetwork, RawTopology, Text};
use crate::diagnostics::Diagnostic;
use crate::localized_text::{Languages, Picker, Wording};
use crate::yaml::Spans;

/// How the topologies' messages speak of texts written per language.
const WORDING: Wording = Wording {
    example: "{fr: Serveurs, en: Servers}",
    shown_in: "that language's diagram and tables",
};

/// One language's version of a topology as read, with what picking its words found.
pub(crate) struct Localized {
    /// Every text in one language.
    pub raw: RawTopology,
    /// Unknown language codes and empty maps, each at its line.
    pub errors: Vec<Diagnostic>,
    /// Texts without words in the language, each at its line.
    pub warnings: Vec<Diagnostic>,
}

/// `raw` with every text in the language `languages` asks for (the default language's
/// words, else the first written, without `languages`). `source` is the whole file, quoted
/// under each diagnostic.
pub(crate) fn localize(
    path: &Path,
    source: &str,
    spans: &Spans,
    raw: RawTopology<Text>,
    languages: Option<Languages>,
) -> Localized {
    let mut p = Picker::new(path, source, spans, languages, WORDING);
    let localized = RawTopology {
        title: p.pick_opt(raw.title, "title", "the title"),
        description: p.pick_opt(raw.description, "description", "the description"),
        networks: (raw.networks.into_iter().enumerate())
            .map(|(i, n)| network(&mut p, i, n))
            .collect(),
        devices: (raw.devices.into_iter().enumerate())
            .map(|(i, d)| device(&mut p, i, d))
            .collect(),
        links: (raw.links.into_iter().enumerate())
            .map(|(i, l)| link(&mut p, i, l))
            .collect(),
        flows: (raw.flows.into_iter().enumerate())
            .map(|(i, f)| flow(&mut p, i, f))
            .collect(),
    };
    let (errors, warnings) = p.finish();
    Localized {
        raw: localized,
        errors,
        warnings,
    }
}

fn network(p: &mut Picker, i: usize, n: RawNetwork<Text>) -> RawNetwork {
    let what = format!("the label of network `{}`", n.id);
    RawNetwork {
        label: p.pick_opt(n.label, &format!("networks.{i}.label"), &what),
        id: n.id,
        vlan: n.vlan,
        cidr: n.cidr,
        gateway: n.gateway,
    }
}

fn device(p: &mut Picker, i: usize, d: RawDevice<Text>) -> RawDevice {
    let at = |key: &str| format!("devices.{i}.{key}");
    let what = |field: &str| format!("the {field} of device `{}`", d.id);
    RawDevice {
        label: p.pick_opt(d.label, &at("label"), &what("label")),
        os: p.pick_opt(d.os, &at("os"), &what("OS")),
        role: p.pick_opt(d.role, &at("role"), &what("role")),
        id: d.id,
        kind: d.kind,
        interfaces: d.interfaces,
        services: d.services,
    }
}

fn link(p: &mut Picker, i: usize, l: RawLink<Text>) -> RawLink {
    let what = format!("the label of the link from `{}` to `{}`", l.from, l.to);
    RawLink {
        label: p.pick_opt(l.label, &format!("links.{i}.label"), &what),
        from: l.from,
        to: l.to,
    }
}

fn flow(p: &mut Picker, i: usize, f: RawFlow<Text>) -> RawFlow {
    let what = format!(
        "the purpose of the flow from `{}` to `{}` ({})",
        f.from, f.to, f.service
    );
    RawFlow {
        purpose: p.pick(f.purpose, &format!("flows.{i}.purpose"), &what),
        from: f.from,
        to: f.to,
        service: f.service,
    }
}
