//! Keeping a block's raw HTML inside the block. The template puts each block into the page
//! as it is; an unclosed `<!--`, `<script>` or attribute quote in one block would swallow
//! everything after it (the other blocks, the pager, the scripts), and `<plaintext>` can
//! never be closed at all. This scans the rendered HTML of one block the way a browser's
//! tokenizer would for those constructs, closes what is left open at the end of the block
//! (or escapes `<plaintext>`), and says what it did.

/// Elements whose content a browser reads as text up to their own end tag.
const RAW_TEXT: [&str; 9] = [
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// Something left open in a block's HTML, and how it was contained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Leak {
    /// How the construct starts in the source, lowercased: `<!--`, `<script`, `<div`.
    pub opener: String,
    /// Which occurrence of `opener` in the block's HTML it is (0-based), to find it in the
    /// Markdown source.
    pub nth: usize,
    pub message: String,
    pub hint: String,
}

/// Closes or escapes what `html` leaves open; returns what was contained, in order.
/// One pass over the block (the lowercased copy keeps byte offsets: ASCII case only).
pub(crate) fn contain(html: &mut String) -> Vec<Leak> {
    let lower = html.to_ascii_lowercase();
    let mut leaks = Vec::new();
    let mut escapes = Vec::new();
    let mut suffix = String::new();
    let mut i = 0;
    while let Some(off) = lower[i..].find('<') {
        i += off;
        let rest = &lower[i..];
        let bytes = rest.as_bytes();
        let next = bytes.get(1).copied().unwrap_or(0);
        if let Some(body) = rest.strip_prefix("<!--") {
            if body.starts_with('>') || body.starts_with("->") {
                i += 4;
                continue;
            }
            match [body.find("-->"), body.find("--!>")]
                .into_iter()
                .flatten()
                .min()
            {
                Some(end) => i += 4 + end + 3,
                None => {
                    leaks.push(leak(&lower, i, "<!--", "an HTML comment `<!--` is never closed: it would hide the rest of the page".into(), "close it with `-->` in the same block (it was closed at the end of the block)".into()));
                    suffix.push_str(" -->");
                    break;
                }
            }
        } else if next == b'!' || next == b'?' {
            match rest[2..].find('>') {
                Some(end) => i += 2 + end + 1,
                None => {
                    let opener = &rest[..2];
                    leaks.push(leak(&lower, i, opener, format!("`{opener}` is never closed with `>`: it would hide the rest of the page"), "end it with `>` (it was closed at the end of the block)".into()));
                    suffix.push('>');
                    break;
                }
            }
        } else if next.is_ascii_alphabetic()
            || (next == b'/' && bytes.get(2).is_some_and(u8::is_ascii_alphabetic))
        {
            let closing = next == b'/';
            let name_start = if closing { 2 } else { 1 };
            let name_len = rest[name_start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .unwrap_or(rest.len() - name_start);
            let name = &rest[name_start..name_start + name_len];
            let opener = &rest[..name_start + name_len];
            let after_name = i + name_start + name_len;
            match tag_end(&lower[after_name..]) {
                Err(quote) => {
                    if name == "plaintext" && !closing {
                        // Escaped, the rest is text again: keep scanning it.
                        if escapes.is_empty() {
                            leaks.push(leak(&lower, i, opener, "`<plaintext>` can never be closed: it would turn the rest of the page into text".into(), "use `<pre>` instead (it is shown as text)".into()));
                        }
                        escapes.push(i);
                        i += 1;
                        continue;
                    }
                    leaks.push(leak(&lower, i, opener, format!("the tag `{opener}` is never closed with `>`: it would swallow the rest of the page"), "end the tag with `>` and close its quotes (it was closed at the end of the block)".into()));
                    suffix.extend(quote);
                    suffix.push('>');
                    // Closed, `<script` would open a script that swallows the rest.
                    if RAW_TEXT.contains(&name) && !closing {
                        suffix.push_str(&format!("</{name}>"));
                    }
                    break;
                }
                Ok(len) if closing => i = after_name + len,
                Ok(len) => {
                    let after = after_name + len;
                    if name == "plaintext" {
                        if escapes.is_empty() {
                            leaks.push(leak(&lower, i, opener, "`<plaintext>` can never be closed: it would turn the rest of the page into text".into(), "use `<pre>` instead (it is shown as text)".into()));
                        }
                        // Escaped, what followed is text again: keep scanning it.
                        escapes.push(i);
                        i += 1;
                    } else if RAW_TEXT.contains(&name) {
                        match end_tag(&lower[after..], name) {
                            Some(end) => i = after + end,
                            None => {
                                leaks.push(leak(&lower, i, opener, format!("`<{name}>` is never closed: it would swallow the rest of the page"), format!("close it with `</{name}>` in the same block (it was closed at the end of the block)")));
                                suffix.push_str(&format!("</{name}>"));
                                break;
                            }
                        }
                    } else {
                        i = after;
                    }
                }
            }
        } else {
            i += 1;
        }
    }
    for at in escapes.into_iter().rev() {
        html.replace_range(at..at + 1, "&lt;");
    }
    html.push_str(&suffix);
    leaks
}

fn leak(lower: &str, at: usize, opener: &str, message: String, hint: String) -> Leak {
    Leak {
        opener: opener.to_string(),
        nth: lower[..at].matches(opener).count(),
        message,
        hint,
    }
}

/// The length of a tag's rest (attributes and `>`), or, when the input ends inside it, the
/// quote left open (if any). A quote opens a value only right after `=`, as in HTML.
fn tag_end(rest: &str) -> Result<usize, Option<char>> {
    let bytes = rest.as_bytes();
    let mut after_eq = false;
    let mut j = 0;
    while j < bytes.len() {
        match bytes[j] {
            b'>' => return Ok(j + 1),
            q @ (b'"' | b'\'') if after_eq => {
                let close = rest[j + 1..].find(q as char).ok_or(Some(q as char))?;
                j += 1 + close + 1;
                after_eq = false;
                continue;
            }
            b'=' => after_eq = true,
            c if c.is_ascii_whitespace() => {}
            _ => after_eq = false,
        }
        j += 1;
    }
    Err(None)
}

/// Where the end tag `</name` (followed by space, `/` or `>`) ends in `lower`, its `>`
/// included.
fn end_tag(lower: &str, name: &str) -> Option<usize> {
    let needle = format!("</{name}");
    let mut from = 0;
    while let Some(at) = lower[from..].find(&needle) {
        let start = from + at;
        let rest = &lower[start + needle.len()..];
        if rest.starts_with(['>', '/', ' ', '\t', '\n', '\u{c}', '\r']) {
            // An end tag cut off before its `>` does not close the element.
            return tag_end(rest).ok().map(|n| start + needle.len() + n);
        }
        from = start + needle.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contained(html: &str) -> (String, Vec<String>) {
        let mut html = html.to_string();
        let leaks = contain(&mut html);
        (html, leaks.into_iter().map(|l| l.opener).collect())
    }

    #[test]
    fn balanced_html_is_left_alone() {
        for html in [
            "<p>a</p>",
            "<!-- c --><div class=\"a>b\">x</div>",
            "<!--><!---><script>if (a<b) {}</script><style>p{}</style >",
            "<TEXTAREA>x</textarea>",
            "<a title='>'>x</a><?pi ?><!DOCTYPE html>",
            "a < b and c<3",
        ] {
            assert_eq!(contained(html), (html.to_string(), vec![]), "{html}");
        }
    }

    #[test]
    fn what_is_left_open_is_closed_at_the_end() {
        assert_eq!(contained("<!-- x").0, "<!-- x -->");
        assert_eq!(contained("<script>x").0, "<script>x</script>");
        assert_eq!(
            contained("<Style>x</styles>").0,
            "<Style>x</styles></style>"
        );
        assert_eq!(contained("<div class=\"x>y").0, "<div class=\"x>y\">");
        assert_eq!(contained("<div class=x").0, "<div class=x>");
        assert_eq!(contained("<!DOCTYPE").0, "<!DOCTYPE>");
        assert_eq!(
            contained("<script>x</script ").0,
            "<script>x</script </script>"
        );
        assert_eq!(contained("<p>x</p><iframe src=a>").1, ["<iframe"]);
        let (html, leaks) = contained("<plaintext>a<b>");
        assert_eq!(html, "&lt;plaintext>a<b>");
        assert_eq!(leaks, ["<plaintext"]);
    }

    #[test]
    fn the_leak_knows_which_occurrence_it_is() {
        let mut html = "<!-- a --> <!-- b".to_string();
        let leaks = contain(&mut html);
        assert_eq!(leaks[0].nth, 1);
    }

    proptest::proptest! {
        /// Any input: no panic, and once contained nothing is left open (a second pass
        /// finds nothing and changes nothing).
        #[test]
        fn containing_twice_finds_nothing_more(
            html in "([<>/!?'\"=a-z -]|<!--|-->|<script|</script>|<plaintext|中){0,40}"
        ) {
            let mut once = html.clone();
            contain(&mut once);
            let mut twice = once.clone();
            let leaks = contain(&mut twice);
            proptest::prop_assert!(leaks.is_empty(), "{:?} left {:?}", once, leaks);
            proptest::prop_assert_eq!(once, twice);
        }
    }
}
