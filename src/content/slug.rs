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
    !slug.is_empty()
        && slug != "."
        && slug != ".."
        && !slug.contains(['/', '\\', '?', '#', '%'])
        && !slug.chars().any(char::is_control)
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
    }
}
