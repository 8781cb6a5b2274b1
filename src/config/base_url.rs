//! `base-url`: where the site is served, checked and normalised, from book.toml or the
//! command line.

use crate::diagnostics::Diagnostic;

/// Checks and normalises a base URL: a path (`docs` → `/docs/`) or an absolute `http(s)`
/// URL (scheme and host lowercased), always ending with `/`. The reason it is refused
/// otherwise: it lands in every page's links and scripts, so it must not point to another
/// host (`//host/`), carry a query or fragment, or hold characters a URL cannot.
pub(crate) fn parse_base_url(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok("/".into());
    }
    if let Some(c) = s.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "it contains {}; write spaces as %20",
            if c == ' ' {
                "a space".to_string()
            } else {
                format!("the character {:?}", c)
            }
        ));
    }
    if s.contains(['?', '#']) {
        return Err("a base URL cannot carry a query (`?`) or a fragment (`#`)".into());
    }
    if s.starts_with("//") || s.starts_with("\\") {
        return Err("`//host/` points to another host without a scheme".into());
    }
    let Some((scheme, rest)) = s.split_once("://") else {
        if s.split('/').next().is_some_and(|first| first.contains(':')) {
            return Err("only `http://` and `https://` URLs (or a path) can be a base URL".into());
        }
        return base_path(s);
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(format!(
            "the scheme `{scheme}` cannot serve a site; use `https://` or `http://`"
        ));
    }
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = url_authority(authority)?;
    Ok(format!("{scheme}://{host}{}", base_path(path)?))
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`, lowercased; no user name or password.
fn url_authority(authority: &str) -> Result<String, String> {
    if authority.contains('@') {
        return Err("a base URL cannot carry a user name or password (`user@`)".into());
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (addr, after) = v6
            .split_once(']')
            .ok_or("the IPv6 address is not closed with `]`")?;
        addr.parse::<std::net::Ipv6Addr>()
            .map_err(|_| format!("`{addr}` is not an IPv6 address"))?;
        let port = match after {
            "" => None,
            p => Some(
                p.strip_prefix(':')
                    .ok_or("only a `:port` may follow the IPv6 address")?,
            ),
        };
        (format!("[{}]", addr.to_ascii_lowercase()), port)
    } else {
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        if host.is_empty() || host.len() > 253 || !host.split('.').all(label_ok) {
            return Err(format!(
                "`{host}` is not a host name (letters, digits, hyphens and dots; write other scripts in punycode)"
            ));
        }
        (host.to_ascii_lowercase(), port)
    };
    let port = match port {
        None => String::new(),
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && p.bytes().all(|b| b.is_ascii_digit()) => format!(":{n}"),
            _ => return Err(format!("`{p}` is not a port number")),
        },
    };
    Ok(format!("{host}{port}"))
}

/// A URL path as a base: starts and ends with `/`, no empty, `.` or `..` segment, only
/// characters a URL path holds as they are (or percent-encoded).
fn base_path(path: &str) -> Result<String, String> {
    let bytes = path.as_bytes();
    for (i, c) in path.char_indices() {
        let plain = c.is_ascii_alphanumeric()
            || "-._~!$&+,;=:@/".contains(c)
            || (!c.is_ascii() && c.is_alphanumeric());
        let escape = c == '%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if !plain && !escape {
            return Err(format!(
                "`{}` cannot stand in a URL path; percent-encode it",
                c.escape_debug()
            ));
        }
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return Err("a base URL cannot hold `.` or `..` segments".into());
    }
    let mut out = String::from("/");
    for s in segments {
        out.push_str(s);
        out.push('/');
    }
    Ok(out)
}

/// The `--base-url` given on the command line, checked like the one in book.toml.
pub(crate) fn base_url_flag(raw: &str) -> Result<String, Diagnostic> {
    parse_base_url(raw).map_err(|why| {
        Diagnostic::error(
            "--base-url",
            None,
            format!("invalid --base-url `{}`: {why}", raw.escape_debug()),
        )
        .with_hint(BASE_URL_HINT)
    })
}

pub(super) const BASE_URL_HINT: &str =
    "use a path such as \"/docs/\" or an absolute URL such as \"https://example.org/docs/\"";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_paths_or_http_urls_normalised() {
        for (raw, want) in [
            ("", "/"),
            ("/", "/"),
            ("docs", "/docs/"),
            ("/docs", "/docs/"),
            (" /docs//guide ", "/docs/guide/"),
            ("/指南/", "/指南/"),
            ("/a%20b/", "/a%20b/"),
            ("https://Example.ORG", "https://example.org/"),
            (
                "HTTP://example.org:8080/guide",
                "http://example.org:8080/guide/",
            ),
            ("http://[::1]:3000/", "http://[::1]:3000/"),
            ("http://127.0.0.1/x", "http://127.0.0.1/x/"),
        ] {
            assert_eq!(parse_base_url(raw).as_deref(), Ok(want), "{raw:?}");
        }
        for bad in [
            "//evil.com/",
            "/a b/",
            "/x?q=1",
            "/x#frag",
            "http://[::1/",
            "http://[zz::1]/",
            "http://[::1]x/",
            "ftp://example.org/",
            "javascript:alert(1)",
            "https://",
            "https://exa mple.org/",
            "https://user@example.org/",
            "https://example.org:99999/",
            "https://-bad-.org/",
            "/../up/",
            "/a\"b/",
            "/a<b/",
            "/a\\b/",
            "/%zz/",
        ] {
            assert!(parse_base_url(bad).is_err(), "{bad:?} accepted");
        }
    }
}
