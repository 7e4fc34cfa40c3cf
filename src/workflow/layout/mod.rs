//! The layout pipeline of a workflow, from steps to a laid-out [`Diagram`]:
//! sizes (text measured and wrapped with the bundled font) → cycle breaking from the start in
//! YAML order (and, on small diagrams with crossings, by the file's order too: a flow to an
//! earlier step of its cycle goes back up; the better layout is kept) → ranks ([`Ranker`], layout-rs) → order within ranks ([`Orderer`], barycentre
//! sweeps seeded by layout-rs, then neighbour swaps) → x inside lanes (median pulls under
//! separations, then empty columns removed, then each lane packed as narrow as its rows'
//! order allows) → lanes side by side → orthogonal routing in channels → labels beside exits
//! → elbows (two-bend flows redrawn with one where the page leaves room) → legend. On
//! diagrams of up to 120 steps, a local search then changes the port side or track lane of
//! flows that cross (and up to 60 steps, which exit of a decision leaves from its bottom
//! vertex, a target one rank lower, or the side of the flow into a crossing flow's source;
//! last, two exits of a decision trading the bottom vertex), keeping what lowers the
//! crossings actually drawn, then the bends, then the length.
//! In the layout kept, flows with two bends or more are then redrawn with fewer where the
//! page leaves room ([`shortcut`]: into a target's side, merging with the flows that end
//! there), and the layout is narrowed ([`narrow`]): everything drawn slides left as far as
//! the spacing rules allow, lane borders included, without changing any crossing.
//! On diagrams of up to 80 steps, [`handoff`]s (flows into another lane drawn across their
//! source's row) are then added one at a time to that layout, and the whole search is run
//! again with all of them; each is kept when it draws a smaller diagram with no more
//! crossings and no more bends. Last, each step's comment is tried above and below it
//! instead of beside (where that edge of the step carries no flow), kept on the same rule.

pub(crate) mod compact;
pub(crate) mod elbow;
#[cfg(test)]
mod fixtures;
pub(crate) mod graph;
pub(crate) mod handoff;
pub(crate) mod narrow;
pub(crate) mod order;
pub(crate) mod pack;
pub(crate) mod place;
pub(crate) mod ranking;
pub(crate) mod route;
pub(crate) mod shortcut;
pub(crate) mod turns;

use std::collections::{BTreeMap, BTreeSet};

use crate::diagram::font::text_width;
use crate::diagram::geometry::{Point, Rect};
use crate::diagram::model::{
    Badge, Diagram, Flow, Label, LaneBand, LegendItem, Mark, Node, NodeLink, Shape,
};
use crate::diagram::shapes::{content_center_y, outer_size};
use crate::diagram::text::TextBlock;
use crate::language::Language;

use super::model::{ExitLabel, Kind, Sla, Step, Workflow};
use super::status::Status;
use crate::workflow::metrics::{self, Metrics};
use graph::{CellKind, Choices, Layered, Side, Stack, StepBox};
pub(crate) use order::{BarycentreOrderer, Orderer};
pub(crate) use ranking::{LayoutRsRanker, Ranker};
use route::Ports;

/// Margin around the drawing.
const MARGIN: f32 = 16.0;
/// Room between a lane's border and the boxes inside it.
const LANE_PAD: f32 = 20.0;
/// Font size of step labels.
const TEXT_SIZE: f32 = 13.0;
/// Font size of exit labels.
const LABEL_SIZE: f32 = 12.0;
/// Widest line of an exit label.
const LABEL_WRAP: f32 = 96.0;
/// Font size of badges and SLA captions.
const BADGE_SIZE: f32 = 10.0;
/// Height of a status badge.
const BADGE_H: f32 = 15.0;
/// Radius of the SLA clock.
const CLOCK_R: f32 = 6.0;
/// Space under the badge row, before the label.
const BADGE_GAP: f32 = 4.0;

/// Lays a workflow out with the default engines (layout-rs ranking, barycentre ordering).
pub fn layout(wf: &Workflow, lang: Language) -> Diagram {
    layout_with(wf, lang, &LayoutRsRanker, &BarycentreOrderer)
}

/// Lays a workflow out with the given ranking and ordering engines.
pub(crate) fn layout_with(
    wf: &Workflow,
    lang: Language,
    ranker: &dyn Ranker,
    orderer: &dyn Orderer,
) -> Diagram {
    layout_sized(wf, lang, ranker, orderer, None)
}

/// Lays out `wf`, one language's version of a workflow drawn in several, with the room
/// `sizes` gives every text: each language's diagram then has the same boxes and flows.
pub fn layout_shared(wf: &Workflow, lang: Language, sizes: &SharedSizes) -> Diagram {
    layout_sized(wf, lang, &LayoutRsRanker, &BarycentreOrderer, Some(sizes))
}

/// The room the texts of a workflow take in the largest of its languages: each step's box,
/// each exit label and each lane title. Laid out with these sizes, the versions of a
/// workflow in several languages share one layout, whatever the length of their words.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SharedSizes {
    /// Each step's box (width, height).
    steps: Vec<(f32, f32)>,
    /// Each step's exits: the label's width beside a flow, and its box under a decision.
    exits: Vec<Vec<Option<(f32, Rect)>>>,
    /// Each lane title's width.
    lanes: Vec<f32>,
    /// The height of the lane titles' row.
    header_h: f32,
}

impl SharedSizes {
    /// The sizes of `variants`, the versions of one workflow (same steps, exits and lanes)
    /// each in its language. A version whose structure differs from the first is skipped.
    pub fn of(variants: &[(&Workflow, Language)]) -> SharedSizes {
        let mut sizes = SharedSizes::default();
        let Some((first, _)) = variants.first() else {
            return sizes;
        };
        let same_shape = |wf: &Workflow| {
            wf.steps.len() == first.steps.len()
                && wf.lanes.len() == first.lanes.len()
                && wf
                    .steps
                    .iter()
                    .zip(&first.steps)
                    .all(|(a, b)| a.exits.len() == b.exits.len())
        };
        sizes.steps = vec![(0.0, 0.0); first.steps.len()];
        sizes.exits = first
            .steps
            .iter()
            .map(|s| vec![None; s.exits.len()])
            .collect();
        sizes.lanes = vec![0.0; first.lanes.len()];
        for (wf, lang) in variants.iter().filter(|(wf, _)| same_shape(wf)) {
            for (i, step) in wf.steps.iter().enumerate() {
                let c = Content::new(step, *lang);
                let (w, h) = sizes.steps[i];
                sizes.steps[i] = (w.max(c.w), h.max(c.h));
                for (k, exit) in step.exits.iter().enumerate() {
                    let Some(label) = &exit.label else { continue };
                    let (w, rect) = exit_label_size(&exit_text(label, *lang));
                    let slot = &mut sizes.exits[i][k];
                    *slot = Some(match slot {
                        Some((ow, or)) => (
                            ow.max(w),
                            Rect::new(0.0, 0.0, or.w.max(rect.w), or.h.max(rect.h)),
                        ),
                        None => (w, rect),
                    });
                }
            }
            for (k, lane) in wf.lanes.iter().enumerate() {
                let header = TextBlock::new(&lane.label, 200.0, TEXT_SIZE);
                sizes.lanes[k] = sizes.lanes[k].max(header.width);
                sizes.header_h = sizes.header_h.max(header.height() + 14.0);
            }
        }
        sizes
    }

    /// The exit label's room of exit `k` of step `step`, when known.
    fn exit(&self, step: usize, k: usize) -> Option<(f32, Rect)> {
        self.exits.get(step)?.get(k).copied().flatten()
    }
}

/// An exit label's width beside its flow, and its box under a decision.
fn exit_label_size(text: &str) -> (f32, Rect) {
    let block = exit_block(text);
    (block.width + 6.0, exit_label_rect(&block))
}

/// The box of an exit label under a decision, from its wrapped text.
fn exit_label_rect(block: &TextBlock) -> Rect {
    Rect::new(0.0, 0.0, (block.width + 6.0).ceil(), block.height() + 2.0)
}

/// [`layout_with`], the texts' room taken from `sizes` when given: the layout searched,
/// then each branch label moved next to its own turn (see [`turns`]), which changes no
/// figure the search compares.
fn layout_sized(
    wf: &Workflow,
    lang: Language,
    ranker: &dyn Ranker,
    orderer: &dyn Orderer,
    sizes: Option<&SharedSizes>,
) -> Diagram {
    let mut d = searched_layout(wf, lang, ranker, orderer, sizes);
    turns::twins_share_their_line(&mut d);
    turns::labels_by_their_turns(&mut d);
    d
}

/// The layout of [`layout_sized`] as its search keeps it, before the labels' last move.
fn searched_layout(
    wf: &Workflow,
    lang: Language,
    ranker: &dyn Ranker,
    orderer: &dyn Orderer,
    sizes: Option<&SharedSizes>,
) -> Diagram {
    let lane_ids = wf.effective_lanes();
    let lane_index: Vec<usize> = lane_ids
        .iter()
        .map(|l| {
            l.as_ref()
                .and_then(|id| wf.lanes.iter().position(|x| &x.id == id))
                .unwrap_or(0)
        })
        .collect();
    let contents: Vec<Content> = wf.steps.iter().map(|s| Content::new(s, lang)).collect();
    let boxes: Vec<StepBox> = contents
        .iter()
        .zip(&lane_index)
        .enumerate()
        .map(|(i, (c, &lane))| {
            let (w, h) = sizes
                .and_then(|s| s.steps.get(i).copied())
                .unwrap_or((c.w, c.h));
            StepBox { w, h, lane }
        })
        .collect();
    let labels: Vec<Vec<Option<(String, f32)>>> = wf
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            s.exits
                .iter()
                .enumerate()
                .map(|(k, e)| {
                    e.label.as_ref().map(|l| {
                        let text = exit_text(l, lang);
                        let w = match sizes.and_then(|s| s.exit(i, k)) {
                            Some((w, _)) => w,
                            None => exit_label_size(&text).0,
                        };
                        (text, w)
                    })
                })
                .collect()
        })
        .collect();
    let texts = Texts::new(wf, lang, &labels);
    let inputs = Inputs {
        wf,
        lang,
        contents: &contents,
        lane_ids: &lane_ids,
        sizes,
        texts: &texts,
    };
    let skeleton = graph::Skeleton::new(wf, &boxes, ranker);
    let build = |base: &Choices| graph::build(wf, &skeleton, &boxes, &labels, base);
    let start = |base: Choices, g: Layered| Start::new(&inputs, &build, orderer, base, g);
    // The layout of `choices`: its layers ordered from `first_order`, the chosen ends pinned.
    let lay_out = |choices: &Choices, first_order: &[Vec<usize>]| {
        let g = build(choices);
        let mut order = orderer.reorder(&g, first_order);
        order::pin_ends(&g, &mut order, &choices.track_ends, &choices.node_ends);
        finish(&inputs, g, order)
    };
    let first = start(Choices::default(), build(&Choices::default()));
    if first.best.nodes.len() > VARIANT_LIMIT {
        // Narrowing compares every pair of things drawn at one height: on diagrams this
        // large it would cost a quarter of the layout's time.
        return first.best;
    }
    // The local search from one first layout, ending with its best layout and the moves
    // of the graph it started from (that of its way of breaking cycles, before any choice).
    let run = |first: Start| -> (Search, Vec<Moves>) {
        let Start {
            best,
            score: first_score,
            choices: heuristic,
            first_order,
            loops,
            moves,
            back,
        } = first;
        let base = Choices {
            file_loops: heuristic.file_loops,
            handoffs: heuristic.handoffs,
            ..Choices::default()
        };
        let mut search = Search {
            score: first_score,
            best,
            choices: heuristic.clone(),
            back,
            first_order: first_order.clone(),
        };
        // Lays `choices` out and keeps the layout when it scores better; then returns its
        // crossings per flow, which the search orders its next flows by.
        let try_choices = |choices: Choices, search: &mut Search| -> Option<Vec<usize>> {
            let candidate = lay_out(&choices, &first_order);
            search.offer(choices, candidate).ok()
        };
        let mut variants: Vec<Choices> = Vec::new();
        if !heuristic.flipped.is_empty() {
            variants.push(base.clone());
        }
        if !loops.is_empty() {
            variants.push(Choices {
                flipped: loops.clone(),
                ..base.clone()
            });
            if !heuristic.flipped.is_empty() {
                variants.push(Choices {
                    flipped: [heuristic.flipped.clone(), loops].concat(),
                    ..base.clone()
                });
            }
        }
        for choices in variants {
            if search.score.0 == 0 {
                break;
            }
            try_choices(choices, &mut search);
        }
        // Then a local search: the changes of one flow taking part in a crossing (its port on
        // the other side, its track in the other lane, or both) are tried from the best layout,
        // the flows with most crossings first and loops before other flows; the first change
        // that lowers the score is kept and the search goes on from it with the next flow.
        let mut seen: BTreeSet<Choices> = BTreeSet::new();
        seen.insert(search.choices.normalised());
        let nodes = search.best.nodes.len();
        let descend = |search: &mut Search,
                       seen: &mut BTreeSet<Choices>,
                       moves_of: &dyn Fn(&Choices, usize) -> Vec<Choices>,
                       limit: usize| {
            let mut trials = 0;
            // A pass tries each crossing flow once; passes repeat while one brings something.
            let mut attempted = vec![false; moves.len()];
            let mut improved = false;
            // The crossing flows of the best layout, found again only when it changes.
            let mut crossing = crossing_flows(&search.best);
            'search: while search.score.0 > 0 && trials < limit {
                let next = crossing
                    .iter()
                    .copied()
                    .find(|&f| f < attempted.len() && !attempted[f]);
                let Some(f) = next else {
                    if !improved {
                        break;
                    }
                    attempted.fill(false);
                    improved = false;
                    continue;
                };
                attempted[f] = true;
                let base = search.choices.clone();
                for choices in moves_of(&base, f) {
                    if trials >= limit {
                        break 'search;
                    }
                    if !seen.insert(choices.normalised()) {
                        continue;
                    }
                    trials += 1;
                    if let Some(count) = try_choices(choices, search) {
                        crossing = by_crossings(&search.best, &count);
                        improved = true;
                        continue 'search;
                    }
                }
            }
        };
        descend(
            &mut search,
            &mut seen,
            &|base, f| candidates(base, f, &moves[f], nodes),
            if nodes > RANK_MOVES_LIMIT {
                LOCAL_TRIALS
            } else {
                SMALL_LOCAL_TRIALS
            },
        );
        if nodes <= RANK_MOVES_LIMIT {
            // Then, on small diagrams, where a crossing flow's track or its ends stand in
            // their lanes: the ordering counts crossings between ranks, not those of the
            // horizontal runs in the channels, which a track or a step at one end of its lane
            // may avoid.
            descend(
                &mut search,
                &mut seen,
                &|base, f| end_candidates(base, f, &moves[f]),
                END_TRIALS,
            );
            // Last, a loop or a long flow between two lanes that still crosses may run its
            // track in a lane beyond both, at that lane's outer end (outside the steps its
            // own lanes hold and the flows between them, which no move above tries) or where
            // the ordering puts it in that lane.
            descend(
                &mut search,
                &mut seen,
                &|base, f| outer_candidates(base, f, &moves[f]),
                OUTER_TRIALS,
            );
            // And a flow under a decision that crosses may trade its vertex with a sibling
            // beside it, which no single move above does.
            descend(
                &mut search,
                &mut seen,
                &|base, f| swap_candidates(base, f, &moves),
                SWAP_TRIALS,
            );
            // Then a flow within one lane that still crosses may run its track in the lane
            // beside it, at that lane's outer end or where the ordering puts it.
            descend(
                &mut search,
                &mut seen,
                &|base, f| beside_candidates(base, f, &moves[f]),
                OUTER_TRIALS,
            );
            // Last, a loop that still crosses the flows in the channel above its target may
            // turn above the first row and come down into its target over what stands
            // above it.
            descend(
                &mut search,
                &mut seen,
                &|base, f| over_top_candidates(base, f, &moves[f]),
                OVER_TOP_TRIALS,
            );
        }
        // A step the search moved down may no longer need to be once other changes were made:
        // each goes back up where that scores better (shorter flows at least).
        for n in search.choices.lowered.clone() {
            try_choices(search.choices.toggle_lowered(n), &mut search);
        }
        (search, moves)
    };
    // The search from `first`, the layout of the walk's or the file's cycle breaking, with
    // or without `handoffs`; drawn.
    let searched = |first: Start, handoffs: bool| -> (Diagram, Choices, Vec<Vec<usize>>) {
        let file_base = Choices {
            file_loops: true,
            handoffs,
            ..Choices::default()
        };
        let file_graph = build(&file_base);
        let file_back: Vec<bool> = file_graph.edges.iter().map(|e| e.back).collect();
        let loops = |back: &[bool]| back.iter().filter(|&&b| b).count();
        // A loop is drawn up, against the reading: the way of breaking cycles with fewer
        // loops is laid out alone. The walk from the start may take the way on for a loop
        // and a flow the author wrote as one (to an earlier step) for the way on:
        // incident-lycee's walk reached the solution by the knowledge base first, then took
        // the reopening's Non for the way to the N1 diagnosis, and drew the whole escalation
        // under the end, its four ways to the solution as loops (7 against the file's 5).
        let fewer_loops = loops(&file_back) < loops(&first.back);
        let (mut result, mut moves, file_graph) = if fewer_loops {
            let (result, moves) = run(start(file_base.clone(), file_graph));
            (result, moves, None)
        } else {
            let (result, moves) = run(first);
            (result, moves, Some(file_graph))
        };
        // Otherwise, when crossings remain, the cycles broken by the file's order are laid
        // out too if they differ, and the better kept.
        if let Some(g) = file_graph.filter(|_| result.score.0 > 0)
            && file_back != result.back
        {
            let (other, other_moves) = run(start(file_base, g));
            if other.score < result.score {
                result = other;
                moves = other_moves;
            }
        }
        if handoffs && result.score.0 > 0 {
            // A handoff saves a row but may bring flows below it closer: each is tried a
            // row down (drawn as any other flow) while crossings remain.
            let g = build(&result.choices);
            for (f, _) in g.edges.iter().enumerate().filter(|(_, e)| e.handoff) {
                if result.score.0 == 0 {
                    break;
                }
                let choices = result.choices.toggle_level(f);
                let candidate = lay_out(&choices, &result.first_order);
                let _ = result.offer(choices, candidate);
            }
        }
        if result.score.0 > 0 && result.best.nodes.len() <= RANK_MOVES_LIMIT {
            let nodes = result.best.nodes.len();
            let first_order = result.first_order.clone();
            kick_descent(
                &mut result,
                &|base, f| every_move(base, f, &moves, nodes),
                &|choices| lay_out(choices, &first_order),
                KICK_TRIALS,
            );
        }
        let Search {
            best,
            choices,
            first_order,
            ..
        } = result;
        let mut best = drawn(best, &inputs);
        let mut choices = choices;
        if best.nodes.len() <= RANK_MOVES_LIMIT {
            let layout = |choices: &Choices| drawn(lay_out(choices, &first_order), &inputs);
            let exits = side_exits(wf, &build(&choices));
            choices = exits_down_for_area(&mut best, choices, &exits, layout);
            choices = lower_for_area(&mut best, choices, layout);
        }
        (best, choices, first_order)
    };
    let (plain, plain_choices, plain_order) = searched(first, false);
    if plain.nodes.len() > RANK_MOVES_LIMIT {
        // Laying out again would double the time of large diagrams.
        return plain;
    }
    // Last, each comment is tried above and below its step, from the layout kept.
    let with_comments = |mut d: Diagram, choices: Choices, order: &[Vec<usize>]| {
        let layout = |choices: &Choices| drawn(lay_out(choices, order), &inputs);
        let choices = comments_for_area(
            &mut d,
            choices,
            skeleton.stackable(),
            |n| skeleton.flows_at(n),
            layout,
        );
        let exits = side_exits(wf, &build(&choices));
        fewer_bends(&mut d, choices, &exits, layout);
        d
    };
    // Then with handoffs across rows, two ways: flow by flow from the layout kept, each
    // handoff kept when the drawing gets smaller; and the whole search again with every
    // handoff the rules allow, its layout kept when it is smaller still with no more
    // crossings and no more bends than the first.
    let level = skeleton.level_flows(plain_choices.file_loops, &plain_choices.mains);
    if level.is_empty() {
        return with_comments(plain, plain_choices, &plain_order);
    }
    let figures = metrics::measure(&plain);
    let mut best = plain;
    // The moves the search would try on the flows that cross in `d`, laid out from `choices`.
    let repairs = |choices: &Choices, d: &Diagram| -> Vec<Choices> {
        let g = build(choices);
        let moves = movable_flows(wf, &g);
        let nodes = g.nodes.len();
        crossing_flows(d)
            .into_iter()
            .filter(|&f| f < moves.len())
            .flat_map(|f| candidates(choices, f, &moves[f], nodes))
            .collect()
    };
    let draw_plain = |choices: &Choices| drawn(lay_out(choices, &plain_order), &inputs);
    let best_choices = handoffs_for_area(&mut best, plain_choices, &level, draw_plain, repairs);
    let best_choices = raise_for_area(
        &mut best,
        best_choices,
        |n| skeleton.flows_at(n),
        draw_plain,
    );
    let base = Choices {
        handoffs: true,
        ..Choices::default()
    };
    let g = build(&base);
    if !g.edges.iter().any(|e| e.handoff) {
        return with_comments(best, best_choices, &plain_order);
    }
    let (all, all_choices, all_order) = searched(start(base, g), true);
    // No more crossings and bends than without handoffs, and smaller than the first way.
    let area = metrics::measure(&best).area;
    if metrics::measure(&all).smaller_and_no_worse_than(&Metrics { area, ..figures }) {
        with_comments(all, all_choices, &all_order)
    } else {
        with_comments(best, best_choices, &plain_order)
    }
}

/// Each step with one comment (`stackable`, by node, in the file order of their comments)
/// has its comment tried above, then below it instead of beside (where that edge of the
/// step carries no flow): alone, then with the flows into and out of the step (`flows_at`)
/// that `choices` draws a row down drawn across their row as handoffs again, all of them
/// then each alone, since a comment beside its step left no side for handoffs on both. The
/// whole layout is drawn again (`layout`) and kept when it is smaller with no more
/// crossings and no more bends.
fn comments_for_area(
    best: &mut Diagram,
    choices: Choices,
    stackable: &[usize],
    flows_at: impl Fn(usize) -> Vec<usize>,
    layout: impl Fn(&Choices) -> Diagram,
) -> Choices {
    let mut kept = Kept::new(best, choices);
    for &n in stackable {
        for at in [Stack::Above, Stack::Below] {
            let base = kept.choices.toggle_stack(n, at);
            let mut trials = vec![base.clone()];
            let down = base.drawn_down(flows_at(n));
            if !down.is_empty() {
                trials.push(down.iter().fold(base.clone(), |c, &f| c.toggle_level(f)));
            }
            if down.len() > 1 {
                trials.extend(down.iter().map(|&f| base.toggle_level(f)));
            }
            for trial in trials {
                let _ = kept.offer(trial, &layout);
            }
        }
    }
    kept.choices
}

/// Last, a few changes the area phases decline are tried again for bends: each decision's
/// side exit of `exits` from the bottom vertex (as in [`exits_down_for_area`]), then each
/// flow `choices` draws a row down made a handoff, then each step moved down back in its
/// rank, at most [`BENDS_TRIALS`] in all. One is kept when the page is no larger with fewer
/// bends and no more crossings: a trade the area phases decline, since they keep only a
/// smaller page.
fn fewer_bends(
    best: &mut Diagram,
    choices: Choices,
    exits: &[(usize, Vec<usize>)],
    layout: impl Fn(&Choices) -> Diagram,
) {
    let mut trials: Vec<BendsTrial> = Vec::new();
    trials.extend(
        exits
            .iter()
            .map(|(f, siblings)| BendsTrial::Main(*f, siblings)),
    );
    trials.extend(
        choices
            .drawn_down(choices.not_level.clone())
            .into_iter()
            .map(BendsTrial::Level),
    );
    trials.extend(choices.lowered.iter().map(|&n| BendsTrial::Raised(n)));
    let mut kept = Kept::new(best, choices);
    for change in trials.iter().take(BENDS_TRIALS) {
        let trial = match *change {
            BendsTrial::Main(f, siblings) => kept.choices.toggle_main(f, siblings),
            BendsTrial::Level(f) => kept.choices.toggle_level(f),
            BendsTrial::Raised(n) => kept.choices.toggle_lowered(n),
        };
        let _ = kept.offer_by(trial, &layout, Metrics::fewer_bends_no_larger_than);
    }
}

/// A change [`fewer_bends`] tries.
enum BendsTrial<'a> {
    /// A decision's side exit (with its siblings) from the bottom vertex.
    Main(usize, &'a [usize]),
    /// A flow drawn a row down made a handoff.
    Level(usize),
    /// A step moved down back in its rank.
    Raised(usize),
}

/// How many layouts the last pass for bends may draw (support-complet would draw 50; the
/// other files of the set and the demo 3 to 11).
const BENDS_TRIALS: usize = 24;

/// Each decision's side exit of `exits` (with its siblings) is tried from the bottom
/// vertex, its sibling there going to a side: the branch that stays in its decision's lane
/// often draws a narrower lane straight down. Each is drawn (`layout`) from the choices
/// kept so far, so that the changes kept add up, and kept when the drawing is smaller with
/// no more crossings and no more bends.
fn exits_down_for_area(
    best: &mut Diagram,
    choices: Choices,
    exits: &[(usize, Vec<usize>)],
    layout: impl Fn(&Choices) -> Diagram,
) -> Choices {
    let mut kept = Kept::new(best, choices);
    for (f, siblings) in exits {
        let _ = kept.offer(kept.choices.toggle_main(*f, siblings), &layout);
    }
    kept.choices
}

/// Lanes holding several steps side by side in a rank are wider than their widest step:
/// each such step is tried one rank lower (`layout` draws the choices), and the drawing
/// kept when it is smaller with no more crossings and no more bends. A step is tried once;
/// the steps side by side are found again after each change kept.
fn lower_for_area(
    best: &mut Diagram,
    choices: Choices,
    layout: impl Fn(&Choices) -> Diagram,
) -> Choices {
    let mut kept = Kept::new(best, choices);
    let mut tried: BTreeSet<usize> = BTreeSet::new();
    let mut improved = true;
    while improved {
        improved = false;
        for n in side_by_side(kept.best) {
            if kept.choices.lowered.contains(&n) || !tried.insert(n) {
                continue;
            }
            improved |= kept.offer(kept.choices.toggle_lowered(n), &layout).is_ok();
        }
    }
    kept.choices
}

/// Steps the search moved down (see [`Choices::lowered`]) may not need to be once handoffs
/// are drawn: each is tried back in its rank, alone, then with each flow into or out of it
/// (`flows_at`) that `choices` draws a row down drawn across its row as a handoff again
/// (the step moved down may have been what kept that handoff from being drawn). The whole
/// layout is drawn again (`layout`) and kept when it is smaller with no more crossings and
/// no more bends.
fn raise_for_area(
    best: &mut Diagram,
    choices: Choices,
    flows_at: impl Fn(usize) -> Vec<usize>,
    layout: impl Fn(&Choices) -> Diagram,
) -> Choices {
    let mut kept = Kept::new(best, choices);
    for n in kept.choices.lowered.clone() {
        let _ = kept.offer(kept.choices.toggle_lowered(n), &layout);
    }
    for n in kept.choices.lowered.clone() {
        for f in kept.choices.drawn_down(flows_at(n)) {
            let trial = kept.choices.toggle_lowered(n).toggle_level(f);
            if kept.offer(trial, &layout).is_ok() {
                break;
            }
        }
    }
    kept.choices
}

/// The decisions' side exits of `g` that may leave from the bottom vertex instead, each
/// with its siblings (the one there then goes to a side).
fn side_exits(wf: &Workflow, g: &Layered) -> Vec<(usize, Vec<usize>)> {
    movable_flows(wf, g)
        .into_iter()
        .enumerate()
        .filter(|(_, m)| m.mainable)
        .map(|(f, m)| (f, m.siblings))
        .collect()
}

/// From a layout without handoffs, drawn from `choices`, each flow of `level` (those that
/// may be drawn across their source's row, in file order) is tried as a handoff in turn,
/// the whole layout drawn again (`layout`), and the drawing kept when it is smaller with no
/// more crossings and no more bends. One that brings a crossing but a smaller drawing gets
/// the `repairs` of its crossing flows, the first that meets the rule kept. Returns the
/// choices of the drawing kept.
fn handoffs_for_area(
    best: &mut Diagram,
    choices: Choices,
    level: &[usize],
    layout: impl Fn(&Choices) -> Diagram,
    repairs: impl Fn(&Choices, &Diagram) -> Vec<Choices>,
) -> Choices {
    let choices = Choices {
        handoffs: true,
        not_level: level.to_vec(),
        ..choices
    };
    let mut kept = Kept::new(best, choices);
    let mut budget = REPAIR_TRIALS;
    for &f in level {
        let Err(declined) = kept.offer(kept.choices.toggle_level(f), &layout) else {
            continue;
        };
        let (trial, candidate, m) = *declined;
        if m.crossings > kept.figures.crossings && m.area < kept.figures.area {
            for repaired in repairs(&trial, &candidate) {
                if budget == 0 {
                    break;
                }
                budget -= 1;
                if kept.offer(repaired, &layout).is_ok() {
                    break;
                }
            }
        }
    }
    kept.choices
}

/// The drawing a search for area keeps, its figures and the choices that gave it.
struct Kept<'a> {
    best: &'a mut Diagram,
    figures: Metrics,
    choices: Choices,
}

impl<'a> Kept<'a> {
    /// Starts from `best`, drawn from `choices`.
    fn new(best: &'a mut Diagram, choices: Choices) -> Kept<'a> {
        let figures = metrics::measure(best);
        Kept {
            best,
            figures,
            choices,
        }
    }

    /// Draws `trial` (`layout`) and keeps it when it is smaller with no more crossings and
    /// no more bends; otherwise gives it back with its drawing and figures.
    fn offer(
        &mut self,
        trial: Choices,
        layout: &impl Fn(&Choices) -> Diagram,
    ) -> Result<(), Box<(Choices, Diagram, Metrics)>> {
        self.offer_by(trial, layout, Metrics::smaller_and_no_worse_than)
    }

    /// [`Kept::offer`] under another rule: `better(new, kept)` tells whether the drawing of
    /// `trial` is kept.
    fn offer_by(
        &mut self,
        trial: Choices,
        layout: &impl Fn(&Choices) -> Diagram,
        better: impl Fn(&Metrics, &Metrics) -> bool,
    ) -> Result<(), Box<(Choices, Diagram, Metrics)>> {
        let candidate = layout(&trial);
        let m = metrics::measure(&candidate);
        if better(&m, &self.figures) {
            *self.best = candidate;
            self.figures = m;
            self.choices = trial;
            Ok(())
        } else {
            Err(Box::new((trial, candidate, m)))
        }
    }
}

/// How many layouts the handoffs tried one at a time may spend on removing the crossings
/// a handoff brings.
const REPAIR_TRIALS: usize = 60;

/// `d` with its shortcuts taken and compacted horizontally: the layout as drawn.
fn drawn(mut d: Diagram, inputs: &Inputs) -> Diagram {
    shortcut::shortcuts(&d.nodes, &mut d.flows);
    narrowed(d, inputs)
}

/// The steps of `d` drawn beside another step of their lane (their boxes share a height), by
/// index: the nodes are drawn in the layered graph's order. Comments are left out: a comment
/// stands beside its step by design.
fn side_by_side(d: &Diagram) -> Vec<usize> {
    let step = |n: &Node| n.kind != "comment";
    (0..d.nodes.len())
        .filter(|&i| {
            let a = &d.nodes[i];
            step(a)
                && d.nodes.iter().enumerate().any(|(k, b)| {
                    k != i
                        && step(b)
                        && b.lane == a.lane
                        && b.rect.y < a.rect.bottom()
                        && a.rect.y < b.rect.bottom()
                })
        })
        .collect()
}

/// `d` compacted horizontally ([`narrow`]), with every text's room taken from the shared
/// sizes when given, so the versions of a workflow in several languages stay alike.
fn narrowed(mut d: Diagram, inputs: &Inputs) -> Diagram {
    let Inputs { wf, sizes, .. } = *inputs;
    let lane_min: Vec<f32> = if d.lanes.is_empty() {
        vec![LANE_MIN]
    } else {
        // The titles as laid out (wrapped once, in `finish`).
        d.lanes
            .iter()
            .enumerate()
            .map(|(k, l)| {
                let title = sizes
                    .and_then(|s| s.lanes.get(k).copied())
                    .unwrap_or(l.label.width);
                (title + 2.0 * LANE_PAD).max(LANE_MIN).ceil()
            })
            .collect()
    };
    let rooms: Vec<narrow::LabelRoom> = d
        .flows
        .iter()
        .map(|f| {
            f.label.as_ref()?;
            let sizes = sizes?;
            let step = wf.steps.iter().position(|s| s.id == f.from)?;
            let k = wf.steps[step].exits.iter().position(|e| e.to == f.to)?;
            sizes.exit(step, k).map(|(_, r)| (r.w, r.h))
        })
        .collect();
    narrow::narrow(&mut d, &lane_min, &rooms);
    // The legend's rows fill the narrowed drawing's width.
    if let Some(top) = d.legend_rect.map(|r| r.y) {
        let right = narrow::drawing_right(&d);
        let (rect, items) = legend(wf, inputs.lang, top, right);
        d.legend_rect = rect;
        d.legend = items;
        let bottom = rect.map_or(top, |r| r.bottom());
        d.width = (right.max(rect.map_or(0.0, |r| r.right())) + MARGIN).ceil();
        d.height = (bottom + MARGIN).ceil();
    }
    d
}

/// The least width of a lane.
const LANE_MIN: f32 = 120.0;

/// The first layout of one way of breaking cycles, before any search: the ports chosen by
/// rule, then corrected where the order shows a side exit crossing its decision's main exit.
struct Start {
    best: Diagram,
    score: Score,
    /// The choices that gave it (the corrected sides).
    choices: Choices,
    /// The order of the uncorrected graph, from which every variant is reordered.
    first_order: Vec<Vec<usize>>,
    /// Which flows go back up.
    back: Vec<bool>,
    /// The loops a decision sends out of a side.
    loops: Vec<usize>,
    /// What the local search may change about each flow.
    moves: Vec<Moves>,
}

impl Start {
    /// Orders and lays out `g`, the graph `base` gives.
    fn new(
        inputs: &Inputs,
        build: &dyn Fn(&Choices) -> Layered,
        orderer: &dyn Orderer,
        base: Choices,
        g: Layered,
    ) -> Start {
        let wf = inputs.wf;
        let order = orderer.order(&g);
        let choices = Choices {
            flipped: graph::sides_to_flip(&g, &order),
            ..base
        };
        let loops = graph::decision_loop_sides(&g);
        let moves = movable_flows(wf, &g);
        let back = g.edges.iter().map(|e| e.back).collect();
        let first_order = order.clone();
        let best = if choices.flipped.is_empty() {
            finish(inputs, g, order)
        } else {
            let g = build(&choices);
            let order = orderer.reorder(&g, &first_order);
            finish(inputs, g, order)
        };
        Start {
            score: scored(&best).0,
            best,
            choices,
            first_order,
            back,
            loops,
            moves,
        }
    }
}

/// The best layout found so far, its score and the choices that gave it.
struct Search {
    best: Diagram,
    score: Score,
    choices: Choices,
    /// Which flows go back up in the first layout the search started from.
    back: Vec<bool>,
    /// The order every variant of the search is reordered from.
    first_order: Vec<Vec<usize>>,
}

impl Search {
    /// Makes `candidate`, laid out from `choices`, the best when it scores better, and
    /// gives its crossings per flow; gives both back with the candidate's score and
    /// crossings otherwise. A layout that draws more handoffs a row down must lower the
    /// crossings: a row costs more area than a bend or a longer flow is worth.
    fn offer(&mut self, choices: Choices, candidate: Diagram) -> Result<Vec<usize>, Box<Declined>> {
        let (s, crossings) = scored(&candidate);
        let gives_up_rows = choices.not_level.len() > self.choices.not_level.len();
        if s < self.score && (!gives_up_rows || s.0 < self.score.0) {
            self.best = candidate;
            self.score = s;
            self.choices = choices;
            Ok(crossings)
        } else {
            Err(Box::new(Declined {
                choices,
                layout: candidate,
                score: s,
                crossings,
            }))
        }
    }
}

/// A layout the search did not keep, with the choices that gave it and its score.
struct Declined {
    choices: Choices,
    layout: Diagram,
    score: Score,
    /// How many times each of its flows crosses the others.
    crossings: Vec<usize>,
}

/// How the search ranks layouts: crossings, then bends, then length (less is better).
type Score = (usize, usize, i64);

/// What the local search may change about one flow.
#[derive(Debug, Clone, Default)]
struct Moves {
    /// It leaves from a side: its port can change side.
    sided: bool,
    /// It runs in a track between two lanes: its track can change lane.
    retrackable: bool,
    /// A forward side exit of a decision: it can take the bottom vertex.
    mainable: bool,
    /// The other flows leaving its source.
    siblings: Vec<usize>,
    /// A forward flow: its target can go one rank down.
    lowerable: Option<usize>,
    /// The side exits into its source: their port can change side, which moves the source
    /// to the other side of the flow's neighbours.
    feeders: Vec<usize>,
    /// The handoffs into its source or out of its target: each can be drawn a row down
    /// instead.
    fed_across: Vec<usize>,
    /// It is a handoff: it can be drawn a row down instead.
    handoff: bool,
    /// It passes through ranks between its ends: its track can stand at one end of its lane.
    tracked: bool,
    /// Its source and target nodes.
    ends: [usize; 2],
    /// A forward flow into an end (a step without exits): how many ranks lower the end may
    /// go and still be in the drawing's height.
    sink_room: usize,
    /// A loop out of a side or a long forward flow between two lanes: the lanes beyond both
    /// on the left and on the right, where there are, each with true for the one on the right.
    outer: Vec<(usize, bool)>,
    /// It leaves from the right side by rule.
    right_port: bool,
    /// A decision's forward exit from the bottom vertex: its forward siblings leaving from a
    /// side, each of which may take the bottom vertex instead, this flow then leaving from
    /// a side.
    rivals: Vec<usize>,
    /// The lanes beyond its source's and target's when they differ, on the left and on the
    /// right, where there are, each with true for the one on the right.
    beyond: Vec<(usize, bool)>,
    /// A loop out of a side or a long forward flow within one lane: the lanes beside it,
    /// as [`Moves::outer`].
    beside: Vec<(usize, bool)>,
    /// A loop out of a side into a step below the first rank: it may turn over the top.
    overtops: bool,
}

/// For each flow, what the local search may change about it.
fn movable_flows(wf: &Workflow, g: &Layered) -> Vec<Moves> {
    g.edges
        .iter()
        .enumerate()
        .map(|(f, e)| {
            let tracks = if e.back {
                e.cells.len() > 1
            } else {
                e.cells.len() > 2
            };
            let lanes_differ = g.nodes[e.from].lane != g.nodes[e.to].lane;
            let decision = wf.steps[g.nodes[e.from].step].kind == Kind::Decision;
            let feeders = g
                .edges
                .iter()
                .enumerate()
                .filter(|(_, i)| i.to == e.from && i.side != Side::Bottom && !i.back && !i.handoff)
                .map(|(k, _)| k)
                .collect();
            let siblings: Vec<usize> = g
                .edges
                .iter()
                .enumerate()
                .filter(|&(k, o)| o.from == e.from && k != f)
                .map(|(k, _)| k)
                .collect();
            let rivals = if decision && !e.back && e.side == Side::Bottom {
                siblings
                    .iter()
                    .copied()
                    .filter(|&k| !g.edges[k].back && g.edges[k].side != Side::Bottom)
                    .collect()
            } else {
                Vec::new()
            };
            let beyond = beyond_lanes(g.nodes[e.from].lane, g.nodes[e.to].lane, wf.lanes.len());
            Moves {
                siblings,
                // A handoff faces its other end: undoing it is lowering its target.
                sided: e.side != Side::Bottom && !e.handoff,
                fed_across: g
                    .edges
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| i.handoff && (i.to == e.from || i.from == e.to))
                    .map(|(k, _)| k)
                    .collect(),
                handoff: e.handoff,
                retrackable: tracks && lanes_differ,
                mainable: decision && !e.back && e.side != Side::Bottom,
                lowerable: (!e.back).then_some(e.to),
                feeders,
                tracked: tracks,
                ends: [e.from, e.to],
                outer: outer_lanes(e, &beyond),
                beside: if lanes_differ {
                    Vec::new()
                } else {
                    outer_lanes(e, &beside_lanes(g.nodes[e.from].lane, wf.lanes.len()))
                },
                right_port: e.side == Side::Right,
                overtops: e.back && e.side != Side::Bottom && g.nodes[e.to].rank > 0,
                rivals,
                beyond,
                sink_room: if e.back || g.edges.iter().any(|o| o.from == e.to) {
                    0
                } else {
                    g.ranks.saturating_sub(g.nodes[e.to].rank + 1)
                },
            }
        })
        .collect()
}

/// The lanes beyond a flow's two lanes where its track may run instead, each with true for
/// the one on the right (a side port then leaves from that side): for a loop out of a side
/// and for a forward flow passing ranks between its ends, the lanes `beyond` its two lanes'
/// (none within one lane); for other flows none.
fn outer_lanes(e: &graph::Edge, beyond: &[(usize, bool)]) -> Vec<(usize, bool)> {
    let looped = e.back && e.side != Side::Bottom;
    let long = !e.back && e.cells.len() > 2;
    if !(looped || long) {
        return Vec::new();
    }
    beyond.to_vec()
}

/// The lanes next to two different lanes `lu` and `lv` beyond both, on the left then on
/// the right, where there are, each with true for the one on the right; none when they
/// are one lane (see [`beside_lanes`]).
fn beyond_lanes(lu: usize, lv: usize, lanes: usize) -> Vec<(usize, bool)> {
    if lu == lv {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(left) = lu.min(lv).checked_sub(1) {
        out.push((left, false));
    }
    if lu.max(lv) + 1 < lanes {
        out.push((lu.max(lv) + 1, true));
    }
    out
}

/// The lanes next to `lane`, on the left then on the right, where there are, each with
/// true for the one on the right. A flow within one lane may need one of them: its way
/// down that lane is barred by a flow crossing it from the lane on one side to the other.
fn beside_lanes(lane: usize, lanes: usize) -> Vec<(usize, bool)> {
    let mut out = Vec::new();
    if let Some(left) = lane.checked_sub(1) {
        out.push((left, false));
    }
    if lane + 1 < lanes {
        out.push((lane + 1, true));
    }
    out
}

/// The changes tried for one crossing flow from the choices `base`: its track, its side,
/// both, then its decision's bottom vertex, its target one rank down, and the side of the
/// flows into its source.
fn candidates(base: &Choices, f: usize, m: &Moves, nodes: usize) -> Vec<Choices> {
    let mut out = Vec::new();
    if m.retrackable {
        out.push(base.toggle_track(f));
    }
    if m.sided {
        out.push(base.toggle_side(f));
    }
    if m.sided && m.retrackable {
        out.push(base.toggle_side(f).toggle_track(f));
    }
    if nodes > RANK_MOVES_LIMIT {
        return out;
    }
    if m.mainable {
        out.push(base.toggle_main(f, &m.siblings));
    }
    if let Some(n) = m.lowerable {
        out.push(base.toggle_lowered(n));
    }
    for &k in &m.feeders {
        out.push(base.toggle_side(k));
    }
    if m.handoff {
        out.push(base.toggle_level(f));
    }
    for &k in &m.fed_across {
        out.push(base.toggle_level(k));
    }
    out
}

/// The changes tried for one crossing flow from the choices `base` once the others bring
/// nothing: when it goes into an end, the end two or more ranks lower (one rank is a move
/// of [`candidates`]), nearest first; then its track at the left then the right end of its
/// lane, then its source, then its target at either end of theirs.
fn end_candidates(base: &Choices, f: usize, m: &Moves) -> Vec<Choices> {
    let mut out = Vec::new();
    let end = m.ends[1];
    let already = base.sunk.iter().find(|s| s.0 == end).map_or(0, |s| s.1);
    for by in 2..=m.sink_room {
        if by != already {
            let sunk = base.sink(end, by);
            // The flow now passes ranks between its ends: its track may need the other lane,
            // and its port the other side.
            out.push(sunk.clone());
            out.push(sunk.toggle_track(f));
            if m.sided {
                out.push(sunk.toggle_side(f));
                out.push(sunk.toggle_side(f).toggle_track(f));
            }
        }
    }
    for right in [false, true] {
        if m.tracked {
            out.push(base.toggle_track_end(f, right));
        }
    }
    for n in m.ends {
        for right in [false, true] {
            out.push(base.toggle_node_end(n, right));
        }
    }
    out
}

/// The changes tried for one crossing flow from the choices `base` once the others bring
/// nothing: its track in the lane beyond its source's and target's on either side, a side
/// port on the side facing that lane; first at that lane's outer end, then where the
/// ordering puts it among the lane's cells (between another flow's track at the outer end
/// and the steps it would otherwise cross: support-complet's loop abandon -> complet).
fn outer_candidates(base: &Choices, f: usize, m: &Moves) -> Vec<Choices> {
    lane_candidates(base, f, m, &m.outer)
}

/// The changes tried for one crossing flow within one lane once all others bring nothing:
/// its track in the lane beside it, as [`outer_candidates`] (panne-reseau's "Site de nouveau
/// joignable ?" sends Oui down its lane to the solution, past the message to the users
/// running from the lane on its left to the operator's on its right).
fn beside_candidates(base: &Choices, f: usize, m: &Moves) -> Vec<Choices> {
    lane_candidates(base, f, m, &m.beside)
}

/// The changes tried for a crossing loop once all others bring nothing: its turn over the
/// top, its track where the ordering puts it, then at either end of its lane (panne-reseau's
/// refused solution goes back to the network team's first step, two rows under the start:
/// turning just above that step, it crosses the flow from the ticket to the first
/// technicians' decision beside it).
fn over_top_candidates(base: &Choices, f: usize, m: &Moves) -> Vec<Choices> {
    if !m.overtops {
        return Vec::new();
    }
    let over = base.toggle_over_top(f);
    let (left, right) = (over.with_track_end(f, false), over.with_track_end(f, true));
    vec![over, left, right]
}

/// Flow `f`'s track in each of `lanes` from the choices `base`, its side port facing that
/// lane: first at that lane's outer end, then where the ordering puts it.
fn lane_candidates(base: &Choices, f: usize, m: &Moves, lanes: &[(usize, bool)]) -> Vec<Choices> {
    let now_right = m.right_port != base.flipped.contains(&f);
    // The port turns to face the lane.
    let flip = |right: bool| m.sided && now_right != right;
    let at_ends = lanes
        .iter()
        .map(|&(lane, right)| base.outer_track(f, lane, right, flip(right)));
    let ordered = lanes
        .iter()
        .map(|&(lane, right)| base.outer_lane(f, lane, flip(right)));
    at_ends.chain(ordered).collect()
}

/// The changes tried for a crossing flow once the others bring nothing: a decision's exit
/// from the bottom vertex gives it to a sibling exit and leaves from a side, the rule's or
/// the other, its track where the ordering puts it or at either end of its lane, or in a
/// lane beyond its ends' at that lane's outer end (from either side). The decision is the
/// flow's own, or the one whose exit leads into the flow's source. One move alone keeps the
/// crossing when two exits must trade places: the one under the decision and the one
/// beside it end on the wrong sides of a loop or of a flow that passes them.
fn swap_candidates(base: &Choices, f: usize, moves: &[Moves]) -> Vec<Choices> {
    let source = moves[f].ends[0];
    let into_source = |k: usize| moves[k].ends[1] == source && moves[k].lowerable.is_some();
    let mut mains: Vec<usize> = Vec::new();
    if !moves[f].rivals.is_empty() {
        mains.push(f);
    }
    for (k, m) in moves.iter().enumerate() {
        let leads_in =
            (into_source(k) && !m.rivals.is_empty()) || m.rivals.iter().any(|&s| into_source(s));
        if leads_in && !mains.contains(&k) {
            mains.push(k);
        }
    }
    let mut out = Vec::new();
    for main in mains {
        let m = &moves[main];
        for &s in &m.rivals {
            // Once the swap is kept, the variants around it are tried from it.
            let swapped = if base.mains.contains(&s) {
                base.clone()
            } else {
                base.toggle_main(s, &moves[s].siblings)
            };
            for sided in [swapped.toggle_side(main), swapped.clone()] {
                // The ranks the flow passes may have changed since the first layout.
                for right in [false, true] {
                    out.push(sided.toggle_track_end(main, right));
                }
                out.push(sided);
            }
            for &(lane, right) in &m.beyond {
                for flip in [false, true] {
                    out.push(swapped.outer_track(main, lane, right, flip));
                }
            }
        }
    }
    out
}

/// Every change the local search tries for the crossing flow `f` from the choices `base`,
/// in the order of its phases.
fn every_move(base: &Choices, f: usize, moves: &[Moves], nodes: usize) -> Vec<Choices> {
    let mut out = candidates(base, f, &moves[f], nodes);
    out.extend(end_candidates(base, f, &moves[f]));
    out.extend(outer_candidates(base, f, &moves[f]));
    out.extend(swap_candidates(base, f, moves));
    out
}

/// The last phase of the search, once no single change lowers the score: a change that
/// costs at most one crossing more (a kick) is kept for a while, and every single change
/// of the flows crossing in its layout tried from it; the first pair that scores better
/// than the best is kept and the phase starts again from it. The kicks are the changes of
/// the flows crossing in the best layout (`moves_of`, laid out by `lay_out`), all tried
/// before any pair; at most `limit` layouts in all. Two changes at once are what a crossing
/// needs when either alone keeps it (or adds one): on incident-majeur, the decision cause's
/// side exit to escalade from its other side, and escalade one rank lower.
fn kick_descent(
    search: &mut Search,
    moves_of: &dyn Fn(&Choices, usize) -> Vec<Choices>,
    lay_out: &dyn Fn(&Choices) -> Diagram,
    limit: usize,
) {
    let mut trials = 0;
    let mut tried: BTreeSet<Choices> = BTreeSet::new();
    // Lays `choices` out unless done before in the phase, and tells whether they beat the
    // best (and are now the best), may serve as a kick (with their layout), or neither.
    let mut attempt = |choices: Choices, search: &mut Search, trials: &mut usize| {
        if !tried.insert(choices.normalised()) {
            return Attempt::Nothing;
        }
        *trials += 1;
        let candidate = lay_out(&choices);
        match search.offer(choices, candidate) {
            Ok(_) => Attempt::Better,
            Err(declined) if declined.score.0 <= search.score.0 + 1 => Attempt::Kick(declined),
            Err(_) => Attempt::Nothing,
        }
    };
    'restart: while search.score.0 > 0 {
        let base = search.choices.clone();
        let mut kicks = Vec::new();
        for f in crossing_flows(&search.best) {
            for choices in moves_of(&base, f) {
                if trials >= limit {
                    return;
                }
                match attempt(choices, search, &mut trials) {
                    Attempt::Better => continue 'restart,
                    Attempt::Kick(kick) => kicks.push(*kick),
                    Attempt::Nothing => {}
                }
            }
        }
        for kick in kicks {
            for f in by_crossings(&kick.layout, &kick.crossings) {
                for choices in moves_of(&kick.choices, f) {
                    if trials >= limit {
                        return;
                    }
                    if let Attempt::Better = attempt(choices, search, &mut trials) {
                        continue 'restart;
                    }
                }
            }
        }
        return;
    }
}

/// What laying out one set of choices in [`kick_descent`] gave.
enum Attempt {
    /// Better than the best, which it now is.
    Better,
    /// At most one crossing more than the best: a kick, with its layout.
    Kick(Box<Declined>),
    /// Laid out before in the phase, or more crossings than a kick may have.
    Nothing,
}

/// How many layouts [`kick_descent`] tries at most (on diagrams of up to
/// [`RANK_MOVES_LIMIT`] steps with crossings left).
const KICK_TRIALS: usize = 120;

/// How many swaps of a decision's bottom exit the search tries at most (on diagrams of up
/// to [`RANK_MOVES_LIMIT`] steps).
const SWAP_TRIALS: usize = 24;

/// How many tracks in a lane beyond their flows' ends' the search tries at most (on
/// diagrams of up to [`RANK_MOVES_LIMIT`] steps).
const OUTER_TRIALS: usize = 20;

/// How many loops turned over the top the search tries at most (on diagrams of up to
/// [`RANK_MOVES_LIMIT`] steps).
const OVER_TOP_TRIALS: usize = 12;

/// How many tracks or steps moved to the end of their lane the search tries at most (on
/// diagrams of up to [`RANK_MOVES_LIMIT`] steps).
const END_TRIALS: usize = 100;

/// Above this many steps, the local search only changes ports' sides and tracks' lanes, in
/// at most [`LOCAL_TRIALS`] tries, and moves nothing to the end of its lane: each try is a
/// whole layout (about 1 ms at 60 steps), and on larger diagrams the other moves (a
/// decision's bottom vertex, a step one rank down, the side of the flow into a source) fill
/// the tries with changes that shorten flows without removing a crossing (the generated
/// 100-step graph: twice the time). Up to it, they get [`SMALL_LOCAL_TRIALS`] tries, then
/// [`END_TRIALS`] for the ends of lanes (support-complet, 63 steps: 18 crossings and 95
/// bends to 15 and 92, in 0.31 s of CPU time instead of 0.06 s; 81 bends after the shortcuts).
const RANK_MOVES_LIMIT: usize = 80;

/// How many single-flow changes the local search tries at most on diagrams over
/// [`RANK_MOVES_LIMIT`] steps.
const LOCAL_TRIALS: usize = 40;

/// How many single-flow changes the local search tries at most on smaller diagrams.
const SMALL_LOCAL_TRIALS: usize = 100;

/// The flows (by index) that cross another flow, those with most crossings first, then
/// loops, then in file order.
fn crossing_flows(d: &Diagram) -> Vec<usize> {
    by_crossings(d, &metrics::crossings_per_flow(d))
}

/// [`crossing_flows`] of `d`, whose flows cross others `count` times each.
fn by_crossings(d: &Diagram, count: &[usize]) -> Vec<usize> {
    let mut out: Vec<usize> = (0..d.flows.len()).filter(|&f| count[f] > 0).collect();
    out.sort_by_key(|&f| (std::cmp::Reverse(count[f]), !d.flows[f].back, f));
    out
}

/// Above this many steps, port variants are not compared and no port side or track lane is
/// searched (each try is a whole layout): the ports and lanes given by rule are taken.
const VARIANT_LIMIT: usize = 120;

/// The score of `d` (crossings first, then bends, then length: the quality figures of
/// docs/diagrams.md), with how many times each flow crosses the others (counted once for
/// both: the search orders its next flows by them when it keeps `d`).
fn scored(d: &Diagram) -> (Score, Vec<usize>) {
    let (m, count) = metrics::measure_with_counts(d);
    ((m.crossings, m.bends, m.length as i64), count)
}

/// The texts every variant of the layout draws the same, wrapped and measured once instead
/// of in every layout the search tries.
struct Texts<'a> {
    /// Each exit label's text wrapped, by its text.
    exits: BTreeMap<&'a str, TextBlock>,
    /// Each lane's title wrapped.
    headers: Vec<TextBlock>,
    /// The diagram's description.
    description: String,
}

impl<'a> Texts<'a> {
    /// The texts of `wf` in `lang`, its exit labels' texts from `labels`.
    fn new(wf: &Workflow, lang: Language, labels: &'a [Vec<Option<(String, f32)>>]) -> Texts<'a> {
        let exits = labels
            .iter()
            .flatten()
            .flatten()
            .map(|(text, _)| (text.as_str(), exit_block(text)))
            .collect();
        let headers = wf
            .lanes
            .iter()
            .map(|l| TextBlock::new(&l.label, 200.0, TEXT_SIZE))
            .collect();
        Texts {
            exits,
            headers,
            description: describe(wf, lang),
        }
    }

    /// The exit label `text` wrapped.
    fn exit(&self, text: &str) -> TextBlock {
        match self.exits.get(text) {
            Some(block) => block.clone(),
            None => exit_block(text),
        }
    }
}

/// An exit label's text wrapped.
fn exit_block(text: &str) -> TextBlock {
    TextBlock::new(text, LABEL_WRAP, LABEL_SIZE)
}

/// What every variant of the layout shares.
struct Inputs<'a> {
    wf: &'a Workflow,
    lang: Language,
    contents: &'a [Content],
    lane_ids: &'a [Option<String>],
    /// The room of every language's texts, for a workflow drawn in several.
    sizes: Option<&'a SharedSizes>,
    /// The texts drawn the same in every variant.
    texts: &'a Texts<'a>,
}

/// Places, routes and draws one ordered layered graph.
fn finish(inputs: &Inputs, mut g: Layered, mut order: Vec<Vec<usize>>) -> Diagram {
    order::pin_handoffs(&g, &mut order);
    let Inputs {
        wf,
        lang,
        contents,
        lane_ids,
        sizes,
        texts,
    } = *inputs;
    let bottom_label = bottom_labels(&g, wf, sizes, texts);
    let bottom_w: Vec<f32> = bottom_label
        .iter()
        .map(|b| b.as_ref().map_or(0.0, |l| l.rect.w))
        .collect();
    let lanes_n = wf.lanes.len().max(1);
    place::place(&mut g, &order, lanes_n, &bottom_w);
    compact::compact_lanes(&mut g, lanes_n, &bottom_w);
    pack::pack_lanes(&mut g, lanes_n, &bottom_w);
    let headers: Vec<TextBlock> = texts.headers.clone();
    let header_w: Vec<f32> = match sizes {
        Some(s) => s.lanes.clone(),
        None => headers.iter().map(|h| h.width).collect(),
    };
    let lane_x = spread_lanes(&mut g, lanes_n, &header_w, &bottom_w);
    let header_h = match sizes {
        Some(s) => s.header_h,
        None => headers
            .iter()
            .map(|h| h.height() + 14.0)
            .fold(0.0, f32::max),
    };
    let ports: Vec<Ports> = g
        .nodes
        .iter()
        .map(|n| {
            let (flat_top, flat_bottom) = flat_edges(shape_of(wf.steps[n.step].kind), n.w, n.h);
            Ports {
                cx: g.cells[n.cell].x,
                w: n.w,
                h: n.h,
                slanted: wf.steps[n.step].kind == Kind::Data,
                flat_top,
                flat_bottom,
            }
        })
        .collect();
    let zones = label_zones(&g, &bottom_label);
    let top = MARGIN + header_h;
    let (rows, polylines) = route::route(&g, &ports, &zones, &bottom_w, top);
    let nodes = draw_nodes(wf, &g, &rows, contents, lane_ids);
    let mut flows = draw_flows(&g, wf, polylines, &ports, texts);
    elbow::elbows(&nodes, &mut flows);
    let lane_bottom = rows.bottom + MARGIN / 2.0;
    let lanes: Vec<LaneBand> = wf
        .lanes
        .iter()
        .zip(headers)
        .enumerate()
        .map(|(i, (l, label))| LaneBand {
            id: l.id.clone(),
            label,
            rect: Rect::new(lane_x[i].0, MARGIN, lane_x[i].1, lane_bottom - MARGIN),
            header: header_h,
        })
        .collect();
    let drawing_right = lane_x.last().map_or(MARGIN, |l| l.0 + l.1);
    let (legend_rect, legend) = legend(wf, lang, lane_bottom + 12.0, drawing_right);
    let width = drawing_right.max(legend_rect.map_or(0.0, |r| r.right())) + MARGIN;
    let height = legend_rect.map_or(lane_bottom, |r| r.bottom()) + MARGIN;
    Diagram {
        id: wf.id.clone(),
        title: wf.title.clone(),
        description: texts.description.clone(),
        lang,
        width: width.ceil(),
        height: height.ceil(),
        lanes,
        nodes,
        flows,
        legend_rect,
        legend,
    }
}

/// The words on an exit, in the diagram's language.
pub(crate) fn exit_text(label: &ExitLabel, lang: Language) -> String {
    match label {
        ExitLabel::Yes => lang.pick("Oui", "Yes").to_string(),
        ExitLabel::No => lang.pick("Non", "No").to_string(),
        ExitLabel::Text(t) => t.clone(),
    }
}

/// The sentence written in `<desc>`: the workflow's description, else a summary.
fn describe(wf: &Workflow, lang: Language) -> String {
    if let Some(d) = &wf.description
        && !d.trim().is_empty()
    {
        return d.trim().to_string();
    }
    let n = wf.steps.iter().filter(|s| s.kind != Kind::Comment).count();
    let start = wf.start().map_or("", |s| s.label.as_str());
    match lang {
        Language::Fr => format!("Logigramme en {n} étapes, à partir de « {start} »."),
        Language::En => format!("Flowchart of {n} steps, starting from “{start}”."),
    }
}

/// What is drawn inside a step: the badge row and the wrapped label, and the box size.
struct Content {
    shape: Shape,
    text: TextBlock,
    badge: Option<(String, f32, Status)>,
    mark: Option<(String, f32)>,
    row_w: f32,
    row_h: f32,
    w: f32,
    h: f32,
}

impl Content {
    fn new(step: &Step, lang: Language) -> Content {
        let shape = shape_of(step.kind);
        let badge = step.status.map(|s| {
            let text = s.label(lang).to_string();
            let w = text_width(&text, BADGE_SIZE) + 10.0;
            (text, w.ceil(), s)
        });
        let mark = step.sla.map(|s: Sla| {
            let text = s.caption().to_string();
            let w = 2.0 * CLOCK_R + 3.0 + text_width(&text, BADGE_SIZE);
            (text, w.ceil())
        });
        let row_w = badge.as_ref().map_or(0.0, |b| b.1)
            + mark.as_ref().map_or(0.0, |m| m.1)
            + if badge.is_some() && mark.is_some() {
                6.0
            } else {
                0.0
            };
        let row_h = if badge.is_some() || mark.is_some() {
            BADGE_H + BADGE_GAP
        } else {
            0.0
        };
        let (size, min_w) = match step.kind {
            Kind::Start | Kind::End => (TEXT_SIZE, 110.0),
            Kind::Decision => (TEXT_SIZE, 120.0),
            Kind::Connector => (TEXT_SIZE, 0.0),
            Kind::Comment => (LABEL_SIZE, 0.0),
            _ => (TEXT_SIZE, 150.0),
        };
        let long = step.label.chars().count() > super::labels::LONG_LABEL;
        let candidates: &[f32] = match step.kind {
            Kind::Decision => &[110.0, 140.0, 180.0, 240.0, 320.0, 420.0],
            // A label past the limit (a warning) gets a wider box rather than a tower.
            Kind::Comment if long => &[320.0],
            Kind::Connector => &[60.0],
            _ if long => &[340.0],
            Kind::Comment => &[160.0],
            Kind::Start | Kind::End => &[150.0],
            _ => &[170.0],
        };
        let mut best: Option<(f32, TextBlock, f32, f32)> = None;
        for &wrap in candidates {
            let text = TextBlock::new(&step.label, wrap, size);
            let cw = text.width.max(row_w);
            let ch = text.height() + row_h;
            let (w, h) = outer_size(shape, cw, ch, min_w);
            let area = w * h;
            if best.as_ref().is_none_or(|b| area < b.0) {
                best = Some((area, text, w, h));
            }
        }
        let (_, text, w, h) =
            best.unwrap_or((0.0, TextBlock::new(&step.label, 170.0, size), min_w, 40.0));
        Content {
            shape,
            text,
            badge,
            mark,
            row_w,
            row_h,
            w,
            h,
        }
    }
}

/// Half-widths of the straight parts of a symbol's top and bottom edges, where a flow may
/// end or start off-centre.
pub(crate) fn flat_edges(shape: Shape, w: f32, h: f32) -> (f32, f32) {
    let half = w / 2.0;
    match shape {
        Shape::Rect => (half - 6.0, half - 6.0),
        Shape::Subprocess => (half - 12.0, half - 12.0),
        Shape::Document => (half - 6.0, 0.0),
        Shape::Parallelogram => (half - 16.0, half - 16.0),
        Shape::Stadium => ((half - h / 2.0).max(0.0), (half - h / 2.0).max(0.0)),
        Shape::Diamond | Shape::Circle | Shape::Bracket => (0.0, 0.0),
    }
}

/// The ISO 5807 symbol of each kind.
pub(crate) fn shape_of(kind: Kind) -> Shape {
    match kind {
        Kind::Start | Kind::End => Shape::Stadium,
        Kind::Action => Shape::Rect,
        Kind::Decision => Shape::Diamond,
        Kind::Document => Shape::Document,
        Kind::Data => Shape::Parallelogram,
        Kind::Subprocess => Shape::Subprocess,
        Kind::Connector => Shape::Circle,
        Kind::Comment => Shape::Bracket,
    }
}

/// The label under each decision's bottom vertex (its main exit), sized but not yet placed.
fn bottom_labels(
    g: &Layered,
    wf: &Workflow,
    sizes: Option<&SharedSizes>,
    texts: &Texts,
) -> Vec<Option<Label>> {
    let mut out: Vec<Option<Label>> = vec![None; g.nodes.len()];
    for e in &g.edges {
        if e.side == Side::Bottom
            && let Some(text) = &e.label
        {
            let block = texts.exit(text);
            let own = exit_label_rect(&block);
            let step = g.nodes[e.from].step;
            let to = &wf.steps[g.nodes[e.to].step].id;
            let shared = wf.steps[step]
                .exits
                .iter()
                .position(|x| &x.to == to)
                .and_then(|k| sizes?.exit(step, k));
            let rect = shared.map_or(own, |(_, rect)| rect);
            out[e.from] = Some(Label { text: block, rect });
        }
    }
    out
}

/// Room at the top of each channel for the labels under decisions of the rank above.
fn label_zones(g: &Layered, bottom: &[Option<Label>]) -> Vec<f32> {
    // The boxes' reach alone: a comment below a step may hang into the channel, leaving
    // its rank no taller than its boxes.
    let extents = route::box_extents(g);
    let mut zones = vec![0.0f32; g.ranks.max(1) + 1];
    for (n, label) in g.nodes.iter().zip(bottom) {
        if let Some(l) = label {
            let below_box = extents[n.rank].1 - n.h / 2.0;
            let need = 3.0 + l.rect.h + 4.0 - below_box;
            zones[n.rank + 1] = zones[n.rank + 1].max(need.max(0.0));
        }
    }
    zones
}

/// Puts lanes side by side, each as wide as its content (and its title), and moves every
/// cell to its global x. Returns each lane's left edge and width.
fn spread_lanes(
    g: &mut Layered,
    lanes: usize,
    headers: &[f32],
    bottom_w: &[f32],
) -> Vec<(f32, f32)> {
    let mut lo = vec![f32::MAX; lanes];
    let mut hi = vec![f32::MIN; lanes];
    for c in &g.cells {
        lo[c.lane] = lo[c.lane].min(c.x - c.w / 2.0);
        hi[c.lane] = hi[c.lane].max(c.x + c.w / 2.0);
    }
    for (n, &bw) in g.nodes.iter().zip(bottom_w) {
        if bw > 0.0 {
            let c = &g.cells[n.cell];
            hi[c.lane] = hi[c.lane].max(c.x + route::BOTTOM_LABEL_DX + bw);
        }
    }
    let mut out = Vec::with_capacity(lanes);
    let mut shift = vec![0.0f32; lanes];
    let mut left = MARGIN;
    for k in 0..lanes {
        let (l, h) = if lo[k] <= hi[k] {
            (lo[k], hi[k])
        } else {
            (0.0, 0.0)
        };
        let content = h - l;
        let title = headers.get(k).map_or(0.0, |w| w + 2.0 * LANE_PAD);
        let width = (content + 2.0 * LANE_PAD).max(title).max(LANE_MIN).ceil();
        shift[k] = (left + (width - content) / 2.0 - l).round();
        out.push((left, width));
        left += width;
    }
    for c in &mut g.cells {
        c.x += shift[c.lane];
    }
    out
}

fn draw_nodes(
    wf: &Workflow,
    g: &Layered,
    rows: &route::Rows,
    contents: &[Content],
    lane_ids: &[Option<String>],
) -> Vec<Node> {
    let mut rects: Vec<Rect> = vec![Rect::default(); wf.steps.len()];
    for n in &g.nodes {
        let c = Point::new(g.cells[n.cell].x, rows.center(n.rank));
        rects[n.step] = Rect::centered(c, n.w, n.h);
    }
    // A comment above or below its step, centred on it, [`route::STACK_GAP`] away.
    for s in &g.stacked {
        let (comment, step) = (&g.nodes[s.comment], &g.nodes[s.step]);
        let own = rects[step.step];
        let y = match s.at {
            Stack::Above => own.y - route::STACK_GAP - comment.h,
            Stack::Below => own.bottom() + route::STACK_GAP,
        };
        rects[comment.step] = Rect::new(own.center().x - comment.w / 2.0, y, comment.w, comment.h);
    }
    let mut out = Vec::with_capacity(g.nodes.len());
    for n in &g.nodes {
        let step = &wf.steps[n.step];
        let content = &contents[n.step];
        let rect = rects[n.step];
        let content_h = content.text.height() + content.row_h;
        let content_top = content_center_y(content.shape, &rect) - content_h / 2.0;
        let cx = rect.center().x;
        let row_left = cx - content.row_w / 2.0;
        let badge = content.badge.as_ref().map(|(text, w, status)| {
            let (fill, ink) = status.colours();
            Badge {
                text: text.clone(),
                fill: fill.to_string(),
                ink: ink.to_string(),
                rect: Rect::new(row_left, content_top, *w, BADGE_H),
            }
        });
        let mark = content.mark.as_ref().map(|(text, w)| {
            let right = row_left + content.row_w;
            Mark {
                text: text.clone(),
                center: Point::new(right - w + CLOCK_R, content_top + BADGE_H / 2.0),
                radius: CLOCK_R,
            }
        });
        let link = match (&step.workflow, &step.link) {
            (Some(w), _) if step.kind == Kind::Subprocess => Some(NodeLink::Diagram(w.clone())),
            (_, Some(p)) => Some(NodeLink::Page(p.clone())),
            _ => None,
        };
        let tether = step.about.as_ref().and_then(|about| {
            let target = wf.steps.iter().position(|s| &s.id == about)?;
            Some(tether(&rects[target], &rect))
        });
        out.push(Node {
            id: step.id.clone(),
            kind: step.kind.key().to_string(),
            lane: if wf.lanes.is_empty() {
                None
            } else {
                lane_ids[n.step].clone()
            },
            shape: content.shape,
            rect,
            text: content.text.clone(),
            text_top: Point::new(cx, content_top + content.row_h),
            badge,
            mark,
            link,
            tether,
        });
    }
    out
}

/// The dashed line joining a comment's box `comment` to its step's box `step`: between the
/// centres of their facing edges, vertical for a comment above or below its step, else
/// horizontal on the step's centre line.
fn tether(step: &Rect, comment: &Rect) -> (Point, Point) {
    let (sc, cx) = (step.center(), comment.center().x);
    if comment.bottom() <= step.y {
        (Point::new(sc.x, step.y), Point::new(cx, comment.bottom()))
    } else if comment.y >= step.bottom() {
        (Point::new(sc.x, step.bottom()), Point::new(cx, comment.y))
    } else if comment.x >= step.right() {
        (Point::new(step.right(), sc.y), Point::new(comment.x, sc.y))
    } else {
        (Point::new(step.x, sc.y), Point::new(comment.right(), sc.y))
    }
}

/// The flows with their labels beside their exits: under a bottom vertex on the right of
/// the line, above a side exit's horizontal segment next to the port.
fn draw_flows(
    g: &Layered,
    wf: &Workflow,
    polylines: Vec<Vec<Point>>,
    ports: &[Ports],
    texts: &Texts,
) -> Vec<Flow> {
    // The cell just before each port cell on its side (the port itself for the nearest).
    let mut previous_x: Vec<Option<f32>> = vec![None; g.cells.len()];
    for group in &g.groups {
        let Some(pos) = group
            .iter()
            .position(|&c| matches!(g.cells[c].kind, CellKind::Node(_)))
        else {
            continue;
        };
        let node = match g.cells[group[pos]].kind {
            CellKind::Node(n) => n,
            _ => continue,
        };
        let p = &ports[node];
        let mut prev = p.cx + p.w / 2.0;
        for &c in &group[pos + 1..] {
            if matches!(g.cells[c].kind, CellKind::Side { right: true, .. }) {
                previous_x[c] = Some(prev);
                prev = g.cells[c].x;
            }
        }
        let mut next = p.cx - p.w / 2.0;
        for &c in group[..pos].iter().rev() {
            if matches!(g.cells[c].kind, CellKind::Side { right: false, .. }) {
                previous_x[c] = Some(next);
                next = g.cells[c].x;
            }
        }
    }
    let mut out = Vec::with_capacity(g.edges.len());
    for (e, points) in g.edges.iter().zip(polylines) {
        let label = e.label.as_ref().map(|text| {
            let block = texts.exit(text);
            let Rect { w, h, .. } = exit_label_rect(&block);
            let start = points.first().copied().unwrap_or_default();
            let rect = match e.side {
                Side::Bottom => Rect::new(start.x + route::BOTTOM_LABEL_DX, start.y + 3.0, w, h),
                Side::Right => {
                    let from = previous_x[e.cells[0]].unwrap_or(start.x);
                    Rect::new(from + 6.0, start.y - h - 3.0, w, h)
                }
                Side::Left => {
                    let from = previous_x[e.cells[0]].unwrap_or(start.x);
                    Rect::new(from - 6.0 - w, start.y - h - 3.0, w, h)
                }
            };
            Label { text: block, rect }
        });
        out.push(Flow {
            from: wf.steps[g.nodes[e.from].step].id.clone(),
            to: wf.steps[g.nodes[e.to].step].id.clone(),
            points,
            label,
            back: e.back,
        });
    }
    out
}

/// The legend: the GLPI statuses used, then the SLA clocks used, side by side in rows that
/// go no further right than `right` (the drawing's right edge) when they can: a row holds
/// as many as fit, so the legend takes little of the page's height.
fn legend(wf: &Workflow, lang: Language, top: f32, right: f32) -> (Option<Rect>, Vec<LegendItem>) {
    let statuses: Vec<Status> = Status::ALL
        .into_iter()
        .filter(|s| wf.steps.iter().any(|st| st.status == Some(*s)))
        .collect();
    let slas: Vec<Sla> = [Sla::Tto, Sla::Ttr]
        .into_iter()
        .filter(|s| wf.steps.iter().any(|st| st.sla == Some(*s)))
        .collect();
    if statuses.is_empty() && slas.is_empty() {
        return (None, Vec::new());
    }
    let mut items = Vec::new();
    let x0 = MARGIN + 10.0;
    let limit = right - 10.0;
    let mut row = LegendRow {
        x: x0,
        y: top + 10.0,
        right: x0,
    };
    if !statuses.is_empty() {
        let title = lang
            .pick("Statut GLPI du ticket :", "GLPI ticket status:")
            .to_string();
        let tw = text_width(&title, 11.0);
        items.push(LegendItem {
            badge: None,
            mark: None,
            text: title,
            text_at: Point::new(x0, row.y + 11.0),
        });
        row.x = x0 + tw;
        row.right = row.x;
        for (k, s) in statuses.into_iter().enumerate() {
            let text = s.label(lang).to_string();
            let w = (text_width(&text, BADGE_SIZE) + 10.0).ceil();
            let x = row.place(w, if k == 0 { 8.0 } else { 6.0 }, x0, limit);
            let (fill, ink) = s.colours();
            items.push(LegendItem {
                badge: Some(Badge {
                    text,
                    fill: fill.to_string(),
                    ink: ink.to_string(),
                    rect: Rect::new(x, row.y, w, BADGE_H),
                }),
                mark: None,
                text: String::new(),
                text_at: Point::new(x, row.y + 11.0),
            });
        }
    }
    for sla in slas {
        let text = match (sla, lang) {
            (Sla::Tto, Language::Fr) => "TTO : délai de prise en charge (SLA)",
            (Sla::Ttr, Language::Fr) => "TTR : délai de résolution (SLA)",
            (Sla::Tto, Language::En) => "TTO: time to own (SLA)",
            (Sla::Ttr, Language::En) => "TTR: time to resolve (SLA)",
        };
        let w = 2.0 * CLOCK_R + 6.0 + text_width(text, 11.0);
        let x = row.place(w, 16.0, x0, limit);
        items.push(LegendItem {
            badge: None,
            mark: Some(Mark {
                text: String::new(),
                center: Point::new(x + CLOCK_R, row.y + BADGE_H / 2.0),
                radius: CLOCK_R,
            }),
            text: text.to_string(),
            text_at: Point::new(x + 2.0 * CLOCK_R + 6.0, row.y + 11.0),
        });
    }
    let bottom = row.y + BADGE_H + 8.0;
    let rect = Rect::new(
        MARGIN,
        top,
        (row.right - MARGIN + 10.0).ceil(),
        (bottom - top + 2.0).ceil(),
    );
    (Some(rect), items)
}

/// Where the legend's next item goes: the current row's next x and top, and the rightmost
/// x any row reached.
struct LegendRow {
    x: f32,
    y: f32,
    right: f32,
}

impl LegendRow {
    /// The x of an item `w` wide, `gap` after what the row already holds, or at `x0` on
    /// the next row when it would pass `limit` (a row always takes one item).
    fn place(&mut self, w: f32, gap: f32, x0: f32, limit: f32) -> f32 {
        let mut x = if self.x > x0 { self.x + gap } else { x0 };
        if x > x0 && x + w > limit {
            self.y += BADGE_H + 8.0;
            x = x0;
        }
        self.x = x + w;
        self.right = self.right.max(self.x);
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A decision (node 0) sending flow 0 from its bottom vertex to node 1 and flow 1 from a
    /// side to node 2, which flow 2 leaves for node 3; lanes 1 and 2 of four.
    fn decision_moves() -> Vec<Moves> {
        let exit = |f: usize, to: usize, rivals: Vec<usize>, beyond| Moves {
            siblings: vec![1 - f],
            lowerable: Some(to),
            ends: [0, to],
            rivals,
            beyond,
            ..Moves::default()
        };
        vec![
            exit(0, 1, vec![1], vec![(0, false), (3, true)]),
            exit(1, 2, Vec::new(), Vec::new()),
            Moves {
                lowerable: Some(3),
                ends: [2, 3],
                ..Moves::default()
            },
        ]
    }

    #[test]
    fn a_bottom_exit_trades_its_vertex_then_tries_its_side_and_track() {
        let moves = decision_moves();
        let swapped = Choices {
            mains: vec![1],
            ..Choices::default()
        };
        let flipped = swapped.toggle_side(0);
        let expected = vec![
            flipped.toggle_track_end(0, false),
            flipped.toggle_track_end(0, true),
            flipped.clone(),
            swapped.toggle_track_end(0, false),
            swapped.toggle_track_end(0, true),
            swapped.clone(),
            swapped.outer_track(0, 0, false, false),
            swapped.outer_track(0, 0, false, true),
            swapped.outer_track(0, 3, true, false),
            swapped.outer_track(0, 3, true, true),
        ];
        assert_eq!(swap_candidates(&Choices::default(), 0, &moves), expected);
        // A flow out of the side exit's target tries the same trade of its decision.
        assert_eq!(swap_candidates(&Choices::default(), 2, &moves), expected);
        // A side exit that does not lead into the flow's source: nothing to trade.
        assert!(swap_candidates(&Choices::default(), 1, &moves).is_empty());
    }

    #[test]
    fn a_track_beyond_its_lanes_stands_at_that_lanes_outer_end_then_where_ordered() {
        // A loop out of the right side between lanes 1 and 2 of four.
        let m = Moves {
            sided: true,
            right_port: true,
            outer: vec![(0, false), (3, true)],
            ..Moves::default()
        };
        let base = Choices::default();
        assert_eq!(
            outer_candidates(&base, 5, &m),
            vec![
                base.outer_track(5, 0, false, true),
                base.outer_track(5, 3, true, false),
                base.outer_lane(5, 0, true),
                base.outer_lane(5, 3, false),
            ]
        );
        // Placed by the ordering, the track is pinned nowhere.
        let free = base.toggle_track_end(5, false).outer_lane(5, 0, true);
        assert_eq!(free.outer_tracks, vec![(5, 0)]);
        assert!(free.track_ends.is_empty());
        assert_eq!(free.flipped, vec![5]);
    }

    #[test]
    fn a_flow_within_one_lane_may_run_in_the_lanes_beside_it() {
        // Within lane 1 of four: the lanes beside it; within the first or last lane, the
        // one beside; one lane alone has no other.
        assert_eq!(beside_lanes(1, 4), vec![(0, false), (2, true)]);
        assert_eq!(beside_lanes(0, 4), vec![(1, true)]);
        assert_eq!(beside_lanes(3, 4), vec![(2, false)]);
        assert!(beside_lanes(0, 1).is_empty());
        // Lanes beyond are for flows between two lanes only.
        assert!(beyond_lanes(1, 1, 4).is_empty());
        // A long flow down lane 1 tries the lane on its left, then on its right, at their
        // outer ends first, its side port turned to face them.
        let m = Moves {
            sided: true,
            right_port: true,
            beside: vec![(0, false), (2, true)],
            ..Moves::default()
        };
        let base = Choices::default();
        assert_eq!(
            beside_candidates(&base, 4, &m),
            vec![
                base.outer_track(4, 0, false, true),
                base.outer_track(4, 2, true, false),
                base.outer_lane(4, 0, true),
                base.outer_lane(4, 2, false),
            ]
        );
        assert!(outer_candidates(&base, 4, &m).is_empty());
    }

    #[test]
    fn a_crossing_loop_turns_over_the_top_where_the_ordering_puts_it_then_at_its_lanes_ends() {
        let base = Choices {
            track_ends: vec![(2, true), (7, false)],
            ..Choices::default()
        };
        let m = Moves {
            overtops: true,
            ..Moves::default()
        };
        let over = base.toggle_over_top(7);
        let at = |right: bool| Choices {
            track_ends: vec![(2, true), (7, right)],
            ..over.clone()
        };
        assert_eq!(
            over_top_candidates(&base, 7, &m),
            vec![over.clone(), at(false), at(true)]
        );
        assert_eq!(over.over_top, vec![7]);
        // A forward flow, a loop out of the bottom or into the first rank: none.
        assert!(over_top_candidates(&base, 7, &Moves::default()).is_empty());
    }

    #[test]
    fn a_trade_already_kept_is_varied_from_where_it_stands() {
        let moves = decision_moves();
        let kept = Choices {
            mains: vec![1],
            flipped: vec![0],
            ..Choices::default()
        };
        let candidates = swap_candidates(&kept, 0, &moves);
        assert_eq!(candidates[2], Choices::default().toggle_main(1, &[0]));
        assert_eq!(candidates[5], kept);
    }
}
