//! `guichet import markdown SRC [--from …] [--into content] [--dry-run] [--force]`: the
//! arguments, the import, its summary, then a build that writes nothing to say which
//! imported files still need a hand.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use guichet::import::markdown::{Format, MarkdownImport, import, verify};

/// The arguments of `guichet import markdown`.
#[derive(Args)]
pub(crate) struct MarkdownArgs {
    /// The folder of the site to import (the one holding mkdocs.yml, docusaurus.config.js,
    /// hugo.toml, config.toml, user/pages/ or .obsidian/).
    src: PathBuf,
    /// The tool that wrote it: mkdocs, docusaurus, hugo, zola, obsidian or grav (guessed
    /// from its files when absent).
    #[arg(long, value_parser = |s: &str| s.parse::<Format>())]
    from: Option<Format>,
    /// The content folder to write the pages to.
    #[arg(long, default_value = "content")]
    into: PathBuf,
    /// Say what would be written, write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Overwrite the files edited by hand since the last import.
    #[arg(long)]
    force: bool,
}

/// Runs the import; fails when the source cannot be read or the imported site does not build.
pub(crate) fn run(args: MarkdownArgs) -> ExitCode {
    let options = MarkdownImport {
        src: args.src,
        from: args.from,
        into: args.into,
        dry_run: args.dry_run,
        force: args.force,
    };
    let report = match import(&options) {
        Ok(report) => report,
        Err(diagnostics) => {
            for d in &diagnostics {
                eprint!("{d}");
            }
            eprintln!(
                "nothing imported: {} error(s) in the source",
                diagnostics.len()
            );
            return ExitCode::FAILURE;
        }
    };
    print!("{}", report.to_text(options.dry_run));
    if options.dry_run {
        return ExitCode::SUCCESS;
    }
    // Only a site's own content/ folder can be checked by building that site.
    if options.into.file_name().is_none_or(|n| n != "content") {
        println!(
            "{} is not a site's content/ folder: the imported pages were not built",
            options.into.display()
        );
        return ExitCode::SUCCESS;
    }
    let errors = verify(&report.site_root);
    if errors.is_empty() {
        println!(
            "the imported site builds with no error: guichet build --root {}",
            report.site_root.display()
        );
        return ExitCode::SUCCESS;
    }
    for d in &errors {
        eprint!("{d}");
    }
    let mut files: Vec<&std::path::Path> = errors.iter().map(|d| d.path.as_path()).collect();
    files.dedup();
    eprintln!(
        "{} file(s) still need a hand before the site builds ({} error(s) above)",
        files.len(),
        errors.len()
    );
    ExitCode::FAILURE
}
