//! Section numbers belong to both languages: `2.1 数据库设计 | Database Design` numbers the
//! English title too, so English views and sidebars are numbered like the Chinese ones.

/// The language-neutral prefix `text` starts with (`2.1`, `3.`, `A.2`, `§4`, `(1)`), up to
/// the whitespace after it, or `None`. A number alone is a prefix only when text follows it.
fn neutral_prefix(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let mut i = 0;
    if text.starts_with('§') {
        i = '§'.len_utf8();
        while bytes.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    let open = bytes.get(i) == Some(&b'(');
    if open {
        i += 1;
    }
    let mut units = 0;
    loop {
        let start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let digits = i - start;
        // An appendix letter counts only before a separator and a digit (`A.1`, `B-2`).
        if digits == 0 {
            let letter = bytes.get(i).is_some_and(u8::is_ascii_uppercase);
            let then_number = matches!(bytes.get(i + 1), Some(b'.' | b'-'))
                && bytes.get(i + 2).is_some_and(u8::is_ascii_digit);
            if !(units == 0 && letter && then_number) {
                break;
            }
            i += 1;
        } else if digits > 4 {
            return None;
        }
        units += 1;
        match (bytes.get(i), bytes.get(i + 1)) {
            (Some(b'.' | b'-'), Some(next)) if next.is_ascii_digit() => i += 1,
            _ => break,
        }
    }
    if units == 0 {
        return None;
    }
    if open {
        if bytes.get(i) != Some(&b')') {
            return None;
        }
        i += 1;
    } else if matches!(bytes.get(i), Some(b'.' | b')' | b':')) {
        i += 1;
    }
    // Text must follow after whitespace: `2024年` or a bare `42` is not a prefix.
    let rest = &text[i..];
    let trimmed = rest.trim_start();
    (trimmed.len() < rest.len() && !trimmed.is_empty()).then(|| &text[..i])
}

/// The two texts with a prefix only one of them starts with given to the other too; `None`
/// when nothing changes (both have one, neither has, or the other already holds the number,
/// as in `Plan 2024`).
pub(crate) fn share_prefix(texts: [&str; 2]) -> Option<[String; 2]> {
    let [a, b] = texts.map(str::trim_start);
    let (from, to, to_index) = match (neutral_prefix(a), neutral_prefix(b)) {
        (Some(p), None) => (p, b, 1),
        (None, Some(p)) => (p, a, 0),
        _ => return None,
    };
    let number = from
        .trim_start_matches(['§', ' ', '('])
        .trim_end_matches(['.', ')', ':']);
    if to.trim().is_empty() || to.contains(number) {
        return None;
    }
    let mut out = texts.map(str::to_string);
    out[to_index] = format!("{from} {to}");
    Some(out)
}

/// The prefix both texts start with, as written in the second (`2.1 `, its space included),
/// which a line showing both languages need not repeat.
pub(crate) fn repeated_prefix<'a>(texts: [&str; 2], second: &'a str) -> Option<&'a str> {
    let first = neutral_prefix(texts[0].trim_start())?;
    let again = neutral_prefix(second)?;
    if first != again {
        return None;
    }
    let rest = &second[again.len()..];
    Some(&second[..second.len() - rest.trim_start().len()])
}

/// [`share_prefix`] over owned titles, which stay as they are when nothing is shared.
pub(crate) fn numbered_titles(titles: [String; 2]) -> [String; 2] {
    share_prefix([&titles[0], &titles[1]]).unwrap_or(titles)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(a: &str, b: &str) -> [String; 2] {
        share_prefix([a, b]).unwrap_or([a.to_string(), b.to_string()])
    }

    #[test]
    fn a_number_one_side_has_goes_to_the_other() {
        assert_eq!(
            shared("2.1 数据库设计", "Database Design")[1],
            "2.1 Database Design"
        );
        assert_eq!(shared("Caching", "3.2.1. 缓存")[0], "3.2.1. Caching");
        assert_eq!(
            shared("2. 核心功能", "Core features")[1],
            "2. Core features"
        );
        assert_eq!(shared("A.1 附录", "Appendix")[1], "A.1 Appendix");
        assert_eq!(shared("§4 范围", "Scope")[1], "§4 Scope");
        assert_eq!(shared("(3) 部署", "Deploy")[1], "(3) Deploy");
        assert_eq!(shared("1) 安装", "Install")[1], "1) Install");
    }

    #[test]
    fn a_repeated_prefix_is_found_with_its_space() {
        let t = ["2.1 数据库设计", "2.1  Database Design"];
        assert_eq!(repeated_prefix(t, t[1]), Some("2.1  "));
        let t = ["2.1 数据库设计", "2.2 Database Design"];
        assert_eq!(repeated_prefix(t, t[1]), None);
        let t = ["数据库设计", "Database Design"];
        assert_eq!(repeated_prefix(t, t[1]), None);
    }

    #[test]
    fn other_leading_text_is_left_alone() {
        for (a, b) in [
            ("2.1 数据库设计", "2.1 Database Design"),
            ("2.1 数据库设计", "2.1. Database Design"),
            ("2024 年度计划", "Plan for 2024"),
            ("2024年计划", "Plan"),
            ("42", "The answer"),
            ("I 概述", "Overview"),
            ("API 设计", "API Design"),
            ("A 计划", "Plan"),
            ("123456 号", "Number"),
            ("3.", "Three"),
            ("1.1 x", ""),
        ] {
            assert_eq!(share_prefix([a, b]), None, "{a} | {b}");
        }
    }
}
