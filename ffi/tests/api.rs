//! The exported functions called from Rust, as a C caller would.

use std::ffi::{CStr, c_char};
use std::ptr;

use lucairn::*;
use lucairn_core::{Engine, Kind, Policy};

/// E-mail addresses and an employee id; `only` keeps other detectors out of the way.
const POLICY: &str = r#"{
    "only": ["EMAIL_ADDRESS", "EMPLOYEE_ID", "PROJECT"],
    "deny": [{"term": "falcon", "kind": "PROJECT"}],
    "custom": [{"kind": "EMPLOYEE_ID", "regex": "EMP-[0-9]{6}"}]
}"#;
const TEXT: &str = "mail ops@example.com about EMP-004211, cc: zoë.ñandú@exemple.fr (project falcon)";

const OK: u32 = 0;

fn code(r: lucairn_result) -> u32 {
    r as u32
}

fn engine(policy: Option<&str>) -> *mut lucairn_engine {
    let mut e = ptr::null_mut();
    let (p, n) = policy.map_or((ptr::null(), 0), |p| (p.as_ptr(), p.len()));
    // SAFETY: valid policy bytes and out pointer.
    let r = unsafe { lucairn_engine_new(p, n, &mut e) };
    assert_eq!(code(r), OK, "{}", detail());
    assert!(!e.is_null());
    e
}

fn free(e: *mut lucairn_engine) {
    // SAFETY: a live engine, freed once.
    unsafe { lucairn_engine_free(e) }
}

fn detail() -> String {
    let mut buf = [0 as c_char; 512];
    let mut n = 0;
    // SAFETY: buffer and length valid.
    let r = unsafe { lucairn_last_error_detail(buf.as_mut_ptr(), buf.len(), &mut n) };
    assert_eq!(code(r), OK);
    // SAFETY: NUL-terminated by contract.
    let s = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().expect("UTF-8").to_string();
    assert_eq!(s.len(), n);
    s
}

fn blank() -> lucairn_finding {
    lucairn_finding { start: 7777, end: 7777, kind: 7777, score: -1.0, detector: ptr::null() }
}

fn scan(e: *const lucairn_engine, text: &[u8], cap: usize) -> (u32, usize, Vec<lucairn_finding>) {
    let mut out = vec![blank(); cap];
    let mut n = 4242;
    let buf = if cap == 0 { ptr::null_mut() } else { out.as_mut_ptr() };
    // SAFETY: text and buffer valid for their lengths.
    let r = unsafe { lucairn_engine_scan(e, text.as_ptr(), text.len(), buf, cap, &mut n) };
    (code(r), n, out)
}

fn kind_name(e: *const lucairn_engine, kind: u32) -> Result<String, u32> {
    let mut buf = [0 as c_char; 128];
    let mut n = 0;
    // SAFETY: buffer and length valid.
    let r = unsafe { lucairn_engine_kind_name(e, kind, buf.as_mut_ptr(), buf.len(), &mut n) };
    if code(r) != OK {
        return Err(code(r));
    }
    // SAFETY: NUL-terminated by contract.
    Ok(unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().expect("UTF-8").to_string())
}

fn redact(e: *const lucairn_engine, text: &[u8], cap: usize) -> (u32, usize, Vec<u8>) {
    let mut buf = vec![b'#'; cap];
    let mut n = 4242;
    let p = if cap == 0 { ptr::null_mut() } else { buf.as_mut_ptr().cast::<c_char>() };
    // SAFETY: text and buffer valid for their lengths.
    let r = unsafe { lucairn_engine_redact(e, text.as_ptr(), text.len(), p, cap, &mut n) };
    (code(r), n, buf)
}

#[test]
fn scan_matches_the_engine() {
    let e = engine(Some(POLICY));
    let core = Engine::new(Policy::from_json(POLICY).expect("policy")).expect("engine");
    let expected = core.scan(TEXT);
    assert_eq!(expected.len(), 4);
    let (r, n, found) = scan(e, TEXT.as_bytes(), 8);
    assert_eq!((r, n), (OK, 4));
    for (f, x) in found.iter().zip(&expected) {
        assert_eq!((f.start, f.end), (x.span.start, x.span.end));
        assert_eq!(f.score, x.score);
        assert_eq!(kind_name(e, f.kind).as_deref(), Ok(core.kind_name(x.kind)));
        // SAFETY: detector names are static NUL-terminated strings.
        assert_eq!(unsafe { CStr::from_ptr(f.detector) }.to_str(), Ok(x.detector));
    }
    let values: Vec<&str> = found[..4].iter().map(|f| &TEXT[f.start..f.end]).collect();
    assert_eq!(values, ["ops@example.com", "EMP-004211", "zoë.ñandú@exemple.fr", "falcon"]);
    // Slots past the count are untouched.
    assert_eq!(found[4].start, 7777);
    free(e);
}

#[test]
fn default_engine_matches_the_default_core_engine() {
    let e = engine(None);
    let text = "write to anna@example.org or bo@example.com";
    let expected = Engine::default().scan(text);
    let (r, n, found) = scan(e, text.as_bytes(), 16);
    assert_eq!((r, n), (OK, expected.len()));
    assert!(n >= 2);
    for (f, x) in found.iter().zip(&expected) {
        assert_eq!((f.start, f.end, f.kind), (x.span.start, x.span.end, kind_of(x.kind)));
    }
    free(e);
}

fn kind_of(k: Kind) -> u32 {
    match k {
        Kind::Custom(i) => LUCAIRN_KIND_CUSTOM_FIRST + u32::from(i),
        k => Kind::BUILTIN.iter().position(|&b| b == k).expect("builtin") as u32,
    }
}

#[test]
fn a_small_buffer_reports_the_count_and_is_left_alone() {
    let e = engine(Some(POLICY));
    for cap in 0..4 {
        let (r, n, found) = scan(e, TEXT.as_bytes(), cap);
        assert_eq!((r, n), (code(lucairn_result::BufferTooSmall), 4), "capacity {cap}");
        assert!(found.iter().all(|f| f.start == 7777 && f.detector.is_null()));
    }
    assert!(detail().contains("4 found, capacity 3"), "{}", detail());
    let (r, n, _) = scan(e, TEXT.as_bytes(), 4);
    assert_eq!((r, n), (OK, 4));
    free(e);
}

#[test]
fn empty_text_is_valid() {
    let e = engine(Some(POLICY));
    let (r, n, _) = scan(e, b"", 0);
    assert_eq!((r, n), (OK, 0));
    let mut n = 99;
    // SAFETY: (NULL, 0) is the empty text; NULL buffer with capacity 0.
    let r = unsafe { lucairn_engine_scan(e, ptr::null(), 0, ptr::null_mut(), 0, &mut n) };
    assert_eq!((code(r), n), (OK, 0));
    let (r, n, buf) = redact(e, b"", 1);
    assert_eq!((r, n, buf), (OK, 0, vec![0]));
    free(e);
}

#[test]
fn bad_arguments_return_codes_and_touch_nothing() {
    let e = engine(Some(POLICY));
    let mut out = [blank(); 4];
    let mut n = 4242usize;
    let t = TEXT.as_bytes();
    type Call<'a> = Box<dyn Fn(&mut [lucairn_finding; 4], &mut usize) -> lucairn_result + 'a>;
    let cases: Vec<(&str, u32, Call<'_>)> = vec![
        (
            "NULL engine",
            1,
            // SAFETY (every case): pointers are NULL or valid; lengths are what is tested.
            Box::new(|o, n| unsafe { lucairn_engine_scan(ptr::null(), t.as_ptr(), t.len(), o.as_mut_ptr(), 4, n) }),
        ),
        ("NULL text", 1, Box::new(|o, n| unsafe { lucairn_engine_scan(e, ptr::null(), 5, o.as_mut_ptr(), 4, n) })),
        (
            "NULL findings",
            1,
            Box::new(|_, n| unsafe { lucairn_engine_scan(e, t.as_ptr(), t.len(), ptr::null_mut(), 4, n) }),
        ),
        (
            "NULL count",
            1,
            Box::new(|o, _| unsafe { lucairn_engine_scan(e, t.as_ptr(), t.len(), o.as_mut_ptr(), 4, ptr::null_mut()) }),
        ),
        (
            "invalid UTF-8",
            2,
            Box::new(|o, n| unsafe { lucairn_engine_scan(e, b"ab\xffcd".as_ptr(), 5, o.as_mut_ptr(), 4, n) }),
        ),
        (
            "text length overflow",
            4,
            Box::new(|o, n| unsafe { lucairn_engine_scan(e, t.as_ptr(), usize::MAX, o.as_mut_ptr(), 4, n) }),
        ),
        (
            "capacity overflow",
            4,
            Box::new(|o, n| unsafe { lucairn_engine_scan(e, t.as_ptr(), t.len(), o.as_mut_ptr(), usize::MAX / 8, n) }),
        ),
    ];
    for (what, expected, call) in &cases {
        let r = call(&mut out, &mut n);
        assert_eq!(code(r), *expected, "{what}: {}", detail());
        assert_eq!(n, 4242, "{what}: count written");
        assert!(out.iter().all(|f| f.start == 7777), "{what}: findings written");
    }
    invalid_utf8_detail(e);
    free(e);
}

fn invalid_utf8_detail(e: *const lucairn_engine) {
    let (r, _, _) = scan(e, "né\u{0}x".as_bytes(), 4);
    assert_eq!(r, OK, "NUL bytes are valid UTF-8");
    let (r, n, _) = scan(e, b"caf\xc3", 4);
    assert_eq!((r, n), (2, 4242));
    assert_eq!(detail(), "text: invalid UTF-8 at byte 3");
}

#[test]
fn scan_alloc_matches_scan() {
    let e = engine(Some(POLICY));
    let mut arr = ptr::null_mut();
    let mut n = 0;
    // SAFETY: valid text and out pointers.
    let r = unsafe { lucairn_engine_scan_alloc(e, TEXT.as_ptr(), TEXT.len(), &mut arr, &mut n) };
    assert_eq!((code(r), n), (OK, 4));
    // SAFETY: `arr` has `n` findings.
    let got = unsafe { std::slice::from_raw_parts(arr, n) };
    let (_, _, want) = scan(e, TEXT.as_bytes(), 4);
    for (a, b) in got.iter().zip(&want) {
        assert_eq!((a.start, a.end, a.kind, a.score, a.detector), (b.start, b.end, b.kind, b.score, b.detector));
    }
    // SAFETY: from scan_alloc, freed once; NULL is ignored.
    unsafe {
        lucairn_findings_free(arr);
        lucairn_findings_free(ptr::null_mut());
    }
    let mut arr = ptr::dangling_mut::<lucairn_finding>();
    let mut n = 7;
    // SAFETY: valid text and out pointers.
    let r = unsafe { lucairn_engine_scan_alloc(e, b"nothing here".as_ptr(), 12, &mut arr, &mut n) };
    assert_eq!((code(r), n), (OK, 0));
    assert!(arr.is_null());
    let mut arr = ptr::dangling_mut::<lucairn_finding>();
    // SAFETY: invalid input: nothing may be written.
    let r = unsafe { lucairn_engine_scan_alloc(e, b"\xff".as_ptr(), 1, &mut arr, &mut n) };
    assert_eq!((code(r), n), (2, 0));
    assert_eq!(arr, ptr::dangling_mut());
    // SAFETY: NULL out pointers are reported.
    let r = unsafe { lucairn_engine_scan_alloc(e, TEXT.as_ptr(), TEXT.len(), ptr::null_mut(), &mut n) };
    assert_eq!(code(r), 1);
    free(e);
}

#[test]
fn redact_into_a_buffer() {
    let e = engine(Some(POLICY));
    let want = "mail [EMAIL_ADDRESS] about [EMPLOYEE_ID], cc: [EMAIL_ADDRESS] (project [PROJECT])";
    let (r, n, _) = redact(e, TEXT.as_bytes(), 0);
    assert_eq!((r, n), (5, want.len()));
    // Exactly the length is one byte short (no room for the NUL): untouched.
    let (r, n, buf) = redact(e, TEXT.as_bytes(), want.len());
    assert_eq!((r, n), (5, want.len()));
    assert!(buf.iter().all(|&b| b == b'#'));
    let (r, n, buf) = redact(e, TEXT.as_bytes(), want.len() + 3);
    assert_eq!((r, n), (OK, want.len()));
    assert_eq!(&buf[..n], want.as_bytes());
    assert_eq!(&buf[n..], b"\0##");
    // Bad input.
    let (r, n, buf) = redact(e, b"\xc0\xaf", 64);
    assert_eq!((r, n), (2, 4242));
    assert!(buf.iter().all(|&b| b == b'#'));
    let mut n = 0;
    // SAFETY: NULL buffer with a non-zero length is reported.
    let r = unsafe { lucairn_engine_redact(e, TEXT.as_ptr(), TEXT.len(), ptr::null_mut(), 10, &mut n) };
    assert_eq!(code(r), 1);
    free(e);
}

#[test]
fn redact_alloc_returns_an_owned_string() {
    let e = engine(Some(POLICY));
    let mut s = ptr::null_mut();
    let mut n = 0;
    // SAFETY: valid text and out pointers.
    let r = unsafe { lucairn_engine_redact_alloc(e, TEXT.as_ptr(), TEXT.len(), &mut s, &mut n) };
    assert_eq!(code(r), OK);
    // SAFETY: NUL-terminated string of `n` bytes.
    let got = unsafe { CStr::from_ptr(s) }.to_str().expect("UTF-8").to_string();
    assert_eq!(got.len(), n);
    assert_eq!(got, "mail [EMAIL_ADDRESS] about [EMPLOYEE_ID], cc: [EMAIL_ADDRESS] (project [PROJECT])");
    // SAFETY: from redact_alloc, freed once; NULL is ignored.
    unsafe {
        lucairn_string_free(s);
        lucairn_string_free(ptr::null_mut());
    }
    // The empty text redacts to an empty, allocated string.
    let mut s = ptr::null_mut();
    // SAFETY: (NULL, 0) is the empty text.
    let r = unsafe { lucairn_engine_redact_alloc(e, ptr::null(), 0, &mut s, &mut n) };
    assert_eq!((code(r), n), (OK, 0));
    assert!(!s.is_null());
    // SAFETY: from redact_alloc.
    unsafe {
        assert_eq!(*s, 0);
        lucairn_string_free(s);
    }
    free(e);
}

#[test]
fn policies_are_checked() {
    let mut e = ptr::dangling_mut::<lucairn_engine>();
    let cases: &[(&[u8], u32, &str)] = &[
        (b"{\"threshold\": 2}", 100, "policy.threshold: threshold 2 is outside [0, 1]"),
        (b"{\"custom\": [{\"kind\": \"X\", \"regex\": \"(\"}]}", 100, "policy.custom[0] (X): invalid regex"),
        (b"{\"only\": [\"NOPE\"]}", 100, "policy.only: unknown kind \"NOPE\""),
        (b"{\"colour\": 1}", 100, "invalid policy: unknown field `colour`"),
        (b"threshold = 0.5", 100, "invalid policy"),
        (b"", 3, "policy_json: empty"),
        (b"{\"allow\": [\"\xff\"]}", 2, "policy_json: invalid UTF-8 at byte 12"),
    ];
    for &(policy, expected, message) in cases {
        // SAFETY: a valid pointer of the given length (possibly 0) and out pointer.
        let r = unsafe { lucairn_engine_new(policy.as_ptr(), policy.len(), &mut e) };
        assert_eq!(code(r), expected, "{:?}", String::from_utf8_lossy(policy));
        assert!(detail().starts_with(message), "{:?}", detail());
        assert_eq!(e, ptr::dangling_mut(), "engine_out written on failure");
    }
    // SAFETY: NULL pointer with a length, and NULL out pointer, are reported.
    unsafe {
        assert_eq!(code(lucairn_engine_new(ptr::null(), 3, &mut e)), 1);
        assert_eq!(code(lucairn_engine_new(b"{}".as_ptr(), usize::MAX, &mut e)), 4);
        assert_eq!(code(lucairn_engine_new(ptr::null(), 0, ptr::null_mut())), 1);
        lucairn_engine_free(ptr::null_mut());
    }
    assert_eq!(e, ptr::dangling_mut());
}

#[test]
fn kinds_have_names_and_ids() {
    let e = engine(Some(POLICY));
    let count = lucairn_kind_builtin_count();
    assert_eq!(count as usize, Kind::BUILTIN.len());
    for (id, k) in Kind::BUILTIN.iter().enumerate() {
        let p = lucairn_kind_name(id as u32);
        // SAFETY: static NUL-terminated string.
        let name = unsafe { CStr::from_ptr(p) }.to_str().expect("UTF-8");
        assert_eq!(Some(name), k.builtin_name());
        assert_eq!(lucairn_kind_name(id as u32), p, "static pointer is stable");
        assert_eq!(kind_name(e, id as u32).as_deref(), Ok(name));
    }
    assert!(lucairn_kind_name(count).is_null());
    assert!(lucairn_kind_name(LUCAIRN_KIND_CUSTOM_FIRST).is_null());

    let id = |name: &[u8]| {
        let mut k = 0xdead;
        // SAFETY: valid name and out pointer.
        let r = unsafe { lucairn_engine_kind_id(e, name.as_ptr(), name.len(), &mut k) };
        (code(r), k)
    };
    let (r, employee) = id(b"EMPLOYEE_ID");
    assert_eq!((r, employee), (OK, LUCAIRN_KIND_CUSTOM_FIRST));
    assert_eq!(id(b"PROJECT"), (OK, LUCAIRN_KIND_CUSTOM_FIRST + 1));
    assert_eq!(kind_name(e, employee).as_deref(), Ok("EMPLOYEE_ID"));
    let (r, email) = id(b"EMAIL_ADDRESS");
    assert_eq!(r, OK);
    // SAFETY: static NUL-terminated string.
    assert_eq!(unsafe { CStr::from_ptr(lucairn_kind_name(email)) }.to_str(), Ok("EMAIL_ADDRESS"));
    assert_eq!(id(b"NOT_A_KIND"), (6, 0xdead));
    assert_eq!(id(b""), (3, 0xdead));
    assert_eq!(kind_name(e, LUCAIRN_KIND_CUSTOM_FIRST + 2), Err(6));
    assert_eq!(kind_name(e, count), Err(6));
    assert_eq!(kind_name(e, u32::MAX), Err(6));

    // Buffer rules: exact length without room for the NUL is too small.
    let mut buf = [b'#' as c_char; 11];
    let mut n = 0;
    // SAFETY: buffer valid for its length.
    let r = unsafe { lucairn_engine_kind_name(e, employee, buf.as_mut_ptr(), 11, &mut n) };
    assert_eq!((code(r), n), (5, 11));
    assert!(buf.iter().all(|&c| c == b'#' as c_char));
    free(e);
}

#[test]
fn error_messages_and_details() {
    for &r in lucairn_result::ALL {
        let mut n = 0;
        // SAFETY: NULL buffer with length 0 asks for the length.
        let q = unsafe { lucairn_error_message(r as u32, ptr::null_mut(), 0, &mut n) };
        assert_eq!(code(q), 5);
        let mut buf = vec![0 as c_char; n + 1];
        let mut m = 0;
        // SAFETY: buffer of n + 1 bytes.
        let q = unsafe { lucairn_error_message(r as u32, buf.as_mut_ptr(), buf.len(), &mut m) };
        assert_eq!((code(q), m), (OK, n));
        // SAFETY: NUL-terminated.
        assert_eq!(unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str(), Ok(r.message()));
    }
    let mut buf = [0 as c_char; 64];
    let mut n = 0;
    // SAFETY: valid buffer.
    let q = unsafe { lucairn_error_message(12345, buf.as_mut_ptr(), 64, &mut n) };
    assert_eq!(code(q), OK);
    // SAFETY: NUL-terminated.
    assert_eq!(unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str(), Ok("unknown result code"));

    // A failure records its detail; reading it with too small a buffer does not replace it.
    let mut e = ptr::null_mut();
    // SAFETY: valid pointers.
    let r = unsafe { lucairn_engine_new(b"{\"threshold\": -1}".as_ptr(), 17, &mut e) };
    assert_eq!(code(r), 100);
    let want = "policy.threshold: threshold -1 is outside [0, 1]";
    let mut small = [0 as c_char; 4];
    // SAFETY: valid buffer.
    let q = unsafe { lucairn_last_error_detail(small.as_mut_ptr(), 4, &mut n) };
    assert_eq!((code(q), n), (5, want.len()));
    // SAFETY: NULL length output is reported.
    let q = unsafe { lucairn_last_error_detail(small.as_mut_ptr(), 4, ptr::null_mut()) };
    assert_eq!(code(q), 1);
    assert_eq!(detail(), want);
    // Successes do not clear it; other threads have their own.
    let ok = engine(None);
    assert_eq!(detail(), want);
    let other = std::thread::spawn(detail).join().expect("thread");
    assert_eq!(other, "");
    free(ok);
}

#[test]
fn policy_digest_and_version() {
    let e = engine(Some(POLICY));
    let mut buf = [0 as c_char; 65];
    let mut n = 0;
    // SAFETY: valid buffer.
    let r = unsafe { lucairn_engine_policy_digest(e, buf.as_mut_ptr(), 65, &mut n) };
    assert_eq!((code(r), n), (OK, 64));
    let core = Engine::new(Policy::from_json(POLICY).expect("policy")).expect("engine");
    // SAFETY: NUL-terminated.
    assert_eq!(unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str(), Ok(core.policy_digest()));
    // SAFETY: static NUL-terminated string.
    assert_eq!(unsafe { CStr::from_ptr(lucairn_version()) }.to_str(), Ok(env!("CARGO_PKG_VERSION")));
    free(e);
}

#[test]
fn one_engine_many_threads() {
    let e = engine(Some(POLICY)) as usize;
    let (_, _, want) = scan(e as *const _, TEXT.as_bytes(), 8);
    let want: Vec<(usize, usize, u32)> = want[..4].iter().map(|f| (f.start, f.end, f.kind)).collect();
    std::thread::scope(|s| {
        for t in 0..4 {
            let want = &want;
            s.spawn(move || {
                for i in 0..200 {
                    let text = format!("{}{TEXT}", " ".repeat((t + i) % 5));
                    let shift = (t + i) % 5;
                    let (r, n, found) = scan(e as *const _, text.as_bytes(), 8);
                    assert_eq!((r, n), (OK, 4));
                    let got: Vec<(usize, usize, u32)> =
                        found[..4].iter().map(|f| (f.start - shift, f.end - shift, f.kind)).collect();
                    assert_eq!(&got, want);
                }
            });
        }
    });
    free(e as *mut _);
}
