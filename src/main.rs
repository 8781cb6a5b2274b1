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
    StatusArgs, StatusFormat, WatchArgs,
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
        Command::Po(cmd) => po(cmd),
        Command::Clean(args) => clean(args),
        Command::Theme(cli::ThemeCommand::Eject(args)) => eject(args),
        Command::Completions(args) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(args.shell, &mut command, "diglot", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man(args) => man(args),
    }
}

fn clean(args: cli::CleanArgs) -> ExitCode {
    use diglot::clean::Cleaned;
    match diglot::clean::clean(&args.dir, args.output.as_deref()) {
        Ok(Cleaned::Removed(dir)) => {
            eprintln!("removed {}", display_path(&dir));
            ExitCode::SUCCESS
        }
        Ok(Cleaned::Nothing(dir)) => {
            eprintln!("nothing to clean: {} does not exist", display_path(&dir));
            ExitCode::SUCCESS
        }
        Err(e) => exit_for(e),
    }
}

fn eject(args: cli::EjectArgs) -> ExitCode {
    match diglot::eject::eject(&args.dir, args.name.as_deref()) {
        Ok(done) => {
            for f in &done.written {
                eprintln!("created {}", display_path(&done.dir.join(f)));
            }
            if !done.kept.is_empty() {
                eprintln!(
                    "kept {} file{} that existed in {} (nothing was overwritten)",
                    done.kept.len(),
                    if done.kept.len() == 1 { "" } else { "s" },
                    display_path(&done.dir)
                );
            }
            if !done.in_use {
                eprintln!(
                    "to use it, set `theme = \"{}\"` under [build] in book.toml",
                    safe(&done.name)
                );
            }
            ExitCode::SUCCESS
        }
        Err(Error::Failed(diags)) => {
            print_diagnostics(&diags);
            eprintln!("error: the theme was not ejected; fix the error above and run it again");
            ExitCode::from(1)
        }
        Err(e) => exit_for(e),
    }
}

/// The manual page of diglot, or of one of its subcommands (`diglot-build(1)`), in roff.
fn man(args: cli::ManArgs) -> ExitCode {
    let command = <Cli as clap::CommandFactory>::command();
    let page = match &args.command {
        None => clap_mangen::Man::new(command),
        Some(name) => match command.find_subcommand(name) {
            Some(sub) => {
                let sub = sub.clone().bin_name(format!("diglot {name}"));
                let sub = sub.version(env!("CARGO_PKG_VERSION"));
                clap_mangen::Man::new(sub).title(format!("diglot-{name}"))
            }
            None => {
                let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
                eprintln!(
                    "error: there is no subcommand `{}`\n  = help: one of: {}",
                    safe(name),
                    names.join(", ")
                );
                return ExitCode::from(2);
            }
        },
    };
    let mut out = std::io::stdout().lock();
    match page.render(&mut out) {
        Ok(()) => ExitCode::SUCCESS,
        // `diglot man | head`: the reader has what it wanted.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write the manual page: {e}");
            ExitCode::from(1)
        }
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
    let options = diglot::scaffold::InitOptions {
        title: args.title.clone(),
        workflow: !args.no_workflow,
        force: args.force,
    };
    match diglot::scaffold::init(&args.dir, &options) {
        Ok(report) => {
            print_files(&args.dir, &report.files, &report.replaced);
            if report.gitignore_added {
                eprintln!(
                    "added the output folder to {}",
                    display_path(&args.dir.join(".gitignore"))
                );
            }
            print_next(&args.dir);
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
    print_files(dir, files, replaced);
    print_next(dir);
}

fn print_files(
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
}

/// How to look at a new book.
fn print_next(dir: &std::path::Path) {
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
        drafts: args.drafts,
        poll: false,
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

fn print_rebuild(outcome: Result<&RebuildReport, &Error>, quiet: bool) {
    match outcome {
        Ok(_) if quiet => {}
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
    let host = &args.hostname;
    if !host.ip.is_loopback() {
        eprintln!(
            "warning: serving on {}: anyone who can reach this machine can read the preview (add the name they use with --allow-host)",
            host.ip
        );
    }
    let mut allowed_hosts = args.allow_host.clone();
    // The name the preview was asked to listen by is a name it answers to.
    allowed_hosts.extend(host.name.clone());
    let opts = ServeOptions {
        root: args.dir.clone(),
        host: host.ip,
        port: args.port,
        base_url: args.base_url.clone(),
        strict: args.strict,
        allowed_hosts,
        drafts: args.drafts,
        poll: args.watcher == cli::WatcherKind::Poll,
    };
    let quiet = args.quiet;
    let printer = move |outcome: Result<&RebuildReport, &Error>| print_rebuild(outcome, quiet);
    let server = match diglot::serve::start(&opts, Arc::new(printer)) {
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

fn watch(args: WatchArgs) -> ExitCode {
    let opts = BuildOptions {
        root: args.dir.clone(),
        output: args.output.clone(),
        base_url: args.base_url.clone(),
        strict: args.strict,
        force: args.force,
        drafts: args.drafts,
        poll: args.watcher == cli::WatcherKind::Poll,
    };
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
            Ok(mut report) => {
                // The notes do not change from one rebuild to the next: said once.
                if !first {
                    report.notes.clear();
                }
                print_build(&report, args.quiet)
            }
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

fn po(cmd: cli::PoCommand) -> ExitCode {
    match cmd {
        cli::PoCommand::Export(args) => {
            match diglot::gettext::export(&args.dir, args.lang.as_deref(), args.output.as_deref()) {
                Ok(done) => {
                    let files: Vec<String> = done.files.iter().map(|f| display_path(f)).collect();
                    eprintln!(
                        "wrote {} ({} messages, {} translated)",
                        files.join(" and "),
                        done.messages,
                        done.translated
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => exit_for(e),
            }
        }
        cli::PoCommand::Apply(args) => match diglot::gettext::apply(&args.po, &args.dir) {
            Ok(done) => {
                for place in &done.skipped {
                    eprintln!("note: {}: not written (a list item or heading only one language has, or a missing translation file); add it by hand", safe(place));
                }
                eprintln!(
                    "applied {} translation{} to {} file{}",
                    done.blocks,
                    if done.blocks == 1 { "" } else { "s" },
                    done.files.len(),
                    if done.files.len() == 1 { "" } else { "s" }
                );
                ExitCode::SUCCESS
            }
            Err(e) => exit_for(e),
        },
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
