//! Per-connection deadlines: the clock a connection's socket, requests and watchdog share,
//! the watchdog that picks the deadline for what the connection is doing, and the body
//! wrappers that track a request from its head to its response's end.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use http_body::{Body as HttpBody, Frame, SizeHint};
use poem::http::header;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;
use tokio::time::Instant;

use super::{ConnLimits, STATS};

/// Why the server closed a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Closed {
    HeaderTimeout = 0,
    IdleTimeout = 1,
    WriteStalled = 2,
    BodyStalled = 3,
}

/// What one connection has been doing; shared by its stream, its requests and its watchdog.
pub(super) struct Clock {
    pub(super) opened: Instant,
    pub(super) in_flight: usize,
    pub(super) served: u64,
    /// Since when no request is in flight (or the last write after that).
    pub(super) idle_since: Instant,
    /// The first byte read while no request was in flight: a request head is arriving.
    pub(super) head_started: Option<Instant>,
    /// HTTP/2: bytes between requests are frames (PING, WINDOW_UPDATE), not a request head.
    pub(super) h2: bool,
    /// Since when a write has been waiting for the client to read.
    pub(super) write_blocked: Option<Instant>,
}

impl Clock {
    pub(super) fn new(now: Instant) -> Clock {
        Clock {
            opened: now,
            in_flight: 0,
            served: 0,
            idle_since: now,
            head_started: None,
            h2: false,
            write_blocked: None,
        }
    }

    /// `Err` with the reason once a limit is passed, else when to look again (`None`: when
    /// woken, since a request in flight has no deadline).
    pub(super) fn check(&self, now: Instant, l: &ConnLimits) -> Result<Option<Instant>, Closed> {
        let (deadline, reason) = if let Some(since) = self.write_blocked {
            (since + l.idle_timeout, Closed::WriteStalled)
        } else if self.in_flight > 0 {
            return Ok(None);
        } else if self.served == 0 {
            (self.opened + l.header_read_timeout, Closed::HeaderTimeout)
        } else if let Some(first) = self.head_started {
            (first + l.header_read_timeout, Closed::HeaderTimeout)
        } else {
            (self.idle_since + l.idle_timeout, Closed::IdleTimeout)
        };
        if now >= deadline {
            Err(reason)
        } else {
            Ok(Some(deadline))
        }
    }
}

pub(super) struct Shared {
    pub(super) clock: Mutex<Clock>,
    /// Wakes the watchdog when a deadline may have moved earlier.
    pub(super) wake: Notify,
}

impl Shared {
    pub(super) fn new(now: Instant) -> Arc<Shared> {
        Arc::new(Shared {
            clock: Mutex::new(Clock::new(now)),
            wake: Notify::new(),
        })
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, Clock> {
        self.clock.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn read_some(&self) {
        let mut c = self.lock();
        if c.in_flight == 0 && c.head_started.is_none() && !c.h2 {
            c.head_started = Some(Instant::now());
            drop(c);
            self.wake.notify_one();
        }
    }

    /// Notes a write's (or flush's) outcome; `sent` says whether bytes went out. A flush with
    /// nothing to send (hyper flushes on every poll) is no activity, only an unblock.
    fn wrote<T>(&self, r: &Poll<io::Result<T>>, sent: bool) {
        match r {
            Poll::Ready(Ok(_)) => {
                let mut c = self.lock();
                c.write_blocked = None;
                if sent && c.in_flight == 0 {
                    c.idle_since = Instant::now();
                }
            }
            Poll::Pending => {
                let mut c = self.lock();
                if c.write_blocked.is_none() {
                    c.write_blocked = Some(Instant::now());
                    drop(c);
                    self.wake.notify_one();
                }
            }
            Poll::Ready(Err(_)) => {}
        }
    }
}

/// Resolves when the connection passes a limit.
pub(super) async fn watchdog(shared: &Shared, limits: &ConnLimits) -> Closed {
    loop {
        let next = match shared.lock().check(Instant::now(), limits) {
            Ok(next) => next,
            Err(reason) => return reason,
        };
        match next {
            Some(at) => {
                tokio::select! {
                    _ = tokio::time::sleep_until(at) => {}
                    _ = shared.wake.notified() => {}
                }
            }
            None => shared.wake.notified().await,
        }
    }
}

/// A request in flight, from its head until its response body is dropped.
pub(super) struct InFlight(Arc<Shared>);

impl InFlight {
    /// Starts one; also returns how many requests the connection has now seen.
    pub(super) fn start(shared: &Arc<Shared>, h2: bool) -> (InFlight, u64) {
        let mut c = shared.lock();
        c.in_flight += 1;
        c.served += 1;
        c.h2 |= h2;
        c.head_started = None;
        let served = c.served;
        drop(c);
        (InFlight(shared.clone()), served)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut c = self.0.lock();
        c.in_flight -= 1;
        if c.in_flight == 0 {
            c.idle_since = Instant::now();
            drop(c);
            self.0.wake.notify_one();
        }
    }
}

/// A response body that keeps its request in flight until it is sent (or dropped).
pub(super) struct Tracked<B> {
    pub(super) body: B,
    pub(super) _request: InFlight,
}

impl<B: HttpBody + Unpin> HttpBody for Tracked<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<B::Data>, B::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// A request body that fails once the handler has waited `limit` for its next bytes.
pub(super) struct BodyDeadline<S> {
    inner: Pin<Box<S>>,
    limit: Duration,
    sleep: Pin<Box<tokio::time::Sleep>>,
    waiting: bool,
}

impl<S> BodyDeadline<S> {
    fn new(inner: S, limit: Duration) -> Self {
        BodyDeadline {
            inner: Box::pin(inner),
            limit,
            sleep: Box::pin(tokio::time::sleep(limit)),
            waiting: false,
        }
    }
}

impl<S, T> futures_util::Stream for BodyDeadline<S>
where
    S: futures_util::Stream<Item = io::Result<T>>,
{
    type Item = io::Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        match this.inner.as_mut().poll_next(cx) {
            Poll::Ready(item) => {
                this.waiting = false;
                Poll::Ready(item)
            }
            Poll::Pending => {
                if !this.waiting {
                    this.waiting = true;
                    let at = Instant::now() + this.limit;
                    this.sleep.as_mut().reset(at);
                }
                if this.sleep.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                let n = Closed::BodyStalled as usize;
                STATS.closed[n].fetch_add(1, Ordering::Relaxed);
                Poll::Ready(Some(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the client sent no more of the request body in time",
                ))))
            }
        }
    }
}

/// Puts a deadline on the body of `req`, if it has one.
pub(super) fn body_deadline(req: &mut poem::Request, limit: Duration) {
    let h = req.headers();
    let has_body = h.contains_key(header::TRANSFER_ENCODING)
        || h.get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0");
    if has_body {
        let body = req.take_body().into_bytes_stream();
        req.set_body(poem::Body::from_bytes_stream(BodyDeadline::new(
            body, limit,
        )));
    }
}

/// The socket, noting reads and writes on the connection's clock.
pub(super) struct Watched<I> {
    pub(super) io: I,
    pub(super) shared: Arc<Shared>,
}

impl<I: AsyncRead + Unpin> AsyncRead for Watched<I> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let r = Pin::new(&mut this.io).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.shared.read_some();
        }
        r
    }
}

impl<I: AsyncWrite + Unpin> AsyncWrite for Watched<I> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.io).poll_write(cx, buf);
        this.shared
            .wrote(&r, matches!(r, Poll::Ready(Ok(n)) if n > 0));
        r
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        this.shared
            .wrote(&r, matches!(r, Poll::Ready(Ok(n)) if n > 0));
        r
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.io).poll_flush(cx);
        this.shared.wrote(&r, false);
        r
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}
