//! At home among mdBook and Zola users: an mdBook `book.toml`, `DIGLOT_*` variables,
//! `clean`, completions and the manual page, `init` in an existing repository, and the
//! GitHub workflows (`init`'s and the repository's own), parsed as YAML since they cannot
//! run here.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_yaml_ng::Value;

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn diglot_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = assert_cmd::Command::cargo_bin("diglot").expect("bin");
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .timeout(std::time::Duration::from_secs(60));
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run")
}

#[test]
fn an_mdbook_book_toml_builds_strictly_with_one_note_about_it() {
    let book = copy_fixture("eco-mdbook");
    let out = run_diglot(book.path(), &["build", "--strict"]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("warning:"), "{stderr}");
    let about_config: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("note: book.toml"))
        .collect();
    assert_eq!(about_config.len(), 1, "{stderr}");
    assert!(
        about_config[0].contains("for `output.html.additional-css` use `extra-css`"),
        "{stderr}"
    );
    // `src = "src"` is the content; `language = "zh-CN"` the primary language.
    let page = read(&book.path().join("public"), "chapter/index.html");
    assert!(page.contains("先安装工具。") && page.contains("Install the tools first."));
    assert!(
        page.contains("lang=\"zh-TW\""),
        "the primary language's tag"
    );
    let check = run_diglot(book.path(), &["check", "--strict"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr_of(&check));
}

#[test]
fn diglot_variables_override_book_toml_and_a_typo_is_named() {
    let book = copy_fixture("parallel");
    let out = diglot_env(
        book.path(),
        &["build"],
        &[
            ("DIGLOT_BUILD__OUTPUT_DIR", "from-env"),
            ("DIGLOT_BOOK__BASE_URL", "/guide/"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let index = read(&book.path().join("from-env"), "index.html");
    assert!(
        index.contains("/guide/"),
        "the base URL from the environment"
    );
    assert!(!book.path().join("public").exists());

    // The command line wins over the environment.
    let out = diglot_env(
        book.path(),
        &["build", "-o", "from-flag"],
        &[("DIGLOT_BUILD__OUTPUT_DIR", "from-env-2")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(book.path().join("from-flag/index.html").is_file());
    assert!(!book.path().join("from-env-2").exists());

    let out = diglot_env(
        book.path(),
        &["check", "--strict"],
        &[("DIGLOT_BUILD__OUTPT_DIR", "x")],
    );
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("DIGLOT_BUILD__OUTPT_DIR")
            && stderr.contains("did you mean DIGLOT_BUILD__OUTPUT_DIR?"),
        "{stderr}"
    );
}

#[test]
fn clean_removes_a_built_output_and_nothing_else() {
    let book = copy_fixture("parallel");
    let built = run_diglot(book.path(), &["build", "-q"]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr_of(&built));
    let out = run_diglot(book.path(), &["clean"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("removed public"),
        "{}",
        stderr_of(&out)
    );
    assert!(!book.path().join("public").exists());
    assert!(book.path().join("content").is_dir());
    let again = run_diglot(book.path(), &["clean"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(stderr_of(&again).contains("nothing to clean"));

    // A folder Diglot did not build is refused, named, and kept.
    let out = run_diglot(book.path(), &["clean", "--dest-dir", "content"]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("refusing to remove content"), "{stderr}");
    assert!(book.path().join("content").is_dir());
}

#[test]
fn completions_and_the_manual_page_are_printed() {
    let dir = tempfile::tempdir().expect("tmp");
    for (shell, needle) in [
        ("bash", "_diglot()"),
        ("zsh", "#compdef diglot"),
        ("fish", "complete -c diglot"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[diglot]"),
    ] {
        let out = run_diglot(dir.path(), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(script.contains(needle), "{shell}: {script}");
        assert!(
            script.contains("clean"),
            "{shell} completes the subcommands"
        );
    }
    let out = run_diglot(dir.path(), &["man"]);
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains(".TH diglot 1"), "{page}");
    assert!(page.contains("diglot\\-serve(1)"), "{page}");
    let out = run_diglot(dir.path(), &["man", "serve"]);
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains(".TH diglot-serve 1"), "{page}");
    assert!(page.contains("\\-\\-hostname"), "{page}");
    let out = run_diglot(dir.path(), &["man", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("one of: build, serve"));
}

#[test]
fn watch_has_its_own_help() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = run_diglot(dir.path(), &["watch", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(!help.contains("for CI"), "{help}");
    assert!(help.contains("the last good output stays"), "{help}");
}

/// A repository with its own README, sources and `.gitignore`, as `init` meets one.
fn existing_repository() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(tmp.path().join("README.md"), "# Mine\n").expect("write");
    std::fs::write(tmp.path().join(".gitignore"), "target/\n.env").expect("write");
    std::fs::create_dir(tmp.path().join("src")).expect("mkdir");
    std::fs::write(tmp.path().join("src/main.rs"), "fn main() {}\n").expect("write");
    tmp
}

#[test]
fn init_in_an_existing_repository_adds_to_gitignore_and_keeps_the_rest() {
    let repo = existing_repository();
    let out = run_diglot(repo.path(), &["init", "--title", "手册 | Handbook"]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("added the output folder to .gitignore"),
        "{stderr}"
    );
    assert_eq!(read(repo.path(), ".gitignore"), "target/\n.env\npublic/\n");
    assert_eq!(read(repo.path(), "README.md"), "# Mine\n");
    assert_eq!(read(repo.path(), "src/main.rs"), "fn main() {}\n");
    assert!(read(repo.path(), "book.toml").contains("title = \"手册 | Handbook\""));
    let built = run_diglot(repo.path(), &["build", "--strict"]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr_of(&built));
    assert!(read(&repo.path().join("public"), "index.html").contains("Handbook"));

    // Again: refused, nothing changed, and `--force` named as the way out.
    let again = run_diglot(repo.path(), &["init"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr_of(&again).contains("--force"),
        "{}",
        stderr_of(&again)
    );
    assert_eq!(read(repo.path(), ".gitignore"), "target/\n.env\npublic/\n");

    // `--force` replaces init's own files, and .gitignore still has one line for the output.
    std::fs::write(repo.path().join("book.toml"), "broken = [").expect("write");
    let forced = run_diglot(repo.path(), &["init", "--force", "--no-workflow"]);
    let stderr = stderr_of(&forced);
    assert_eq!(forced.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("replaced book.toml"), "{stderr}");
    assert!(read(repo.path(), "book.toml").contains("我的指南 | My Guide"));
    assert_eq!(read(repo.path(), ".gitignore"), "target/\n.env\npublic/\n");
}

#[test]
fn init_without_the_workflow_writes_none() {
    let repo = existing_repository();
    let out = run_diglot(repo.path(), &["init", "--no-workflow"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(!repo.path().join(".github").exists());
    assert!(repo.path().join("book.toml").is_file());
}

// ---- The workflows, read as YAML ----

fn yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("workflow");
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn steps(job: &Value) -> Vec<&Value> {
    job["steps"].as_sequence().expect("steps").iter().collect()
}

/// The `uses:` of every step of every job.
fn actions(workflow: &Value) -> Vec<String> {
    let jobs = workflow["jobs"].as_mapping().expect("jobs");
    jobs.values()
        .flat_map(|job| job["steps"].as_sequence().cloned().unwrap_or_default())
        .filter_map(|s| s["uses"].as_str().map(String::from))
        .collect()
}

fn runs(job: &Value) -> String {
    steps(job)
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The current major version of each action the workflows use (checked against each
/// action's releases when this was written: Node 24 runtimes).
const CURRENT: [(&str, &str); 6] = [
    ("actions/checkout", "v7"),
    ("actions/configure-pages", "v6"),
    ("actions/upload-pages-artifact", "v5"),
    ("actions/deploy-pages", "v5"),
    ("taiki-e/install-action", "v2"),
    ("Swatinem/rust-cache", "v2"),
];

fn assert_current(workflow: &Value, name: &str) {
    for uses in actions(workflow) {
        let (action, version) = uses.split_once('@').expect("pinned");
        if action == "dtolnay/rust-toolchain" {
            // Its refs name the toolchain it installs.
            assert!(["stable", "master"].contains(&version), "{name}: {uses}");
            continue;
        }
        let Some((_, current)) = CURRENT.iter().find(|(a, _)| *a == action) else {
            // Release tools pinned by their own majors.
            assert!(
                version.starts_with('v'),
                "{name}: {uses} not pinned to a major"
            );
            continue;
        };
        assert_eq!(version, *current, "{name}: {uses}");
    }
}

#[test]
fn init_writes_a_pages_workflow_that_installs_a_binary_and_checks_pull_requests() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = run_diglot(tmp.path(), &["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let wf = yaml(&tmp.path().join(".github/workflows/diglot.yml"));
    assert_current(&wf, "diglot.yml");

    let on = wf["on"].as_mapping().expect("on");
    assert_eq!(wf["on"]["push"]["branches"][0].as_str(), Some("main"));
    assert!(on.contains_key("pull_request") && on.contains_key("workflow_dispatch"));
    // Least privilege: reading by default; only the deploy job may write Pages.
    let top = wf["permissions"].as_mapping().expect("permissions");
    assert_eq!(top.len(), 1);
    assert_eq!(wf["permissions"]["contents"].as_str(), Some("read"));

    let check = &wf["jobs"]["check"];
    assert_eq!(
        check["if"].as_str(),
        Some("github.event_name == 'pull_request'")
    );
    let build = &wf["jobs"]["build"];
    assert_eq!(
        build["if"].as_str(),
        Some("github.event_name != 'pull_request'")
    );
    for job in [check, build] {
        let checkout = steps(job)[0];
        assert_eq!(checkout["uses"].as_str(), Some("actions/checkout@v7"));
        assert_eq!(
            checkout["with"]["fetch-depth"].as_i64(),
            Some(0),
            "stale-translation detection reads the whole history"
        );
        let install = steps(job)
            .into_iter()
            .find(|s| s["uses"].as_str() == Some("taiki-e/install-action@v2"))
            .expect("a prebuilt Diglot is installed");
        assert_eq!(install["with"]["tool"].as_str(), Some("diglot"));
        assert!(!runs(job).contains("cargo install"), "nothing is compiled");
    }
    assert!(runs(check).contains("diglot check --strict --format github"));
    let build_run = runs(build);
    assert!(build_run.contains("diglot build --strict --output public"));
    assert!(build_run.contains("${{ steps.pages.outputs.base_url }}"));
    let upload = steps(build)
        .into_iter()
        .find(|s| s["uses"].as_str() == Some("actions/upload-pages-artifact@v5"))
        .expect("upload");
    assert_eq!(upload["with"]["path"].as_str(), Some("public"));

    let deploy = &wf["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert_eq!(deploy["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(deploy["permissions"]["id-token"].as_str(), Some("write"));
    assert_eq!(deploy["environment"]["name"].as_str(), Some("github-pages"));
    assert_eq!(
        deploy["concurrency"]["cancel-in-progress"].as_bool(),
        Some(false)
    );
    assert_eq!(
        steps(deploy)[0]["uses"].as_str(),
        Some("actions/deploy-pages@v5")
    );
}

/// What the pull-request job runs passes on the book `init` writes.
#[test]
fn the_workflow_check_passes_on_a_new_guide() {
    let tmp = tempfile::tempdir().expect("tmp");
    assert_eq!(run_diglot(tmp.path(), &["init"]).status.code(), Some(0));
    let out = run_diglot(tmp.path(), &["check", "--strict", "--format", "github"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("::error"));
}

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn manifest() -> toml::Table {
    let text = std::fs::read_to_string(repo_file("Cargo.toml")).expect("Cargo.toml");
    text.parse().expect("Cargo.toml parses")
}

#[test]
fn the_release_workflow_builds_every_platform_with_checksums() {
    let wf = yaml(&repo_file(".github/workflows/release.yml"));
    assert_current(&wf, "release.yml");
    assert_eq!(
        wf["on"]["push"]["tags"][0].as_str(),
        Some("v[0-9]+.[0-9]+.[0-9]+*")
    );
    assert_eq!(wf["permissions"]["contents"].as_str(), Some("read"));
    let upload = &wf["jobs"]["upload-binaries"];
    assert_eq!(upload["needs"].as_str(), Some("create-release"));
    assert_eq!(upload["permissions"]["contents"].as_str(), Some("write"));
    let targets: Vec<&str> = upload["strategy"]["matrix"]["include"]
        .as_sequence()
        .expect("matrix")
        .iter()
        .filter_map(|t| t["target"].as_str())
        .collect();
    for target in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "aarch64-apple-darwin",
        "x86_64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.contains(&target), "{target} missing: {targets:?}");
    }
    let step = steps(upload)
        .into_iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("taiki-e/upload-rust-binary-action@"))
        })
        .expect("the upload step");
    let with = &step["with"];
    assert_eq!(with["bin"].as_str(), Some("diglot"));
    assert_eq!(with["checksum"].as_str(), Some("sha256"));
    assert_eq!(with["locked"].as_bool(), Some(true));
    assert_eq!(with["tar"].as_str(), Some("unix"));
    assert_eq!(with["zip"].as_str(), Some("windows"));

    // `cargo binstall` (and install-action, which falls back to it) looks for the archives
    // under the names the release gives them.
    let archive = with["archive"].as_str().expect("archive");
    assert_eq!(archive, "$bin-$target");
    let m = manifest();
    let binstall = &m["package"]["metadata"]["binstall"];
    assert_eq!(
        binstall["pkg-url"].as_str(),
        Some("{ repo }/releases/download/v{ version }/{ name }-{ target }.tar.gz")
    );
    assert_eq!(
        binstall["overrides"]["x86_64-pc-windows-msvc"]["pkg-url"].as_str(),
        Some("{ repo }/releases/download/v{ version }/{ name }-{ target }.zip")
    );
}

#[test]
fn the_repository_ci_checks_the_minimum_rust_version_and_other_systems() {
    let wf = yaml(&repo_file(".github/workflows/ci.yml"));
    assert_current(&wf, "ci.yml");
    assert_eq!(wf["permissions"]["contents"].as_str(), Some("read"));
    assert!(runs(&wf["jobs"]["linux"]).contains("bash .ci/run"));
    let msrv = &wf["jobs"]["msrv"];
    assert!(runs(msrv).contains("rust-version"), "read from Cargo.toml");
    assert!(runs(msrv).contains("cargo check --locked"));
    let oses: Vec<&str> = wf["jobs"]["other-systems"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .expect("matrix")
        .iter()
        .filter_map(|o| o["os"].as_str())
        .collect();
    assert_eq!(oses, ["macos-latest", "windows-latest"]);
    assert!(runs(&wf["jobs"]["package"]).contains("cargo package --locked"));
}

#[test]
fn the_package_is_ready_to_publish() {
    let m = manifest();
    let p = &m["package"];
    assert_eq!(p["license"].as_str(), Some("MIT"));
    let license = std::fs::read_to_string(repo_file("LICENSE")).expect("a LICENSE file");
    assert!(license.starts_with("MIT License"), "{license}");
    assert!(p["repository"]
        .as_str()
        .is_some_and(|r| r.starts_with("https://")));
    assert_eq!(p["readme"].as_str(), Some("README.md"));
    let keywords = p["keywords"].as_array().expect("keywords");
    assert!(
        !keywords.is_empty() && keywords.len() <= 5,
        "crates.io takes 5"
    );
    assert!(p["categories"].as_array().is_some_and(|c| !c.is_empty()));
    let rust_version = p["rust-version"].as_str().expect("rust-version");
    assert!(rust_version.split('.').all(|n| n.parse::<u32>().is_ok()));
    let exclude: Vec<&str> = p["exclude"]
        .as_array()
        .expect("exclude")
        .iter()
        .filter_map(|e| e.as_str())
        .collect();
    for left_out in ["/tests/", "/bench/"] {
        assert!(exclude.contains(&left_out), "{left_out}");
    }
    // The default theme is compiled in (`include_dir!`): it must not be left out.
    assert!(!exclude.iter().any(|e| e.contains("themes")));
}

// Theme hooks: extra files, `[extra]`, blocks to extend, the variables' reference, eject.

fn append(path: &Path, text: &str) {
    let mut all = std::fs::read_to_string(path).unwrap_or_default();
    all.push_str(text);
    std::fs::write(path, all).expect("write");
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// Every HTML page of a built site, relative to it.
fn html_pages(out: &Path) -> Vec<PathBuf> {
    files(out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

/// The page-relative URLs of `<tag attr="…">` in `html`, in order.
fn urls_of(html: &str, start: &str) -> Vec<String> {
    html.match_indices(start)
        .filter_map(|(i, _)| {
            let rest = &html[i + start.len()..];
            rest.find('"').map(|end| rest[..end].to_string())
        })
        .collect()
}

#[test]
fn one_css_file_added_without_a_template_shows_on_every_page_after_the_themes() {
    let book = copy_fixture("suffix");
    write(
        &book.path().join("css/site one.css"),
        "body { color: teal }\n",
    );
    write(&book.path().join("js/site.js"), "window.SITE = 1;\n");
    append(
        &book.path().join("book.toml"),
        "\n[build]\nextra-css = [\"css/site one.css\"]\nextra-js = [\"./js/site.js\"]\n",
    );
    let out = book.path().join("public");
    let stderr = stderr_of(&run_diglot(book.path(), &["build"]));
    assert_eq!(
        read(&out, "css/site one.css"),
        "body { color: teal }\n",
        "{stderr}"
    );
    assert_eq!(read(&out, "js/site.js"), "window.SITE = 1;\n");
    let pages = html_pages(&out);
    assert!(pages.len() > 10, "{pages:?}");
    for page in pages {
        let html = read(&out, &page.to_string_lossy());
        let folder = out.join(&page).parent().expect("folder").to_path_buf();
        let sheets = urls_of(&html, "<link rel=\"stylesheet\" href=\"");
        let last = sheets
            .last()
            .unwrap_or_else(|| panic!("{page:?} has no stylesheet"));
        assert!(last.ends_with("css/site%20one.css"), "{page:?}: {sheets:?}");
        assert!(sheets.iter().any(|s| s.ends_with("static/diglot.css")));
        let scripts = urls_of(&html, "<script src=\"");
        let script = scripts.last().expect("scripts");
        assert!(script.ends_with("js/site.js"), "{page:?}: {scripts:?}");
        if page.starts_with("404.html") || page.ends_with("404.html") {
            continue; // absolute links, from wherever the host serves it
        }
        let sheet = folder.join(last.replace("%20", " "));
        assert!(sheet.is_file(), "{page:?} links {last}, missing");
        assert!(
            folder.join(script).is_file(),
            "{page:?} links {script}, missing"
        );
    }
}

#[test]
fn an_extra_file_missing_or_leaving_the_book_is_an_error_at_its_line() {
    let book = copy_fixture("suffix");
    append(
        &book.path().join("book.toml"),
        "\n[build]\nextra-css = [\n  \"css/none.css\",\n  \"../outside.css\",\n]\n",
    );
    let out = run_diglot(book.path(), &["build"]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("book.toml:7:3")
            && stderr.contains("`extra-css` entry `../outside.css` leaves the book"),
        "{stderr}"
    );
    std::fs::write(
        book.path().join("book.toml"),
        std::fs::read_to_string(book.path().join("book.toml"))
            .expect("read")
            .replace("  \"../outside.css\",\n", ""),
    )
    .expect("write");
    let out = run_diglot(book.path(), &["build"]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("book.toml:6:3") && stderr.contains("extra file `css/none.css` not found"),
        "{stderr}"
    );
    assert!(!book.path().join("public").exists());
}

#[cfg(unix)]
#[test]
fn an_extra_file_linking_out_of_the_book_is_refused() {
    let book = copy_fixture("suffix");
    let elsewhere = tempfile::tempdir().expect("tmp");
    write(&elsewhere.path().join("secret.css"), "secret");
    std::os::unix::fs::symlink(
        elsewhere.path().join("secret.css"),
        book.path().join("x.css"),
    )
    .expect("symlink");
    append(
        &book.path().join("book.toml"),
        "\n[build]\nextra-css = [\"x.css\"]\n",
    );
    let out = run_diglot(book.path(), &["build"]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("a link leading outside the book"),
        "{stderr}"
    );
}

#[test]
fn an_extra_value_reaches_a_theme_that_extends_base_through_its_blocks() {
    let book = copy_fixture("suffix");
    append(
        &book.path().join("book.toml"),
        "\n[build]\ntheme = \"mine\"\n[extra]\nrepo = \"https://example.org/<repo>\"\n[extra.analytics]\nid = \"UA-1\"\n",
    );
    write(
        &book.path().join("themes/mine/templates/page.html"),
        concat!(
            "{% extends \"base.html\" %}\n",
            "{% block head %}<meta name=\"analytics\" content=\"{{ extra.analytics.id }}\">{% endblock head %}\n",
            "{% block main %}{{ content | safe }}{% endblock main %}\n",
            "{% block sidebar_extra %}<a class=\"repo\" href=\"{{ extra.repo }}\">repo</a>{% endblock sidebar_extra %}\n",
            "{% block footer %}© {{ extra.repo }}{% endblock footer %}\n",
            "{% block scripts %}<script>/* mine */</script>{% endblock scripts %}\n",
        ),
    );
    let out = run_diglot(book.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let html = read(&book.path().join("public"), "guide/intro/index.html");
    let head = &html[..html.find("</head>").expect("head")];
    assert!(
        head.contains("<meta name=\"analytics\" content=\"UA-1\">"),
        "{head}"
    );
    assert!(
        html.contains("<a class=\"repo\" href=\"https://example.org/&lt;repo&gt;\">"),
        "{html}"
    );
    assert!(
        html.contains("<footer class=\"site-footer\">© https://example.org/&lt;repo&gt;</footer>")
    );
    let tail = &html[html.find("static/search.js").expect("theme script")..];
    assert!(tail.contains("<script>/* mine */</script>"), "{tail}");
}

#[test]
fn an_extra_file_cannot_replace_a_file_diglot_writes() {
    let book = copy_fixture("suffix");
    write(&book.path().join("static/diglot.css"), "/* mine */");
    append(
        &book.path().join("book.toml"),
        "\n[build]\nextra-css = [\"static/diglot.css\"]\n",
    );
    let out = run_diglot(book.path(), &["build"]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("book.toml:5:14") && stderr.contains("would replace the file"),
        "{stderr}"
    );
}

/// Every file of a built site with its bytes, the output marker left out.
fn site_files(out: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files(out)
        .into_iter()
        .filter(|p| !p.to_string_lossy().starts_with(".diglot"))
        .map(|p| {
            let bytes = std::fs::read(out.join(&p)).expect("read");
            (p, bytes)
        })
        .collect()
}

#[test]
fn an_ejected_theme_builds_the_same_site_and_a_second_eject_overwrites_nothing() {
    let book = copy_fixture("suffix");
    let before = book.path().join("before");
    build_at(book.path(), &before);

    let out = run_diglot(book.path(), &["theme", "eject", "mine"]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("themes/mine/templates/base.html"),
        "{stderr}"
    );
    assert!(stderr.contains("set `theme = \"mine\"`"), "{stderr}");
    for rel in ["templates/page.html", "static/diglot.css", "i18n/zh.toml"] {
        assert!(book.path().join("themes/mine").join(rel).is_file(), "{rel}");
    }
    append(
        &book.path().join("book.toml"),
        "\n[build]\ntheme = \"mine\"\n",
    );
    let after = book.path().join("after");
    build_at(book.path(), &after);
    let (a, b) = (site_files(&before), site_files(&after));
    assert_eq!(
        a.iter().map(|f| &f.0).collect::<Vec<_>>(),
        b.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{path:?} differs with the ejected theme");
    }

    let mine = book.path().join("themes/mine/static/diglot.css");
    std::fs::write(&mine, "/* changed */").expect("write");
    std::fs::remove_file(book.path().join("themes/mine/templates/404.html")).expect("rm");
    let out = run_diglot(book.path(), &["theme", "eject"]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&mine).expect("read"),
        "/* changed */"
    );
    assert!(
        stderr.contains("created themes/mine/templates/404.html"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was overwritten"), "{stderr}");
    assert!(!stderr.contains("set `theme"), "{stderr}");
}

#[test]
fn eject_refuses_a_name_that_is_not_a_folder_name() {
    let book = copy_fixture("suffix");
    let out = run_diglot(book.path(), &["theme", "eject", "../x"]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("invalid theme name"), "{stderr}");
    assert!(!book.path().join("x").exists());
}

#[test]
fn a_value_only_the_home_and_phase_pages_get_does_not_reach_the_pages_after_them() {
    let book = copy_fixture("suffix");
    append(
        &book.path().join("book.toml"),
        "\n[build]\ntheme = \"mine\"\n",
    );
    write(
        &book.path().join("themes/mine/templates/page.html"),
        concat!(
            "{% extends \"base.html\" %}\n",
            "{% block main %}{% if phases %}PHASES:{{ phases | length }}{% endif %}",
            "{% if loose %}LOOSE{% endif %}{{ content | safe }}{% endblock main %}\n",
        ),
    );
    // One thread renders the home page, the phase page and then the page, in that order.
    let out = diglot_env(book.path(), &["build"], &[("RAYON_NUM_THREADS", "1")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let public = book.path().join("public");
    assert!(read(&public, "index.html").contains("phase-card"));
    for form in ["", "zh/", "en/"] {
        let html = read(&public, &format!("{form}guide/intro/index.html"));
        assert!(html.contains("<article") || html.contains("seg"), "{html}");
        assert!(!html.contains("PHASES:"), "{form}: {html}");
        assert!(!html.contains("LOOSE"), "{form}: {html}");
    }
}
