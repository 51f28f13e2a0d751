//! Sanitizers, mappings and streams through the C ABI, against the core's results.

use std::ffi::{CStr, c_char};
use std::ptr;

use lucairn::*;
use lucairn_core::{Engine, Location, Mapping, OutputMode, Policy, Sanitizer};

const POLICY: &str = r#"{
    "only": ["EMAIL_ADDRESS", "EMPLOYEE_ID"],
    "custom": [{"kind": "EMPLOYEE_ID", "regex": "EMP-[0-9]{6}"}]
}"#;
const TEXTS: &[&str] = &[
    "Mail ana@example.org and bo@example.net about EMP-004211.",
    "Did ANA@example.org answer? (ask zoë.ñandú@exemple.fr)",
    "I typed [EMAIL_ADDRESS_1] myself and EMAIL_ADDRESS_9 too",
];
const ANSWER: &str = "I wrote to EMAIL_ADDRESS_1, cc [EMPLOYEE_ID_1] and new@example.com.";
const SECRET: [u8; 32] = [0x42; 32];
const KEY: [u8; 32] = [7; 32];

const OK: u32 = 0;

fn code(r: lucairn_result) -> u32 {
    r as u32
}

fn core_engine() -> Engine {
    Engine::new(Policy::from_json(POLICY).expect("policy")).expect("engine")
}

fn engine() -> *mut lucairn_engine {
    let mut e = ptr::null_mut();
    // SAFETY: valid policy and out pointer.
    let r = unsafe { lucairn_engine_new(POLICY.as_ptr(), POLICY.len(), &mut e) };
    assert_eq!(code(r), OK);
    e
}

fn detail() -> String {
    let mut buf = [0 as c_char; 512];
    let mut n = 0;
    // SAFETY: buffer and length valid.
    let r = unsafe { lucairn_last_error_detail(buf.as_mut_ptr(), buf.len(), &mut n) };
    assert_eq!(code(r), OK);
    // SAFETY: NUL-terminated by contract.
    unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().expect("UTF-8").to_string()
}

/// A sanitizer on a fresh engine (freed right away: the sanitizer keeps its own).
fn sanitizer(secret: Option<&[u8; 32]>) -> *mut lucairn_sanitizer {
    let e = engine();
    let mut s = ptr::null_mut();
    // SAFETY: live engine, secret NULL or 32 bytes, valid out pointer.
    let r = unsafe { lucairn_sanitizer_new(e, secret.map_or(ptr::null(), |k| k.as_ptr()), &mut s) };
    assert_eq!(code(r), OK, "{}", detail());
    // SAFETY: freed once; the sanitizer does not need it.
    unsafe { lucairn_engine_free(e) };
    s
}

/// Takes a string from an `_alloc` function or a push.
fn take(s: *mut c_char, n: usize) -> String {
    assert!(!s.is_null());
    // SAFETY: a NUL-terminated string of `n` bytes from the library.
    let bytes = unsafe { std::slice::from_raw_parts(s.cast::<u8>(), n + 1) };
    assert_eq!(bytes[n], 0);
    let out = String::from_utf8(bytes[..n].to_vec()).expect("UTF-8");
    // SAFETY: from the library, freed once.
    unsafe { lucairn_string_free(s) };
    out
}

fn sanitize(s: *mut lucairn_sanitizer, message: u32, text: &str) -> Result<String, u32> {
    let (mut out, mut n) = (ptr::null_mut(), 0);
    let field = "content";
    // SAFETY: live sanitizer, valid inputs and outputs.
    let r = unsafe {
        lucairn_sanitizer_sanitize_alloc(
            s,
            message,
            field.as_ptr(),
            field.len(),
            text.as_ptr(),
            text.len(),
            &mut out,
            &mut n,
        )
    };
    if code(r) != OK {
        return Err(code(r));
    }
    Ok(take(out, n))
}

/// Sanitises into a caller buffer of `cap` bytes: (code, length reported, buffer).
fn sanitize_buf(s: *mut lucairn_sanitizer, text: &str, cap: usize) -> (u32, usize, Vec<u8>) {
    let mut buf = vec![b'#'; cap];
    let mut n = 4242;
    let p = if cap == 0 { ptr::null_mut() } else { buf.as_mut_ptr().cast::<c_char>() };
    // SAFETY: valid inputs; buffer valid for `cap` bytes.
    let r = unsafe { lucairn_sanitizer_sanitize(s, 0, ptr::null(), 0, text.as_ptr(), text.len(), p, cap, &mut n) };
    (code(r), n, buf)
}

fn scan_output(s: *mut lucairn_sanitizer, text: &str, mode: u32) -> Result<String, u32> {
    let (mut out, mut n) = (ptr::null_mut(), 0);
    // SAFETY: live sanitizer, valid inputs and outputs.
    let r = unsafe {
        lucairn_sanitizer_scan_output_alloc(
            s,
            0,
            b"content".as_ptr(),
            7,
            text.as_ptr(),
            text.len(),
            mode,
            &mut out,
            &mut n,
        )
    };
    if code(r) != OK {
        return Err(code(r));
    }
    Ok(take(out, n))
}

fn relink(s: *const lucairn_sanitizer, text: &str) -> Result<String, u32> {
    let (mut out, mut n) = (ptr::null_mut(), 0);
    // SAFETY: live sanitizer, valid inputs and outputs.
    let r = unsafe { lucairn_sanitizer_relink_alloc(s, text.as_ptr(), text.len(), &mut out, &mut n) };
    if code(r) != OK {
        return Err(code(r));
    }
    Ok(take(out, n))
}

fn mapping(s: *const lucairn_sanitizer) -> *mut lucairn_mapping {
    let mut m = ptr::null_mut();
    // SAFETY: live sanitizer, valid out pointer.
    let r = unsafe { lucairn_sanitizer_mapping(s, &mut m) };
    assert_eq!(code(r), OK, "{}", detail());
    m
}

fn mapping_len(m: *const lucairn_mapping) -> usize {
    let mut n = 4242;
    // SAFETY: live mapping, valid out pointer.
    assert_eq!(code(unsafe { lucairn_mapping_len(m, &mut n) }), OK);
    n
}

fn mapping_relink(m: *const lucairn_mapping, text: &str) -> String {
    let (mut out, mut n) = (ptr::null_mut(), 0);
    // SAFETY: live mapping, valid inputs and outputs.
    let r = unsafe { lucairn_mapping_relink_alloc(m, text.as_ptr(), text.len(), &mut out, &mut n) };
    assert_eq!(code(r), OK);
    take(out, n)
}

fn free(s: *mut lucairn_sanitizer) {
    // SAFETY: a live sanitizer, freed once.
    unsafe { lucairn_sanitizer_free(s) }
}

fn free_mapping(m: *mut lucairn_mapping) {
    // SAFETY: a live mapping, freed once.
    unsafe { lucairn_mapping_free(m) }
}

#[test]
fn sanitize_scan_output_and_relink_match_the_core() {
    let engine = core_engine();
    for secret in [None, Some(&SECRET)] {
        let s = sanitizer(secret);
        let mut want = match secret {
            None => Sanitizer::new(&engine),
            Some(k) => Sanitizer::with_secret(&engine, k),
        };
        for (i, text) in TEXTS.iter().enumerate() {
            let got = sanitize(s, i as u32, text).expect("sanitize");
            assert_eq!(got, want.sanitize(Location::new(i as u32, "content"), text));
            assert_eq!(relink(s, &got), Ok(want.relink(&got)));
            // The exact inverse (the second text spells a value of the first another way,
            // which re-links to the first spelling).
            if i != 1 {
                assert_eq!(relink(s, &got).as_deref(), Ok(*text));
            }
        }
        for (mode, core_mode) in [(LUCAIRN_OUTPUT_KEEP, OutputMode::Keep), (LUCAIRN_OUTPUT_RELINK, OutputMode::Relink)]
        {
            let got = scan_output(s, ANSWER, mode).expect("scan_output");
            assert_eq!(got, want.scan_output(Location::new(0, "content"), ANSWER, core_mode));
        }
        let m = mapping(s);
        assert_eq!(mapping_len(m), want.mapping().len());
        assert_eq!(mapping_len(m), 4);
        let answer = "Reply from email_address_1 to **EMAIL_ADDRESS_2**";
        assert_eq!(mapping_relink(m, answer), want.relink(answer));
        free_mapping(m);
        free(s);
    }
    // Without a secret the numbering is the order of appearance.
    let s = sanitizer(None);
    assert_eq!(
        sanitize(s, 0, TEXTS[0]).as_deref(),
        Ok("Mail [EMAIL_ADDRESS_1] and [EMAIL_ADDRESS_2] about [EMPLOYEE_ID_1].")
    );
    let shown = scan_output(s, ANSWER, LUCAIRN_OUTPUT_RELINK).expect("scan_output");
    assert_eq!(shown, "I wrote to ana@example.org, cc EMP-004211 and [EMAIL_ADDRESS_3].");
    free(s);
}

#[test]
fn a_small_buffer_leaves_the_sanitizer_unchanged() {
    let s = sanitizer(None);
    let text = "write to bo@example.net";
    let want = "write to [EMAIL_ADDRESS_1]";
    // Size query, then exactly the length (no room for the NUL): both leave it alone.
    let first = "[EMAIL_ADDRESS_1] first";
    for cap in [0, first.len()] {
        let (r, n, buf) = sanitize_buf(s, "ana@example.org first", cap);
        assert_eq!((r, n), (code(lucairn_result::BufferTooSmall), first.len()));
        assert!(buf.iter().all(|&b| b == b'#'));
    }
    let m = mapping(s);
    assert_eq!(mapping_len(m), 0, "a failed call gave out a placeholder");
    free_mapping(m);
    // The number 1 is still free.
    let (r, n, buf) = sanitize_buf(s, text, want.len() + 2);
    assert_eq!((r, n), (OK, want.len()));
    assert_eq!(&buf[..n], want.as_bytes());
    assert_eq!(&buf[n..], b"\0#");
    // The output scan too.
    let mut n = 0;
    let answer = "and new@example.com";
    // SAFETY: NULL buffer with length 0 asks for the length.
    let r = unsafe {
        lucairn_sanitizer_scan_output(
            s,
            0,
            ptr::null(),
            0,
            answer.as_ptr(),
            answer.len(),
            1,
            ptr::null_mut(),
            0,
            &mut n,
        )
    };
    assert_eq!((code(r), n), (5, "and [EMAIL_ADDRESS_2]".len()));
    let mut buf = [0 as c_char; 64];
    // SAFETY: valid buffer.
    let r = unsafe {
        lucairn_sanitizer_scan_output(
            s,
            0,
            ptr::null(),
            0,
            answer.as_ptr(),
            answer.len(),
            1,
            buf.as_mut_ptr(),
            64,
            &mut n,
        )
    };
    assert_eq!(code(r), OK);
    // SAFETY: NUL-terminated.
    assert_eq!(unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str(), Ok("and [EMAIL_ADDRESS_2]"));
    // Relinking into a buffer.
    let mut buf = [b'#' as c_char; 24];
    let mut n = 0;
    let t = "[EMAIL_ADDRESS_1]!";
    // SAFETY: valid buffer of 24 bytes.
    let r = unsafe { lucairn_sanitizer_relink(s, t.as_ptr(), t.len(), buf.as_mut_ptr(), 10, &mut n) };
    assert_eq!((code(r), n), (5, "bo@example.net!".len()));
    assert!(buf.iter().all(|&c| c == b'#' as c_char));
    // SAFETY: valid buffer of 24 bytes.
    let r = unsafe { lucairn_sanitizer_relink(s, t.as_ptr(), t.len(), buf.as_mut_ptr(), 24, &mut n) };
    assert_eq!(code(r), OK);
    // SAFETY: NUL-terminated.
    assert_eq!(unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str(), Ok("bo@example.net!"));
    free(s);
}

#[test]
fn bad_sanitizer_arguments_return_codes_and_touch_nothing() {
    let e = engine();
    let mut s = ptr::dangling_mut::<lucairn_sanitizer>();
    // SAFETY (all calls): pointers are NULL, dangling sentinels that must not be written,
    // or valid; lengths are what is tested.
    unsafe {
        assert_eq!(code(lucairn_sanitizer_new(ptr::null(), ptr::null(), &mut s)), 1);
        assert_eq!(code(lucairn_sanitizer_new(e, ptr::null(), ptr::null_mut())), 1);
        assert_eq!(s, ptr::dangling_mut());
        lucairn_sanitizer_free(ptr::null_mut());
        lucairn_engine_free(e);
    }
    let s = sanitizer(None);
    let t = TEXTS[0];
    let mut out = ptr::dangling_mut::<c_char>();
    let mut n = 4242usize;
    let mut buf = [b'#' as c_char; 8];
    type Call<'a> = Box<dyn Fn(&mut *mut c_char, &mut usize, &mut [c_char; 8]) -> lucairn_result + 'a>;
    let f = b"content";
    #[rustfmt::skip]
    let cases: Vec<(&str, u32, Call<'_>)> = vec![
        // SAFETY (every case): as above.
        ("NULL sanitizer", 1, Box::new(|o, n, _| unsafe { lucairn_sanitizer_sanitize_alloc(ptr::null_mut(), 0, f.as_ptr(), 7, t.as_ptr(), t.len(), o, n) })),
        ("NULL text", 1, Box::new(|o, n, _| unsafe { lucairn_sanitizer_sanitize_alloc(s, 0, f.as_ptr(), 7, ptr::null(), 3, o, n) })),
        ("NULL field", 1, Box::new(|o, n, _| unsafe { lucairn_sanitizer_sanitize_alloc(s, 0, ptr::null(), 7, t.as_ptr(), t.len(), o, n) })),
        ("NULL text_out", 1, Box::new(|_, n, _| unsafe { lucairn_sanitizer_sanitize_alloc(s, 0, f.as_ptr(), 7, t.as_ptr(), t.len(), ptr::null_mut(), n) })),
        ("NULL len_out", 1, Box::new(|o, _, _| unsafe { lucairn_sanitizer_sanitize_alloc(s, 0, f.as_ptr(), 7, t.as_ptr(), t.len(), o, ptr::null_mut()) })),
        ("invalid UTF-8 text", 2, Box::new(|o, n, _| unsafe { lucairn_sanitizer_sanitize_alloc(s, 0, f.as_ptr(), 7, b"a\xffb".as_ptr(), 3, o, n) })),
        ("invalid UTF-8 field", 2, Box::new(|o, n, _| unsafe { lucairn_sanitizer_sanitize_alloc(s, 0, b"\xc3(".as_ptr(), 2, t.as_ptr(), t.len(), o, n) })),
        ("text length overflow", 4, Box::new(|o, n, _| unsafe { lucairn_sanitizer_sanitize_alloc(s, 0, f.as_ptr(), 7, t.as_ptr(), usize::MAX, o, n) })),
        ("NULL buffer", 1, Box::new(|_, n, _| unsafe { lucairn_sanitizer_sanitize(s, 0, f.as_ptr(), 7, t.as_ptr(), t.len(), ptr::null_mut(), 8, n) })),
        ("buffer overflow", 4, Box::new(|_, n, b| unsafe { lucairn_sanitizer_sanitize(s, 0, f.as_ptr(), 7, t.as_ptr(), t.len(), b.as_mut_ptr(), usize::MAX, n) })),
        ("bad mode", 7, Box::new(|o, n, _| unsafe { lucairn_sanitizer_scan_output_alloc(s, 0, f.as_ptr(), 7, t.as_ptr(), t.len(), 2, o, n) })),
        ("bad mode, buffer", 7, Box::new(|_, n, b| unsafe { lucairn_sanitizer_scan_output(s, 0, f.as_ptr(), 7, t.as_ptr(), t.len(), u32::MAX, b.as_mut_ptr(), 8, n) })),
        ("scan_output NULL", 1, Box::new(|o, n, _| unsafe { lucairn_sanitizer_scan_output_alloc(ptr::null_mut(), 0, f.as_ptr(), 7, t.as_ptr(), t.len(), 0, o, n) })),
        ("relink invalid UTF-8", 2, Box::new(|o, n, _| unsafe { lucairn_sanitizer_relink_alloc(s, b"\xe2\x82".as_ptr(), 2, o, n) })),
        ("relink NULL", 1, Box::new(|o, n, _| unsafe { lucairn_sanitizer_relink_alloc(ptr::null(), t.as_ptr(), t.len(), o, n) })),
        ("relink NULL buffer", 1, Box::new(|_, n, _| unsafe { lucairn_sanitizer_relink(s, t.as_ptr(), t.len(), ptr::null_mut(), 3, n) })),
    ];
    for (what, expected, call) in &cases {
        let r = call(&mut out, &mut n, &mut buf);
        assert_eq!(code(r), *expected, "{what}: {}", detail());
        assert_eq!((out, n), (ptr::dangling_mut(), 4242), "{what}: output written");
        assert!(buf.iter().all(|&c| c == b'#' as c_char), "{what}: buffer written");
    }
    // SAFETY: as above.
    unsafe {
        let mut m = ptr::dangling_mut::<lucairn_mapping>();
        assert_eq!(code(lucairn_sanitizer_mapping(ptr::null(), &mut m)), 1);
        assert_eq!(code(lucairn_sanitizer_mapping(s, ptr::null_mut())), 1);
        assert_eq!(m, ptr::dangling_mut());
    }
    assert_eq!(sanitize(s, 0, "x").map(|_| ()), Ok(()), "the sanitizer still works after bad calls");
    let m = mapping(s);
    assert_eq!(mapping_len(m), 0, "bad calls gave out placeholders");
    free_mapping(m);
    // Details name the argument.
    assert_eq!(sanitize(s, 0, "caf\u{e9}").map(|_| ()), Ok(()));
    let mut o = ptr::null_mut();
    // SAFETY: invalid UTF-8 in a valid buffer.
    let r = unsafe { lucairn_sanitizer_sanitize_alloc(s, 0, ptr::null(), 0, b"caf\xc3".as_ptr(), 4, &mut o, &mut n) };
    assert_eq!(code(r), 2);
    assert_eq!(detail(), "text: invalid UTF-8 at byte 3");
    free(s);
}

fn token(m: *const lucairn_mapping, key: &[u8; 32], tenant: &str) -> String {
    let (mut out, mut n) = (ptr::null_mut(), 0);
    // SAFETY: live mapping, 32-byte key, valid tenant and outputs.
    let r = unsafe { lucairn_mapping_seal_alloc(m, key.as_ptr(), tenant.as_ptr(), tenant.len(), &mut out, &mut n) };
    assert_eq!(code(r), OK, "{}", detail());
    take(out, n)
}

fn open(token: &str, key: &[u8; 32], tenant: &str) -> Result<*mut lucairn_mapping, u32> {
    let mut m = ptr::dangling_mut();
    // SAFETY: valid inputs and out pointer.
    let r = unsafe {
        lucairn_mapping_open(token.as_ptr(), token.len(), key.as_ptr(), tenant.as_ptr(), tenant.len(), &mut m)
    };
    if code(r) != OK {
        assert_eq!(m, ptr::dangling_mut(), "mapping_out written on failure");
        return Err(code(r));
    }
    Ok(m)
}

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

#[test]
fn mappings_seal_and_open() {
    let s = sanitizer(Some(&SECRET));
    let clean = sanitize(s, 0, TEXTS[0]).expect("sanitize");
    let m = mapping(s);
    let t = token(m, &KEY, "tenant-a");
    assert!(t.bytes().all(|b| B64.contains(&b)), "{t}");
    assert_ne!(token(m, &KEY, "tenant-a"), t, "a new nonce per token");
    let back = open(&t, &KEY, "tenant-a").expect("open");
    assert_eq!(mapping_len(back), 3);
    assert_eq!(mapping_relink(back, &clean), TEXTS[0]);
    // The opened mapping equals the core's.
    let core = Mapping::open(&t, &KEY, "tenant-a").expect("core opens it");
    assert_eq!(mapping_relink(back, &clean), core.relink(&clean));
    free_mapping(back);
    // With white space around it.
    let padded = format!("  {t}\n");
    free_mapping(open(&padded, &KEY, "tenant-a").expect("open"));

    // Wrong tenant, wrong key, altered, not a token, another version, empty.
    assert_eq!(open(&t, &KEY, "tenant-b"), Err(202));
    assert_eq!(open(&t, &[8; 32], "tenant-a"), Err(202));
    let mut altered = t.clone().into_bytes();
    let last = altered.len() - 5;
    altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
    assert_eq!(open(std::str::from_utf8(&altered).expect("ASCII"), &KEY, "tenant-a"), Err(202));
    assert_eq!(open("not a token!", &KEY, "tenant-a"), Err(200));
    assert_eq!(open("AQID", &KEY, "tenant-a"), Err(200), "too short");
    // The second character carries the low bits of the version byte (1): make it 2.
    let mut v2 = t.clone().into_bytes();
    let i = B64.iter().position(|&c| c == v2[1]).expect("base64url");
    v2[1] = B64[i + 16];
    assert_eq!(open(std::str::from_utf8(&v2).expect("ASCII"), &KEY, "tenant-a"), Err(201));
    assert_eq!(open("", &KEY, "tenant-a"), Err(3));

    // The buffer form: ask for the length, then seal into a buffer of that size.
    let mut n = 0;
    // SAFETY: (NULL, 0) buffer asks for the length.
    let r = unsafe { lucairn_mapping_seal(m, KEY.as_ptr(), b"t".as_ptr(), 1, ptr::null_mut(), 0, &mut n) };
    assert_eq!((code(r), n), (5, t.len()));
    let mut buf = vec![b'#' as c_char; n + 1];
    // SAFETY: buffer of n + 1 bytes.
    let r = unsafe { lucairn_mapping_seal(m, KEY.as_ptr(), b"t".as_ptr(), 1, buf.as_mut_ptr(), n + 1, &mut n) };
    assert_eq!(code(r), OK);
    // SAFETY: NUL-terminated.
    let sealed = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().expect("ASCII").to_string();
    free_mapping(open(&sealed, &KEY, "t").expect("open"));

    // Bad arguments.
    let mut out = ptr::dangling_mut::<c_char>();
    let mut n = 4242;
    let mut none = ptr::dangling_mut::<lucairn_mapping>();
    // SAFETY: NULL or valid pointers; nothing may be written.
    unsafe {
        assert_eq!(code(lucairn_mapping_seal_alloc(m, ptr::null(), ptr::null(), 0, &mut out, &mut n)), 1);
        assert_eq!(code(lucairn_mapping_seal_alloc(ptr::null(), KEY.as_ptr(), ptr::null(), 0, &mut out, &mut n)), 1);
        assert_eq!(code(lucairn_mapping_seal_alloc(m, KEY.as_ptr(), b"\xff".as_ptr(), 1, &mut out, &mut n)), 2);
        assert_eq!(code(lucairn_mapping_seal(m, KEY.as_ptr(), ptr::null(), 0, ptr::null_mut(), 9, &mut n)), 1);
        assert_eq!(code(lucairn_mapping_relink_alloc(m, b"\xff".as_ptr(), 1, &mut out, &mut n)), 2);
        assert_eq!(code(lucairn_mapping_relink_alloc(ptr::null(), ptr::null(), 0, &mut out, &mut n)), 1);
        assert_eq!(code(lucairn_mapping_len(ptr::null(), &mut n)), 1);
        assert_eq!(code(lucairn_mapping_len(m, ptr::null_mut())), 1);
        assert_eq!(code(lucairn_mapping_open(t.as_ptr(), t.len(), ptr::null(), ptr::null(), 0, &mut none)), 1);
        assert_eq!(code(lucairn_mapping_open(t.as_ptr(), t.len(), KEY.as_ptr(), ptr::null(), 0, ptr::null_mut())), 1);
        assert_eq!(code(lucairn_mapping_open(b"\xff".as_ptr(), 1, KEY.as_ptr(), ptr::null(), 0, &mut none)), 2);
        assert_eq!(code(lucairn_mapping_open(ptr::null(), 5, KEY.as_ptr(), ptr::null(), 0, &mut none)), 1);
        lucairn_mapping_free(ptr::null_mut());
    }
    assert_eq!((out, n, none), (ptr::dangling_mut(), 4242, ptr::dangling_mut()));
    // The mapping buffer rules.
    let mut buf = [b'#' as c_char; 4];
    let mut n = 0;
    // SAFETY: valid buffer of 4 bytes.
    let r = unsafe { lucairn_mapping_relink(m, clean.as_ptr(), clean.len(), buf.as_mut_ptr(), 4, &mut n) };
    assert_eq!((code(r), n), (5, TEXTS[0].len()));
    assert!(buf.iter().all(|&c| c == b'#' as c_char));
    free_mapping(m);
    free(s);
}

/// Pushes `text` in chunks cut at `cuts` (byte offsets, possibly inside characters).
fn push_all(
    push: impl Fn(&[u8]) -> Result<String, u32>,
    finish: impl Fn() -> Result<String, u32>,
    text: &[u8],
    cuts: &[usize],
) -> String {
    let mut out = String::new();
    let mut from = 0;
    for &c in cuts.iter().chain([&text.len()]) {
        out += &push(&text[from..c]).expect("push");
        from = c;
    }
    out + &finish().expect("finish")
}

fn stream_push(st: *mut lucairn_stream_sanitizer, chunk: &[u8]) -> Result<String, u32> {
    let (mut out, mut n) = (ptr::null_mut(), 0);
    // SAFETY: live stream, valid chunk and outputs.
    let r = unsafe { lucairn_stream_sanitizer_push(st, chunk.as_ptr(), chunk.len(), &mut out, &mut n) };
    if code(r) != OK {
        return Err(code(r));
    }
    Ok(take(out, n))
}

fn stream_finish(st: *mut lucairn_stream_sanitizer) -> Result<String, u32> {
    let (mut out, mut n) = (ptr::null_mut(), 0);
    // SAFETY: live stream, valid outputs.
    let r = unsafe { lucairn_stream_sanitizer_finish(st, &mut out, &mut n) };
    if code(r) != OK {
        return Err(code(r));
    }
    Ok(take(out, n))
}

fn open_stream(s: *mut lucairn_sanitizer, mode: Option<u32>) -> Result<*mut lucairn_stream_sanitizer, u32> {
    let mut st = ptr::null_mut();
    // SAFETY: valid inputs and out pointer.
    let r = unsafe {
        match mode {
            None => lucairn_stream_sanitizer_new(s, 0, b"content".as_ptr(), 7, &mut st),
            Some(m) => lucairn_stream_sanitizer_new_output(s, 0, b"content".as_ptr(), 7, m, &mut st),
        }
    };
    if code(r) != OK {
        return Err(code(r));
    }
    Ok(st)
}

/// Cut points: every byte for a short text, else a spread of them.
fn cut_sets(len: usize) -> Vec<Vec<usize>> {
    let mut sets: Vec<Vec<usize>> = (1..len).map(|c| vec![c]).collect();
    sets.push((1..len).collect());
    sets.push((1..len).step_by(3).collect());
    sets.push(vec![]);
    sets
}

#[test]
fn streams_equal_the_whole_text_for_any_cut() {
    let text = TEXTS[1].as_bytes();
    let whole = {
        let s = sanitizer(Some(&SECRET));
        let w = sanitize(s, 0, TEXTS[1]).expect("sanitize");
        free(s);
        w
    };
    assert!(whole.contains("[EMAIL_ADDRESS_"), "{whole}");
    for cuts in cut_sets(text.len()) {
        let s = sanitizer(Some(&SECRET));
        let st = open_stream(s, None).expect("stream");
        let got = push_all(|c| stream_push(st, c), || stream_finish(st), text, &cuts);
        assert_eq!(got, whole, "cuts {cuts:?}");
        // SAFETY: freed once; gives the sanitizer back.
        unsafe { lucairn_stream_sanitizer_free(st) };
        assert_eq!(relink(s, &got).as_deref(), Ok(TEXTS[1]));
        free(s);
    }
    // Output streams equal scan_output, in both modes.
    for mode in [LUCAIRN_OUTPUT_KEEP, LUCAIRN_OUTPUT_RELINK] {
        let reference = sanitizer(None);
        sanitize(reference, 0, TEXTS[0]).expect("sanitize");
        let want = scan_output(reference, ANSWER, mode).expect("scan_output");
        free(reference);
        for cuts in cut_sets(ANSWER.len()).into_iter().step_by(7) {
            let s = sanitizer(None);
            sanitize(s, 0, TEXTS[0]).expect("sanitize");
            let st = open_stream(s, Some(mode)).expect("output stream");
            let got = push_all(|c| stream_push(st, c), || stream_finish(st), ANSWER.as_bytes(), &cuts);
            assert_eq!(got, want, "mode {mode}, cuts {cuts:?}");
            // SAFETY: freed once.
            unsafe { lucairn_stream_sanitizer_free(st) };
            free(s);
        }
    }
}

#[test]
fn a_stream_borrows_its_sanitizer() {
    let s = sanitizer(None);
    sanitize(s, 0, "from ana@example.org").expect("sanitize");
    let st = open_stream(s, None).expect("stream");
    // While lent: busy, and nothing is written.
    assert_eq!(sanitize(s, 1, "x"), Err(300));
    assert!(detail().contains("lent to an open stream"), "{}", detail());
    assert_eq!(relink(s, "x"), Err(300));
    assert_eq!(scan_output(s, "x", 0), Err(300));
    assert_eq!(open_stream(s, None), Err(300));
    let mut m = ptr::dangling_mut();
    // SAFETY: valid pointers.
    assert_eq!(code(unsafe { lucairn_sanitizer_mapping(s, &mut m) }), 300);
    assert_eq!(m, ptr::dangling_mut());
    // The stream uses the sanitizer's placeholders; a finished stream takes a new text.
    let out = push_all(|c| stream_push(st, c), || stream_finish(st), b"ANA@example.org and bo@example.net", &[7]);
    assert_eq!(out, "[EMAIL_ADDRESS_1] and [EMAIL_ADDRESS_2]");
    let out = push_all(|c| stream_push(st, c), || stream_finish(st), "é bo@example.net".as_bytes(), &[1]);
    assert_eq!(out, "é [EMAIL_ADDRESS_2]");
    // SAFETY: freed once.
    unsafe { lucairn_stream_sanitizer_free(st) };
    // Back: the sanitizer knows the streamed values.
    assert_eq!(relink(s, "[EMAIL_ADDRESS_2]").as_deref(), Ok("bo@example.net"));
    assert_eq!(sanitize(s, 2, "cc bo@example.net").as_deref(), Ok("cc [EMAIL_ADDRESS_2]"));

    // Freeing the sanitizer first is fine: the stream keeps what it needs.
    let st = open_stream(s, Some(LUCAIRN_OUTPUT_RELINK)).expect("output stream");
    free(s);
    let out = push_all(|c| stream_push(st, c), || stream_finish(st), b"Hi [EMAIL_ADDRESS_2]!", &[9]);
    assert_eq!(out, "Hi bo@example.net!");
    // SAFETY: freed once; NULL is ignored.
    unsafe {
        lucairn_stream_sanitizer_free(st);
        lucairn_stream_sanitizer_free(ptr::null_mut());
    }
}

#[test]
fn bad_stream_arguments() {
    let s = sanitizer(None);
    let mut st = ptr::dangling_mut::<lucairn_stream_sanitizer>();
    // SAFETY: NULL or valid pointers; nothing may be written.
    unsafe {
        assert_eq!(code(lucairn_stream_sanitizer_new(ptr::null_mut(), 0, ptr::null(), 0, &mut st)), 1);
        assert_eq!(code(lucairn_stream_sanitizer_new(s, 0, ptr::null(), 0, ptr::null_mut())), 1);
        assert_eq!(code(lucairn_stream_sanitizer_new(s, 0, b"\xff".as_ptr(), 1, &mut st)), 2);
        assert_eq!(code(lucairn_stream_sanitizer_new(s, 0, ptr::null(), 1, &mut st)), 1);
        assert_eq!(code(lucairn_stream_sanitizer_new_output(s, 0, ptr::null(), 0, 9, &mut st)), 7);
    }
    assert_eq!(st, ptr::dangling_mut());
    // None of these lent the sanitizer.
    assert_eq!(sanitize(s, 0, "a@example.org").as_deref(), Ok("[EMAIL_ADDRESS_1]"));
    let st = open_stream(s, None).expect("stream");
    let mut out = ptr::dangling_mut::<c_char>();
    let mut n = 4242;
    // SAFETY: NULL or valid pointers; nothing may be written.
    unsafe {
        assert_eq!(code(lucairn_stream_sanitizer_push(ptr::null_mut(), b"x".as_ptr(), 1, &mut out, &mut n)), 1);
        assert_eq!(code(lucairn_stream_sanitizer_push(st, ptr::null(), 1, &mut out, &mut n)), 1);
        assert_eq!(code(lucairn_stream_sanitizer_push(st, b"x".as_ptr(), usize::MAX, &mut out, &mut n)), 4);
        assert_eq!(code(lucairn_stream_sanitizer_push(st, b"x".as_ptr(), 1, ptr::null_mut(), &mut n)), 1);
        assert_eq!(code(lucairn_stream_sanitizer_push(st, b"x".as_ptr(), 1, &mut out, ptr::null_mut())), 1);
        assert_eq!(code(lucairn_stream_sanitizer_finish(ptr::null_mut(), &mut out, &mut n)), 1);
        assert_eq!(code(lucairn_stream_sanitizer_finish(st, ptr::null_mut(), &mut n)), 1);
    }
    assert_eq!((out, n), (ptr::dangling_mut(), 4242));
    // Nothing was consumed by the failed pushes: (NULL, 0) is an empty chunk.
    assert_eq!(stream_push(st, &[]).as_deref(), Ok(""));
    assert_eq!(stream_finish(st).as_deref(), Ok(""));
    // Invalid UTF-8 in a stream decodes as a lossy decoding of the whole text would.
    let bytes = b"a\xffb \xe2\x82 c@example.org";
    let out = push_all(|c| stream_push(st, c), || stream_finish(st), bytes, &[2, 5]);
    assert_eq!(out, "a\u{fffd}b \u{fffd} [EMAIL_ADDRESS_2]");
    // SAFETY: freed once.
    unsafe { lucairn_stream_sanitizer_free(st) };
    free(s);
}

fn relinker_push(r: *mut lucairn_stream_relinker, chunk: &[u8]) -> Result<String, u32> {
    let (mut out, mut n) = (ptr::null_mut(), 0);
    // SAFETY: live relinker, valid chunk and outputs.
    let code_ = unsafe { lucairn_stream_relinker_push(r, chunk.as_ptr(), chunk.len(), &mut out, &mut n) };
    if code(code_) != OK {
        return Err(code(code_));
    }
    Ok(take(out, n))
}

fn relinker_finish(r: *mut lucairn_stream_relinker) -> Result<String, u32> {
    let (mut out, mut n) = (ptr::null_mut(), 0);
    // SAFETY: live relinker, valid outputs.
    let code_ = unsafe { lucairn_stream_relinker_finish(r, &mut out, &mut n) };
    if code(code_) != OK {
        return Err(code(code_));
    }
    Ok(take(out, n))
}

#[test]
fn stream_relinkers_equal_relink_for_any_cut() {
    let s = sanitizer(None);
    sanitize(s, 0, "zoë.ñandú@exemple.fr and ana@example.org").expect("sanitize");
    let m = mapping(s);
    free(s);
    let answer = "Dear **email_address_1**, about [EMAIL_ADDRESS_2] and [EMAIL_ADDRESS_3] — ok";
    let want = mapping_relink(m, answer);
    assert_eq!(want, "Dear **zoë.ñandú@exemple.fr**, about ana@example.org and [EMAIL_ADDRESS_3] — ok");
    let mut r = ptr::null_mut();
    // SAFETY: live mapping, valid out pointer.
    assert_eq!(code(unsafe { lucairn_stream_relinker_new(m, &mut r) }), OK);
    free_mapping(m);
    for cuts in cut_sets(answer.len()) {
        let got = push_all(|c| relinker_push(r, c), || relinker_finish(r), answer.as_bytes(), &cuts);
        assert_eq!(got, want, "cuts {cuts:?}");
    }
    // Bad arguments.
    let mut out = ptr::dangling_mut::<c_char>();
    let mut n = 4242;
    let mut none = ptr::dangling_mut::<lucairn_stream_relinker>();
    // SAFETY: NULL or valid pointers; nothing may be written.
    unsafe {
        assert_eq!(code(lucairn_stream_relinker_new(ptr::null(), &mut none)), 1);
        assert_eq!(code(lucairn_stream_relinker_push(ptr::null_mut(), ptr::null(), 0, &mut out, &mut n)), 1);
        assert_eq!(code(lucairn_stream_relinker_push(r, ptr::null(), 3, &mut out, &mut n)), 1);
        assert_eq!(code(lucairn_stream_relinker_finish(r, &mut out, ptr::null_mut())), 1);
        lucairn_stream_relinker_free(r);
        lucairn_stream_relinker_free(ptr::null_mut());
    }
    assert_eq!((out, n, none), (ptr::dangling_mut(), 4242, ptr::dangling_mut()));
}

#[test]
fn one_sanitizer_many_threads() {
    let s = sanitizer(None) as usize;
    let values = ["a@example.org", "b@example.org", "c@example.org", "d@example.org"];
    std::thread::scope(|scope| {
        for t in 0..4 {
            scope.spawn(move || {
                for i in 0..50 {
                    let v = values[(t + i) % 4];
                    let got = sanitize(s as *mut _, t as u32, &format!("to {v}")).expect("sanitize");
                    let back = relink(s as *const _, &got).expect("relink");
                    assert_eq!(back, format!("to {v}"));
                }
            });
        }
    });
    let m = mapping(s as *const _);
    assert_eq!(mapping_len(m), 4, "one placeholder per value");
    free_mapping(m);
    free(s as *mut _);
}
