//! The two languages of a book and which side of a pair each one is.

use serde::Serialize;

/// Which side of a bilingual pair a piece of text belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Side {
    /// The book's primary language (`primary` in `book.toml`), shown first.
    Primary,
    /// The book's secondary language.
    Secondary,
}

impl Side {
    /// Both sides, primary first.
    pub const BOTH: [Side; 2] = [Side::Primary, Side::Secondary];

    pub(crate) fn index(self) -> usize {
        match self {
            Side::Primary => 0,
            Side::Secondary => 1,
        }
    }

    pub(crate) fn other(self) -> Side {
        match self {
            Side::Primary => Side::Secondary,
            Side::Secondary => Side::Primary,
        }
    }
}

/// The writing system a language is detected by when one file holds both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Script {
    /// Han, Kana, Hangul: Chinese, Japanese, Korean.
    Cjk,
    /// Latin, Greek, Cyrillic and other alphabets.
    Alphabetic,
}

/// One language of the book, as configured.
#[derive(Debug, Clone, Serialize)]
pub struct Language {
    /// Short code used in URLs and file suffixes (`zh`, `en`).
    pub code: String,
    /// BCP 47 tag for `lang` attributes (`zh-CN`, `en`).
    pub tag: String,
    /// Name shown in the view switcher (`中文`, `English`).
    pub name: String,
    pub(crate) script: Script,
}

impl Language {
    /// Defaults for a language code; every field can be overridden in `book.toml`.
    pub fn with_defaults(code: &str) -> Language {
        let (tag, name, script) = match code {
            "zh" => ("zh-CN", "中文", Script::Cjk),
            "zh-tw" | "zh-hant" => ("zh-TW", "中文", Script::Cjk),
            "ja" => ("ja", "日本語", Script::Cjk),
            "ko" => ("ko", "한국어", Script::Cjk),
            "en" => ("en", "English", Script::Alphabetic),
            "fr" => ("fr", "Français", Script::Alphabetic),
            "de" => ("de", "Deutsch", Script::Alphabetic),
            "es" => ("es", "Español", Script::Alphabetic),
            "ru" => ("ru", "Русский", Script::Alphabetic),
            other => (other, other, Script::Alphabetic),
        };
        Language {
            code: code.to_string(),
            tag: tag.to_string(),
            name: name.to_string(),
            script,
        }
    }
}

/// The book's two languages, primary first.
#[derive(Debug, Clone, Serialize)]
pub struct Languages {
    pub(crate) primary: Language,
    pub(crate) secondary: Language,
}

impl Languages {
    pub(crate) fn get(&self, side: Side) -> &Language {
        match side {
            Side::Primary => &self.primary,
            Side::Secondary => &self.secondary,
        }
    }

    pub(crate) fn side_of_code(&self, code: &str) -> Option<Side> {
        if code == self.primary.code {
            Some(Side::Primary)
        } else if code == self.secondary.code {
            Some(Side::Secondary)
        } else {
            None
        }
    }

    /// Whether the two languages can be told apart by script alone.
    pub fn scripts_differ(&self) -> bool {
        self.primary.script != self.secondary.script
    }

    /// The side whose language is written in `script`, if exactly one is.
    pub fn side_of_script(&self, script: Script) -> Option<Side> {
        if !self.scripts_differ() {
            None
        } else if self.primary.script == script {
            Some(Side::Primary)
        } else {
            Some(Side::Secondary)
        }
    }
}

impl Default for Languages {
    fn default() -> Self {
        Languages {
            primary: Language::with_defaults("zh"),
            secondary: Language::with_defaults("en"),
        }
    }
}

/// Why `code` cannot be a language code of the book, if it cannot. A code names a folder of
/// the site (`/en/`) and a file suffix (`page.en.md`), so it must be a plain BCP 47-shaped
/// tag (`zh`, `pt-BR`, `zh-Hant`) and not a name the generator itself writes at the root.
pub fn code_problem(code: &str) -> Option<String> {
    let mut subtags = code.split('-');
    let first = subtags.next().unwrap_or("");
    let well_formed = code.len() <= 35
        && (2..=8).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()));
    if !well_formed {
        return Some(format!(
            "`{}` is not a language tag: use letters, digits and hyphens, starting with 2 to 8 letters",
            code.escape_debug()
        ));
    }
    if crate::paths::is_reserved_name(code) {
        return Some(format!(
            "`{code}` is a folder Diglot writes at the site's root and cannot be a language code"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::code_problem;

    #[test]
    fn language_codes_are_tags_and_not_reserved_names() {
        for ok in ["zh", "en", "pt-BR", "zh-Hant", "de-CH-1996", "yue"] {
            assert_eq!(code_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "../victim",
            "/tmp/x",
            ".",
            "..",
            "e",
            "en_US",
            "en-",
            "-en",
            "a b",
            "zh/en",
            "print",
            "Static",
            "search",
            "checklists",
            "thisisfar-toolong-tagthatgoes-onandon",
        ] {
            assert!(code_problem(bad).is_some(), "{bad:?} accepted");
        }
    }
}
