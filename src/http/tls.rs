//! HTTPS on a listener: a poem acceptor that runs the rustls handshake lazily on the
//! connection's own task (a slow client never holds up the accept loop), and the optional
//! plain-HTTP listener that only redirects to HTTPS.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use poem::http::uri::Scheme;
use poem::http::{header, StatusCode};
use poem::listener::{Acceptor, TcpAcceptor};
use poem::web::{LocalAddr, RemoteAddr};
use poem::{Request, Response};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Timeout;
use tokio_rustls::server::TlsStream;

/// Accepts TCP connections and wraps each in TLS with `config` (whose certificate resolver
/// may swap the pair at any time). A client gets `handshake_timeout` to finish its handshake.
pub struct TlsAcceptor {
    tcp: TcpAcceptor,
    tls: tokio_rustls::TlsAcceptor,
    handshake_timeout: Duration,
}

impl TlsAcceptor {
    pub fn new(
        listener: tokio::net::TcpListener,
        config: Arc<rustls::ServerConfig>,
        handshake_timeout: Duration,
    ) -> io::Result<Self> {
        Ok(TlsAcceptor {
            tcp: TcpAcceptor::from_tokio(listener)?,
            tls: tokio_rustls::TlsAcceptor::from(config),
            handshake_timeout,
        })
    }
}

impl Acceptor for TlsAcceptor {
    type Io = TlsIo;

    fn local_addr(&self) -> Vec<LocalAddr> {
        self.tcp.local_addr()
    }

    async fn accept(&mut self) -> io::Result<(TlsIo, LocalAddr, RemoteAddr, Scheme)> {
        let (stream, local, remote, _) = self.tcp.accept().await?;
        let handshake = tokio::time::timeout(self.handshake_timeout, self.tls.accept(stream));
        Ok((
            TlsIo(State::Handshaking(Box::pin(handshake))),
            local,
            remote,
            Scheme::HTTPS,
        ))
    }
}

enum State {
    Handshaking(Pin<Box<Timeout<tokio_rustls::Accept<TcpStream>>>>),
    Ready(Box<TlsStream<TcpStream>>),
    Failed,
}

/// A connection whose handshake completes on first use.
pub struct TlsIo(State);

impl TlsIo {
    fn stream(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&mut TlsStream<TcpStream>>> {
        if let State::Handshaking(accept) = &mut self.0 {
            match accept.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(Ok(stream))) => self.0 = State::Ready(Box::new(stream)),
                Poll::Ready(Ok(Err(e))) => {
                    self.0 = State::Failed;
                    tracing::debug!(error = %e, "TLS handshake failed");
                    return Poll::Ready(Err(e));
                }
                Poll::Ready(Err(_)) => {
                    self.0 = State::Failed;
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "TLS handshake timed out",
                    )));
                }
            }
        }
        match &mut self.0 {
            State::Ready(stream) => Poll::Ready(Ok(stream)),
            _ => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "TLS handshake failed",
            ))),
        }
    }
}

macro_rules! ready_stream {
    ($self:ident, $cx:ident) => {
        match $self.get_mut().stream($cx) {
            Poll::Ready(Ok(s)) => Pin::new(s),
            Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
            Poll::Pending => return Poll::Pending,
        }
    };
}

impl AsyncRead for TlsIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        ready_stream!(self, cx).poll_read(cx, buf)
    }
}

impl AsyncWrite for TlsIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready_stream!(self, cx).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready_stream!(self, cx).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready_stream!(self, cx).poll_shutdown(cx)
    }
}

/// The redirect target for a plain-HTTP request: `https://` + the public URL's host (or the
/// request's Host without its port) + the HTTPS port when it is not 443 + path and query.
pub fn https_location(req: &Request, public_url: Option<&str>, https_port: u16) -> Option<String> {
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    if let Some(base) = public_url.filter(|u| u.starts_with("https://")) {
        return Some(format!("{base}{path}"));
    }
    let host = req.headers().get(header::HOST)?.to_str().ok()?;
    let name = match host.rsplit_once(':') {
        // `[::1]:80` or `name:80`; a bare IPv6 literal keeps its brackets.
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) && !name.is_empty() => name,
        _ => host,
    };
    if name.is_empty()
        || name
            .chars()
            .any(|c| c.is_whitespace() || c == '/' || c == '@')
    {
        return None;
    }
    let port = if https_port == 443 {
        String::new()
    } else {
        format!(":{https_port}")
    };
    Some(format!("https://{name}{port}{path}"))
}

/// 308 to HTTPS, or 400 when the request names no usable host.
pub fn redirect_response(location: Option<String>) -> Response {
    match location {
        Some(to) => Response::builder()
            .status(StatusCode::PERMANENT_REDIRECT)
            .header(header::LOCATION, to)
            .header(header::CACHE_CONTROL, "no-store")
            .body(()),
        None => Response::builder()
            .status(StatusCode::BAD_REQUEST)
            .content_type("text/plain")
            .body("This address serves HTTPS only; the request named no host to redirect to.\n"),
    }
}
