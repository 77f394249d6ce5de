//! ## not-utf8 (WM002)
//!
//! **What it finds:** a rule file with bytes that are not UTF-8, such as a description saved
//! in Latin-1 (`caf\xE9`).
//!
//! **Why it matters:** the manager reads the file byte by byte and loads its rules, so this
//! is no reason to refuse it; but alerts carry those bytes into JSON, where the dashboard
//! shows a replacement character, and other tools may refuse the file. Save it as UTF-8.
//! The rules are still read and checked (each such byte shows as `?` in messages), and
//! `fix --write` leaves such a file untouched rather than re-encode it.
//!
//! **Example:** `<description>Intento de inicio de sesi\xF3n</description>`.
//!
//! **Fix:** none automatic (only the author knows the intended encoding).

use super::{Check, CheckInfo, Context, Diagnostic, Scope, Severity};
use crate::ruleset::load::Origin;
use crate::ruleset::Span;

pub struct NotUtf8;

static INFO: CheckInfo = CheckInfo {
    code: "WM002",
    name: "not-utf8",
    severity: Severity::Warning,
    summary: "bytes that are not UTF-8 (read by the manager, garbled in alerts)",
    fix: None,
    scope: Scope::Rules,
};

impl Check for NotUtf8 {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_workspace(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (i, lf) in ctx.ws.files.iter().enumerate() {
            let Some(at) = lf.file.not_utf8_at else {
                continue;
            };
            if lf.origin != Origin::Linted || lf.file.salvaged {
                continue;
            }
            out.push(Diagnostic {
                check: &INFO,
                severity: INFO.severity,
                file: i,
                span: Span::new(at, at + 1),
                rule_id: None,
                rule: None,
                message: "this byte is not UTF-8 (Latin-1?): the manager reads the file, but alerts show a replacement character; save the file as UTF-8".into(),
                fix: None,
            });
        }
    }
}
