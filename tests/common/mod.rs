//! Helpers shared by the integration tests: fixture books copied to a temporary folder,
//! builds, and a small reader for the `.seg` markup contract.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use diglot::{build, BuildOptions, BuildReport};

pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
}

/// Copies a fixture folder into a fresh temporary folder, so builds never write into the repo.
pub(crate) fn copy_fixture(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixtures().join(name), tmp.path());
    tmp
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).expect("inside");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// The repository's own guide, copied (book.toml and content/) into a temporary folder.
pub(crate) fn copy_guide() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("book.toml"), tmp.path().join("book.toml")).expect("copy book.toml");
    copy_dir(&repo.join("content"), &tmp.path().join("content"));
    tmp
}

pub(crate) fn build_at(root: &Path, out: &Path) -> BuildReport {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.to_path_buf()),
        ..Default::default()
    };
    match build(&opts) {
        Ok(r) => r,
        Err(e) => panic!("build of {} failed: {e:?}", root.display()),
    }
}

pub(crate) fn read(out: &Path, rel: &str) -> String {
    let path = out.join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// One element of class `seg`: its classes and the text of its language children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Seg {
    pub(crate) classes: String,
    pub(crate) id: Option<String>,
    pub l1: Option<String>,
    pub l2: Option<String>,
    pub(crate) text: String,
}

impl Seg {
    pub(crate) fn pair(&self) -> Option<(&str, &str)> {
        Some((self.l1.as_deref()?, self.l2.as_deref()?))
    }
}

/// The `.seg` elements of a page's `<article>`, in order.
pub(crate) fn segs(html: &str) -> Vec<Seg> {
    let start = html.find("<article").expect("page has an article");
    let end = html[start..]
        .find("</article>")
        .map_or(html.len(), |e| start + e);
    let article = &html[start..end];
    let mut starts = Vec::new();
    let mut from = 0;
    while let Some(i) = article[from..].find("class=\"") {
        let at = from + i + 7;
        let close = at + article[at..].find('"').expect("closed attribute");
        if article[at..close].split_whitespace().any(|c| c == "seg") {
            let tag_start = article[..from + i].rfind('<').expect("tag start");
            starts.push((tag_start, article[at..close].to_string()));
        }
        from = close;
    }
    let mut out = Vec::new();
    for (n, (pos, classes)) in starts.iter().enumerate() {
        let chunk_end = starts.get(n + 1).map_or(article.len(), |(p, _)| *p);
        let chunk = &article[*pos..chunk_end];
        let tag_end = chunk.find('>').unwrap_or(0);
        let id = attr(&chunk[..tag_end], "id");
        let child = |class: &str| -> Option<String> {
            let marker = format!("class=\"{class}\"");
            let i = chunk.find(&marker)?;
            let body_start = i + chunk[i..].find('>')? + 1;
            let other = if class == "l1" {
                "class=\"l2\""
            } else {
                "class=\"l1\""
            };
            let body_end = chunk[body_start..]
                .find(other)
                .map_or(chunk.len(), |e| body_start + e);
            Some(text_of(&chunk[body_start..body_end]))
        };
        out.push(Seg {
            classes: classes.clone(),
            id,
            l1: child("l1"),
            l2: child("l2"),
            text: text_of(&chunk[tag_end..]),
        });
    }
    out
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let i = tag.find(&marker)? + marker.len();
    let j = tag[i..].find('"')?;
    Some(tag[i..i + j].to_string())
}

/// Text with tags removed, entities for `&<>"'` decoded, whitespace collapsed.
pub(crate) fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text pairs of a page, in order.
pub(crate) fn pairs(html: &str) -> Vec<(String, String)> {
    segs(html)
        .iter()
        .filter_map(|s| s.pair().map(|(a, b)| (a.to_string(), b.to_string())))
        .collect()
}

/// Every file under `dir`, relative, sorted.
pub(crate) fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).expect("inside").to_path_buf())
        .collect();
    out.sort();
    out
}

/// Staging or old-output folders a build left anywhere under `dir` (there should be none).
pub(crate) fn staging_leftovers(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("diglot-tmp"))
        .collect()
}

/// A live-reload client of the preview at `addr`: the names (and data) of the events it
/// receives, in order, after the `hello` event (awaited for at most `wait`).
pub(crate) fn live_events(
    addr: std::net::SocketAddr,
    wait: std::time::Duration,
) -> std::sync::mpsc::Receiver<(String, String)> {
    use std::io::{BufRead, BufReader, Write};
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "GET /__diglot/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("send");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut name = String::new();
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                if tx.send((name.clone(), d.to_string())).is_err() {
                    break;
                }
            }
        }
    });
    let (first, _) = rx.recv_timeout(wait).expect("hello event");
    assert_eq!(first, "hello");
    rx
}

/// Runs the binary in `dir` with `args` as a user would in a pipe (no colour), with a time
/// limit.
pub(crate) fn run_diglot(dir: &Path, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("diglot")
        .expect("bin")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("run")
}

/// A book in a git repository made here commit by commit, with a fixed author and dates
/// (the n-th commit is made on 2024-01-0n unless a day is given), whatever the machine's
/// git configuration says.
pub(crate) struct GitRepo {
    pub(crate) dir: tempfile::TempDir,
    commits: u32,
}

impl GitRepo {
    /// A new repository holding `book.toml`.
    pub(crate) fn new(book_toml: &str) -> GitRepo {
        let repo = GitRepo::at(tempfile::tempdir().expect("temp dir"));
        repo.write("book.toml", book_toml);
        repo
    }

    /// A repository made in `dir` (a copied fixture, say), nothing committed yet.
    pub(crate) fn at(dir: tempfile::TempDir) -> GitRepo {
        let repo = GitRepo { dir, commits: 0 };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    /// Runs git dated as the next commit.
    pub(crate) fn git(&self, args: &[&str]) -> String {
        self.git_on(args, &format!("2024-01-{:02}", self.commits + 1))
    }

    /// Runs git with author and committer dated `day` (`YYYY-MM-DD`, noon UTC).
    pub(crate) fn git_on(&self, args: &[&str], day: &str) -> String {
        let date = format!("{day}T12:00:00Z");
        let out = std::process::Command::new("git")
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .current_dir(self.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Commits everything, dated as the next commit.
    pub(crate) fn commit(&mut self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
        self.commits += 1;
    }

    /// A clone holding only the last commit (as CI checkouts are), in a temporary folder:
    /// the folder and the clone's path inside it.
    pub(crate) fn shallow_clone(&self) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let clone = dir.path().join("c");
        let url = format!("file://{}", self.path().display());
        let out = std::process::Command::new("git")
            .args(["clone", "-q", "--depth", "1", &url])
            .arg(&clone)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .expect("git clone");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (dir, clone)
    }

    /// Commits everything on `day`.
    pub(crate) fn commit_on(&self, day: &str) {
        self.git_on(&["add", "-A"], day);
        self.git_on(&["commit", "-q", "-m", day], day);
    }
}
