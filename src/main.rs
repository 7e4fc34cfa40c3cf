//! The `guichet` command line: parses arguments, calls the library, prints diagnostics and
//! decides the exit code. No pipeline logic lives here.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;

use clap::{Parser, Subcommand};

use guichet::build::{BuildOptions, BuildProgress, BuildReport, build, build_with_progress};
use guichet::check::{CheckOptions, check};
use guichet::diagnostics::Diagnostics;
use guichet::init::{InitOptions, SiteKind, init, parse_languages};
use guichet::language::Language;
use guichet::serve::{DEFAULT_PORT, ServeEvent, ServeOptions, Server, open_in_browser};

mod cli;

// The build allocates many small strings from several threads; with mimalloc a 10,000-page
// build takes a fifth less CPU time than with glibc's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// mimalloc's own option setter, from the C library the `mimalloc` crate links (the crate does
// not wrap it).
unsafe extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    fn mi_collect(force: bool);
}

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (mimalloc.h), the version the
/// `mimalloc` crate builds by default.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// How long (ms) freed memory stays with mimalloc before it goes back to the system.
/// mimalloc 3's default is 1,000 ms: a build frees each stage's data (rendered pages, a
/// language's index) just before the next stage allocates, and with that delay both stayed
/// resident — on one section of 10,000 pages the peak was 264–296 MB, and 231 MB with 1 ms.
/// 0 (purge on every free) gave the same peak but took a quarter more time in the kernel.
const PURGE_DELAY_MS: std::ffi::c_long = 1;

/// Gives memory freed by the build back to the system soon ([`PURGE_DELAY_MS`]). A
/// `MIMALLOC_PURGE_DELAY` set in the environment is left to decide.
fn purge_freed_memory_soon() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's global options, which it reads atomically; no memory
        // is touched.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
}

/// Purges every range of memory mimalloc holds freed, whatever its delay; the build calls it
/// where a stage has just freed much (see [`guichet::memory`]). About one build in eight was
/// seen keeping all its freed memory to the end (peak 218–257 MB instead of 180 MB on one
/// section of 10,000 pages). In mimalloc 3's source, the program-wide deadline of delayed
/// purges can be cleared while an arena still has one pending (a thread schedules a purge
/// while another ends a pass that purged nothing; microsoft/mimalloc#1246 reports the same
/// state): no delayed purge of that arena runs after that, only a forced collection, which
/// clears the state.
fn release_freed_memory() {
    // SAFETY: mimalloc's collection is safe from any thread at any time; it only returns
    // memory no allocation uses.
    unsafe { mi_collect(true) };
}

/// guichet: a static-site generator for IT service desks.
#[derive(Parser)]
#[command(name = "guichet", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder (site/ by default).
    Build {
        /// The site root, holding guichet.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The output folder (default: guichet.yaml's `output`, relative to the root).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
    },
    /// Check the site without writing it: build's validations, then secrets, spelling,
    /// French typography, accessibility and structure, and external links with --external.
    Check {
        /// The site root, holding guichet.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Also request every external link (answers are cached in .guichet-links.json).
        #[arg(long)]
        external: bool,
        /// The output: text (as `build` prints) or json (one object per finding).
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
        /// Apply the safe fixes (French non-breaking spaces) to the source files.
        #[arg(long)]
        fix: bool,
        /// Check pages marked `draft: true` too.
        #[arg(long)]
        drafts: bool,
        /// The folder of the Hunspell dictionaries (fr_FR or fr, en_US .aff and .dic).
        #[arg(long, default_value = guichet::check::SYSTEM_DICTIONARIES)]
        dictionaries: PathBuf,
    },
    /// Create a new site in DIR that builds at once: guichet.yaml, starter pages, a workflow,
    /// a ticket write-up and a .gitignore.
    Init {
        /// The folder to create (it must be empty unless --force).
        dir: PathBuf,
        /// The language of the starter texts and of the site: fr or en; for a site in both,
        /// its languages, the default first: fr,en.
        #[arg(long, default_value = "fr", value_parser = parse_language_list)]
        lang: LanguageList,
        /// The starter pages: portfolio (BTS SIO E4), kb (knowledge base) or procedures.
        #[arg(long, default_value = "portfolio", value_parser = SiteKind::from_str)]
        kind: SiteKind,
        /// Write into a folder that is not empty; existing files are still never overwritten.
        #[arg(long)]
        force: bool,
    },
    /// Search the built site's index from the terminal (same ranking as the browser).
    Search {
        /// The words to look for.
        query: String,
        /// The site root, holding guichet.yaml (its output folder must have been built).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Print the results as JSON (url with #anchor, title, section, score…).
        #[arg(long)]
        json: bool,
        /// How many results at most.
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
    /// Draw one workflow (logigramme) as SVG or PNG, for pasting into a document, or as a
    /// diagrams.net (draw.io) file, to retouch it.
    Render {
        /// The workflow file (workflows/<id>.yaml).
        file: PathBuf,
        /// The output file: .svg, .png or .drawio.
        #[arg(short, long)]
        output: PathBuf,
        /// PNG scale factor (2 = twice the SVG's size).
        #[arg(long, default_value_t = 2.0)]
        scale: f32,
        /// The language to draw it in (fr or en): its texts written `{fr: …, en: …}`, and
        /// Oui/Non or Yes/No. Default: the site's language, else fr.
        #[arg(long, value_parser = guichet::init::parse_language)]
        lang: Option<Language>,
    },
    /// Bring content from elsewhere into the site: GLPI's tickets and knowledge base, or
    /// another Markdown tool's documentation.
    Import {
        #[command(subcommand)]
        command: cli::import::ImportCommand,
    },
    /// Serve the site with live reload, rebuilding it when a source changes.
    Serve {
        /// The site root, holding guichet.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on.
        #[arg(long, default_value_t = DEFAULT_PORT)]
        port: u16,
        /// The address to listen on; anything but loopback exposes the site to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of using file-system events (network drives, containers).
        #[arg(long)]
        poll: bool,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
}

fn main() -> ExitCode {
    purge_freed_memory_soon();
    guichet::memory::set_release_hook(release_freed_memory);
    quiet_on_closed_pipe();
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            out,
            drafts,
            strict,
        } => run_build(BuildOptions {
            root,
            out,
            drafts,
            strict,
        }),
        Command::Check {
            root,
            external,
            format,
            strict,
            fix,
            drafts,
            dictionaries,
        } => run_check(
            &CheckOptions {
                root,
                drafts,
                external,
                fix,
                dictionaries,
            },
            format == "json",
            strict,
        ),
        Command::Init {
            dir,
            lang,
            kind,
            force,
        } => run_init(InitOptions {
            dir,
            language: lang.0[0],
            translations: lang.0[1..].to_vec(),
            kind,
            force,
        }),
        Command::Render {
            file,
            output,
            scale,
            lang,
        } => run_render(&file, &output, scale, lang),
        Command::Import { command } => cli::import::run(command),
        Command::Search {
            query,
            root,
            json,
            limit,
        } => run_search(&query, &root, json, limit),
        Command::Serve {
            root,
            port,
            bind,
            open,
            poll,
            drafts,
        } => run_serve(
            ServeOptions {
                root,
                port,
                bind,
                poll,
                drafts,
                ..ServeOptions::new(".")
            },
            open,
        ),
    }
}

/// Rust ignores SIGPIPE, so printing to a pipe whose reader has gone (`guichet check | head`)
/// makes `println!` panic. A command-line tool should end quietly there instead, as `ls` or
/// `grep` do: the default action of SIGPIPE does that.
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn run_init(options: InitOptions) -> ExitCode {
    match init(&options) {
        Ok(report) => {
            for kept in &report.kept {
                eprintln!("kept {kept} (it already exists)");
            }
            println!(
                "created {} files in {}; next: guichet build --root {}",
                report.written.len(),
                options.dir.display(),
                options.dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprint!("{d}");
            ExitCode::FAILURE
        }
    }
}

fn run_build(options: BuildOptions) -> ExitCode {
    match build_showing_progress(&options) {
        Ok(report) => {
            print_diagnostics(&Diagnostics(report.warnings.clone()));
            println!("{}", report.summary());
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            let errors = diagnostics.0.iter().filter(|d| d.is_error()).count();
            let warnings = diagnostics.0.len() - errors;
            eprintln!(
                "build failed: {errors} error(s), {warnings} warning(s); the previous site was left untouched"
            );
            ExitCode::FAILURE
        }
    }
}

/// A build taking longer than this shows its progress on a terminal.
const PROGRESS_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// Runs the build; when stderr is a terminal and the build passes [`PROGRESS_AFTER`], shows
/// one line of progress (stage and count) redrawn in place on stderr and erased at the end,
/// so the summary takes its place. Nothing extra when stderr is not a terminal.
fn build_showing_progress(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    use std::io::{IsTerminal, Write};
    use std::sync::mpsc::{self, RecvTimeoutError};
    if !std::io::stderr().is_terminal() {
        return build(options);
    }
    let progress = BuildProgress::default();
    let (finished, wait) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        let progress = &progress;
        scope.spawn(move || {
            let started = std::time::Instant::now();
            let mut shown: Option<String> = None;
            // The build ends by dropping the sender: the wait returns at once.
            while let Err(RecvTimeoutError::Timeout) =
                wait.recv_timeout(std::time::Duration::from_millis(100))
            {
                if started.elapsed() < PROGRESS_AFTER {
                    continue;
                }
                if let Some(line) = progress.line().filter(|l| shown.as_ref() != Some(l)) {
                    eprint!("\r\x1b[K{line}");
                    let _ = std::io::stderr().flush();
                    shown = Some(line);
                }
            }
            if shown.is_some() {
                eprint!("\r\x1b[K");
                let _ = std::io::stderr().flush();
            }
        });
        let result = build_with_progress(options, progress);
        drop(finished);
        result
    })
}

fn run_check(options: &CheckOptions, json: bool, strict: bool) -> ExitCode {
    let report = check(options);
    if json {
        print!("{}", report.to_json());
        eprintln!("{}", report.summary());
    } else {
        print!("{}", report.to_text());
    }
    if report.errors() > 0 || (strict && report.warnings() > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn run_search(query: &str, root: &std::path::Path, json: bool, limit: usize) -> ExitCode {
    let config = match guichet::config::Config::load(root) {
        Ok(c) => c,
        Err(d) => {
            eprint!("{d}");
            return ExitCode::FAILURE;
        }
    };
    let site_dir = root.join(&config.output);
    let no_filters = std::collections::BTreeMap::new();
    match guichet::search::search(&site_dir, query, limit, None, &no_filters) {
        Ok(results) if json => {
            println!("{}", guichet::search::format_hits_json(&results.hits));
            ExitCode::SUCCESS
        }
        Ok(results) => {
            print!("{}", guichet::search::format_results_text(&results));
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{}: error: {message}", site_dir.display());
            eprintln!("  = help: build the site first with `guichet build`");
            ExitCode::FAILURE
        }
    }
}

fn run_render(
    file: &std::path::Path,
    output: &std::path::Path,
    scale: f32,
    lang: Option<Language>,
) -> ExitCode {
    match cli::render::run(file, output, scale, lang) {
        Ok(warnings) => {
            print_diagnostics(&Diagnostics(warnings));
            println!("{} → {}", file.display(), output.display());
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            print_diagnostics(&Diagnostics(diagnostics));
            eprintln!("nothing written");
            ExitCode::FAILURE
        }
    }
}

fn print_diagnostics(diagnostics: &Diagnostics) {
    for d in &diagnostics.0 {
        eprint!("{d}");
    }
}

fn run_serve(options: ServeOptions, open: bool) -> ExitCode {
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines on the network can read this site",
            options.bind
        );
    }
    // Ctrl-C must let the server join its threads and remove its private output folder; the
    // handler only signals the main thread, which does the shutdown.
    let (stop_tx, stop_rx) = std::sync::mpsc::channel();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    }) {
        eprintln!("error: cannot handle Ctrl-C: {e}");
        return ExitCode::FAILURE;
    }
    let server = match Server::start(options, print_serve_event) {
        Ok(server) => server,
        Err(d) => {
            eprint!("{d}");
            return ExitCode::FAILURE;
        }
    };
    let url = server.url();
    println!("serving {url} (Ctrl-C to stop)");
    if open && let Err(e) = open_in_browser(&url) {
        eprintln!("warning: cannot open a browser: {e}");
    }
    let _ = stop_rx.recv();
    println!("stopping");
    server.shutdown();
    ExitCode::SUCCESS
}

fn print_serve_event(event: ServeEvent) {
    match event {
        ServeEvent::Changed(paths) => {
            let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            println!("changed: {}", names.join(", "));
        }
        ServeEvent::Built { report, changed } => {
            print_diagnostics(&Diagnostics(report.warnings.clone()));
            println!("{} ({changed} file(s) changed)", report.summary());
        }
        // Only the tests wait for it: nothing a writer needs to see.
        ServeEvent::SourcesRead => {}
        ServeEvent::Rerendered { path, elapsed } => {
            println!("{path} rendered again in {} ms", elapsed.as_millis());
        }
        ServeEvent::Failed(diagnostics) => {
            print_diagnostics(&diagnostics);
            let errors = diagnostics.0.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "build failed: {errors} error(s); the last good site (if any) is still served"
            );
        }
    }
}

/// `--lang` of `guichet init`: one language, or a translated site's languages (never empty).
#[derive(Debug, Clone)]
struct LanguageList(Vec<Language>);

fn parse_language_list(s: &str) -> Result<LanguageList, String> {
    parse_languages(s).map(LanguageList)
}
