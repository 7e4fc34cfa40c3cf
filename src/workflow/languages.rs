//! Workflows of a translated site: a title, description, lane name or label may be written
//! once per language (`label: {fr: Ticket clos, en: Ticket closed}`). Before validation,
//! [`localize`] picks one language's words with the [`Picker`] the topologies share; a text
//! missing in that language falls back to the default language's (else the first written)
//! with a warning at its line.

use std::path::Path;

use super::parse::{RawBranch, RawLane, RawStep, RawWorkflow, Text};
use crate::diagnostics::Diagnostic;
pub use crate::localized_text::Languages;
use crate::localized_text::{Picker, Wording};
use crate::yaml::Spans;

/// How the workflows' messages speak of texts written per language.
const WORDING: Wording = Wording {
    example: "{fr: Ticket clos, en: Ticket closed}",
    shown_in: "that language's diagram",
};

/// `raw` with every text in one language, and a warning for each text that lacks it.
/// Errors: a language code guichet does not know, or an empty map, each at its line.
pub(crate) fn localize(
    path: &Path,
    text: &str,
    spans: &Spans,
    raw: RawWorkflow<Text>,
    languages: Option<Languages>,
) -> Result<(RawWorkflow, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut picker = Picker::new(path, text, spans, languages, WORDING);
    let localized = RawWorkflow {
        title: picker.pick(raw.title, "title", "the title"),
        description: picker.pick_opt(raw.description, "description", "the description"),
        lanes: raw
            .lanes
            .into_iter()
            .enumerate()
            .map(|(i, lane)| RawLane {
                label: picker.pick(
                    lane.label,
                    &format!("lanes.{i}.label"),
                    &format!("the name of lane `{}`", lane.id),
                ),
                id: lane.id,
            })
            .collect(),
        steps: raw
            .steps
            .into_iter()
            .enumerate()
            .map(|(i, step)| localize_step(&mut picker, i, step))
            .collect(),
    };
    let (errors, warnings) = picker.finish();
    if errors.is_empty() {
        Ok((localized, warnings))
    } else {
        Err(errors)
    }
}

fn localize_step(picker: &mut Picker, i: usize, step: RawStep<Text>) -> RawStep {
    let what = format!("the label of step `{}`", step.id);
    let branches = step.branches.map(|list| {
        list.into_iter()
            .enumerate()
            .map(|(j, b)| RawBranch {
                label: picker.pick(
                    b.label,
                    &format!("steps.{i}.branches.{j}.label"),
                    &format!("a branch label of step `{}`", step.id),
                ),
                to: b.to,
            })
            .collect()
    });
    RawStep {
        label: picker.pick(step.label, &format!("steps.{i}.label"), &what),
        id: step.id,
        kind: step.kind,
        lane: step.lane,
        status: step.status,
        sla: step.sla,
        link: step.link,
        workflow: step.workflow,
        next: step.next,
        yes: step.yes,
        no: step.no,
        branches,
        about: step.about,
    }
}
