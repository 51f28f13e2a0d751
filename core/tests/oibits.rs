use std::panic::{RefUnwindSafe, UnwindSafe};

use lucairn_core::*;

fn assert_all<T: Send + Sync + UnwindSafe + RefUnwindSafe>() {}

#[test]
fn public_types_are_send_sync_unwind_safe() {
    assert_all::<Engine>();
    assert_all::<EngineBuilder>();
    assert_all::<BuildError>();
    assert_all::<Finding>();
    assert_all::<Span>();
    assert_all::<Kind>();
    assert_all::<Policy>();
    assert_all::<CustomDetector>();
    assert_all::<DenyTerm>();
    assert_all::<Sanitizer>();
    assert_all::<Sanitized>();
    assert_all::<Location>();
    assert_all::<FindingRecord>();
    assert_all::<Mapping>();
    assert_all::<MappingEntry>();
    assert_all::<MappingError>();
    assert_all::<OutputMode>();
    assert_all::<StreamSanitizer>();
    assert_all::<StreamRelinker>();
    assert_all::<OutputStream>();
    assert_all::<TokenError>();
    assert_all::<Certificate>();
    assert_all::<CertificateBuilder>();
    assert_all::<SigningKey>();
    assert_all::<PublicKey>();
    assert_all::<VerifyError>();
    assert_all::<CertError>();
}

#[test]
fn engine_is_clone_and_shares_state() {
    let a = Engine::default();
    let b = a.clone();
    assert_eq!(a.policy_digest(), b.policy_digest());
}
