//! Reading text files: UTF-8 only, line endings and NUL normalised as CommonMark says.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Location};

/// CRLF and a lone CR (old Mac line endings) both end a line: both become LF, so that
/// front matter is found and line numbers count the lines an editor shows.
pub(crate) fn normalize_line_endings(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Reads a text file as UTF-8, dropping a byte-order mark, turning CRLF and lone CR into LF
/// and NUL into U+FFFD (as CommonMark says: a NUL must not reach the HTML).
pub(crate) fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(path, None, format!("cannot read file: {e}"))
            .with_hint("check that the file exists and is readable")
    })?;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::error(path, None, "file is encoded as UTF-16")
            .with_hint("save it as UTF-8"));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
        let valid = normalize_line_endings(&valid);
        let loc = Location::of_offset(&valid, valid.len());
        Diagnostic::error(path, Some(loc), "file is not valid UTF-8").with_hint("save it as UTF-8")
    })?;
    // U+0001 is reserved for link placeholders in rendered HTML and means nothing in text.
    let mut text = normalize_line_endings(text).into_owned();
    if text.contains('\u{1}') {
        text = text.replace('\u{1}', "");
    }
    if text.contains('\0') {
        text = text.replace('\0', "\u{FFFD}");
    }
    Ok(text)
}
