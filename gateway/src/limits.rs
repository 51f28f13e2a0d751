//! Limits on the work the gateway takes on: connections open at once, requests in flight
//! at once, requests per minute per API key, and how long a client may take to send a
//! request body.
//!
//! Nothing waits in a queue for a limit: a request over the in-flight limit is answered
//! 503 at once, a request over its key's rate 429 at once, both with `Retry-After`.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::body::{Frame, SizeHint};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::server::{Body, BoxError};

/// Buckets kept before the full ones (idle keys) are dropped.
const PRUNE_AT: usize = 10_000;

/// A per-key rate: a token bucket of `burst` requests, refilled at `per_minute`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Requests per minute, at least 1.
    pub per_minute: u32,
    /// Requests a key may make at once, at least 1.
    pub burst: u32,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
    rate: Rate,
}

impl Rate {
    fn per_second(self) -> f64 {
        f64::from(self.per_minute) / 60.0
    }
}

/// Token buckets per API key id, each with its key's rate.
#[derive(Debug, Default)]
struct RateLimiter {
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    /// Takes one token from `key`'s bucket at `now`, or says how long until there is one.
    fn take(&self, key: &str, rate: Rate, now: Instant) -> Result<(), Duration> {
        let burst = f64::from(rate.burst);
        let per_second = rate.per_second();
        // A poisoned lock only means another request panicked while holding it; the map
        // is still consistent (every update is a single assignment).
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= PRUNE_AT && !buckets.contains_key(key) {
            // A full bucket is the same as no bucket: forget idle keys.
            buckets.retain(|_, b| {
                b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * b.rate.per_second()
                    < f64::from(b.rate.burst)
            });
        }
        let b = buckets.entry(key.to_string()).or_insert(Bucket { tokens: burst, at: now, rate });
        let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
        b.tokens = (b.tokens + elapsed * per_second).min(burst);
        b.at = now;
        b.rate = rate;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - b.tokens) / per_second))
        }
    }
}

/// The limits of one server; shared by all connections.
#[derive(Debug)]
pub struct Limits {
    in_flight: Arc<Semaphore>,
    max_in_flight: usize,
    connections: Arc<Semaphore>,
    /// The rate of keys that have none of their own.
    default_rate: Option<Rate>,
    rates: RateLimiter,
    body_read_timeout: Duration,
}

/// As many requests as allowed are in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    /// The limit.
    pub max: usize,
}

/// The key has used its rate; a token is back after `retry_after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimited {
    /// The configured rate.
    pub per_minute: u32,
    pub retry_after: Duration,
}

/// When the body of a request must have arrived; put in the request's extensions by the
/// server and honoured by [`crate::routes::read_body`].
#[derive(Debug, Clone, Copy)]
pub struct BodyDeadline(pub tokio::time::Instant);

impl Limits {
    /// At most `max_in_flight` requests at once (at least 1), `rate` per key if given (for
    /// keys without a rate of their own), and `body_read_timeout` for each request body.
    pub fn new(max_in_flight: usize, rate: Option<Rate>, body_read_timeout: Duration) -> Limits {
        let max_in_flight = max_in_flight.clamp(1, Semaphore::MAX_PERMITS);
        Limits {
            in_flight: Arc::new(Semaphore::new(max_in_flight)),
            max_in_flight,
            connections: Arc::new(Semaphore::new(Semaphore::MAX_PERMITS)),
            default_rate: rate,
            rates: RateLimiter::default(),
            body_read_timeout,
        }
    }

    /// A place among the requests in flight, held until the permit is dropped; `Err`
    /// when all are taken.
    pub fn start(&self) -> Result<OwnedSemaphorePermit, Busy> {
        self.in_flight.clone().try_acquire_owned().map_err(|_| Busy { max: self.max_in_flight })
    }

    /// At most `max` client connections open at once (at least 1; without this call,
    /// as many as the system allows).
    pub fn with_max_connections(mut self, max: usize) -> Limits {
        self.connections = Arc::new(Semaphore::new(max.clamp(1, Semaphore::MAX_PERMITS)));
        self
    }

    /// A place among the open connections, held until the permit is dropped; `None` when
    /// all are taken.
    pub fn connection(&self) -> Option<OwnedSemaphorePermit> {
        self.connections.clone().try_acquire_owned().ok()
    }

    /// Requests in flight now.
    pub fn in_flight(&self) -> usize {
        self.max_in_flight - self.in_flight.available_permits()
    }

    /// Counts one request of the key `key_id` against its rate: `key_rate` requests per
    /// minute (as many at once) if the key has a rate of its own, none if that is 0, the
    /// server's rate if it has none.
    pub fn check_rate(&self, key_id: &str, key_rate: Option<u32>) -> Result<(), RateLimited> {
        self.check_rate_at(key_id, key_rate, Instant::now())
    }

    fn check_rate_at(&self, key_id: &str, key_rate: Option<u32>, now: Instant) -> Result<(), RateLimited> {
        let rate = match key_rate {
            None => self.default_rate,
            Some(0) => None,
            Some(n) => Some(Rate { per_minute: n, burst: n }),
        };
        match rate {
            None => Ok(()),
            Some(rate) => self
                .rates
                .take(key_id, rate, now)
                .map_err(|retry_after| RateLimited { per_minute: rate.per_minute, retry_after }),
        }
    }

    /// The deadline of a body whose request arrives now.
    pub fn body_deadline(&self) -> BodyDeadline {
        BodyDeadline(tokio::time::Instant::now() + self.body_read_timeout)
    }
}

/// Whole seconds to put in `Retry-After`: rounded up, at least 1.
pub fn retry_after_secs(d: Duration) -> u64 {
    let s = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    s.max(1)
}

/// A response body that holds a place among the requests in flight until it is done (or
/// dropped): a streamed answer counts as in flight until its last byte.
pub struct HeldBody {
    inner: Body,
    permit: Option<OwnedSemaphorePermit>,
}

impl std::fmt::Debug for HeldBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeldBody").field("held", &self.permit.is_some()).finish_non_exhaustive()
    }
}

impl HeldBody {
    pub fn new(inner: Body, permit: OwnedSemaphorePermit) -> HeldBody {
        HeldBody { inner, permit: Some(permit) }
    }
}

impl hyper::body::Body for HeldBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let r = Pin::new(&mut self.inner).poll_frame(cx);
        if matches!(r, Poll::Ready(None) | Poll::Ready(Some(Err(_)))) {
            self.permit = None;
        }
        r
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(per_minute: u32, burst: u32) -> Limits {
        Limits::new(2, Some(Rate { per_minute, burst }), Duration::from_secs(1))
    }

    #[test]
    fn burst_then_the_rate() {
        let l = limits(60, 3);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(l.check_rate_at("k", None, t0), Ok(()));
        }
        let Err(RateLimited { per_minute: 60, retry_after }) = l.check_rate_at("k", None, t0) else {
            panic!("the fourth request at once is refused")
        };
        assert_eq!(retry_after_secs(retry_after), 1);
        // Another key has its own bucket.
        assert_eq!(l.check_rate_at("other", None, t0), Ok(()));
        // One token per second comes back, never more than the burst.
        assert_eq!(l.check_rate_at("k", None, t0 + Duration::from_millis(1000)), Ok(()));
        assert!(l.check_rate_at("k", None, t0 + Duration::from_millis(1500)).is_err());
        let later = t0 + Duration::from_secs(3600);
        for _ in 0..3 {
            assert_eq!(l.check_rate_at("k", None, later), Ok(()));
        }
        assert!(l.check_rate_at("k", None, later).is_err());
    }

    #[test]
    fn slow_rates_say_when_to_come_back() {
        let l = limits(2, 1);
        let t0 = Instant::now();
        assert_eq!(l.check_rate_at("k", None, t0), Ok(()));
        let Err(RateLimited { retry_after, .. }) = l.check_rate_at("k", None, t0 + Duration::from_secs(10)) else {
            panic!("refused")
        };
        assert_eq!(retry_after_secs(retry_after), 20);
    }

    #[test]
    fn idle_buckets_are_forgotten() {
        let l = limits(60, 1);
        let t0 = Instant::now();
        for i in 0..PRUNE_AT {
            assert_eq!(l.check_rate_at(&i.to_string(), None, t0), Ok(()));
        }
        let later = t0 + Duration::from_secs(2);
        assert_eq!(l.check_rate_at("new", None, later), Ok(()));
        let n = l.rates.buckets.lock().map(|b| b.len()).unwrap_or(0);
        assert_eq!(n, 1);
    }

    #[test]
    fn a_key_of_its_own_rate() {
        let l = limits(60, 1);
        let t0 = Instant::now();
        // Three a minute, three at once, whatever the server's rate.
        for _ in 0..3 {
            assert_eq!(l.check_rate_at("own", Some(3), t0), Ok(()));
        }
        let Err(RateLimited { per_minute: 3, retry_after }) = l.check_rate_at("own", Some(3), t0) else {
            panic!("the fourth is refused")
        };
        assert_eq!(retry_after_secs(retry_after), 20);
        // 0: no limit, though the server has one.
        for _ in 0..100 {
            assert_eq!(l.check_rate_at("free", Some(0), t0), Ok(()));
        }
        // No rate of its own: the server's.
        assert_eq!(l.check_rate_at("plain", None, t0), Ok(()));
        assert!(l.check_rate_at("plain", None, t0).is_err());
        // A key's own rate applies without a server rate too.
        let l = Limits::new(2, None, Duration::from_secs(1));
        assert_eq!(l.check_rate_at("own", Some(1), t0), Ok(()));
        assert!(l.check_rate_at("own", Some(1), t0).is_err());
        assert_eq!(l.check_rate_at("plain", None, t0), Ok(()));
        assert_eq!(l.check_rate_at("plain", None, t0), Ok(()));
    }

    #[test]
    fn in_flight_places_are_given_back() {
        let l = Limits::new(2, None, Duration::from_secs(1));
        let a = l.start().expect("first");
        let _b = l.start().expect("second");
        assert_eq!(l.start().err(), Some(Busy { max: 2 }));
        assert_eq!(l.in_flight(), 2);
        drop(a);
        assert!(l.start().is_ok());
        assert_eq!(l.check_rate("any", None), Ok(()), "no rate limit configured");
    }

    #[test]
    fn connection_places_are_given_back() {
        let l = Limits::new(2, None, Duration::from_secs(1)).with_max_connections(1);
        let a = l.connection().expect("first");
        assert!(l.connection().is_none());
        drop(a);
        assert!(l.connection().is_some());
    }

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(2001)), 3);
        assert_eq!(retry_after_secs(Duration::from_secs(2)), 2);
    }
}
