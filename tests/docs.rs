//! The user guide in `docs/` is a Diglot book: it builds under `--strict` in both
//! languages, and its reference of template variables matches what the templates receive.
//! The README stays short, and the top-level pages link only to files that exist.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::*;

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs")
}

fn diglot(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = assert_cmd::Command::cargo_bin("diglot").expect("bin");
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .timeout(std::time::Duration::from_secs(120));
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run")
}

#[test]
fn the_docs_book_builds_strictly_in_both_languages() {
    let out = tempfile::tempdir().expect("tmp");
    let site = out.path().join("site");
    let site_arg = site.to_string_lossy().into_owned();
    let run = diglot(&docs(), &["build", "--strict", "-o", &site_arg], &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("warning:"), "{stderr}");
    for page in [
        "start/quick-start/index.html",
        "writing/layouts/index.html",
        "translating/check-and-status/index.html",
        "reference/configuration/index.html",
        "reference/theming/index.html",
        "reference/commands/index.html",
        "reference/serve/index.html",
        "reference/reliability/index.html",
        "writing/markdown/index.html",
        "writing/site/index.html",
        "translating/mdbook/index.html",
        "translating/gettext/index.html",
    ] {
        for form in ["", "zh/", "en/"] {
            assert!(site.join(form).join(page).is_file(), "{form}{page} missing");
        }
    }
    let guide = read(&site, "start/first-guide/index.html");
    assert!(
        guide.contains("type=\"checkbox\""),
        "the checklist page has no boxes"
    );
    assert!(site.join("checklists/start/index.html").is_file());
    assert!(site.join("search").is_dir());
    let check = diglot(&docs(), &["check", "--strict"], &[]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

/// The templates a page can be rendered with, by name without `.html`.
const TEMPLATES: [&str; 7] = [
    "home",
    "page",
    "phase",
    "checklist",
    "checklists",
    "404",
    "print",
];

/// What each top-level template receives, found by building the docs with a theme whose
/// templates print their context as JSON.
fn received() -> BTreeMap<String, BTreeSet<String>> {
    let book = tempfile::tempdir().expect("tmp");
    copy_dir(&docs().join("content"), &book.path().join("content"));
    std::fs::copy(docs().join("book.toml"), book.path().join("book.toml")).expect("copy");
    let templates = book.path().join("themes/dump/templates");
    std::fs::create_dir_all(&templates).expect("mkdir");
    for name in TEMPLATES {
        std::fs::write(
            templates.join(format!("{name}.html")),
            format!("{{\"template\": \"{name}\", \"context\": {{{{ __tera_context | safe }}}}}}"),
        )
        .expect("write");
    }
    let run = diglot(book.path(), &["build"], &[("DIGLOT_BUILD__THEME", "dump")]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let site = book.path().join("public");
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files(&site) {
        if file.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let text = read(&site, &file.to_string_lossy());
        // The print page's sections follow the template's output.
        let mut values = serde_json::Deserializer::from_str(&text).into_iter::<serde_json::Value>();
        let Some(Ok(value)) = values.next() else {
            panic!("{file:?} is not a context dump")
        };
        let name = value["template"].as_str().expect("template").to_string();
        let keys = value["context"]
            .as_object()
            .expect("context")
            .keys()
            .cloned();
        seen.entry(name).or_default().extend(keys);
    }
    seen
}

/// The variables table of a theming page: each variable with the templates it names.
fn documented(page: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(page).expect("read the theming page");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let [_, name, templates, ..] = cells.as_slice() else {
            continue;
        };
        let Some(name) = name.strip_prefix('`').and_then(|n| n.strip_suffix('`')) else {
            continue;
        };
        let names: Vec<&str> = match *templates {
            "all" | "全部" => TEMPLATES.to_vec(),
            list => list.split(',').map(str::trim).collect(),
        };
        for template in names {
            out.entry(template.to_string())
                .or_default()
                .insert(name.to_string());
        }
    }
    out
}

#[test]
fn the_template_variables_reference_matches_what_templates_receive() {
    let received = received();
    assert_eq!(
        received.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        TEMPLATES.into_iter().collect::<BTreeSet<_>>(),
        "the docs book should render every template"
    );
    for page in ["02-theming.en.md", "02-theming.md"] {
        let documented = documented(&docs().join("content/04-reference").join(page));
        for (template, keys) in &received {
            let listed = documented.get(template).cloned().unwrap_or_default();
            let missing: Vec<&String> = keys.difference(&listed).collect();
            let stale: Vec<&String> = listed.difference(keys).collect();
            assert!(
                missing.is_empty() && stale.is_empty(),
                "docs/content/04-reference/{page}: `{template}.html` receives {missing:?} which the table does not list, and the table lists {stale:?} which it does not receive"
            );
        }
    }
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The link and image targets of a Markdown file, with their line numbers.
fn link_targets(text: &str) -> Vec<(usize, String)> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let line_of = |offset: usize| text[..offset].matches('\n').count() + 1;
    Parser::new_ext(text, Options::all())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some((line_of(range.start), dest_url.into_string()))
            }
            _ => None,
        })
        .collect()
}

/// A target that names a file in the repository: no scheme, not only a fragment.
fn relative_path(target: &str) -> Option<&str> {
    let path = target.split(['#', '?']).next().unwrap_or_default();
    let scheme = path
        .split_once(':')
        .is_some_and(|(head, _)| !head.contains('/'));
    (!path.is_empty() && !scheme).then_some(path)
}

#[test]
fn every_relative_link_of_the_top_level_pages_names_a_file_that_exists() {
    for page in ["README.md", "BENCHMARKS.md", "CONTRIBUTING.md"] {
        let text = std::fs::read_to_string(repo().join(page)).expect("read");
        let targets = link_targets(&text);
        assert!(!targets.is_empty(), "{page} links nowhere");
        for (line, target) in targets {
            let Some(path) = relative_path(&target) else {
                continue;
            };
            assert!(
                repo().join(path).exists(),
                "{page}:{line}: `{target}` names no file of the repository"
            );
        }
    }
}

#[test]
fn the_link_checker_sees_relative_links_and_skips_urls() {
    let text = "See [a](docs/a.md#x) and ![s](img/s.png).\n\n[b]: https://example.org/\n[c](#top) [d](mailto:x@example.org) [b]\n";
    let targets = link_targets(text);
    let paths: Vec<(usize, Option<&str>)> = targets
        .iter()
        .map(|(line, t)| (*line, relative_path(t)))
        .collect();
    assert_eq!(
        paths,
        [
            (1, Some("docs/a.md")),
            (1, Some("img/s.png")),
            (4, None),
            (4, None),
            (4, None)
        ]
    );
}

#[test]
fn the_readme_fits_on_two_screens_and_keeps_its_two_commands() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("read");
    let lines = readme.lines().count();
    assert!(
        lines <= 120,
        "README.md has {lines} lines; keep it under 120 and move the rest into docs/, BENCHMARKS.md or CONTRIBUTING.md"
    );
    for command in [
        "cargo run --release -- serve",
        "cargo test --locked",
        "diglot init my-guide && diglot serve my-guide --open",
    ] {
        assert!(readme.contains(command), "README.md lost `{command}`");
    }
    let shot = std::fs::metadata(repo().join("docs/static/screenshot.png")).expect("screenshot");
    assert!(
        shot.len() < 150 * 1024,
        "docs/static/screenshot.png is {} bytes; keep it under 150 KB",
        shot.len()
    );
}
