//! HTTP for the sources: one blocking client (rustls for https), a time-out on every
//! request, conditional requests (ETag / Last-Modified), bodies bounded, retries with
//! exponential back-off (or the server's `Retry-After`) on 403, 429, 503, time-outs and
//! transport failures, and NVD's rolling-window rate limit.

use crate::config::Config;
use crate::error::{FetchError, UpdateError};
use crate::progress::{Event, Observer, SourceSummary};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// What a server said about a document the last time: its validators.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Validators {
    pub(crate) etag: Option<String>,
    pub(crate) last_modified: Option<String>,
}

/// A successful answer.
#[derive(Debug)]
pub(crate) enum Reply {
    /// 2xx with its body and validators.
    Body {
        body: Vec<u8>,
        validators: Validators,
    },
    /// 304: what was fetched before still holds.
    NotModified,
}

/// At most `limit` requests per rolling `window` (NVD: 5 per 30 s, 50 with a key).
#[derive(Debug)]
pub(crate) struct RateLimit {
    limit: usize,
    window: Duration,
    sent: VecDeque<Instant>,
}

impl RateLimit {
    pub(crate) fn new(limit: usize, window: Duration) -> Self {
        RateLimit {
            limit: limit.max(1),
            window,
            sent: VecDeque::new(),
        }
    }

    /// How long to wait before the next request may go (zero when it may go now).
    fn wait(&mut self, now: Instant) -> Duration {
        while self
            .sent
            .front()
            .is_some_and(|&t| now.duration_since(t) >= self.window)
        {
            self.sent.pop_front();
        }
        if self.sent.len() < self.limit {
            return Duration::ZERO;
        }
        self.sent.front().map_or(Duration::ZERO, |&t| {
            (t + self.window).saturating_duration_since(now)
        })
    }

    fn sent(&mut self, at: Instant) {
        self.sent.push_back(at);
    }
}

/// One failed attempt: the error, whether trying again may help, and the server's wait.
struct Failure {
    error: FetchError,
    retry: bool,
    retry_after: Option<Duration>,
}

/// The client every source uses.
pub(crate) struct Client {
    agent: ureq::Agent,
    attempts: u32,
    backoff: Duration,
    max_wait: Duration,
    max_body: u64,
}

/// One request: its URL, headers, and where its figures go.
pub(crate) struct Get<'a> {
    pub(crate) source: &'a str,
    pub(crate) url: &'a str,
    pub(crate) headers: &'a [(&'a str, &'a str)],
    pub(crate) validators: Option<&'a Validators>,
}

impl Client {
    pub(crate) fn new(config: &Config) -> Self {
        let mut builder = ureq::Agent::config_builder()
            .timeout_global(Some(config.timeout))
            .http_status_as_error(false)
            .max_redirects(5)
            .user_agent(concat!("exposure-update/", env!("CARGO_PKG_VERSION")));
        if !config.proxy_from_env {
            builder = builder.proxy(None);
        }
        Client {
            agent: builder.build().into(),
            attempts: config.attempts,
            backoff: config.backoff,
            max_wait: config.max_wait,
            max_body: config.max_body_bytes,
        }
    }

    /// GETs a URL: retried on 403, 429, 503, time-outs and transport failures up to the
    /// configured attempts, each retry after the back-off (doubling) or the `Retry-After`
    /// the server sent; `rate` (NVD's) delays requests beyond its window's share. Requests
    /// and bytes are added to `summary`.
    pub(crate) fn get(
        &self,
        request: &Get<'_>,
        mut rate: Option<&mut RateLimit>,
        summary: &mut SourceSummary,
        observer: &mut dyn Observer,
    ) -> Result<Reply, UpdateError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            if let Some(rate) = rate.as_deref_mut() {
                let wait = rate.wait(Instant::now());
                if !wait.is_zero() {
                    observer.event(&Event::RateLimited {
                        source: request.source,
                        wait,
                    });
                    std::thread::sleep(wait);
                }
                rate.sent(Instant::now());
            }
            summary.requests += 1;
            let failure = match self.once(request, summary) {
                Ok(reply) => return Ok(reply),
                Err(failure) => failure,
            };
            if !failure.retry || attempt >= self.attempts {
                return Err(UpdateError::Fetch {
                    source_name: request.source.to_owned(),
                    url: request.url.to_owned(),
                    attempts: attempt,
                    error: failure.error,
                });
            }
            let doubled = self.backoff.saturating_mul(1 << (attempt - 1).min(16));
            let wait = failure.retry_after.unwrap_or(doubled).min(self.max_wait);
            observer.event(&Event::Retry {
                source: request.source,
                url: request.url,
                attempt,
                reason: &failure.error.to_string(),
                wait,
            });
            std::thread::sleep(wait);
        }
    }

    fn once(&self, request: &Get<'_>, summary: &mut SourceSummary) -> Result<Reply, Failure> {
        let mut builder = self.agent.get(request.url);
        for (name, value) in request.headers {
            builder = builder.header(*name, *value);
        }
        if let Some(v) = request.validators {
            if let Some(etag) = &v.etag {
                builder = builder.header("If-None-Match", etag);
            }
            if let Some(date) = &v.last_modified {
                builder = builder.header("If-Modified-Since", date);
            }
        }
        let mut response = builder.call().map_err(transport)?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        match status {
            304 => Ok(Reply::NotModified),
            200..=299 => {
                let validators = Validators {
                    etag: header("etag"),
                    last_modified: header("last-modified"),
                };
                let body = response
                    .body_mut()
                    .with_config()
                    .limit(self.max_body)
                    .read_to_vec()
                    .map_err(|e| match e {
                        ureq::Error::BodyExceedsLimit(_) => Failure {
                            error: FetchError::TooLarge {
                                limit: self.max_body,
                            },
                            retry: false,
                            retry_after: None,
                        },
                        other => transport(other),
                    })?;
                summary.bytes += body.len() as u64;
                Ok(Reply::Body { body, validators })
            }
            403 | 429 | 503 => Err(Failure {
                error: FetchError::Status { status },
                retry: true,
                retry_after: header("retry-after").and_then(|v| retry_after(&v)),
            }),
            _ => Err(Failure {
                error: FetchError::Status { status },
                retry: false,
                retry_after: None,
            }),
        }
    }
}

/// A transport error: time-outs and I/O (refused connections, truncated bodies) are worth
/// another try.
fn transport(e: ureq::Error) -> Failure {
    match e {
        ureq::Error::Timeout(_) => Failure {
            error: FetchError::Timeout,
            retry: true,
            retry_after: None,
        },
        ureq::Error::Io(ref io) if io.kind() == std::io::ErrorKind::TimedOut => Failure {
            error: FetchError::Timeout,
            retry: true,
            retry_after: None,
        },
        other => Failure {
            error: FetchError::Transport(other.to_string()),
            retry: true,
            retry_after: None,
        },
    }
}

/// `Retry-After` in seconds (an HTTP date is left to the back-off).
fn retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_limit_waits_for_the_oldest_request_to_leave_the_window() {
        let mut rate = RateLimit::new(2, Duration::from_secs(30));
        let t0 = Instant::now();
        assert_eq!(rate.wait(t0), Duration::ZERO);
        rate.sent(t0);
        assert_eq!(rate.wait(t0), Duration::ZERO);
        rate.sent(t0 + Duration::from_secs(10));
        assert_eq!(
            rate.wait(t0 + Duration::from_secs(20)),
            Duration::from_secs(10)
        );
        assert_eq!(rate.wait(t0 + Duration::from_secs(30)), Duration::ZERO);
    }

    #[test]
    fn retry_after_is_read_in_seconds() {
        assert_eq!(retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }
}
