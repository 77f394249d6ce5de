//! Element and attribute names of a rule, held without a copy when the rule syntax defines
//! them (nearly always): a rule holds a dozen names, and a migration may read 300,000 rules.

use std::borrow::Cow;

/// A lowercase element or attribute name.
pub type Name = Cow<'static, str>;

/// The rule syntax's attribute and option names (Wazuh's ruleset reference, "Rules syntax"),
/// sorted for binary search.
const KNOWN: &[&str] = &[
    "accuracy",
    "action",
    "category",
    "check_diff",
    "check_if_ignored",
    "data",
    "decoded_as",
    "description",
    "different_dstip",
    "different_srcip",
    "different_srcuser",
    "different_url",
    "different_user",
    "dstgeoip",
    "dstip",
    "dstport",
    "extra_data",
    "field",
    "frequency",
    "global_frequency",
    "group",
    "hostname",
    "id",
    "if_fts",
    "if_group",
    "if_level",
    "if_matched_group",
    "if_matched_sid",
    "if_sid",
    "ignore",
    "info",
    "level",
    "list",
    "location",
    "match",
    "maxsize",
    "mitre",
    "name",
    "negate",
    "noalert",
    "not_same_agent",
    "not_same_field",
    "not_same_source_ip",
    "not_same_user",
    "options",
    "overwrite",
    "program_name",
    "protocol",
    "regex",
    "rule",
    "same_dstip",
    "same_field",
    "same_id",
    "same_location",
    "same_source_ip",
    "same_srcip",
    "same_srcuser",
    "same_user",
    "srcgeoip",
    "srcip",
    "srcport",
    "status",
    "system_name",
    "time",
    "timeframe",
    "type",
    "url",
    "user",
    "var",
    "weekday",
];

/// `name` as the list spells it, if it is there.
fn known(name: &str) -> Option<&'static str> {
    // A scan comparing lengths first: most names differ in length from most entries, so
    // few byte comparisons run (3x faster than a binary search of the sorted list).
    KNOWN
        .iter()
        .copied()
        .find(|k| k.len() == name.len() && *k == name)
}

/// `raw` as written, without a copy when it is one of the syntax's names as the list spells
/// it (lowercase): the XML reader's names, before any case folding.
pub fn name_bytes(raw: &[u8]) -> Cow<'static, [u8]> {
    match std::str::from_utf8(raw).ok().and_then(known) {
        Some(k) => Cow::Borrowed(k.as_bytes()),
        None => Cow::Owned(raw.to_vec()),
    }
}

/// A name as the XML reader keeps it ([`name_bytes`]), lowercased: one the list spells is
/// taken as it stands, with no second look through the list.
// A `Cow`, not a slice: whether it is borrowed says whether the name is from the list.
#[allow(clippy::ptr_arg)]
pub fn from_reader(kept: &Cow<'static, [u8]>) -> Name {
    match kept {
        Cow::Borrowed(known) => {
            Cow::Borrowed(std::str::from_utf8(known).expect("the list's names are UTF-8"))
        }
        Cow::Owned(raw) => name(&String::from_utf8_lossy(raw)),
    }
}

/// `raw` lowercased (ASCII, as the manager compares names), borrowed from the syntax's list
/// when it is there.
pub fn name(raw: &str) -> Name {
    if !raw.bytes().any(|b| b.is_ascii_uppercase()) {
        return known(raw).map_or_else(|| Cow::Owned(raw.to_string()), Cow::Borrowed);
    }
    let lower = raw.to_ascii_lowercase();
    known(&lower).map_or(Cow::Owned(lower), Cow::Borrowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_lowercase_and_unique() {
        assert!(
            KNOWN.windows(2).all(|w| w[0] < w[1]),
            "KNOWN must be sorted"
        );
        assert!(KNOWN
            .iter()
            .all(|n| !n.bytes().any(|b| b.is_ascii_uppercase())));
    }

    #[test]
    fn a_name_the_reader_kept_lowercases_as_a_written_one_does() {
        for raw in [
            "if_sid",
            "Description",
            "MyOption",
            "rule",
            "RULE",
            "x\u{e9}",
            "",
            "var",
        ] {
            assert_eq!(
                from_reader(&name_bytes(raw.as_bytes())),
                name(raw),
                "{raw:?}"
            );
        }
        for known in KNOWN {
            assert!(
                matches!(from_reader(&name_bytes(known.as_bytes())), Cow::Borrowed(k) if k == *known)
            );
        }
    }

    #[test]
    fn known_names_are_borrowed_and_others_owned_both_lowercase() {
        assert!(matches!(name("if_sid"), Cow::Borrowed("if_sid")));
        assert!(matches!(name("Description"), Cow::Borrowed("description")));
        assert!(matches!(name("MyOption"), Cow::Owned(ref s) if s == "myoption"));
    }
}
