//! E-mail over SMTP (`[email]`), through lettre's tokio transport: STARTTLS, implicit TLS or (on
//! loopback only, which the configuration checks) none; SMTP AUTH with the password read from
//! `email.password_file`. TLS is rustls on the ring provider the server uses, trusting the
//! system's certificates. One connection per message (the outbox sends a few at a time).
//!
//! Each message is plain UTF-8 text with `Message-ID` (the outbox item's id, so a retried
//! message keeps its id), `Date`, `From`, `To` and `Subject`. Failures are told in words;
//! a permanent refusal (SMTP 5xx other than an authentication failure) is marked so that the
//! outbox stops retrying it.

use std::error::Error as _;
use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::{Mail, MailSender, Sending, Sent};
use crate::config::{EmailConfig, EmailSecurity};

/// Sends through one SMTP server.
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The domain of the sender's address, for Message-IDs.
    domain: String,
    /// `host:port`, for messages.
    server: String,
    timeout: Duration,
}

impl Smtp {
    /// The sender for `cfg`; reads the password file. `Err` names the key and the problem.
    pub fn new(cfg: &EmailConfig) -> Result<Smtp, String> {
        let from: Mailbox = cfg
            .from_display()
            .parse()
            .or_else(|_| cfg.from_address.parse())
            .map_err(|e| format!("config key `email.from`: {e}"))?;
        let tls = || {
            TlsParameters::new(cfg.host.clone())
                .map_err(|e| format!("cannot set up TLS for {}: {e}", cfg.host))
        };
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(cfg.host.clone())
            .port(cfg.port)
            .timeout(Some(cfg.timeout));
        b = match cfg.security {
            EmailSecurity::StartTls => b.tls(Tls::Required(tls()?)),
            EmailSecurity::Tls => b.tls(Tls::Wrapper(tls()?)),
            EmailSecurity::None => b.tls(Tls::None),
        };
        if let (Some(user), Some(file)) = (&cfg.username, &cfg.password_file) {
            let text = std::fs::read_to_string(file).map_err(|e| {
                format!(
                    "config key `email.password_file`: cannot read {}: {e}",
                    file.display()
                )
            })?;
            let password = text.lines().next().unwrap_or("").trim_end().to_owned();
            if password.is_empty() {
                return Err(format!(
                    "config key `email.password_file`: {} is empty; its first line must be the SMTP password",
                    file.display()
                ));
            }
            b = b.credentials(Credentials::new(user.clone(), password));
        }
        Ok(Smtp {
            transport: b.build(),
            domain: cfg
                .from_address
                .rsplit_once('@')
                .map_or("localhost", |(_, d)| d)
                .to_owned(),
            from,
            server: format!("{}:{}", cfg.host, cfg.port),
            timeout: cfg.timeout,
        })
    }

    /// The message as it goes on the wire.
    pub fn message(&self, mail: &Mail) -> Result<lettre::Message, String> {
        build_message(&self.from, &self.domain, mail)
    }

    async fn deliver(&self, mail: &Mail) -> Sent {
        let msg = match self.message(mail) {
            Ok(m) => m,
            Err(e) => return failed(e, true),
        };
        // lettre's timeout is per network operation; this bounds the whole conversation.
        match tokio::time::timeout(self.timeout, self.transport.send(msg)).await {
            Err(_) => failed(
                format!(
                    "timed out after {}s talking to {}",
                    self.timeout.as_secs(),
                    self.server
                ),
                false,
            ),
            Ok(Ok(resp)) => Sent {
                ok: true,
                status: Some(u16::from(resp.code())),
                error: None,
                permanent: false,
            },
            Ok(Err(e)) => {
                let code = e.status().map(u16::from);
                let auth = matches!(code, Some(530 | 534 | 535 | 538));
                Sent {
                    ok: false,
                    status: code,
                    error: Some(describe(&e, &self.server, auth)),
                    permanent: e.is_permanent() && !auth,
                }
            }
        }
    }
}

impl MailSender for Smtp {
    fn send<'a>(&'a self, mail: &'a Mail) -> Sending<'a> {
        Box::pin(self.deliver(mail))
    }
}

fn failed(error: String, permanent: bool) -> Sent {
    Sent {
        ok: false,
        status: None,
        error: Some(error),
        permanent,
    }
}

/// A plain-text UTF-8 message from `from` with a Message-ID built from the outbox id.
pub fn build_message(from: &Mailbox, domain: &str, mail: &Mail) -> Result<lettre::Message, String> {
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e| format!("{:?} is not a usable address: {e}", mail.to))?;
    lettre::Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(format!("<{}@{domain}>", mail.id)))
        .date_now()
        .user_agent(concat!("OphionTT/", env!("CARGO_PKG_VERSION")).to_owned())
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|e| format!("cannot build the message: {e}"))
}

/// Why sending failed, in words an admin acts on (never the password).
fn describe(e: &lettre::transport::smtp::Error, server: &str, auth: bool) -> String {
    let io = {
        let mut src = e.source();
        let mut found = None;
        while let Some(s) = src {
            if let Some(io) = s.downcast_ref::<std::io::Error>() {
                found = Some(io.kind());
                break;
            }
            src = s.source();
        }
        found
    };
    if auth {
        return format!(
            "the SMTP server {server} refused the sign-in ({e}): check email.username and email.password_file"
        );
    }
    if e.is_timeout() || io == Some(std::io::ErrorKind::TimedOut) {
        return format!("timed out talking to {server}");
    }
    if io == Some(std::io::ErrorKind::ConnectionRefused) {
        return format!("connection refused by {server}: is the SMTP server running?");
    }
    if e.is_tls() {
        return format!("TLS with {server} failed: {}", chain(e));
    }
    if e.is_permanent() {
        return format!("{server} refused the message for good: {}", chain(e));
    }
    if e.is_transient() {
        return format!("{server} deferred the message: {}", chain(e));
    }
    format!("sending through {server} failed: {}", chain(e))
}

/// The error and its causes, one after another.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        let t = s.to_string();
        if !out.contains(&t) {
            out.push_str(": ");
            out.push_str(&t);
        }
        src = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_has_the_headers_a_mail_reader_needs() {
        let from: Mailbox = "OphionTT <tt@example.com>".parse().unwrap();
        let id = uuid::Uuid::nil();
        let mail = Mail {
            id,
            to: "ada@example.org".into(),
            subject: "Your week of 2026-11-02 was rejected — Grüße".into(),
            body: "Hello Ada,\n\nMonday is missing. Grüße\n".into(),
        };
        let m = build_message(&from, "example.com", &mail).unwrap();
        let text = String::from_utf8(m.formatted()).unwrap();
        let head = text.split("\r\n\r\n").next().unwrap();
        assert!(head.contains("From: OphionTT <tt@example.com>"), "{head}");
        assert!(head.contains("To: ada@example.org"), "{head}");
        assert!(
            head.contains("Message-ID: <00000000-0000-0000-0000-000000000000@example.com>"),
            "{head}"
        );
        assert!(head.contains("\r\nDate: "), "{head}");
        assert!(
            head.contains("Subject: Your week of 2026-11-02 was rejected =?utf-8?b?"),
            "{head}"
        );
        assert!(
            head.contains("Content-Type: text/plain; charset=utf-8"),
            "{head}"
        );
        assert!(text.lines().all(|l| l.len() <= 998));
    }

    #[test]
    fn a_bad_recipient_is_refused_before_connecting() {
        let from: Mailbox = "tt@example.com".parse().unwrap();
        let mail = Mail {
            id: uuid::Uuid::nil(),
            to: "not an address".into(),
            subject: "s".into(),
            body: "b".into(),
        };
        assert!(build_message(&from, "example.com", &mail).is_err());
    }
}
