//! Policy documents as IAM delivers them: plain JSON (AWS CLI, boto3) or an RFC 3986
//! URL-encoded string (raw API, every SDK but botocore).
//!
//! A document is decoded **exactly once**, and only when its text is not already JSON: a plain
//! document may legitimately contain `%` (a condition value such as `"50%25"`), and decoding it
//! again would change its meaning. `+` is not a space in RFC 3986.

/// Why an encoded document could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("invalid percent escape `{escape}` at byte {offset}")]
    BadEscape { escape: String, offset: usize },
    #[error("the decoded document is not UTF-8 (byte {offset})")]
    NotUtf8 { offset: usize },
}

/// Returns the document text: unchanged when it already starts with `{` (after whitespace),
/// otherwise percent-decoded once.
pub fn document_text(text: &str) -> Result<std::borrow::Cow<'_, str>, DecodeError> {
    if text.trim_start().starts_with('{') {
        Ok(std::borrow::Cow::Borrowed(text))
    } else {
        percent_decode(text).map(std::borrow::Cow::Owned)
    }
}

/// RFC 3986 percent-decoding: `%XX` becomes the byte `XX`; every other character, `+`
/// included, stays as it is. A `%` not followed by two hex digits is an error.
pub fn percent_decode(text: &str) -> Result<String, DecodeError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hi = bytes.get(i + 1).and_then(|c| hex(*c));
            let lo = bytes.get(i + 2).and_then(|c| hex(*c));
            match (hi, lo) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                }
                _ => {
                    let end = (i + 3).min(bytes.len());
                    let escape = String::from_utf8_lossy(&bytes[i..end]).into_owned();
                    return Err(DecodeError::BadEscape { escape, offset: i });
                }
            }
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|e| DecodeError::NotUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plus_is_not_a_space() {
        // RFC 3986 §2.1: only %XX is an escape; `+` means `+` (application/x-www-form-urlencoded
        // is a different format).
        assert_eq!(percent_decode("a+b%20c").unwrap(), "a+b c");
    }

    #[test]
    fn decodes_a_url_encoded_policy() {
        let enc = "%7B%22Version%22%3A%20%222012-10-17%22%7D";
        assert_eq!(document_text(enc).unwrap(), r#"{"Version": "2012-10-17"}"#);
    }

    #[test]
    fn plain_json_is_never_decoded() {
        // `%25` inside a plain document is literal text (hardening H2: never decode twice).
        let plain = r#"  {"Condition": {"StringLike": {"x": "50%25 a+b"}}}"#;
        assert_eq!(document_text(plain).unwrap(), plain);
    }

    #[test]
    fn decoding_happens_once() {
        // %2525 decodes to %25, not to %.
        assert_eq!(percent_decode("%2525").unwrap(), "%25");
    }

    #[test]
    fn multibyte_utf8_is_decoded() {
        assert_eq!(percent_decode("%C3%A9").unwrap(), "é");
    }

    #[test]
    fn bad_escapes_are_errors() {
        assert!(matches!(
            percent_decode("%7B%2"),
            Err(DecodeError::BadEscape { offset: 3, .. })
        ));
        assert!(matches!(
            percent_decode("%zz"),
            Err(DecodeError::BadEscape { offset: 0, .. })
        ));
        assert!(matches!(
            percent_decode("%FF%FE"),
            Err(DecodeError::NotUtf8 { offset: 0 })
        ));
    }
}
