//! The integration tests: one test crate whose modules each cover one part of guichet, so the
//! library is linked into a single test binary instead of one per file.
//!
//! A new test file goes in this folder with a `mod` line below (a file directly under tests/
//! would be compiled and linked as a crate of its own). Fixtures stay in tests/fixtures/, read
//! through [`common::repo`].

mod common;
// The benchmarks' corpus generators, shared with the tests that check generated inputs.
#[path = "../../benches/gen_topology.rs"]
mod gen_topology;
#[path = "../../benches/gen_workflow.rs"]
mod gen_workflow;
mod search_support;

mod accessibility;
mod aliases;
mod build;
mod build_cache;
mod check;
mod demo;
mod deploy;
mod figures_browser;
mod import_glpi;
mod import_markdown;
mod init;
mod lifecycle;
mod lifecycle_browser;
mod links;
mod pipeline;
mod portfolio;
mod properties;
mod search_browser;
mod search_parity;
mod search_ranking;
mod search_tiers;
mod search_tolerance;
mod search_vectors;
mod serve;
mod serve_browser;
mod serve_stress;
mod tickets_demo;
mod tickets_history;
mod tickets_kpis;
mod tickets_settings;
mod tickets_validation;
mod topology_languages;
mod topology_svg;
mod topology_tables;
mod topology_validation;
mod translations;
mod translations_browser;
mod translations_search;
mod workflow_comments;
mod workflow_crossings;
mod workflow_drawio;
mod workflow_labels;
mod workflow_png;
mod workflow_svg;
mod workflow_text;
mod workflow_validation;
