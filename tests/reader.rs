//! The reader's side of the built site, read from the files: links that work opened from
//! disk, the interface in the reader's language, titles and numbers.

mod common;

use std::path::Path;

use common::*;

/// Every `href="…"` and `src="…"` value of an HTML file.
fn urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// Where a relative URL written in `page` leads on disk, or `None` for one a browser does
/// not resolve against the file (`#x`, `?x`, `https:`, `mailto:`, `/`-rooted).
fn on_disk(out: &Path, page: &Path, url: &str) -> Option<std::path::PathBuf> {
    let path = url.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() || path.starts_with('/') || path.contains(':') {
        return None;
    }
    let mut at = page.parent().unwrap_or(out).to_path_buf();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                at.pop();
            }
            p => at.push(percent_decode(p)),
        }
    }
    Some(at)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(s.get(i + 1..i + 3).unwrap_or(""), 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Opened from disk (`file://`) without JavaScript, a link to a folder shows a directory
/// listing: every relative link of every page names a file that exists.
#[test]
fn every_link_opened_from_disk_names_a_file() {
    let book = copy_guide();
    let out = book.path().join("public");
    build_at(book.path(), &out);
    let mut checked = 0;
    let mut folders = Vec::new();
    for rel in files(&out) {
        let file = out.join(&rel);
        if file.extension().is_none_or(|e| e != "html") || file.ends_with("404.html") {
            continue;
        }
        let html = std::fs::read_to_string(&file).expect("page");
        for url in urls(&html) {
            let Some(target) = on_disk(&out, &file, &url) else {
                continue;
            };
            checked += 1;
            if !target.is_file() {
                folders.push(format!("{}: {url}", rel.display()));
            }
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
    assert!(
        folders.is_empty(),
        "{} links lead to no file, e.g.\n{}",
        folders.len(),
        folders[..folders.len().min(20)].join("\n")
    );
}
