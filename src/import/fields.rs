//! Text fields as an entry keeps them: trimmed, CRLF inside a value made LF (so a file saved
//! with Windows line endings reads the same), empty optional fields `None`, e-mail addresses
//! lower-cased, tags split, yes/no read.

/// A text value trimmed, with CRLF (and lone CR) made LF.
pub fn text(s: &str) -> String {
    let s = s.trim();
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_string()
    }
}

/// An optional text value: `None` when empty.
pub fn optional(s: &str) -> Option<String> {
    Some(text(s)).filter(|s| !s.is_empty())
}

/// An e-mail address, trimmed and lower-cased; `None` when empty.
pub fn email(s: &str) -> Option<String> {
    optional(s).map(|s| s.to_lowercase())
}

/// Tags written as one field ("ops, backup"): split on commas, trimmed, empties dropped.
pub fn tags(s: &str) -> Vec<String> {
    s.split(',').filter_map(optional).collect()
}

/// A billable flag: "Yes"/"No", "true"/"false", "1"/"0" in any case; empty is "no" (Kimai
/// writes nothing for a non-billable entry). `None` for anything else.
pub fn billable(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" | "true" | "1" => Some(true),
        "no" | "false" | "0" | "" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_normalised() {
        assert_eq!(text("  a\r\nb\rc "), "a\nb\nc");
        assert_eq!(optional("   "), None);
        assert_eq!(
            email(" Zoe.Muller@Example.COM "),
            Some("zoe.muller@example.com".into())
        );
        assert_eq!(tags(" ops, backup,,  , Zoë "), ["ops", "backup", "Zoë"]);
        assert!(tags("").is_empty());
        assert_eq!(billable("YES"), Some(true));
        assert_eq!(billable("False"), Some(false));
        assert_eq!(billable("0"), Some(false));
        assert_eq!(billable(""), Some(false));
        assert_eq!(billable("maybe"), None);
    }
}
