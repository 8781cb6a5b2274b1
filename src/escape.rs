//! Escaping for the contexts Diglot writes into: HTML text and attributes, JSON inside a
//! `<script>` element.

/// Escapes text for an HTML attribute value (quoted either way) or element content.
pub(crate) fn escape_attr(s: &str) -> String {
    if !s.bytes().any(needs_escape) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    push_text(&mut out, s);
    out
}

/// Appends `text` escaped as [`escape_attr`] does: the one table of HTML escapes.
pub(crate) fn push_text(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = rest.bytes().position(needs_escape) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

fn needs_escape(b: u8) -> bool {
    matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')
}

/// JSON that cannot end a `<script>` element or break a JavaScript string.
pub(crate) fn script_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 64);
    let bytes = json.as_bytes();
    let mut done = 0;
    // A byte scan: U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
    for (i, &b) in bytes.iter().enumerate() {
        let (len, escaped) = match b {
            b'<' => (1, "\\u003c"),
            b'>' => (1, "\\u003e"),
            b'&' => (1, "\\u0026"),
            0xE2 if bytes.get(i + 1) == Some(&0x80) => match bytes.get(i + 2) {
                Some(0xA8) => (3, "\\u2028"),
                Some(0xA9) => (3, "\\u2029"),
                _ => continue,
            },
            _ => continue,
        };
        out.push_str(&json[done..i]);
        out.push_str(escaped);
        done = i + len;
    }
    out.push_str(&json[done..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_escapes_what_could_end_a_script_or_a_string() {
        assert_eq!(
            script_safe_json("[\"</script>&\u{2028}\u{2029}缓存\"]"),
            "[\"\\u003c/script\\u003e\\u0026\\u2028\\u2029缓存\"]"
        );
        assert_eq!(script_safe_json("plain"), "plain");
        assert_eq!(
            script_safe_json("‐…\u{2027}\u{202A}\u{2029}"),
            "‐…\u{2027}\u{202A}\\u2029"
        );
    }

    #[test]
    fn attributes_escape_quotes_of_both_kinds() {
        assert_eq!(
            escape_attr("<a href=\"x\" title='y'>&"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;"
        );
        let mut out = String::new();
        push_text(&mut out, "a<'b'>缓存");
        assert_eq!(out, "a&lt;&#39;b&#39;&gt;缓存");
        assert_eq!(escape_attr("plain 缓存"), "plain 缓存");
    }
}
