//! `wazuh-mitre server`: a language server over stdio for rule files.
//!
//! Diagnostics are `lint`'s findings on the buffer in its deployment (see [`analysis`]),
//! published on open, change and save; code actions are `fix`'s edits and the suggester's
//! first techniques for an untagged rule; hover shows an id's ATT&CK entry; completion
//! inside `<id>` offers technique ids. The protocol is spoken by `lsp-server`, synchronous
//! as in rust-analyzer: a request is answered before the next is read, which keeps the
//! order of changes and diagnostics plain, and a lint of one file takes milliseconds.
//! A request that fails or panics is answered with an error; the server goes on.

mod analysis;
mod completion;
mod hover;
pub mod position;

use crate::attack::{AttackDb, WAZUH_4_MANAGER_VERSION};
use crate::ruleset::model::SourceFile;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types as lsp;
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Why the server stopped before an orderly exit.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("language server protocol: {0}")]
    Protocol(#[from] lsp_server::ProtocolError),
    #[error("the client went away: {0}")]
    Disconnected(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The protocol's rule: `exit` before `shutdown`, or the client gone, exits with 1.
    #[error("the client left without a shutdown request")]
    NoShutdown,
}

/// Serves stdin/stdout until the client says `exit`.
pub fn run() -> Result<(), ServerError> {
    let (connection, io_threads) = Connection::stdio();
    let capabilities = lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::FULL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..lsp::TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Simple(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec![">".into(), "T".into()]),
            ..lsp::CompletionOptions::default()
        }),
        ..lsp::ServerCapabilities::default()
    };
    let capabilities = serde_json::to_value(capabilities).expect("capabilities serialise");
    connection.initialize(capabilities)?;
    let mut server = Server {
        documents: HashMap::new(),
        db: AttackDb::embedded(),
    };
    let served = serve(&connection, &mut server);
    drop(connection);
    // The reader thread ends at the end of stdin; a client that stays open after `exit`
    // must not keep the server alive, so it is not waited for once `exit` has come.
    if served.is_err() {
        let _ = io_threads.join();
    }
    served
}

/// Answers until `exit`. After `shutdown`, only `exit` is expected; a client that closes
/// the pipes after `shutdown` has ended as well as one that sends `exit`.
fn serve(connection: &Connection, server: &mut Server) -> Result<(), ServerError> {
    let send = |m: Message| {
        (connection.sender.send(m)).map_err(|e| ServerError::Disconnected(e.to_string()))
    };
    let mut shut_down = false;
    for message in &connection.receiver {
        match message {
            Message::Request(request) if request.method == req::Shutdown::METHOD => {
                shut_down = true;
                send(Message::Response(Response::new_ok(
                    request.id,
                    serde_json::Value::Null,
                )))?;
            }
            Message::Notification(n) if n.method == note::Exit::METHOD => {
                return if shut_down {
                    Ok(())
                } else {
                    Err(ServerError::NoShutdown)
                };
            }
            Message::Request(request) => {
                let id = request.id.clone();
                let answer = catch_unwind(AssertUnwindSafe(|| server.request(request)))
                    .unwrap_or_else(|_| {
                        Err((ErrorCode::InternalError, "the request failed".to_string()))
                    });
                send(Message::Response(match answer {
                    Ok(result) => Response::new_ok(id, result),
                    Err((code, message)) => Response::new_err(id, code as i32, message),
                }))?;
            }
            Message::Notification(n) => {
                let published = catch_unwind(AssertUnwindSafe(|| server.notification(n)));
                for out in published.unwrap_or_default() {
                    send(Message::Notification(out))?;
                }
            }
            Message::Response(_) => {}
        }
    }
    if shut_down {
        Ok(())
    } else {
        Err(ServerError::NoShutdown)
    }
}

struct Server {
    /// Open buffers, by URI: their text and its line index, made once per change.
    documents: HashMap<lsp::Uri, SourceFile>,
    db: AttackDb,
}

type Answer = Result<serde_json::Value, (ErrorCode, String)>;

fn params<P: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(value).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn to_json(value: impl serde::Serialize) -> Answer {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

impl Server {
    fn request(&mut self, request: Request) -> Answer {
        match request.method.as_str() {
            req::HoverRequest::METHOD => {
                let p: lsp::HoverParams = params(request.params)?;
                let doc = p.text_document_position_params;
                let Some(src) = self.documents.get(&doc.text_document.uri) else {
                    return to_json(None::<lsp::Hover>);
                };
                let at = position::offset(src, doc.position);
                let manager = manager_version(&doc.text_document.uri);
                to_json(hover::hover(&self.db, &manager, src, at))
            }
            req::CodeActionRequest::METHOD => {
                let p: lsp::CodeActionParams = params(request.params)?;
                to_json(self.code_actions(&p))
            }
            req::Completion::METHOD => {
                let p: lsp::CompletionParams = params(request.params)?;
                to_json(self.completion(&p.text_document_position))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("wazuh-mitre does not answer {other}"),
            )),
        }
    }

    fn notification(&mut self, n: Notification) -> Vec<Notification> {
        let uri = match n.method.as_str() {
            note::DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(n.params)
                else {
                    return Vec::new();
                };
                let doc = p.text_document;
                self.documents
                    .insert(doc.uri.clone(), buffer(&doc.uri, doc.text));
                doc.uri
            }
            note::DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(n.params)
                else {
                    return Vec::new();
                };
                // Whole-text sync: the last change is the buffer.
                let Some(change) = p.content_changes.into_iter().last() else {
                    return Vec::new();
                };
                let uri = p.text_document.uri;
                self.documents
                    .insert(uri.clone(), buffer(&uri, change.text));
                uri
            }
            note::DidSaveTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidSaveTextDocumentParams>(n.params)
                else {
                    return Vec::new();
                };
                p.text_document.uri
            }
            note::DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(n.params)
                else {
                    return Vec::new();
                };
                self.documents.remove(&p.text_document.uri);
                return vec![publish(p.text_document.uri, Vec::new())];
            }
            _ => return Vec::new(),
        };
        let Some(src) = self.documents.get(&uri) else {
            return Vec::new();
        };
        let Some(path) = position::path_of(&uri) else {
            return Vec::new();
        };
        match analysis::analyse(&path, &src.text, false) {
            Ok(a) => vec![publish(uri, a.lsp_diagnostics())],
            Err(e) => vec![log(&format!("wazuh-mitre: {}: {e}", path.display()))],
        }
    }

    fn code_actions(&self, p: &lsp::CodeActionParams) -> Vec<lsp::CodeAction> {
        let uri = &p.text_document.uri;
        let (Some(src), Some(path)) = (self.documents.get(uri), position::path_of(uri)) else {
            return Vec::new();
        };
        let start = position::offset(src, p.range.start);
        let end = position::offset(src, p.range.end);
        let Ok(a) = analysis::analyse(&path, &src.text, false) else {
            return Vec::new();
        };
        let mut actions = a.fix_actions(uri, (start, end));
        // The suggester (ATT&CK's text, every stock rule) only for an untagged rule.
        if a.untagged_rule_at(start) {
            if let Ok(full) = analysis::analyse(&path, &src.text, true) {
                actions.extend(full.tag_actions(uri, start));
            }
        }
        actions
    }

    fn completion(&self, at: &lsp::TextDocumentPositionParams) -> Option<lsp::CompletionResponse> {
        let uri = &at.text_document.uri;
        let src = self.documents.get(uri)?;
        let offset = position::offset(src, at.position);
        let (typed, start) = completion::typed_id(&src.text, offset)?;
        let range = position::range(src, start, offset);
        // The rule's own suggestions, when the buffer reads.
        let suggested = position::path_of(uri)
            .and_then(|path| analysis::analyse(&path, &src.text, true).ok())
            .and_then(|a| {
                let r = a.rule_at(a.file()?, offset)?;
                let s = crate::suggest::Suggester::new(&a.project);
                Some(s.suggest(r, &Default::default(), 5))
            })
            .unwrap_or_default();
        Some(lsp::CompletionResponse::Array(completion::items(
            &self.db,
            &manager_version(uri),
            typed,
            range,
            &suggested,
        )))
    }
}

/// The manager's ATT&CK version for a document: `manager_attack` of the configuration found
/// upward from it, else Wazuh 4.x's.
fn manager_version(uri: &lsp::Uri) -> String {
    let config = position::path_of(uri)
        .and_then(|p| p.parent().and_then(crate::config::Config::discover))
        .and_then(|file| crate::config::Config::load(&file).ok());
    config
        .and_then(|c| c.manager_attack)
        .unwrap_or_else(|| WAZUH_4_MANAGER_VERSION.to_string())
}

/// An open buffer as a source file.
fn buffer(uri: &lsp::Uri, text: String) -> SourceFile {
    SourceFile::new(position::path_of(uri).unwrap_or_default(), text)
}

fn publish(uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>) -> Notification {
    Notification::new(
        note::PublishDiagnostics::METHOD.to_string(),
        lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        },
    )
}

fn log(message: &str) -> Notification {
    Notification::new(
        note::LogMessage::METHOD.to_string(),
        lsp::LogMessageParams {
            typ: lsp::MessageType::WARNING,
            message: message.to_string(),
        },
    )
}
