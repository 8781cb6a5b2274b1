//! Reading the book's sources: finding the files, splitting front matter, and turning each
//! page into the bilingual model.

pub mod discover;
pub mod frontmatter;
pub mod load;
pub mod slug;

use std::path::Path;

use crate::diagnostics::{Diagnostic, Location};

/// Reads a text file as UTF-8, dropping a byte-order mark and turning CRLF into LF.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
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
        let loc = Location::of_offset(
            &String::from_utf8_lossy(&bytes[..e.valid_up_to()]),
            e.valid_up_to(),
        );
        Diagnostic::error(path, Some(loc), "file is not valid UTF-8").with_hint("save it as UTF-8")
    })?;
    // U+0001 is reserved for link placeholders in rendered HTML and means nothing in text.
    let mut text = if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    };
    if text.contains('\u{1}') {
        text = text.replace('\u{1}', "");
    }
    Ok(text)
}
