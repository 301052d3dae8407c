//! Trace context: a batch's trace id, and W3C `traceparent` headers.
//!
//! A batch's trace id is the first 16 bytes of
//! `keccak256("rampart.trace.v1" ‖ chainId ‖ attestationCenter ‖ rollupId ‖ batchIndex)`
//! (integers big-endian, 8 bytes). Every operator and aggregator computes it on its own, so
//! all their spans for the batch share one trace even where no request connects them (the
//! certificate is built long after the requests that carried the signatures were answered).
//! The spans hang under a remote parent with the next 8 bytes of that hash as span id; no
//! process exports that parent, so trace viewers show it as the (missing) root.

use alloy_primitives::keccak256;
use opentelemetry::propagation::TextMapPropagator;
use opentelemetry::trace::{SpanContext, SpanId, TraceContextExt, TraceFlags, TraceId, TraceState};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use rampart_primitives::Domain;
use std::collections::HashMap;
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// The HTTP header carrying the W3C trace context.
pub const TRACEPARENT: &str = "traceparent";

/// The batch's trace and root span ids.
fn batch_ids(domain: &Domain, rollup_id: u64, batch_index: u64) -> (TraceId, SpanId) {
    let mut input = Vec::with_capacity(16 + 8 + 20 + 16);
    input.extend_from_slice(b"rampart.trace.v1");
    input.extend_from_slice(&domain.chain_id.to_be_bytes());
    input.extend_from_slice(domain.verifying_contract.as_slice());
    input.extend_from_slice(&rollup_id.to_be_bytes());
    input.extend_from_slice(&batch_index.to_be_bytes());
    let hash = keccak256(&input);
    let mut trace = [0u8; 16];
    trace.copy_from_slice(&hash[..16]);
    let mut span = [0u8; 8];
    span.copy_from_slice(&hash[16..24]);
    // All-zero ids are invalid in W3C trace context; a hash that yields one is replaced by 1.
    if trace == [0; 16] {
        trace[15] = 1;
    }
    if span == [0; 8] {
        span[7] = 1;
    }
    (TraceId::from_bytes(trace), SpanId::from_bytes(span))
}

/// The trace id of a batch.
pub fn batch_trace_id(domain: &Domain, rollup_id: u64, batch_index: u64) -> TraceId {
    batch_ids(domain, rollup_id, batch_index).0
}

/// The batch's remote root context, to parent a batch's spans on.
pub fn batch_context(domain: &Domain, rollup_id: u64, batch_index: u64) -> opentelemetry::Context {
    let (trace, span) = batch_ids(domain, rollup_id, batch_index);
    let parent = SpanContext::new(trace, span, TraceFlags::SAMPLED, true, TraceState::default());
    opentelemetry::Context::new().with_remote_span_context(parent)
}

/// Puts `span` in the batch's trace (under its remote root).
pub fn follow_batch(span: &tracing::Span, domain: &Domain, rollup_id: u64, batch_index: u64) {
    let _ = span.set_parent(batch_context(domain, rollup_id, batch_index));
}

/// The `traceparent` value naming `span` as the parent, or, when spans are not exported (the
/// span has no OpenTelemetry context), the batch's root: either way the receiver joins the
/// batch's trace.
pub fn traceparent(
    span: &tracing::Span,
    domain: &Domain,
    rollup_id: u64,
    batch_index: u64,
) -> String {
    let cx = span.context();
    let cx = if cx.span().span_context().is_valid() {
        cx
    } else {
        batch_context(domain, rollup_id, batch_index)
    };
    let mut carrier = HashMap::new();
    TraceContextPropagator::new().inject_context(&cx, &mut carrier);
    carrier.remove(TRACEPARENT).unwrap_or_default()
}

/// The remote parent named by a `traceparent` header value, if it is a valid one.
pub fn parse_traceparent(value: &str) -> Option<opentelemetry::Context> {
    let carrier = HashMap::from([(TRACEPARENT.to_owned(), value.to_owned())]);
    let cx = TraceContextPropagator::new().extract(&carrier);
    cx.span().span_context().is_valid().then_some(cx)
}

/// Makes `span` a child of the request's `traceparent` when it carries a valid one (true);
/// otherwise leaves it alone (false). An invalid header is ignored, never an error: tracing
/// must not change what a request gets.
pub fn continue_from(span: &tracing::Span, headers: &http::HeaderMap) -> bool {
    let Some(cx) =
        headers.get(TRACEPARENT).and_then(|v| v.to_str().ok()).and_then(parse_traceparent)
    else {
        return false;
    };
    span.set_parent(cx).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::Address;

    fn domain(chain_id: u64) -> Domain {
        Domain { chain_id, verifying_contract: Address::repeat_byte(0x11) }
    }

    #[test]
    fn batch_ids_are_stable_and_distinct() {
        let a = batch_trace_id(&domain(1), 1, 7);
        assert_eq!(a, batch_trace_id(&domain(1), 1, 7));
        assert_ne!(a, batch_trace_id(&domain(1), 1, 8));
        assert_ne!(a, batch_trace_id(&domain(1), 2, 7));
        assert_ne!(a, batch_trace_id(&domain(2), 1, 7));
        assert_ne!(a, TraceId::INVALID);
    }

    #[test]
    fn traceparent_falls_back_to_the_batch_root_and_round_trips() {
        let d = domain(31337);
        let header = traceparent(&tracing::Span::none(), &d, 3, 9);
        let parts: Vec<&str> = header.split('-').collect();
        assert_eq!(parts.len(), 4, "{header}");
        assert_eq!(parts[0], "00");
        assert_eq!(parts[1], batch_trace_id(&d, 3, 9).to_string());
        assert_eq!(parts[3], "01");
        let cx = parse_traceparent(&header).expect("valid");
        assert_eq!(cx.span().span_context().trace_id(), batch_trace_id(&d, 3, 9));
        assert!(cx.span().span_context().is_remote());
    }

    #[test]
    fn invalid_headers_are_ignored() {
        for bad in [
            "",
            "00",
            "garbage",
            "00-00000000000000000000000000000000-0000000000000001-01",
            "00-0000000000000000000000000000000a-0000000000000000-01",
            "ff-0000000000000000000000000000000a-0000000000000001-01",
            "00-0000000000000000000000000000000A-0000000000000001-01",
            "00-0000000000000000000000000000000a-0000000000000001",
        ] {
            assert!(parse_traceparent(bad).is_none(), "{bad:?}");
        }
        let mut headers = http::HeaderMap::new();
        headers.insert(TRACEPARENT, http::HeaderValue::from_static("nonsense"));
        assert!(!continue_from(&tracing::Span::none(), &headers));
    }
}
