//! Command-line arguments.

use std::net::{IpAddr, Ipv4Addr, ToSocketAddrs};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "diglot",
    version,
    about = "Build bilingual guides: two languages side by side, as a fast static site."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the site into the output folder (atomically: a failed build changes nothing).
    Build(BuildArgs),
    /// Build, serve and watch the book, reloading open pages after every change.
    Serve(ServeArgs),
    /// Rebuild the output folder whenever the book changes (atomically, without a server).
    Watch(WatchArgs),
    /// Check the book like a build would, and more (anchors, translation gaps and drift),
    /// without writing anything. Exit 1 on errors (on warnings too with --strict).
    Check(CheckArgs),
    /// How far the translation has come: per page and phase, the pairs current, stale
    /// (source changed after the translation, found from git history), untranslated and extra.
    Status(StatusArgs),
    /// gettext PO files: export the book for a translation platform, apply a translated PO.
    #[command(subcommand)]
    Po(PoCommand),
    /// Print the checklists ("you need to provide / confirm" lists and task lists).
    Checklist(ChecklistArgs),
    /// Create a new bilingual guide (never overwrites a file): book.toml, a home page, a phase,
    /// a section with a checklist, .gitignore and a GitHub Pages workflow.
    Init(InitArgs),
    /// Turn a single-file bilingual guide (`# title`, `## N.` phases, `### N.M` sections) into
    /// a book: book.toml and content/.
    Import(ImportArgs),
    /// Remove the output folder (only one that Diglot built).
    Clean(CleanArgs),
    /// Work with the book's theme (`diglot theme eject` copies the built-in one out).
    #[command(subcommand)]
    Theme(ThemeCommand),
    /// Print a shell completion script, e.g. `diglot completions bash > ~/.local/share/bash-completion/completions/diglot`.
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `diglot man > ~/.local/share/man/man1/diglot.1`.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub(crate) struct CleanArgs {
    /// The book's folder, holding book.toml.
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// The output folder to remove (default: `output-dir` from book.toml, "public").
    #[arg(
        short,
        long,
        value_name = "DIR",
        visible_alias = "dest-dir",
        short_alias = 'd'
    )]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ThemeCommand {
    /// Write the built-in theme's templates, styles, scripts and interface strings into
    /// themes/NAME/ to change from there (files that exist are kept, never overwritten).
    Eject(EjectArgs),
}

#[derive(Debug, Args)]
pub(crate) struct EjectArgs {
    /// The theme's folder name under themes/ (default: `theme` from book.toml, "default",
    /// which a book uses without further settings).
    pub(crate) name: Option<String>,
    /// The book's folder, holding book.toml.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub(crate) dir: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// A subcommand's own page (e.g. `build`) instead of the overview.
    pub(crate) command: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Where to create the guide (created when missing; may be an existing repository).
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// The guide's title, "中文 | English" for one per language.
    #[arg(long, value_name = "TITLE")]
    pub(crate) title: Option<String>,
    /// Do not write the GitHub Actions workflow.
    #[arg(long)]
    pub(crate) no_workflow: bool,
    /// Replace the files init writes when they exist (.gitignore is only ever added to).
    #[arg(long)]
    pub(crate) force: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The single Markdown file holding the whole guide.
    pub(crate) file: PathBuf,
    /// Where to create the book (default: a folder beside FILE named after it).
    #[arg(long, value_name = "DIR")]
    pub(crate) into: Option<PathBuf>,
    /// Write into a folder that is not empty, replacing the files the import writes.
    #[arg(long)]
    pub(crate) force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum CheckFormat {
    /// Like a compiler: the source line and a caret, with a hint.
    Human,
    /// A stable schema for tools (documented in docs/, "check and status").
    Json,
    /// GitHub Actions annotations (`::error file=…,line=…,col=…::…`).
    Github,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The book's folder, holding book.toml.
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// Treat every warning as an error.
    #[arg(long)]
    pub(crate) strict: bool,
    #[arg(long, value_enum, default_value = "human")]
    pub(crate) format: CheckFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum WatcherKind {
    /// The operating system's file events.
    Native,
    /// Look at the files every 300 ms.
    Poll,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PoCommand {
    /// Write po/messages.pot (the source language's messages, split as mdbook-xgettext splits
    /// them) and po/<code>.po with the book's translations (stale ones fuzzy).
    Export(PoExportArgs),
    /// Write the translations of a PO file into the book's own translation files.
    Apply(PoApplyArgs),
}

#[derive(Debug, Args)]
pub(crate) struct PoExportArgs {
    /// The book's folder, holding book.toml.
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// The translation language to write a PO file for (the book's other language).
    #[arg(long, value_name = "CODE")]
    pub(crate) lang: Option<String>,
    /// Where to write the files (default: po/ in the book).
    #[arg(short, long, value_name = "DIR")]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct PoApplyArgs {
    /// The translated PO file.
    pub(crate) po: PathBuf,
    /// The book's folder, holding book.toml.
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum StatusFormat {
    /// A table: one line per page, a line per phase, the total.
    Human,
    /// A stable schema for tools (documented in docs/, "check and status").
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct StatusArgs {
    /// The book's folder, holding book.toml.
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    #[arg(long, value_enum, default_value = "human")]
    pub(crate) format: StatusFormat,
    /// Record that the stale pair at FILE:LINE (or every stale pair of FILE) needs no new
    /// translation: written to translation-reviewed.txt in the book, to commit.
    #[arg(long, value_name = "FILE[:LINE]")]
    pub(crate) accept: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ChecklistFormat {
    Md,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub(crate) struct ChecklistArgs {
    /// The book's folder, holding book.toml.
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// Only this phase (its URL slug, e.g. "design").
    #[arg(long, value_name = "SLUG")]
    pub(crate) phase: Option<String>,
    #[arg(long, value_enum, default_value = "md")]
    pub(crate) format: ChecklistFormat,
    /// A language code of the book (e.g. zh or en), or "both".
    #[arg(long, default_value = "both")]
    pub(crate) lang: String,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The book's folder, holding book.toml.
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// Host name or address to listen on (`localhost`, `0.0.0.0`, `::1`…); anything but
    /// loopback exposes the preview to your network.
    #[arg(
        short = 'n',
        long,
        visible_alias = "host",
        value_name = "HOST",
        default_value = "127.0.0.1",
        value_parser = parse_host
    )]
    pub(crate) hostname: Host,
    /// Port to listen on; 0 picks a free one.
    #[arg(short, long, default_value_t = 3000)]
    pub(crate) port: u16,
    /// Open the site in the default browser.
    #[arg(short, long)]
    pub(crate) open: bool,
    /// Serve under this base URL instead of `base-url` from book.toml.
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// Treat every warning as an error (the last good site stays served).
    #[arg(long)]
    pub(crate) strict: bool,
    /// Also answer requests for this host name (besides localhost and the listening
    /// address), e.g. when serving on 0.0.0.0 to a phone. Repeatable.
    #[arg(long, value_name = "NAME")]
    pub(crate) allow_host: Vec<String>,
    /// Print errors only (no rebuild lines, no warnings).
    #[arg(short, long)]
    pub(crate) quiet: bool,
    /// Include pages marked `draft = true` in their front matter.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// How changes are noticed: the system's file events, or polling (for network drives,
    /// WSL2 and Docker mounts, where events do not arrive).
    #[arg(long, value_enum, default_value = "native")]
    pub(crate) watcher: WatcherKind,
}

#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    /// The book's folder, holding book.toml.
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// Where to write the site (default: `output-dir` from book.toml, "public").
    #[arg(
        short,
        long,
        value_name = "DIR",
        visible_alias = "dest-dir",
        short_alias = 'd'
    )]
    pub(crate) output: Option<PathBuf>,
    /// The URL the site is served from, e.g. "/guide/" or "https://example.org/guide/".
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// Treat every warning as an error (for CI).
    #[arg(long)]
    pub(crate) strict: bool,
    /// Replace an output folder that Diglot did not create (never the book, its content,
    /// your home folder or `/`).
    #[arg(long)]
    pub(crate) force: bool,
    /// Print errors only.
    #[arg(short, long)]
    pub(crate) quiet: bool,
    /// Include pages marked `draft = true` in their front matter.
    #[arg(long)]
    pub(crate) drafts: bool,
}

#[derive(Debug, Args)]
pub(crate) struct WatchArgs {
    /// The book's folder, holding book.toml.
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// Where to write the site (default: `output-dir` from book.toml, "public").
    #[arg(
        short,
        long,
        value_name = "DIR",
        visible_alias = "dest-dir",
        short_alias = 'd'
    )]
    pub(crate) output: Option<PathBuf>,
    /// The URL the site is served from, e.g. "/guide/" or "https://example.org/guide/".
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// A build with warnings fails like one with errors: the last good output stays.
    #[arg(long)]
    pub(crate) strict: bool,
    /// Replace an output folder that Diglot did not create, at the first build (never the
    /// book, its content, your home folder or `/`).
    #[arg(long)]
    pub(crate) force: bool,
    /// Print errors only.
    #[arg(short, long)]
    pub(crate) quiet: bool,
    /// Include pages marked `draft = true` in their front matter.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// How changes are noticed: the system's file events, or polling (for network drives,
    /// WSL2 and Docker mounts, where events do not arrive).
    #[arg(long, value_enum, default_value = "native")]
    pub(crate) watcher: WatcherKind,
}

/// The address `serve` listens on, and the name it was given by (a host name is also
/// accepted in requests' `Host` header).
#[derive(Debug, Clone)]
pub(crate) struct Host {
    pub(crate) ip: IpAddr,
    /// The host name given, when it was one (not an address).
    pub(crate) name: Option<String>,
}

/// An address, or a host name resolved to its first address (`localhost` to 127.0.0.1,
/// whatever the resolver says, since the preview's default is IPv4 loopback).
fn parse_host(text: &str) -> Result<Host, String> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Ok(Host { ip, name: None });
    }
    let bracketed = text.strip_prefix('[').and_then(|t| t.strip_suffix(']'));
    if let Some(ip) = bracketed.and_then(|t| t.parse::<IpAddr>().ok()) {
        return Ok(Host { ip, name: None });
    }
    let name = text.to_string();
    if text.eq_ignore_ascii_case("localhost") {
        let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
        return Ok(Host {
            ip,
            name: Some(name),
        });
    }
    let mut addrs = (text, 0u16)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve the host name `{text}`: {e}; give an address such as 127.0.0.1 or 0.0.0.0"))?;
    let all: Vec<IpAddr> = addrs.by_ref().map(|a| a.ip()).collect();
    let ip = all
        .iter()
        .find(|ip| ip.is_ipv4())
        .or(all.first())
        .copied()
        .ok_or_else(|| format!("the host name `{text}` has no address"))?;
    Ok(Host {
        ip,
        name: Some(name),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_and_addresses_are_accepted() {
        let local = parse_host("localhost").expect("localhost");
        assert_eq!(local.ip, IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(local.name.as_deref(), Some("localhost"));
        assert_eq!(
            parse_host("0.0.0.0").expect("any").ip,
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        );
        assert!(parse_host("[::1]").expect("v6").ip.is_loopback());
        assert!(parse_host("no such host.invalid").is_err());
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
