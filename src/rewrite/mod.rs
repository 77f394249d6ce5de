//! Rewriting: fixes as byte edits on the original text, a new `<mitre>` block where tags are
//! added, a verification of every fixed file, and atomic writes.
//!
//! [`plan`] is the one code path behind `fix` (diff), `fix --write` and the fuzz target:
//! it computes the new text of every file; writing is a separate, last step.

pub mod atomic;
pub mod edits;
pub mod insert;
pub mod plan;
pub mod verify;

pub use plan::{plan, Applied, FixOptions, FixPlan, FixedFile, Refused, Skipped};
