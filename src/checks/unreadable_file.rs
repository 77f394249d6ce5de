//! ## unreadable-file (WM000)
//!
//! **What it finds:** a file the manager's own XML reader (os_xml) refuses, with its reason
//! and the line it names. The run exits 2: the manager would not start with it.
//!
//! **Why it matters:** `wazuh-analysisd` stops at a rule file it cannot read; a file
//! refused by a typo takes every rule of the manager down with it.
//!
//! **Example:** `<?xml version="1.0" encoding="UTF-8"?>` at the top of a rule file (os_xml
//! reads no XML declaration), `<rule id="100001" level="5"` never closed.
//!
//! **Fix (safe)** for an XML declaration: remove it. The manager refuses the file as it is,
//! and reads nothing from the declaration. Other reasons need a person.

use super::{Edit, Fix};
use crate::ruleset::read::LoadFailure;

/// The fix for a refused file, where one is known.
pub fn fix_for(failure: &LoadFailure) -> Option<Fix> {
    let declaration = failure.refused_declaration()?;
    Some(Fix::safe(
        "remove the XML declaration: the manager refuses a rule file that has one",
        vec![Edit::delete(declaration)],
    ))
}
