//! How a file's path is shown in every output: forward slashes, no leading `./`. Below both
//! the analyses (which name files in their reports) and the renderers.

use std::borrow::Cow;
use std::path::Path;

/// The path as shown: forward slashes, no leading `./`.
pub fn display_path(path: &Path) -> String {
    shown_path(path).into_owned()
}

/// [`display_path`], borrowed from the path when it needs no change (nearly always): a
/// report of thousands of findings shows the same paths over and over.
pub fn shown_path(path: &Path) -> Cow<'_, str> {
    let s = path.to_string_lossy();
    if s.contains('\\') {
        let s = s.replace('\\', "/");
        return Cow::Owned(s.strip_prefix("./").unwrap_or(&s).to_string());
    }
    match s {
        Cow::Borrowed(b) => Cow::Borrowed(b.strip_prefix("./").unwrap_or(b)),
        Cow::Owned(o) => Cow::Owned(o.strip_prefix("./").unwrap_or(&o).to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_paths_drop_a_leading_dot_slash_and_use_forward_slashes() {
        assert!(matches!(
            shown_path(Path::new("./rules/a.xml")),
            Cow::Borrowed("rules/a.xml")
        ));
        assert!(matches!(
            shown_path(Path::new("a.xml")),
            Cow::Borrowed("a.xml")
        ));
        assert_eq!(shown_path(Path::new(".\\rules\\a.xml")), "rules/a.xml");
        assert_eq!(display_path(Path::new("./x/y.xml")), "x/y.xml");
    }
}
