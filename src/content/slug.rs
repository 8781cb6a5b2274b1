//! Slugs for URLs and ids for headings.

/// GitHub's heading ids: lowercase, drop punctuation except `-` and `_`, spaces to `-`.
/// `1.1 版本规划 | Version Planning` becomes `11-版本规划--version-planning`.
pub fn heading_id(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// A URL segment from a file or folder name: numeric prefixes such as `01-` dropped,
/// Unicode-normalised (NFC, so `café` typed two ways is one URL), lowercase, spaces to `-`,
/// nothing that could leave its folder.
pub fn url_slug(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let stripped = strip_order_prefix(name);
    let base: String = if stripped.is_empty() { name } else { stripped }
        .nfc()
        .collect();
    let mut out = String::with_capacity(base.len());
    for c in base.chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches(['.', '-']).to_string();
    if out.is_empty() {
        "page".to_string()
    } else if out == "index.html" {
        // A file named `index.html.md` cannot take the name of its folder's page file.
        "index-html".to_string()
    } else {
        out
    }
}

/// `01-intro` → `intro`; the number orders the page.
pub fn strip_order_prefix(name: &str) -> &str {
    let digits = name.len() - name.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return name;
    }
    match name[digits..].strip_prefix(['-', '_', '.', ' ']) {
        Some(rest) if !rest.is_empty() => rest,
        _ => name,
    }
}

/// Whether a page key (`design/_index`, `README`) names its folder's own page: the file is
/// `_index.md`, `index.md` or `README.md` (with or without a language suffix).
pub(crate) fn is_index_key(key: &std::path::Path) -> bool {
    key.file_name()
        .is_some_and(|n| n == "_index" || n == "index" || n == "README")
}

/// The number in front of a name, if any.
pub fn order_prefix(name: &str) -> Option<i64> {
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || strip_order_prefix(name) == name {
        return None;
    }
    digits.parse().ok()
}

/// Checks a `slug` given in front matter: one URL segment, nothing to escape the output.
pub fn valid_custom_slug(slug: &str) -> bool {
    custom_slug_problem(slug).is_none()
}

/// Why a `slug` given in front matter cannot name a page, if it cannot. A slug is one URL
/// segment used as it is: a folder of the site and a link in every page that points to it.
/// So no separators, no spaces (they break links), nothing hidden (the preview server
/// refuses dot files), and not `index.html` (the page file in every folder).
pub fn custom_slug_problem(slug: &str) -> Option<&'static str> {
    if slug.is_empty() {
        Some("a slug cannot be empty")
    } else if slug == "." || slug == ".." || slug.contains(['/', '\\']) {
        Some("a slug is one URL segment: no `/`, `\\`, `.` or `..`")
    } else if slug.starts_with('.') {
        Some("a slug cannot start with `.`: the site would hide the page")
    } else if slug.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("a slug cannot hold spaces or control characters: they break links")
    } else if !slug
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
    {
        Some("a slug holds letters, digits, `-`, `_`, `.` and `~` only: no `?`, `#`, `%`, quotes or brackets")
    } else if slug.eq_ignore_ascii_case("index.html") {
        Some("`index.html` is the file of every page's folder and cannot be a slug")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_heading_ids() {
        assert_eq!(
            heading_id("1.1 版本规划 | Version Planning"),
            "11-版本规划--version-planning"
        );
        assert_eq!(heading_id("API 设计 | API Design"), "api-设计--api-design");
        assert_eq!(heading_id("What's new?"), "whats-new");
    }

    #[test]
    fn url_slugs_drop_order_prefixes() {
        assert_eq!(url_slug("01-design"), "design");
        assert_eq!(url_slug("page-00017"), "page-00017");
        assert_eq!(url_slug("2024"), "2024");
        assert_eq!(url_slug("My Page"), "my-page");
        assert_eq!(url_slug("../.."), "page");
        assert_eq!(url_slug("cafe\u{301}"), url_slug("caf\u{e9}"));
        assert_eq!(url_slug("Guide"), url_slug("guide"));
        assert_eq!(order_prefix("03_x"), Some(3));
        assert_eq!(order_prefix("2024"), None);
        assert!(!valid_custom_slug("../x"));
        assert_eq!(url_slug(".hidden"), "hidden");
        assert_eq!(url_slug(" sp ace "), "sp-ace");
        assert_eq!(url_slug("index.html"), "index-html");
        assert_eq!(url_slug("Index.HTML"), "index-html");
    }

    #[test]
    fn index_keys_are_the_folder_pages() {
        use std::path::Path;
        for key in [
            "_index",
            "index",
            "README",
            "design/_index",
            "a/b/README",
            "x/index",
        ] {
            assert!(is_index_key(Path::new(key)), "{key}");
        }
        for key in [
            "",
            "readme",
            "Index",
            "intro",
            "_index/intro",
            "design/01-index",
        ] {
            assert!(!is_index_key(Path::new(key)), "{key}");
        }
    }

    #[test]
    fn custom_slugs_that_break_links_or_hide_pages_are_refused() {
        for ok in ["intro", "v1.2", "设计", "a_b-c~d"] {
            assert_eq!(custom_slug_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            ".",
            "..",
            ".hidden",
            " sp ace ",
            "a b",
            "a\tb",
            "index.html",
            "INDEX.html",
            "a/b",
            "a\\b",
            "a?b",
            "a#b",
            "a%20b",
            "a\"b",
            "<b>",
            "a'b",
        ] {
            assert!(custom_slug_problem(bad).is_some(), "{bad:?} accepted");
        }
    }
}
