//! United Kingdom (region pack `uk`): UK_DRIVING_LICENCE, UK_PASSPORT,
//! UK_VEHICLE_REGISTRATION, and UK postcodes (POSTAL_CODE).
//!
//! - UK_DRIVING_LICENCE (DVLA): five characters of the surname (letters, padded with `9`),
//!   the decade of birth, the month (plus 50 for women), the day (a valid day of that
//!   month), the year's last digit, two initials (`9` for none), a digit and two letters.
//! - UK_PASSPORT: two letters and seven digits; needs context.
//! - UK_VEHICLE_REGISTRATION: the current format (`AB51 ABC`: area letters, an age
//!   identifier 02-29 or 51-79, three letters without I or Q), and with context the
//!   prefix (`A123 BCD`) and suffix (`ABC 123D`) formats, whose year letter is not I, O, Q,
//!   U or Z.
//! - POSTAL_CODE: the outward code (`A9`, `A99`, `A9A`, `AA9`, `AA99`, `AA9A`, with the
//!   Royal Mail's letter rules per position) and the inward code (a digit and two letters
//!   without C, I, K, M, O or V), with or without the space; and `GIR 0AA`. Upper case.
//!
//! A finding depends on at most 24 bytes left of its digit run and 32 bytes right of it,
//! plus the context windows.

use crate::Kind;
use crate::detectors::intl::{
    Tok, all_digits, ends_clean, letters_at, letters_before, num, report, starts_clean, upper,
};
use crate::detectors::{Family, Handler};
use crate::scan::Scanner;

/// Keyword anchors of this family.
pub(crate) const KEYWORDS: &[(&str, Handler)] = &[];

/// Context words of this family, per kind.
pub(crate) const CONTEXT: &[(Kind, &[&str])] = &[
    (
        Kind::UkDrivingLicence,
        &["driving licence", "driving license", "driver's licence", "driver licence", "licence number", "dvla"],
    ),
    (Kind::UkPassport, &["passport", "passport number", "passport no", "hm passport"]),
    (
        Kind::UkVehicleRegistration,
        &[
            "registration",
            "reg no",
            "reg number",
            "car reg",
            "number plate",
            "numberplate",
            "licence plate",
            "license plate",
            "vehicle",
        ],
    ),
    (Kind::PostalCode, &["postcode", "post code", "postal code"]),
];

/// A token with letters and digits.
pub(crate) fn token(s: &mut Scanner<'_>, t: Tok) {
    let b = s.b;
    let v = &b[t.ts..t.te];
    if t.len() > 7 && t.len() != 9 && t.len() != 16 {
        return;
    }
    let clean_start = starts_clean(s, t.ts);
    if clean_start {
        if t.len() == 16 && ends_clean(s, t.te) {
            licence(s, t.ts, t.te);
        }
        if t.len() == 9 && ends_clean(s, t.te) && v[..2].iter().all(u8::is_ascii_alphabetic) && all_digits(&v[2..]) {
            report(s, t.ts, t.te, Kind::UkPassport, 0.1, 0.65, "uk_passport");
        }
        if postcode(s, t) || vehicle(s, t) {
            return;
        }
    }
    // "GIR 0AA", "ABC 123D": the token after a token of letters.
    if t.ts >= 4 && matches!(b[t.ts - 1], b' ' | b'-') {
        let l = letters_before(b, t.ts - 1, 4);
        let ls = t.ts - 1 - l;
        if l == 3 && starts_clean(s, ls) && ends_clean(s, t.te) {
            if &b[ls..t.ts - 1] == b"GIR" && b[t.ts - 1] == b' ' && v == b"0AA" {
                report(s, ls, t.te, Kind::PostalCode, 0.5, 0.85, "uk_postcode");
            } else if (2..=4).contains(&t.len()) && all_digits(&v[..t.len() - 1]) && year_letter(v[t.len() - 1]) {
                plate(s, ls, t.te, 0.15);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// UK_DRIVING_LICENCE

fn licence(s: &mut Scanner<'_>, ts: usize, te: usize) {
    let v = &s.b[ts..te];
    // Surname: a letter, then letters, then only 9s.
    if !v[0].is_ascii_alphabetic() {
        return;
    }
    let letters = v[..5].iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if !v[letters..5].iter().all(|&c| c == b'9') {
        return;
    }
    if !all_digits(&v[5..11]) {
        return;
    }
    let month = match num(&v[6..8]) {
        m @ 1..=12 => m,
        m @ 51..=62 => m - 50,
        _ => return,
    };
    let day = num(&v[8..10]);
    let max = match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day == 0 || day > max {
        return;
    }
    let initials = v[11..13].iter().all(|&c| c.is_ascii_alphabetic() || c == b'9');
    if initials && v[13].is_ascii_digit() && v[14..].iter().all(u8::is_ascii_alphabetic) {
        let (bare, ctx) = if upper(v) { (0.6, 0.9) } else { (0.3, 0.8) };
        report(s, ts, te, Kind::UkDrivingLicence, bare, ctx, "uk_driving_licence");
    }
}

// ---------------------------------------------------------------------------------------
// POSTAL_CODE

/// True for an outward code (`SW1A`, `M60`, `EC1A`, `B2`).
fn outward(v: &[u8]) -> bool {
    let first = |c: u8| c.is_ascii_uppercase() && !matches!(c, b'Q' | b'V' | b'X');
    let second = |c: u8| c.is_ascii_uppercase() && !matches!(c, b'I' | b'J' | b'Z');
    let d = |c: u8| c.is_ascii_digit();
    match *v {
        [a, b] => first(a) && d(b),
        [a, b, c] => first(a) && ((d(b) && (d(c) || b"ABCDEFGHJKPSTUW".contains(&c))) || (second(b) && d(c))),
        [a, b, c, e] => first(a) && second(b) && d(c) && (d(e) || b"ABEHMNPRVWXY".contains(&e)),
        _ => false,
    }
}

/// True for an inward code (`1AA`).
fn inward(v: &[u8]) -> bool {
    let l = |c: u8| c.is_ascii_uppercase() && !matches!(c, b'C' | b'I' | b'K' | b'M' | b'O' | b'V');
    matches!(*v, [a, b, c] if a.is_ascii_digit() && l(b) && l(c))
}

fn postcode(s: &mut Scanner<'_>, t: Tok) -> bool {
    if !crate::detectors::intl::could(s, Kind::PostalCode, 0.85) || s.eng.packs & crate::detectors::region::UK == 0 {
        return false;
    }
    let b = s.b;
    let v = &b[t.ts..t.te];
    // "SW1A 1AA"
    if (2..=4).contains(&t.len()) && outward(v) && b.get(t.te) == Some(&b' ') {
        let i = t.te + 1;
        let e = i + 3;
        if e <= b.len() && inward(&b[i..e]) && ends_clean(s, e) {
            let bare = if t.len() == 2 { 0.35 } else { 0.5 };
            if report(s, t.ts, e, Kind::PostalCode, bare, 0.85, "uk_postcode") {
                s.set_resume(Family::Intl, e);
                return true;
            }
        }
    }
    // "EC1A1BB"
    if (5..=7).contains(&t.len()) && ends_clean(s, t.te) {
        let n = t.len() - 3;
        if (outward(&v[..n]) || &v[..n] == b"GIR") && inward(&v[n..]) {
            return report(s, t.ts, t.te, Kind::PostalCode, 0.3, 0.85, "uk_postcode");
        }
    }
    false
}

// ---------------------------------------------------------------------------------------
// UK_VEHICLE_REGISTRATION

/// A year letter of the prefix and suffix formats.
fn year_letter(c: u8) -> bool {
    c.is_ascii_alphabetic() && !matches!(c.to_ascii_uppercase(), b'I' | b'O' | b'Q' | b'U' | b'Z')
}

/// Three letters of the random part: no I or Q.
fn random3(v: &[u8]) -> bool {
    v.len() == 3 && v.iter().all(|&c| c.is_ascii_alphabetic() && !matches!(c.to_ascii_uppercase(), b'I' | b'Q'))
}

/// The current format's area letters.
fn area(a: u8, b: u8) -> bool {
    let (a, b) = (a.to_ascii_uppercase(), b.to_ascii_uppercase());
    b"ABCDEFGHKLMNOPRSVWY".contains(&a) && b.is_ascii_uppercase() && !matches!(b, b'I' | b'Q' | b'Z')
}

/// Reports a plate; case and spacing lower the bare score.
fn plate(s: &mut Scanner<'_>, start: usize, end: usize, bare: f32) -> bool {
    let v = &s.b[start..end];
    let lower = v.iter().any(u8::is_ascii_lowercase);
    if lower && v.iter().any(u8::is_ascii_uppercase) {
        return false;
    }
    let bare = if lower { bare.min(0.15) } else { bare };
    report(s, start, end, Kind::UkVehicleRegistration, bare, 0.8, "uk_vehicle_registration")
}

fn vehicle(s: &mut Scanner<'_>, t: Tok) -> bool {
    if !crate::detectors::intl::could(s, Kind::UkVehicleRegistration, 0.8) {
        return false;
    }
    let b = s.b;
    let v = &b[t.ts..t.te];
    let n = t.len();
    // Glued: "BD62XYZ" (current), "M456DEF" (prefix), "DEF456G" (suffix).
    if ends_clean(s, t.te) {
        if n == 7 && area(v[0], v[1]) && all_digits(&v[2..4]) && age(&v[2..4]) && random3(&v[4..]) {
            return plate(s, t.ts, t.te, 0.45);
        }
        let d = v.iter().filter(|c| c.is_ascii_digit()).count();
        if (5..=7).contains(&n) && year_letter(v[0]) && all_digits(&v[1..1 + d]) && n == 4 + d && random3(&v[1 + d..]) {
            return plate(s, t.ts, t.te, 0.2);
        }
        if (5..=7).contains(&n)
            && letters_at(v, 0, 3) == 3
            && all_digits(&v[3..n - 1])
            && n - 4 == d
            && year_letter(v[n - 1])
        {
            return plate(s, t.ts, t.te, 0.15);
        }
    }
    // Spaced: "AB51 ABC", "LN14-HGT", "A123 BCD", "K1 ABC".
    if matches!(b.get(t.te), Some(b' ' | b'-')) {
        let i = t.te + 1;
        let e = i + 3;
        if e <= b.len() && random3(&b[i..e]) && ends_clean(s, e) {
            if n == 4 && area(v[0], v[1]) && all_digits(&v[2..]) && age(&v[2..]) {
                let bare = if b[t.te] == b' ' { 0.55 } else { 0.5 };
                if plate(s, t.ts, e, bare) {
                    s.set_resume(Family::Intl, e);
                    return true;
                }
            } else if (2..=4).contains(&n) && year_letter(v[0]) && all_digits(&v[1..]) && plate(s, t.ts, e, 0.2) {
                s.set_resume(Family::Intl, e);
                return true;
            }
        }
    }
    false
}

/// The current format's age identifier: 02-29 (March) or 51-79 (September).
fn age(v: &[u8]) -> bool {
    matches!(num(v), 2..=29 | 51..=79)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcode_parts() {
        for o in ["M1", "M60", "W1A", "CR2", "DN55", "EC1A", "SW1A"] {
            assert!(outward(o.as_bytes()), "{o}");
        }
        for o in ["QA1", "VA1", "XA1", "1A1", "AI1"] {
            assert!(!outward(o.as_bytes()), "{o}");
        }
        assert!(inward(b"1AA"));
        assert!(!inward(b"1CA"));
        assert!(!inward(b"1AI"));
    }
}
