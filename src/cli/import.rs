//! `guichet import …`: one subcommand per source tool, each printing what its import did.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use guichet::import::Summary;
use guichet::import::glpi::{GlpiOptions, GlpiReport, import_glpi};

/// The tools `guichet import` reads.
#[derive(Subcommand)]
pub(crate) enum ImportCommand {
    /// GLPI: tickets (CSV export of the ticket list, API JSON, or --url for the live API),
    /// their follow-ups, tasks, solution and status history, and knowledge-base articles.
    Glpi(GlpiArgs),
    /// An MkDocs, Docusaurus, Hugo, Zola or Grav site, or an Obsidian vault, into content/:
    /// structure, order, titles, old URLs (as aliases), notices, attachments.
    Markdown(super::import_markdown::MarkdownArgs),
}

/// `guichet import glpi`'s arguments.
#[derive(Args)]
pub(crate) struct GlpiArgs {
    /// An export file (CSV or JSON) or a folder of them.
    #[arg(required_unless_present = "url")]
    source: Option<PathBuf>,
    /// Read from GLPI's REST API (https://glpi.example/apirest.php); tokens come from
    /// GLPI_USER_TOKEN and GLPI_APP_TOKEN.
    #[arg(long, conflicts_with = "source")]
    url: Option<String>,
    /// Where the ticket write-ups go.
    #[arg(long, default_value = "content/tickets")]
    into: PathBuf,
    /// Where the knowledge-base articles go.
    #[arg(long, default_value = "content/kb")]
    kb_into: PathBuf,
    /// Replace people by stable pseudonyms; mask e-mail addresses, phone numbers and secrets.
    #[arg(long, alias = "anonymize")]
    anonymise: bool,
    /// Write nothing; print what would change.
    #[arg(long)]
    dry_run: bool,
    /// Overwrite files edited by hand since the last import.
    #[arg(long)]
    force: bool,
}

/// Runs `guichet import <tool>`.
pub(crate) fn run(command: ImportCommand) -> ExitCode {
    match command {
        ImportCommand::Glpi(args) => run_glpi(args),
        ImportCommand::Markdown(args) => super::import_markdown::run(args),
    }
}

fn run_glpi(args: GlpiArgs) -> ExitCode {
    let options = GlpiOptions {
        source: args.source,
        url: args.url,
        into: args.into,
        kb_into: args.kb_into,
        anonymise: args.anonymise,
        dry_run: args.dry_run,
        force: args.force,
    };
    let terminal = std::io::stderr().is_terminal();
    let progress = move |done: usize, total: usize| {
        if terminal {
            eprint!("\r{done}/{total}");
            if done == total {
                eprintln!();
            }
        }
    };
    match import_glpi(&options, &progress) {
        Ok(report) => {
            print_report(&report, options.dry_run);
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprint!("{d}");
            eprintln!("nothing imported");
            ExitCode::FAILURE
        }
    }
}

fn print_report(report: &GlpiReport, dry_run: bool) {
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    if let Some(warning) = &report.personal_data {
        eprintln!("warning: {warning}");
    }
    let verb = if dry_run { "would be " } else { "" };
    print_files("ticket", &report.tickets, verb);
    print_files("article", &report.articles, verb);
    for r in &report.rejected {
        let file = if r.file.is_empty() {
            String::new()
        } else {
            format!("{}: ", r.file)
        };
        println!("rejected {file}{}: {}", r.origin, r.reason);
    }
    println!(
        "{}tickets: {} created, {} updated, {} unchanged, {} skipped (edited by hand), {} overwritten; articles: {} created, {} updated, {} unchanged, {} skipped, {} overwritten; {} rejected",
        if dry_run {
            "dry run, nothing written; "
        } else {
            ""
        },
        report.tickets.created.len(),
        report.tickets.updated.len(),
        report.tickets.unchanged,
        report.tickets.kept_edited.len(),
        report.tickets.overwritten.len(),
        report.articles.created.len(),
        report.articles.updated.len(),
        report.articles.unchanged,
        report.articles.kept_edited.len(),
        report.articles.overwritten.len(),
        report.rejected.len(),
    );
}

fn print_files(what: &str, summary: &Summary, verb: &str) {
    let lists = [
        ("created", &summary.created),
        ("updated", &summary.updated),
        ("overwritten", &summary.overwritten),
    ];
    for (action, files) in lists {
        // 100,000 created files are not worth listing one by one.
        if files.len() <= 50 {
            for f in files {
                println!("{what} {verb}{action}: {}", f.display());
            }
        }
    }
    for f in &summary.kept_edited {
        println!(
            "{what} skipped, edited by hand since the last import (--force overwrites it): {}",
            f.display()
        );
    }
}
