//! The C API through its exported functions, as a C caller uses them.
//!
//! The input is a policy and a text separated by the first zero byte (no zero byte: the
//! default policy, and the whole input is the text). The engine is made from the policy
//! (arbitrary bytes: not UTF-8, not JSON, not a policy), then the text (arbitrary bytes,
//! invalid UTF-8 included) is scanned, redacted, sanitised whole and streamed in two
//! pieces, scanned as an answer, re-linked, taken as a mapping token and as a certificate;
//! a mapping is sealed and opened again; everything is freed (engines are kept for
//! a while per policy, as building one is slow).
//!
//! Checks: no crash, no panic caught at the boundary (`LUCAIRN_RESULT_PANIC`), every
//! failure a documented code with a message; sizes asked for are sizes that work; the
//! buffer and allocating variants agree; spans in bounds; invalid UTF-8 refused as such;
//! a streamed text gives the whole text's output; re-linking gives the text back when
//! nothing was replaced; a sealed mapping opens to the same number of entries.
#![no_main]

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::c_char;
use std::ptr;

use libfuzzer_sys::fuzz_target;
use lucairn::*;

const SECRET: [u8; 32] = [3; 32];
const KEY: [u8; 32] = [4; 32];

fn ok(r: lucairn_result) -> bool {
    check(r);
    r == lucairn_result::Ok
}

/// A failure must be a documented code with a message, never a caught panic.
fn check(r: lucairn_result) {
    assert_ne!(r, lucairn_result::Panic, "{}", detail());
    let mut len = 0usize;
    // SAFETY: a NULL buffer of length 0 only asks for the length.
    let size = unsafe { lucairn_error_message(r as u32, ptr::null_mut(), 0, &mut len) };
    assert!(size == lucairn_result::BufferTooSmall && len > 0, "no message for {r:?}");
}

fn detail() -> String {
    let mut buf = vec![0u8; 4096];
    let mut len = 0usize;
    // SAFETY: `buf` holds `buf.len()` bytes.
    let r = unsafe { lucairn_last_error_detail(buf.as_mut_ptr().cast(), buf.len(), &mut len) };
    if r == lucairn_result::Ok { String::from_utf8_lossy(&buf[..len]).into_owned() } else { String::new() }
}

/// Takes a string the library allocated.
fn take(s: *mut c_char, len: usize) -> Vec<u8> {
    assert!(!s.is_null());
    // SAFETY: the library wrote `len` bytes and a NUL (the text may hold NULs itself,
    // as the input may).
    let with_nul = unsafe { std::slice::from_raw_parts(s.cast::<u8>(), len + 1) };
    assert_eq!(with_nul[len], 0, "not NUL-terminated");
    let bytes = with_nul[..len].to_vec();
    assert!(std::str::from_utf8(&bytes).is_ok(), "the library returned invalid UTF-8");
    // SAFETY: allocated by the library, freed once.
    unsafe { lucairn_string_free(s) };
    bytes
}

type Alloc<'a> = &'a mut dyn FnMut(*mut *mut c_char, *mut usize) -> lucairn_result;
type Buf<'a> = &'a mut dyn FnMut(*mut c_char, usize, *mut usize) -> lucairn_result;

/// Runs a buffer variant (asking for the size first) and its allocating twin; both must
/// agree. `None` on failure (checked to be the same failure for both).
fn both(buf: Buf<'_>, alloc: Alloc<'_>) -> Option<Vec<u8>> {
    let mut len = 0usize;
    let first = buf(ptr::null_mut(), 0, &mut len);
    check(first);
    let (mut s, mut alen) = (ptr::null_mut(), 0usize);
    let a = alloc(&mut s, &mut alen);
    check(a);
    if first != lucairn_result::BufferTooSmall {
        assert_eq!(a, first, "buffer and allocating variants disagree");
        assert!(s.is_null() || a == lucairn_result::Ok);
        return if ok(a) { Some(take(s, alen)) } else { None };
    }
    let mut b = vec![0u8; len + 1];
    let mut wrote = 0usize;
    let r = buf(b.as_mut_ptr().cast(), b.len(), &mut wrote);
    assert_eq!(r, lucairn_result::Ok, "the size asked for does not work: {}", detail());
    assert_eq!(wrote, len);
    assert_eq!(b[len], 0, "not NUL-terminated");
    b.truncate(len);
    assert_eq!(a, lucairn_result::Ok);
    assert_eq!(take(s, alen), b, "buffer and allocating variants disagree");
    Some(b)
}

/// Building an engine takes far longer than the calls on it, so engines are kept per
/// policy (a few dozen, then all are freed): the fuzzer mostly varies the text.
struct Engines(HashMap<Option<Vec<u8>>, *mut lucairn_engine>);

impl Drop for Engines {
    fn drop(&mut self) {
        for (_, e) in self.0.drain() {
            // SAFETY: each engine was made by lucairn_engine_new and is freed once.
            unsafe { lucairn_engine_free(e) };
        }
    }
}

thread_local!(static ENGINES: RefCell<Engines> = RefCell::new(Engines(HashMap::new())));

/// The engine of `policy` (`None`: the default policy), or `None` when the policy is
/// refused (with a documented code and no engine written).
fn engine_for(policy: Option<&[u8]>) -> Option<*const lucairn_engine> {
    let key = policy.map(<[u8]>::to_vec);
    if let Some(e) = ENGINES.with(|c| c.borrow().0.get(&key).copied()) {
        return Some(e);
    }
    let mut engine = ptr::null_mut();
    let (p, plen) = policy.map_or((ptr::null(), 0), |p| (p.as_ptr(), p.len()));
    // SAFETY: (p, plen) is NULL/0 or a live slice; `engine` is a valid out pointer.
    let r = unsafe { lucairn_engine_new(p, plen, &mut engine) };
    if !ok(r) {
        assert!(engine.is_null());
        assert!(policy.is_some(), "the default policy failed: {}", detail());
        return None;
    }
    ENGINES.with(|c| {
        let mut c = c.borrow_mut();
        if c.0.len() >= 32 {
            *c = Engines(HashMap::new()); // frees them
        }
        c.0.insert(key, engine);
    });
    Some(engine)
}

fuzz_target!(|data: &[u8]| {
    let (policy, text) = match data.iter().position(|&b| b == 0) {
        Some(i) => (Some(&data[..i]), &data[i + 1..]),
        None => (None, data),
    };
    let utf8 = std::str::from_utf8(text).is_ok();
    let Some(engine) = engine_for(policy) else { return };
    // Every call below follows the documented contract: live handles, slices with their
    // lengths, valid out pointers.
    unsafe {
        let (t, tlen) = (text.as_ptr(), text.len());

        // Scan: ask for the count, then fetch; the allocating variant agrees.
        let mut count = 0usize;
        let r = lucairn_engine_scan(engine, t, tlen, ptr::null_mut(), 0, &mut count);
        check(r);
        if !utf8 {
            assert_eq!(r, lucairn_result::InvalidUtf8);
        } else {
            assert!(r == lucairn_result::Ok || r == lucairn_result::BufferTooSmall);
            let mut fs: Vec<lucairn_finding> = Vec::with_capacity(count);
            let mut n = 0usize;
            assert!(ok(lucairn_engine_scan(engine, t, tlen, fs.as_mut_ptr(), count, &mut n)));
            assert_eq!(n, count);
            fs.set_len(n);
            let mut last = 0;
            for f in &fs {
                assert!(f.start >= last && f.start < f.end && f.end <= tlen, "span {}..{}", f.start, f.end);
                assert!((0.0..=1.0).contains(&f.score));
                let mut len = 0usize;
                let r = lucairn_engine_kind_name(engine, f.kind, ptr::null_mut(), 0, &mut len);
                assert_eq!(r, lucairn_result::BufferTooSmall, "kind {} has no name", f.kind);
                last = f.end;
            }
            let (mut fa, mut na) = (ptr::null_mut(), 0usize);
            assert!(ok(lucairn_engine_scan_alloc(engine, t, tlen, &mut fa, &mut na)));
            assert_eq!(na, n);
            if na > 0 {
                let got = std::slice::from_raw_parts(fa, na);
                assert!(got.iter().zip(&fs).all(|(a, b)| (a.start, a.end, a.kind) == (b.start, b.end, b.kind)));
            }
            lucairn_findings_free(fa);
        }

        // Redact.
        let redacted = both(&mut |b, l, o| lucairn_engine_redact(engine, t, tlen, b, l, o), &mut |s, o| {
            lucairn_engine_redact_alloc(engine, t, tlen, s, o)
        });
        assert_eq!(redacted.is_some(), utf8);
        let mut len = 0usize;
        let r = lucairn_engine_policy_digest(engine, ptr::null_mut(), 0, &mut len);
        assert_eq!(r, lucairn_result::BufferTooSmall);
        let mut digest = vec![0u8; len + 1];
        assert!(ok(lucairn_engine_policy_digest(engine, digest.as_mut_ptr().cast(), digest.len(), &mut len)));

        // Sanitise whole, then as a stream cut in two; scan as an answer; re-link.
        let mut san = ptr::null_mut();
        assert!(ok(lucairn_sanitizer_new(engine, SECRET.as_ptr(), &mut san)));
        let field = b"content";
        let (f, flen) = (field.as_ptr(), field.len());
        let sent = both(&mut |b, l, o| lucairn_sanitizer_sanitize(san, 0, f, flen, t, tlen, b, l, o), &mut |s, o| {
            // The buffer variant above already sanitised once; a second sanitizer
            // gives the same placeholders for the allocating twin.
            let mut s2 = ptr::null_mut();
            assert!(ok(lucairn_sanitizer_new(engine, SECRET.as_ptr(), &mut s2)));
            let r = lucairn_sanitizer_sanitize_alloc(s2, 0, f, flen, t, tlen, s, o);
            lucairn_sanitizer_free(s2);
            r
        });
        assert_eq!(sent.is_some(), utf8);

        let mut whole_san = ptr::null_mut();
        assert!(ok(lucairn_sanitizer_new(engine, SECRET.as_ptr(), &mut whole_san)));
        let lossy = String::from_utf8_lossy(text);
        let (mut ws, mut wlen) = (ptr::null_mut(), 0usize);
        assert!(ok(lucairn_sanitizer_sanitize_alloc(
            whole_san,
            0,
            f,
            flen,
            lossy.as_ptr(),
            lossy.len(),
            &mut ws,
            &mut wlen
        )));
        let want = take(ws, wlen);
        lucairn_sanitizer_free(whole_san);

        let mut stream_san = ptr::null_mut();
        assert!(ok(lucairn_sanitizer_new(engine, SECRET.as_ptr(), &mut stream_san)));
        let mut st = ptr::null_mut();
        assert!(ok(lucairn_stream_sanitizer_new(stream_san, 0, f, flen, &mut st)));
        let busy = lucairn_sanitizer_sanitize_alloc(stream_san, 0, f, flen, f, flen, &mut ws, &mut wlen);
        assert_eq!(busy, lucairn_result::SanitizerBusy);
        let cut = text.len() / 2;
        let mut streamed = Vec::new();
        for piece in [&text[..cut], &text[cut..]] {
            let (mut s, mut len) = (ptr::null_mut(), 0usize);
            assert!(
                ok(lucairn_stream_sanitizer_push(st, piece.as_ptr(), piece.len(), &mut s, &mut len)),
                "{}",
                detail()
            );
            streamed.extend(take(s, len));
        }
        let (mut s, mut len) = (ptr::null_mut(), 0usize);
        assert!(ok(lucairn_stream_sanitizer_finish(st, &mut s, &mut len)));
        streamed.extend(take(s, len));
        assert!(
            streamed == want,
            "streamed {:?}, whole {:?}",
            String::from_utf8_lossy(&streamed),
            String::from_utf8_lossy(&want)
        );
        lucairn_stream_sanitizer_free(st);
        lucairn_sanitizer_free(stream_san);

        let mode = text.first().map_or(0, |b| u32::from(b % 3));
        let answer =
            both(&mut |b, l, o| lucairn_sanitizer_scan_output(san, 0, f, flen, t, tlen, mode, b, l, o), &mut |s, o| {
                lucairn_sanitizer_scan_output_alloc(san, 0, f, flen, t, tlen, mode, s, o)
            });
        assert_eq!(answer.is_some(), utf8 && mode < 2);
        if let Some(sent) = &sent {
            let back =
                both(&mut |b, l, o| lucairn_sanitizer_relink(san, sent.as_ptr(), sent.len(), b, l, o), &mut |s, o| {
                    lucairn_sanitizer_relink_alloc(san, sent.as_ptr(), sent.len(), s, o)
                })
                .expect("re-linking sanitised text succeeds");
            if sent.as_slice() == text {
                assert_eq!(back, text, "re-linking changed a text with nothing replaced");
            }
        }

        // The mapping: seal and open; the text as a token.
        let mut m = ptr::null_mut();
        assert!(ok(lucairn_sanitizer_mapping(san, &mut m)));
        let mut entries = 0usize;
        assert!(ok(lucairn_mapping_len(m, &mut entries)));
        let tenant = b"acme";
        let (mut tok, mut toklen) = (ptr::null_mut(), 0usize);
        assert!(ok(lucairn_mapping_seal_alloc(m, KEY.as_ptr(), tenant.as_ptr(), tenant.len(), &mut tok, &mut toklen)));
        let token = take(tok, toklen);
        let mut opened = ptr::null_mut();
        assert!(ok(lucairn_mapping_open(
            token.as_ptr(),
            token.len(),
            KEY.as_ptr(),
            tenant.as_ptr(),
            tenant.len(),
            &mut opened
        )));
        let mut again = 0usize;
        assert!(ok(lucairn_mapping_len(opened, &mut again)));
        assert_eq!(again, entries);
        if let Some(sent) = &sent {
            let (mut s, mut len) = (ptr::null_mut(), 0usize);
            assert!(ok(lucairn_mapping_relink_alloc(opened, sent.as_ptr(), sent.len(), &mut s, &mut len)));
            let _ = take(s, len);
        }
        lucairn_mapping_free(opened);
        let mut junk = ptr::null_mut();
        if ok(lucairn_mapping_open(t, tlen, KEY.as_ptr(), tenant.as_ptr(), tenant.len(), &mut junk)) {
            lucairn_mapping_free(junk);
        } else {
            assert!(junk.is_null());
        }
        lucairn_mapping_free(m);
        lucairn_sanitizer_free(san);

        // The text as a certificate.
        let r = lucairn_certificate_verify(t, tlen, KEY.as_ptr(), 1, ptr::null_mut());
        check(r);
        assert_ne!(r, lucairn_result::Ok);
        let mut info = std::mem::zeroed::<lucairn_certificate_info>();
        let jsons = [t];
        let lens = [tlen];
        check(lucairn_certificate_verify_chain(jsons.as_ptr(), lens.as_ptr(), 1, KEY.as_ptr(), 1, &mut info));
    }
});
