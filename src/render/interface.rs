//! The interface in the reader's language: the theme's strings for each form of a page, as
//! the templates (`ui.<key>` as HTML, `ui_text.<key>` for attributes) and the scripts
//! (`ui.js`) use them.

use std::collections::BTreeMap;

use super::segments::Form;
use crate::escape::{escape_attr, script_safe_json};
use crate::lang::{Languages, Side};
use crate::model::Titles;
use crate::theme::{Strings, Theme};

/// Between the two languages of one interface string on a bilingual page.
const SEPARATOR: &str = " · ";

/// The interface strings of both languages of the book.
pub(crate) struct Interface {
    sides: [Strings; 2],
    tags: [String; 2],
}

impl Interface {
    pub(crate) fn new(theme: &Theme, langs: &Languages) -> Self {
        Interface {
            sides: Side::BOTH.map(|s| theme.interface_strings(langs.get(s))),
            tags: Side::BOTH.map(|s| langs.get(s).tag.clone()),
        }
    }

    /// String `key` in each language; a key no translation has reads as itself.
    pub(crate) fn titles(&self, key: &str) -> Titles {
        Side::BOTH.map(|s| self.get(s, key).to_string())
    }

    fn get<'a>(&'a self, side: Side, key: &'a str) -> &'a str {
        self.sides[side.index()]
            .get(key)
            .map(String::as_str)
            .unwrap_or(key)
    }

    /// Every string as HTML for `form`: a language's own pages show its string; bilingual
    /// pages show both, each marked with its language, so that the stylesheet shows the one
    /// the reader's view asks for.
    pub(crate) fn html(&self, form: Form) -> BTreeMap<&str, String> {
        self.keys()
            .map(|key| {
                let html = match form {
                    Form::Only(side) => escape_attr(self.get(side, key)),
                    Form::Bilingual => {
                        let [a, b] = Side::BOTH.map(|s| self.get(s, key));
                        if a == b {
                            escape_attr(a)
                        } else {
                            format!(
                                "<span class=\"ui\"><span class=\"l1\" lang=\"{}\">{}</span><span class=\"l2\" lang=\"{}\">{}</span></span>",
                                escape_attr(&self.tags[0]),
                                escape_attr(a),
                                escape_attr(&self.tags[1]),
                                escape_attr(b)
                            )
                        }
                    }
                };
                (key, html)
            })
            .collect()
    }

    /// Every string as plain text for `form` (attributes, `<title>`): on bilingual pages both
    /// languages, once when they agree.
    pub(crate) fn text(&self, form: Form) -> BTreeMap<&str, String> {
        self.keys()
            .map(|key| {
                let text = match form {
                    Form::Only(side) => self.get(side, key).to_string(),
                    Form::Bilingual => {
                        let [a, b] = Side::BOTH.map(|s| self.get(s, key));
                        if a == b {
                            a.to_string()
                        } else {
                            format!("{a}{SEPARATOR}{b}")
                        }
                    }
                };
                (key, text)
            })
            .collect()
    }

    fn keys(&self) -> impl Iterator<Item = &str> {
        let mut keys: Vec<&str> = self
            .sides
            .iter()
            .flat_map(|s| s.keys())
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys.into_iter()
    }

    /// `ui.js`: both languages' strings for the scripts, which pick by the reader's view.
    pub(crate) fn script(&self) -> String {
        let json = serde_json::json!({
            "primary": self.sides[0],
            "secondary": self.sides[1],
        });
        format!(
            "window.DIGLOT_UI = {};\n",
            script_safe_json(&json.to_string())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interface(primary: &[(&str, &str)], secondary: &[(&str, &str)]) -> Interface {
        let strings = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        Interface {
            sides: [strings(primary), strings(secondary)],
            tags: ["zh-CN".into(), "en".into()],
        }
    }

    #[test]
    fn each_form_shows_its_languages_strings() {
        let ui = interface(
            &[("search", "搜索"), ("print", "<b>")],
            &[("search", "Search"), ("print", "<b>")],
        );
        assert_eq!(ui.html(Form::Only(Side::Secondary))["search"], "Search");
        assert_eq!(ui.text(Form::Only(Side::Primary))["search"], "搜索");
        assert_eq!(ui.text(Form::Bilingual)["search"], "搜索 · Search");
        assert_eq!(
            ui.html(Form::Bilingual)["search"],
            "<span class=\"ui\"><span class=\"l1\" lang=\"zh-CN\">搜索</span><span class=\"l2\" lang=\"en\">Search</span></span>"
        );
        assert_eq!(
            ui.html(Form::Bilingual)["print"],
            "&lt;b&gt;",
            "escaped, once when equal"
        );
        assert_eq!(
            ui.titles("missing"),
            ["missing".to_string(), "missing".to_string()]
        );
    }
}
