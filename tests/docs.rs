//! The user guide in `docs/` is a Diglot book: it builds under `--strict` in both
//! languages, and its reference of template variables matches what the templates receive.

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
