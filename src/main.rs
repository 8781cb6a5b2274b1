use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use diglot::diagnostics::Diagnostic;
use diglot::{build, BuildOptions, Error};

mod cli;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => {
            let opts = BuildOptions {
                root: args.dir,
                output: args.output,
                base_url: args.base_url,
                strict: args.strict,
            };
            match build(&opts) {
                Ok(report) => {
                    if !args.quiet {
                        print_diagnostics(&report.warnings);
                        eprintln!(
                            "built {} pages ({} warning{}) into {} in {} ms",
                            report.pages,
                            report.warnings.len(),
                            if report.warnings.len() == 1 { "" } else { "s" },
                            display_path(&report.output),
                            report.elapsed.as_millis()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => exit_for(e),
            }
        }
    }
}

fn exit_for(e: Error) -> ExitCode {
    match e {
        Error::NoBook(dir) => {
            eprintln!("error: no book.toml in {}\n  = help: run diglot in a book's folder or pass the folder, e.g. `diglot build path/to/book`", display_path(&dir));
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
    }
}

fn print_diagnostics(diags: &[Diagnostic]) {
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    for d in diags {
        let mut d = d.clone();
        d.path = display_path(&d.path).into();
        let _ = writeln!(out, "{d}");
    }
}

/// Paths as the user would type them: relative to the current folder when inside it.
fn display_path(path: &std::path::Path) -> String {
    let cwd = std::env::current_dir().ok();
    let shown = cwd
        .as_deref()
        .and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path);
    let s = shown.to_string_lossy();
    s.strip_prefix("./")
        .map(str::to_string)
        .unwrap_or_else(|| s.into_owned())
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
