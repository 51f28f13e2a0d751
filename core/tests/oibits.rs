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
}

#[test]
fn engine_is_clone_and_shares_state() {
    let a = Engine::default();
    let b = a.clone();
    assert_eq!(a.policy_digest(), b.policy_digest());
}
