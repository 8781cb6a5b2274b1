//! The connections the preview holds, and which one to let go when there are too many.
//!
//! A client can open connections and send nothing, or begin a request and never finish it, or
//! keep an idle keep-alive connection: each holds a slot. Rather than stop accepting at the
//! cap (which locks every newcomer out until some slot times out), the preview always
//! accepts and, at the cap, closes the connection that has been quiet the longest. A fresh
//! request is then always answered; a page's live-reload stream that is let go reconnects.

use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Instant;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;

/// When a connection last read or wrote a byte, in milliseconds since the registry began.
#[derive(Clone)]
struct Activity {
    epoch: Instant,
    last: Arc<AtomicU64>,
}

impl Activity {
    fn touch(&self) {
        let now = u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(now, Ordering::Relaxed);
    }

    fn last(&self) -> u64 {
        self.last.load(Ordering::Relaxed)
    }
}

struct Entry {
    activity: Activity,
    shed: Arc<Notify>,
}

/// Every open connection, with when it was last active.
pub(super) struct Connections {
    cap: usize,
    epoch: Instant,
    open: Mutex<(u64, HashMap<u64, Entry>)>,
}

impl Connections {
    pub(crate) fn new(cap: usize) -> Arc<Connections> {
        Arc::new(Connections {
            cap: cap.max(1),
            epoch: Instant::now(),
            open: Mutex::new((0, HashMap::new())),
        })
    }

    /// Registers a new connection; at the cap, first tells the quietest one to close.
    pub(crate) fn admit<S>(self: &Arc<Self>, stream: S) -> (Tracked<S>, Admitted) {
        let activity = Activity {
            epoch: self.epoch,
            last: Arc::new(AtomicU64::new(0)),
        };
        activity.touch();
        let shed = Arc::new(Notify::new());
        let mut guard = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let (next_id, open) = &mut *guard;
        while open.len() >= self.cap {
            let Some(quietest) = open
                .iter()
                .min_by_key(|(id, e)| (e.activity.last(), **id))
                .map(|(id, _)| *id)
            else {
                break;
            };
            if let Some(victim) = open.remove(&quietest) {
                victim.shed.notify_one();
            }
        }
        let id = *next_id;
        *next_id += 1;
        open.insert(
            id,
            Entry {
                activity: activity.clone(),
                shed: Arc::clone(&shed),
            },
        );
        drop(guard);
        (
            Tracked {
                inner: stream,
                activity,
            },
            Admitted {
                id,
                shed,
                registry: Arc::clone(self),
            },
        )
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.open.lock().unwrap_or_else(|e| e.into_inner()).1.len()
    }
}

/// A connection's place in the registry; leaving it (dropping this) frees the place.
pub(super) struct Admitted {
    id: u64,
    shed: Arc<Notify>,
    registry: Arc<Connections>,
}

impl Admitted {
    /// Completes when the registry wants this connection closed to make room.
    pub(crate) async fn shed(&self) {
        self.shed.notified().await;
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut guard = self.registry.open.lock().unwrap_or_else(|e| e.into_inner());
        guard.1.remove(&self.id);
    }
}

/// A stream that notes the time of every byte it reads or writes.
pub(super) struct Tracked<S> {
    inner: S,
    activity: Activity,
}

impl<S: AsyncRead + Unpin> AsyncRead for Tracked<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tracked<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn at_the_cap_the_quietest_connection_is_let_go() {
        let registry = Connections::new(2);
        let (first_io, first) = registry.admit(());
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let (_second_io, second) = registry.admit(());
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        // The first one speaks again: now the second is the quietest.
        first_io.activity.touch();
        let (_third_io, third) = registry.admit(());
        assert_eq!(registry.len(), 2);
        tokio::time::timeout(std::time::Duration::from_secs(1), second.shed())
            .await
            .expect("the quietest connection is told to close");
        let not_shed = tokio::time::timeout(std::time::Duration::from_millis(20), first.shed());
        assert!(not_shed.await.is_err(), "a connection that spoke stays");
        drop(second);
        assert_eq!(registry.len(), 2, "a shed connection no longer counts");
        drop(first);
        drop(third);
        assert_eq!(registry.len(), 0);
    }
}
