//! The `diglot` command: parses the arguments (see `cli.rs`), calls the library, prints
//! its diagnostics on standard error and maps its errors to exit codes (2 for a wrong command
//! line or a folder without a book, 1 for any other failure).

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::Parser;

use diglot::diagnostics::Diagnostic;
use diglot::report;
use diglot::serve::live::RebuildReport;
use diglot::serve::{ServeError, ServeOptions};
use diglot::{build, BuildOptions, BuildReport, Error};

mod cli;

use cli::{
    BuildArgs, CheckArgs, CheckFormat, ChecklistArgs, ChecklistFormat, Cli, Command, ServeArgs,
    StatusArgs, StatusFormat,
};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => match build(&build_options(&args)) {
            Ok(report) => {
                print_build(&report, args.quiet);
                ExitCode::SUCCESS
            }
            Err(e) => exit_for(e),
        },
        Command::Serve(args) => serve(args),
        Command::Watch(args) => watch(args),
        Command::Checklist(args) => checklist(args),
        Command::Init(args) => init(args),
        Command::Import(args) => import(args),
        Command::Check(args) => check(args),
        Command::Status(args) => status(args),
    }
}

fn checklist(args: ChecklistArgs) -> ExitCode {
    use diglot::checklist_export::{export, Format};
    let opts = BuildOptions {
        root: args.dir.clone(),
        ..BuildOptions::default()
    };
    let format = match args.format {
        ChecklistFormat::Md => Format::Markdown,
        ChecklistFormat::Json => Format::Json,
        ChecklistFormat::Csv => Format::Csv,
    };
    match export(&opts, args.phase.as_deref(), &args.lang, format) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(Error::Failed(diags)) => {
            print_diagnostics(&diags);
            let errors = diags.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "error: the book has {errors} error{}; fix {} to export its checklists",
                if errors == 1 { "" } else { "s" },
                if errors == 1 { "it" } else { "them" }
            );
            ExitCode::from(1)
        }
        Err(e) => exit_for(e),
    }
}

fn init(args: cli::InitArgs) -> ExitCode {
    match diglot::scaffold::init(&args.dir) {
        Ok(files) => {
            print_created(&args.dir, &files, &[]);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "error: {}\n  = help: {}",
                safe(&e.to_string()),
                safe(e.hint())
            );
            ExitCode::from(1)
        }
    }
}

fn import(args: cli::ImportArgs) -> ExitCode {
    match diglot::import::import(&args.file, args.into.as_deref(), args.force) {
        Ok(report) => {
            print_diagnostics(&report.warnings);
            eprintln!(
                "imported {} phase{} and {} section{} from {}",
                report.phases,
                if report.phases == 1 { "" } else { "s" },
                report.sections,
                if report.sections == 1 { "" } else { "s" },
                display_path(&args.file)
            );
            print_created(&report.dir, &report.files, &report.replaced);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "error: {}\n  = help: {}",
                safe(&e.to_string()),
                safe(&e.hint())
            );
            ExitCode::from(if e.is_usage() { 2 } else { 1 })
        }
    }
}

/// The files a new book got (or, with `--force`, had replaced), and how to look at it.
fn print_created(
    dir: &std::path::Path,
    files: &[std::path::PathBuf],
    replaced: &[std::path::PathBuf],
) {
    for f in files {
        let verb = if replaced.contains(f) {
            "replaced"
        } else {
            "created"
        };
        eprintln!("{verb} {}", display_path(&dir.join(f)));
    }
    let shown = display_path(dir);
    let arg = if shown.is_empty() || shown == "." {
        String::new()
    } else if shown
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        format!(" {shown}")
    } else {
        format!(" '{}'", shown.replace('\'', r"'\''"))
    };
    eprintln!("next: diglot serve{arg}   (a preview with live reload)");
}

fn build_options(args: &BuildArgs) -> BuildOptions {
    BuildOptions {
        root: args.dir.clone(),
        output: args.output.clone(),
        base_url: args.base_url.clone(),
        strict: args.strict,
        force: args.force,
    }
}

fn print_build(report: &BuildReport, quiet: bool) {
    if quiet {
        return;
    }
    print_diagnostics(&report.warnings);
    report.notes.iter().for_each(|n| eprintln!("{n}"));
    eprintln!(
        "built {} page{} ({} warning{}) into {} in {} ms",
        report.pages,
        if report.pages == 1 { "" } else { "s" },
        report.warnings.len(),
        if report.warnings.len() == 1 { "" } else { "s" },
        display_path(&report.output),
        report.elapsed.as_millis()
    );
}

fn print_rebuild(outcome: Result<&RebuildReport, &Error>) {
    match outcome {
        Ok(report) => {
            print_diagnostics(&report.warnings);
            let n = report.rendered.len();
            // A full build (the first, or after book.toml or the theme changed) lists every page.
            let what = if report.full {
                format!("built all {n} pages")
            } else {
                format!("rebuilt {n} page{}", if n == 1 { "" } else { "s" })
            };
            eprintln!("{what} in {:.1} ms", report.elapsed.as_secs_f64() * 1000.0);
        }
        Err(Error::Failed(diags)) => {
            print_diagnostics(diags);
            eprintln!("error: rebuild failed; still serving the last good version");
        }
        Err(e) => eprintln!("error: {}", safe(&e.to_string())),
    }
}

/// Blocks until Ctrl-C or SIGTERM.
fn wait_for_signal() {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    runtime.block_on(async {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            match signal(SignalKind::terminate()) {
                Ok(mut term) => {
                    tokio::select! {
                        _ = tokio::signal::ctrl_c() => {}
                        _ = term.recv() => {}
                    }
                }
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    });
}

fn serve(args: ServeArgs) -> ExitCode {
    if !args.host.is_loopback() {
        eprintln!(
            "warning: serving on {}: anyone who can reach this machine can read the preview (add the name they use with --allow-host)",
            args.host
        );
    }
    let opts = ServeOptions {
        root: args.dir.clone(),
        host: args.host,
        port: args.port,
        base_url: args.base_url.clone(),
        strict: args.strict,
        allowed_hosts: args.allow_host.clone(),
    };
    let server = match diglot::serve::start(&opts, Arc::new(print_rebuild)) {
        Ok(s) => s,
        Err(ServeError::Build(e)) => return exit_for(e),
        Err(ServeError::Bind { addr, source })
            if source.kind() == std::io::ErrorKind::AddrInUse =>
        {
            eprintln!(
                "error: port {} is already in use on {}\n  = help: stop the other server, or pass another port (`--port {}`, or `--port 0` for any free one)",
                addr.port(),
                addr.ip(),
                addr.port().saturating_add(1)
            );
            return ExitCode::from(1);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let url = server.url();
    eprintln!("serving {url} (press Ctrl-C to stop)");
    if args.open {
        if let Err(e) = opener::open_browser(&url) {
            eprintln!("warning: cannot open a browser: {e}");
        }
    }
    wait_for_signal();
    server.stop();
    ExitCode::SUCCESS
}

fn watch(args: BuildArgs) -> ExitCode {
    let opts = build_options(&args);
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            wait_for_signal();
            stop.store(true, Ordering::Relaxed);
        });
    }
    let mut first = true;
    let outcome = diglot::watch::watch(&opts, &stop, &mut |outcome| {
        match outcome {
            Ok(report) => print_build(&report, args.quiet),
            Err(e) => {
                exit_for(e);
            }
        }
        if std::mem::take(&mut first) && !args.quiet {
            eprintln!(
                "watching {} (press Ctrl-C to stop)",
                display_path(&opts.root)
            );
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => exit_for(e),
    }
}

fn exit_for(e: Error) -> ExitCode {
    match e {
        Error::NoBook(dir) => {
            eprintln!("error: {}\n  = help: run diglot in a book's folder or pass the folder, e.g. `diglot build path/to/book`", diglot::diagnostics::no_book_message(&dir));
            ExitCode::from(2)
        }
        Error::Failed(diags) => {
            print_diagnostics(&diags);
            let errors = diags.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "error: build failed with {errors} error{}; the previous output is unchanged",
                if errors == 1 { "" } else { "s" }
            );
            ExitCode::from(1)
        }
        Error::Usage { message, hint } => {
            eprintln!("error: {message}\n  = help: {hint}");
            ExitCode::from(2)
        }
    }
}

/// Diagnostics for people, on standard error: the source line, a caret, a hint.
fn print_diagnostics(diags: &[Diagnostic]) {
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    report::human(diags, report::color_for_stderr(), &mut out);
}

fn check(args: CheckArgs) -> ExitCode {
    let report = match diglot::check::check(&args.dir, args.strict) {
        Ok(r) => r,
        Err(Error::Failed(diags)) => diglot::check::CheckReport {
            diagnostics: diags,
            coverage: Vec::new(),
            notes: Vec::new(),
        },
        Err(e) => return exit_for(e),
    };
    match args.format {
        CheckFormat::Human => {
            print_diagnostics(&report.diagnostics);
            eprintln!("{}", report::summary(&report.diagnostics, &report.coverage));
            report.notes.iter().for_each(|n| eprintln!("{n}"));
        }
        CheckFormat::Json => println!(
            "{}",
            report::json(&report.diagnostics, Some(&report.coverage))
        ),
        CheckFormat::Github => {
            print!("{}", report::github(&report.diagnostics));
            eprintln!("{}", report::summary(&report.diagnostics, &report.coverage));
            report.notes.iter().for_each(|n| eprintln!("{n}"));
        }
    }
    if report.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn status(args: StatusArgs) -> ExitCode {
    for target in &args.accept {
        match diglot::status::accept(&args.dir, target) {
            Ok(done) => eprintln!(
                "accepted {} stale pair{} at {} (recorded in {}; commit it)",
                done.pairs,
                if done.pairs == 1 { "" } else { "s" },
                safe(target),
                display_path(&done.file)
            ),
            Err(e) => return exit_for(e),
        }
    }
    if !args.accept.is_empty() {
        return ExitCode::SUCCESS;
    }
    let report = match diglot::status::status(&args.dir) {
        Ok(r) => r,
        Err(e) => return exit_for(e),
    };
    print_diagnostics(&report.warnings);
    match args.format {
        StatusFormat::Human => print!("{}", diglot::status::human(&report)),
        StatusFormat::Json => println!("{}", diglot::status::json(&report)),
    }
    report.notes.iter().for_each(|n| eprintln!("{n}"));
    ExitCode::SUCCESS
}

/// Paths as the user would type them: relative to the current folder when inside it, with
/// control characters shown escaped (a file name can hold ESC).
fn display_path(path: &std::path::Path) -> String {
    safe(&diglot::diagnostics::display_path(path))
}

/// Text from input, safe to print on a terminal.
fn safe(text: &str) -> String {
    diglot::diagnostics::terminal_safe(text, true).into_owned()
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
