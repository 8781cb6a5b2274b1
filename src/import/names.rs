//! What the imported book's pages are called: heading numbers (`## 3.`, `### 3.2`), the
//! English slugs of folders and files, kept unique and clear of Diglot's own names.

use std::collections::HashSet;

use crate::lang::{Languages, Side};
use crate::script::{side_of, split_bilingual};

#[derive(Clone, Copy)]
pub(super) enum Numbering {
    /// `## 3. …`: the first number.
    Phase,
    /// `### 3.2 …`: the last number.
    Section,
}

/// The heading's number and the text after it. A number is dot-separated digits with at
/// least one dot (`1.`, `1.2`, `1.2.`), followed by a space: `## 2024 Plans` has none.
pub(super) fn heading_number(text: &str, numbering: Numbering) -> (Option<u32>, &str) {
    let token_end = text.find(char::is_whitespace).unwrap_or(text.len());
    let token = &text[..token_end];
    let groups: Vec<&str> = token
        .strip_suffix('.')
        .unwrap_or(token)
        .split('.')
        .collect();
    let numbered = token.contains('.')
        && groups
            .iter()
            .all(|g| !g.is_empty() && g.len() <= 6 && g.bytes().all(|b| b.is_ascii_digit()));
    if !numbered {
        return (None, text);
    }
    let pick = match numbering {
        Numbering::Phase => groups.first(),
        Numbering::Section => groups.last(),
    };
    let number = pick.and_then(|g| g.parse().ok());
    match number {
        Some(n) => (Some(n), text[token_end..].trim_start()),
        None => (None, text),
    }
}

/// The ASCII slug of a heading's English side, if it has one that gives a slug.
pub(super) fn english_slug(text: &str, langs: &Languages) -> Option<String> {
    let english = match split_bilingual(text, langs) {
        Some(sides) => sides[Side::Secondary.index()].clone(),
        None if side_of(text, langs) == Some(Side::Secondary) => text.to_string(),
        None => return None,
    };
    Some(ascii_slug(&english)).filter(|s| !s.is_empty())
}

/// Longest slug, in bytes: file names stay far below the usual 255-byte limit.
const MAX_SLUG: usize = 64;

/// Lowercase ASCII letters and digits; every run of anything else becomes one `-`, none at
/// either end. `Architecture Design Phase` → `architecture-design-phase`.
pub(super) fn ascii_slug(text: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    if out.len() > MAX_SLUG {
        out.truncate(MAX_SLUG);
        let trimmed = out.trim_end_matches('-').len();
        out.truncate(trimmed);
    }
    out
}

/// Slugs already used at one level of the site; a second use gets `-2`, `-3`, ….
#[derive(Default)]
pub(super) struct Slugs(HashSet<String>);

impl Slugs {
    /// Phase slugs must also stay clear of what the build writes at the site's root
    /// (kept in step with `RESERVED` in `content::load`) and the language prefixes.
    pub(super) fn reserved() -> Slugs {
        let names = ["static", "print", "checklists", "search", "zh", "en"];
        Slugs(names.iter().map(|s| s.to_string()).collect())
    }

    pub(super) fn claim(&mut self, slug: String) -> String {
        let mut candidate = slug.clone();
        let mut n = 2;
        while self.0.contains(&candidate) {
            candidate = format!("{slug}-{n}");
            n += 1;
        }
        self.0.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::slug::url_slug;

    #[test]
    fn ascii_slugs() {
        assert_eq!(
            ascii_slug("Architecture Design Phase"),
            "architecture-design-phase"
        );
        assert_eq!(ascii_slug("  API -- Design!  "), "api-design");
        assert_eq!(ascii_slug("Don't panic"), "don-t-panic");
        assert_eq!(ascii_slug("Café déjà vu"), "caf-d-j-vu");
        assert_eq!(ascii_slug("需求分析"), "");
        assert!(ascii_slug(&"word ".repeat(40)).len() <= MAX_SLUG);
        assert!(!ascii_slug(&"word ".repeat(40)).ends_with('-'));
        // The loader turns `NN-<slug>` back into the slug.
        for s in ["api-design", "2024-plans", "a"] {
            assert_eq!(url_slug(&format!("03-{s}")), s);
        }
    }

    #[test]
    fn heading_numbers() {
        let phase = |t| heading_number(t, Numbering::Phase);
        let section = |t| heading_number(t, Numbering::Section);
        assert_eq!(phase("1. 架构 | Design"), (Some(1), "架构 | Design"));
        assert_eq!(section("1.2 技术 | Tech"), (Some(2), "技术 | Tech"));
        assert_eq!(section("3.10. Long | 长"), (Some(10), "Long | 长"));
        assert_eq!(phase("2024 Plans | 计划"), (None, "2024 Plans | 计划"));
        assert_eq!(phase("Intro | 介绍"), (None, "Intro | 介绍"));
        assert_eq!(phase("1..2 x"), (None, "1..2 x"));
        assert_eq!(phase("v1.2 x"), (None, "v1.2 x"));
    }
}
