//! Prometheus metrics (OpenMetrics text at `GET /metrics`).

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabels {
    kind: String,
    place: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ErrorLabels {
    error: &'static str,
}

fn latency_histogram() -> Histogram {
    // 100 µs to about 100 s.
    Histogram::new(exponential_buckets(0.0001, 2.5, 16))
}

/// The gateway's metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    upstream_latency: Histogram,
    upstream_errors: Family<ErrorLabels, Counter>,
    findings: Family<KindLabels, Counter>,
    certificates: Counter,
    connections_open: Gauge,
    connections_refused: Counter,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let mut registry = Registry::with_prefix("lucairn");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered, by route and status", requests.clone());
        let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        registry.register("http_request_duration_seconds", "Time to answer a request, by route", latency.clone());
        let upstream_latency = latency_histogram();
        registry.register(
            "upstream_request_duration_seconds",
            "Time the upstream took to answer in full",
            upstream_latency.clone(),
        );
        let upstream_errors = Family::<ErrorLabels, Counter>::default();
        registry.register(
            "upstream_errors",
            "Upstream calls that failed (unreachable, timeout, invalid) or answered an error status",
            upstream_errors.clone(),
        );
        let findings = Family::<KindLabels, Counter>::default();
        registry.register("findings", "Personal data found, by kind and place (request, answer)", findings.clone());
        let certificates = Counter::default();
        registry.register("certificates_issued", "Certificates signed and stored", certificates.clone());
        let connections_open = Gauge::default();
        registry.register("connections_open", "Client connections open now", connections_open.clone());
        let connections_refused = Counter::default();
        registry.register(
            "connections_refused",
            "Client connections closed at once because max_connections were open",
            connections_refused.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            upstream_latency,
            upstream_errors,
            findings,
            certificates,
            connections_open,
            connections_refused,
        }
    }
}

impl Metrics {
    /// Counts one answered request.
    pub fn request(&self, route: &'static str, status: u16, took: Duration) {
        self.requests.get_or_create(&RequestLabels { route, status }).inc();
        self.latency.get_or_create(&RouteLabels { route }).observe(took.as_secs_f64());
    }

    /// Records how long the upstream took.
    pub fn upstream(&self, took: Duration) {
        self.upstream_latency.observe(took.as_secs_f64());
    }

    /// Counts a failed upstream call or an error status (`unreachable`, `timeout`,
    /// `invalid`, `status_4xx`, `status_5xx`).
    pub fn upstream_error(&self, error: &'static str) {
        self.upstream_errors.get_or_create(&ErrorLabels { error }).inc();
    }

    /// Adds findings of one kind.
    pub fn findings(&self, kind: &str, place: &'static str, n: u64) {
        self.findings.get_or_create(&KindLabels { kind: kind.to_string(), place }).inc_by(n);
    }

    /// Counts a connection opened (`true`) or closed.
    pub fn connection(&self, opened: bool) {
        if opened {
            self.connections_open.inc();
        } else {
            self.connections_open.dec();
        }
    }

    /// Counts a connection closed at accept because too many were open.
    pub fn connection_refused(&self) {
        self.connections_refused.inc();
    }

    /// Counts a certificate.
    pub fn certificate(&self) {
        self.certificates.inc();
    }

    /// The metrics in OpenMetrics text format.
    pub fn encode(&self) -> String {
        let mut s = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut s, &self.registry);
        s
    }
}
