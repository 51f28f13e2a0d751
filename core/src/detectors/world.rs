//! Canada, Nigeria, Turkey and South Africa (region packs `ca`, `ng`, `tr`, `za`): CA_SIN,
//! NG_NIN, NG_VEHICLE_REGISTRATION, TR_NATIONAL_ID, TR_LICENSE_PLATE, ZA_ID_NUMBER, and
//! Turkish national phone formats (PHONE_NUMBER).
//!
//! - CA_SIN: nine digits (3-3-3 with one kind of separator, or contiguous), first digit not
//!   0 or 8, not all the same, Luhn. Contiguous only with context.
//! - NG_NIN: eleven digits, Verhoeff; needs context.
//! - NG_VEHICLE_REGISTRATION: a three-letter local government code, three digits, two
//!   letters (`APP-456CV`, `APP 456CV`, `APP456CV`).
//! - TR_NATIONAL_ID (TC Kimlik No): eleven digits, first not 0, the tenth
//!   `(7 (d1 + d3 + d5 + d7 + d9) - (d2 + d4 + d6 + d8)) mod 10`, the eleventh the sum of
//!   the first ten mod 10.
//! - TR_LICENSE_PLATE: a province code 01-81, one to three letters, two to four digits
//!   (`34 ABC 1234`, `34ABC1234`).
//! - ZA_ID_NUMBER: YYMMDD (a valid date in the 1900s or 2000s), four digits, citizenship
//!   0-2, 8 or 9, Luhn.
//! - PHONE_NUMBER (pack `tr`): ten-digit national numbers (area codes 2xx-4xx, mobile 5xx,
//!   850) with an optional trunk `0`, contiguous or grouped 3-3-2-2 (`532 123 45 67`,
//!   `0 532 123 45 67`, `0 (532) 1234567`).
//!
//! A finding depends on at most 8 bytes left of its digit run and 20 bytes right of it,
//! plus the context windows.

use crate::Kind;
use crate::detectors::checksum;
use crate::detectors::intl::{
    Context, Run, Tok, all_digits, dv, ends_clean, grouped, groups, letters_at, letters_before, luhn_ascii, num,
    report, report_in, shape, starts_clean, upper, verhoeff,
};
use crate::detectors::region::Group;
use crate::detectors::{Family, Handler};
use crate::scan::Scanner;

/// Keyword anchors of this family.
pub(crate) const KEYWORDS: &[(&str, Handler)] = &[];

/// Context words of this family, per kind.
pub(crate) const CONTEXT: &[(Kind, &[&str])] = &[
    (
        Kind::CaSin,
        &[
            "sin number",
            "sin no",
            "social insurance",
            "social insurance number",
            "numéro d'assurance sociale",
            "assurance sociale",
        ],
    ),
    (Kind::NgNin, &["nin number", "nimc", "national identification number", "national identity number"]),
    (Kind::NgVehicleRegistration, &["plate number", "number plate", "vehicle", "registration"]),
    (
        Kind::TrNationalId,
        &["tc kimlik", "t.c. kimlik", "kimlik no", "kimlik numarası", "tckn", "turkish id", "türk kimlik", "kimlik"],
    ),
    (Kind::TrLicensePlate, &["plaka", "plakası", "license plate", "licence plate", "araç"]),
    (
        Kind::ZaIdNumber,
        &["id number", "identity number", "south african id", "rsa id", "smart id", "national id", "id no"],
    ),
    (Kind::PhoneNumber, &["cep no", "numaram", "telefon numarası", "cep telefonu"]),
];

/// A token with letters and digits.
pub(crate) fn token(s: &mut Scanner<'_>, t: Tok) {
    let b = s.b;
    let v = &b[t.ts..t.te];
    let n = t.len();
    // "APP456CV", "34ABC1234"
    if starts_clean(s, t.ts) && ends_clean(s, t.te) {
        if n == 8 && shape(v, b"AAA999AA") {
            ng_plate(s, t.ts, t.te);
        }
        if (5..=9).contains(&n) && all_digits(&v[..2]) {
            let l = letters_at(v, 2, 4);
            if (1..=3).contains(&l) && (2..=4).contains(&(n - 2 - l)) && all_digits(&v[2 + l..]) {
                tr_plate(s, t.ts, t.te, 0.4);
            }
        }
    }
    // "APP-456CV": the digits and letters after a three-letter code.
    if n == 5 && shape(v, b"999AA") && t.ts >= 4 && matches!(b[t.ts - 1], b'-' | b' ') && ends_clean(s, t.te) {
        let q = t.ts - 4;
        if letters_before(b, t.ts - 1, 4) == 3 && starts_clean(s, q) {
            ng_plate(s, q, t.te);
        }
    }
}

/// A run of digits alone.
pub(crate) fn digits(s: &mut Scanner<'_>, r: Run, c: &mut Context) {
    let g = s.eng.groups;
    if g & Group::TR_PHONE != 0 {
        tr_phone(s, r);
    }
    if g & Group::INTL == 0 || !starts_clean(s, r.start) {
        return;
    }
    let b = s.b;
    match r.len() {
        3 if matches!(r.next, b' ' | b'-') => {
            if let Some((d, e, _)) = grouped(b, r.start, &[3, 3, 3], b" -") {
                if ends_clean(s, e) {
                    sin(s, r.start, e, d.as_slice(), 0.5);
                }
            }
        }
        // "34 ABC 1234"
        2 if r.next == b' ' => {
            let l = letters_at(b, r.end + 1, 4);
            let p = r.end + 1 + l;
            if (1..=3).contains(&l) && b.get(p) == Some(&b' ') {
                let n = crate::detectors::intl::digits_at(b, p + 1, 5);
                if (2..=4).contains(&n) && ends_clean(s, p + 1 + n) {
                    tr_plate(s, r.start, p + 1 + n, 0.5);
                }
            }
        }
        _ if !ends_clean(s, r.end) => {}
        9 => sin(s, r.start, r.end, dv(&b[r.start..r.end]).as_slice(), 0.2),
        11 => {
            let v = &b[r.start..r.end];
            if tckn_valid(v) {
                report_in(s, c, Kind::TrNationalId, 0.5, 0.95, "tr_national_id");
            }
            if verhoeff(dv(v).as_slice()) {
                report_in(s, c, Kind::NgNin, 0.3, 0.9, "ng_nin");
            }
        }
        13 => {
            let v = &b[r.start..r.end];
            if za_valid(v) {
                report(s, r.start, r.end, Kind::ZaIdNumber, 0.7, 0.95, "za_id_number");
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------
// CA_SIN

fn sin(s: &mut Scanner<'_>, start: usize, end: usize, d: &[u8], bare: f32) {
    if d.len() == 9 && !matches!(d[0], 0 | 8) && d.iter().any(|&x| x != d[0]) && checksum::luhn(d) {
        report(s, start, end, Kind::CaSin, bare, 0.9, "ca_sin");
    }
}

// ---------------------------------------------------------------------------------------
// NG_VEHICLE_REGISTRATION, TR_LICENSE_PLATE

fn ng_plate(s: &mut Scanner<'_>, start: usize, end: usize) {
    let v = &s.b[start..end];
    let lower = v.iter().any(u8::is_ascii_lowercase);
    if lower && !v.iter().all(|c| !c.is_ascii_uppercase()) {
        return;
    }
    let bare = if lower { 0.25 } else { 0.4 };
    report(s, start, end, Kind::NgVehicleRegistration, bare, 0.85, "ng_vehicle_registration");
}

fn tr_plate(s: &mut Scanner<'_>, start: usize, end: usize, bare: f32) {
    let v = &s.b[start..end];
    if !(1..=81).contains(&num(&v[..2])) {
        return;
    }
    let lower = v.iter().any(u8::is_ascii_lowercase);
    if lower && !v.iter().all(|c| !c.is_ascii_uppercase()) {
        return;
    }
    let bare = if upper(v) { bare } else { 0.3 };
    if report(s, start, end, Kind::TrLicensePlate, bare, 0.85, "tr_license_plate") {
        s.set_resume(Family::Intl, end);
    }
}

// ---------------------------------------------------------------------------------------
// TR_NATIONAL_ID, ZA_ID_NUMBER

pub(crate) fn tckn_valid(v: &[u8]) -> bool {
    if v.len() != 11 || !all_digits(v) || v[0] == b'0' {
        return false;
    }
    let d = |i: usize| i32::from(v[i] - b'0');
    let odd = d(0) + d(2) + d(4) + d(6) + d(8);
    let even = d(1) + d(3) + d(5) + d(7);
    let tenth = (odd * 7 - even).rem_euclid(10);
    let eleventh = (0..10).map(d).sum::<i32>() % 10;
    tenth == d(9) && eleventh == d(10)
}

pub(crate) fn za_valid(v: &[u8]) -> bool {
    if v.len() != 13 || !all_digits(v) || !matches!(v[10], b'0'..=b'2') || !matches!(v[11], b'8' | b'9') {
        return false;
    }
    let (yy, mm, dd) = (num(&v[..2]), num(&v[2..4]), num(&v[4..6]));
    (checksum::valid_date(1900 + yy, mm, dd) || checksum::valid_date(2000 + yy, mm, dd)) && luhn_ascii(v)
}

// ---------------------------------------------------------------------------------------
// Turkish phone numbers

/// True for the ten digits of a Turkish national number.
fn tr_national(d: &[u8]) -> bool {
    d.len() == 10 && (matches!(d[0], 2..=4) || (d[0] == 5 && d[1] <= 5) || (d[0] == 8 && d[1] == 5 && d[2] == 0))
}

fn tr_phone(s: &mut Scanner<'_>, r: Run) {
    let b = s.b;
    if !starts_clean(s, r.start) || (r.start >= 1 && b[r.start - 1] == b'(') {
        return;
    }
    let len = r.len();
    let mut found: Option<(usize, crate::detectors::checksum::Buf, f32)> = None;
    if len == 10 && ends_clean(s, r.end) {
        found = Some((r.end, dv(&b[r.start..r.end]), 0.3));
    } else if len == 3 && matches!(r.next, b' ' | b'-' | b'.') {
        found = grouped(b, r.start, &[3, 3, 2, 2], b" -.").map(|(d, e, _)| (e, d, 0.5));
    } else if len == 1 && b[r.start] == b'0' && matches!(r.next, b' ' | b'-') {
        // "0 532 123 45 67", "0-532-123-45-67", "0 (532) 1234567"
        let p = r.end + 1;
        if b.get(p) == Some(&b'(') {
            if crate::detectors::intl::digits_at(b, p + 1, 4) == 3 && b.get(p + 4) == Some(&b')') {
                if let Some((tail, e, _)) = groups(b, p + 6, &[7], b"").filter(|_| b.get(p + 5) == Some(&b' ')) {
                    let mut d = dv(&b[p + 1..p + 4]);
                    for &x in tail.as_slice() {
                        d.push(x);
                    }
                    found = Some((e, d, 0.6));
                }
            }
        } else if let Some((d, e, _)) = groups(b, p, &[3, 3, 2, 2], &[r.next]) {
            found = Some((e, d, 0.6));
        }
    }
    if let Some((e, d, bare)) = found {
        if tr_national(d.as_slice())
            && ends_clean(s, e)
            && report(s, r.start, e, Kind::PhoneNumber, bare, 0.85, "tr_phone")
        {
            s.set_resume(Family::Intl, e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tckn_vectors() {
        for v in ["10000000146", "76543210794", "36493665440", "53857632436", "94357219628", "79059236630"] {
            assert!(tckn_valid(v.as_bytes()), "{v}");
        }
        for v in ["00000000000", "02531814694", "12345678900", "76543210780", "10000000145", "62286775983"] {
            assert!(!tckn_valid(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn za_vectors() {
        for v in ["8001015009087", "8001015000086", "9202201234088", "0002294321191", "9912316789285"] {
            assert!(za_valid(v.as_bytes()), "{v}");
        }
        for v in ["8001015009086", "9913326789285", "9902294321191", "8001015000076", "8001015009176"] {
            assert!(!za_valid(v.as_bytes()), "{v}");
        }
    }
}
