//! The default output on a terminal: miette reports with the source line, a label on the
//! exact span, and the fix as help.

use super::{display_path, summary_line, Finding};
use crate::checks::Severity;
use crate::lint::Summary;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan,
};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

struct Report {
    code: String,
    message: String,
    severity: Severity,
    source: NamedSource<Arc<str>>,
    span: SourceSpan,
    help: Option<String>,
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            None, self.span,
        ))))
    }
}

pub fn render(findings: &[Finding], summary: &Summary, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
        .with_context_lines(1);
    let mut out = String::new();
    // miette holds its source as an owned value: one shared copy per file, made when the
    // file's first finding is shown (findings come in file order).
    let mut source: Option<(&Path, Arc<str>)> = None;
    for f in findings {
        let text = match &source {
            Some((path, text)) if *path == f.path => text.clone(),
            _ => {
                let text = Arc::<str>::from(f.text);
                source = Some((f.path, text.clone()));
                text
            }
        };
        let help = f.fix.map(|x| {
            let tag = match x.applicability {
                crate::checks::Applicability::Safe if !x.edits.is_empty() => "fix",
                crate::checks::Applicability::Unsafe if !x.edits.is_empty() => "unsafe fix",
                _ => "suggestion",
            };
            format!("{tag}: {}", x.description)
        });
        let report = Report {
            code: format!("{} {}", f.code, f.name),
            message: f.message.to_string(),
            severity: f.severity,
            source: NamedSource::new(display_path(f.path), text),
            span: SourceSpan::new(f.span.start().into(), f.span.len()),
            help,
        };
        if let Err(e) = handler.render_report(&mut out, &report) {
            out.push_str(&format!("{}: {} ({e})\n", display_path(f.path), f.message));
        }
        out.push('\n');
    }
    out.push_str(&summary_line(findings, summary));
    out.push('\n');
    out
}
