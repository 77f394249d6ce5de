//! The shape of ATT&CK identifiers as written in rule files.

/// What a piece of text inside `<mitre>` turns out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdShape {
    /// `T1059` or `T1059.001`, exactly.
    Technique,
    /// `TA0006`, exactly.
    Tactic,
    /// `$(field)`: filled in at alert time.
    Placeholder,
    /// Not exact, but one technique id is clearly meant (` t1059.001 `, `T1059,`).
    Normalisable(String),
    /// Not exact, and a tactic id is clearly meant (`ta0006`).
    NormalisableTactic(String),
    /// Nothing we can read as an id (`T047`, `T1059.1`, `Credential Access`).
    Malformed,
}

fn is_technique(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: &[u8]| r.iter().all(u8::is_ascii_digit);
    match b.len() {
        5 => b[0] == b'T' && digits(&b[1..5]),
        9 => b[0] == b'T' && digits(&b[1..5]) && b[5] == b'.' && digits(&b[6..9]),
        _ => false,
    }
}

fn is_tactic(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 6 && b.starts_with(b"TA") && b[2..].iter().all(u8::is_ascii_digit)
}

/// Classifies raw text from an `<id>`/`<techniqueID>`/`<tacticID>` element.
pub fn classify(raw: &str) -> IdShape {
    if is_technique(raw) {
        return IdShape::Technique;
    }
    if is_tactic(raw) {
        return IdShape::Tactic;
    }
    if raw.contains("$(") {
        return IdShape::Placeholder;
    }
    // Whitespace, case and trailing punctuation are the only repairs we consider unambiguous.
    let cleaned: String = raw
        .trim()
        .trim_end_matches([',', ';', '.'])
        .trim()
        .to_ascii_uppercase();
    if is_technique(&cleaned) {
        return IdShape::Normalisable(cleaned);
    }
    if is_tactic(&cleaned) {
        return IdShape::NormalisableTactic(cleaned);
    }
    IdShape::Malformed
}

/// `T1059.001` -> `T1059`; a technique id is its own parent.
pub fn parent_technique(id: &str) -> &str {
    id.split('.').next().unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(classify("T1059"), IdShape::Technique);
        assert_eq!(classify("T1059.001"), IdShape::Technique);
        assert_eq!(classify("TA0006"), IdShape::Tactic);
        assert_eq!(classify("$(threat.software.id)"), IdShape::Placeholder);
        assert_eq!(classify("t1059"), IdShape::Normalisable("T1059".into()));
        assert_eq!(
            classify(" T1059.001 "),
            IdShape::Normalisable("T1059.001".into())
        );
        assert_eq!(
            classify("ta0006"),
            IdShape::NormalisableTactic("TA0006".into())
        );
        assert_eq!(classify("T047"), IdShape::Malformed);
        assert_eq!(classify("T1059.1"), IdShape::Malformed);
        assert_eq!(classify("Credential Access"), IdShape::Malformed);
        assert_eq!(parent_technique("T1059.001"), "T1059");
    }
}
