//! The reader's side of `diglot serve`: the 404 page a missing address gets.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use diglot::serve::{start, ServeOptions, Server};

fn serve(root: &Path) -> Server {
    start(
        &ServeOptions::loopback(root.to_path_buf()),
        Arc::new(|_| {}),
    )
    .expect("server starts")
}

/// The status and body of a GET of `path`.
fn get(server: &Server, path: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let mut response = agent
        .get(&format!("http://{}{path}", server.addr))
        .call()
        .expect("request");
    let body = response.body_mut().read_to_string().expect("body");
    (response.status().as_u16(), body)
}

#[test]
fn a_missing_page_in_a_language_folder_answers_in_that_language_with_search() {
    let book = copy_fixture("parallel");
    let server = serve(book.path());
    for (path, lang, has, lacks) in [
        ("/en/no/such-page/", "en", "Page not found", "页面未找到"),
        ("/en/missing.html", "en", "Page not found", "页面未找到"),
        ("/zh/no/such/", "zh", "页面未找到", "Page not found"),
        ("/no/such/", "zh", "页面未找到", ""),
        ("/..%2f..%2fetc/passwd", "zh", "Page not found", ""),
    ] {
        let (status, body) = get(&server, path);
        assert_eq!(status, 404, "{path}");
        assert!(
            body.contains(&format!("<html lang=\"{lang}")),
            "{path}: not in {lang}"
        );
        assert!(body.contains(has), "{path}: no {has:?}");
        assert!(
            lacks.is_empty() || !body.contains(lacks),
            "{path}: {lacks:?}"
        );
        // Search offered in the page itself, in the same language's pages.
        let prefix = if path.starts_with("/en/") {
            "/en/"
        } else if path.starts_with("/zh/") {
            "/zh/"
        } else {
            "/"
        };
        assert!(
            body.contains(&format!(
                "<form class=\"not-found-search\" role=\"search\" action=\"{prefix}index.html\""
            )),
            "{path}: no search form to {prefix}"
        );
    }
    server.stop();
}
