//! Sending messages out of the host: webhook deliveries over HTTP(S) and e-mail over SMTP.
//! Mechanisms only: what to send, to whom and when is decided in `service::outbox`; each
//! sender takes one message and answers how the attempt went.

pub mod email;
pub mod webhook;

use std::sync::Arc;

/// How one attempt went: delivered, or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub ok: bool,
    /// The answer's status, when the receiver answered.
    pub status: Option<u16>,
    pub error: Option<String>,
    /// The receiver refused it for good (an SMTP 5xx such as an unknown recipient): trying
    /// again would fail the same way, so the message is marked failed at once.
    pub permanent: bool,
}

/// An e-mail to send (plain text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// The outbox item's id: the message's `Message-ID`, the same on every attempt.
    pub id: uuid::Uuid,
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// A sender's answer, later.
pub type Sending<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Sent> + Send + 'a>>;

/// What sends e-mail (`[email]`): none when the instance has no SMTP server configured.
pub trait MailSender: Send + Sync {
    fn send<'a>(&'a self, mail: &'a Mail) -> Sending<'a>;
}

/// The senders the delivery worker uses.
#[derive(Clone)]
pub struct Senders {
    pub webhook: webhook::Poster,
    pub mail: Option<Arc<dyn MailSender>>,
}
