//! Asia-Pacific (region packs `au`, `in`, `kr`, `ph`, `sg`, `th`): AU_ABN, AU_ACN, AU_TFN,
//! AU_MEDICARE, IN_AADHAAR, IN_GSTIN, IN_PAN, IN_PASSPORT, IN_VOTER,
//! IN_VEHICLE_REGISTRATION, KR_RRN, KR_FRN, KR_BRN, KR_DRIVER_LICENSE, KR_PASSPORT, PH_TIN,
//! SG_NRIC_FIN, SG_UEN, TH_TNIN, and a Philippine mobile format (PHONE_NUMBER).
//!
//! - AU_ABN: eleven digits (2-3-3-3 or contiguous), the first minus one, weights 10, 1, 3,
//!   5 ... 19, sum mod 89 = 0. AU_ACN: nine digits (3-3-3), weights 8 to 1, `10 - sum mod
//!   10`. AU_TFN: nine digits, weights 1 4 3 7 5 8 6 9 10, sum mod 11 = 0. AU_MEDICARE: ten
//!   digits (4-5-1), first 2-6, weights 1 3 7 9 1 3 7 9 giving the ninth digit.
//! - IN_AADHAAR: twelve digits (4-4-4 with spaces, dashes or colons), first 2-9, Verhoeff,
//!   not a palindrome. IN_GSTIN: state code (01-38, 97, 99), a PAN, an entity number, `Z`,
//!   and the mod-36 check character; a GSTIN whose check character fails is a weak
//!   candidate. IN_PAN: five letters (the fourth an entity type `ABCFGHJLPT`), four digits,
//!   a letter. IN_PASSPORT: a letter, seven digits (first and last not 0). IN_VOTER: three
//!   letters, seven digits. IN_VEHICLE_REGISTRATION: a state code, a district number, one
//!   to three letters, four digits (not 0000).
//! - KR_RRN / KR_FRN: YYMMDD (a valid date), a gender digit (1-4 residents, 5-8
//!   foreigners) giving the century, six digits; the check digit (weights 2-9, 2-5; `11 -
//!   sum mod 11` for residents, `13 - sum mod 11` for foreigners) raises the score: numbers
//!   issued since October 2020 have none. KR_BRN: ten digits (3-2-5) with the business
//!   number check. KR_DRIVER_LICENSE: twelve digits (2-2-6-2), a region code 11-26 or 28.
//!   KR_PASSPORT: `M`, `S`, `R`, `O` or `D`, then three digits, a letter and four digits (or
//!   eight digits); needs context. Korean particles follow numbers without a space, so only
//!   ASCII letters and digits end a token here.
//! - PH_TIN: nine or twelve digits (3-3-3-3), the ninth the weighted (9 to 2) sum of the
//!   first eight mod 11.
//! - SG_NRIC_FIN: `S`, `T`, `F`, `G` or `M`, seven digits, the check letter of its series;
//!   other letters are weak candidates. SG_UEN: the three formats with their check letters.
//! - TH_TNIN: thirteen digits (or 1-4-5-2-1), first 1-8, a province code that exists, the
//!   mod-11 check digit.
//! - PHONE_NUMBER (pack `ph`): `0 (917) 123 4567`.
//!
//! A finding depends on at most 24 bytes left of its digit run and 20 bytes right of it,
//! plus the context windows.

use crate::Kind;
use crate::detectors::checksum;
use crate::detectors::intl::{
    self, Context, Run, Tok, all_digits, all_letters, dv, ends_clean, ends_clean_ascii, grouped, groups, num, report,
    starts_clean, starts_clean_ascii, upper, verhoeff,
};
use crate::detectors::region::Group;
use crate::detectors::{Family, Handler};
use crate::scan::Scanner;

/// Keyword anchors of this family.
pub(crate) const KEYWORDS: &[(&str, Handler)] = &[];

/// Context words of this family, per kind.
pub(crate) const CONTEXT: &[(Kind, &[&str])] = &[
    (Kind::AuAbn, &["abn", "australian business number", "business number"]),
    (Kind::AuAcn, &["acn", "australian company number", "company number"]),
    (Kind::AuTfn, &["tfn", "tax file number", "tax file"]),
    (Kind::AuMedicare, &["medicare", "medicare number", "medicare card"]),
    (Kind::InAadhaar, &["aadhaar", "aadhar", "adhaar", "uidai"]),
    (Kind::InGstin, &["gstin", "gst", "gst number", "gst registration", "goods and services tax"]),
    (Kind::InPan, &["pan card", "pan number", "pan no", "permanent account number", "income tax"]),
    (Kind::InPassport, &["passport", "passport number", "passport no"]),
    (Kind::InVoter, &["voter", "voter id", "epic number", "epic no", "election commission", "electoral"]),
    (Kind::InVehicleRegistration, &["vehicle", "registration", "rto", "number plate"]),
    (Kind::KrRrn, &["주민등록번호", "주민번호", "resident registration", "rrn"]),
    (Kind::KrFrn, &["외국인등록번호", "외국인번호", "foreigner registration", "frn", "alien registration"]),
    (Kind::KrBrn, &["사업자등록번호", "사업자번호", "business registration", "brn"]),
    (Kind::KrDriverLicense, &["운전면허", "면허번호", "driver license", "driver's license", "driving licence"]),
    (Kind::KrPassport, &["여권", "passport"]),
    (Kind::PhTin, &["tin", "taxpayer identification", "taxpayer id", "tax id", "bir tin"]),
    (Kind::SgNricFin, &["nric", "fin number", "fin no", "identity card", "ic number", "ic no"]),
    (Kind::SgUen, &["uen", "unique entity number", "business registration", "acra"]),
    (
        Kind::ThTnin,
        &[
            "thai id",
            "national id",
            "tnin",
            "บัตรประชาชน",
            "เลขประจำตัวประชาชน",
            "เลขบัตรประชาชน",
            "identification number",
        ],
    ),
    (Kind::PhoneNumber, &["telepono", "cellphone", "cp no"]),
];

/// A token with letters and digits.
pub(crate) fn token(s: &mut Scanner<'_>, t: Tok) {
    let b = s.b;
    let v = &b[t.ts..t.te];
    let n = t.len();
    // Korean passports are written right next to Korean words.
    if n == 9 && starts_clean_ascii(b, t.ts) && ends_clean_ascii(b, t.te) && kr_passport(v) {
        let bare = if v[4].is_ascii_alphabetic() { 0.1 } else { 0.05 };
        report(s, t.ts, t.te, Kind::KrPassport, bare, 0.6, "kr_passport");
    }
    if !starts_clean(s, t.ts) || !ends_clean(s, t.te) {
        return;
    }
    match n {
        15 => gstin(s, t.ts, t.te),
        10 => {
            if pan_shape(v) {
                let bare = if b"ABCFGHJLPT".contains(&v[3]) { 0.35 } else { 0.1 };
                report(s, t.ts, t.te, Kind::InPan, bare, 0.85, "in_pan");
            }
            if all_letters(&v[..3]) && all_digits(&v[3..]) {
                let bare = if upper(v) { 0.3 } else { 0.2 };
                report(s, t.ts, t.te, Kind::InVoter, bare, 0.75, "in_voter");
            }
            uen(s, t.ts, t.te);
        }
        9 => {
            nric(s, t.ts, t.te);
            uen(s, t.ts, t.te);
        }
        8 if in_passport(v) => {
            report(s, t.ts, t.te, Kind::InPassport, 0.1, 0.6, "in_passport");
        }
        _ => {}
    }
    if (7..=10).contains(&n) {
        vehicle(s, t.ts, t.te);
    }
}

/// A run of digits alone.
pub(crate) fn digits(s: &mut Scanner<'_>, r: Run, _c: &mut Context) {
    let g = s.eng.groups;
    if g & Group::PH_PHONE != 0 && r.len() == 1 && r.next == b' ' {
        ph_mobile(s, r);
    }
    if g & Group::APAC == 0 {
        return;
    }
    let b = s.b;
    let len = r.len();
    // Korean numbers are written right next to Korean words.
    if starts_clean_ascii(b, r.start) {
        match len {
            6 if r.next == b'-' => {
                if let Some((d, e, _)) = grouped(b, r.start, &[6, 7], b"-") {
                    if ends_clean_ascii(b, e) {
                        rrn(s, r.start, e, d.as_slice());
                    }
                }
            }
            13 if ends_clean_ascii(b, r.end) => rrn(s, r.start, r.end, dv(&b[r.start..r.end]).as_slice()),
            3 if r.next == b'-' => {
                if let Some((d, e, _)) = grouped(b, r.start, &[3, 2, 5], b"-") {
                    if ends_clean_ascii(b, e) {
                        brn(s, r.start, e, d.as_slice(), 0.6);
                    }
                }
            }
            10 if ends_clean_ascii(b, r.end) => brn(s, r.start, r.end, dv(&b[r.start..r.end]).as_slice(), 0.3),
            2 if matches!(r.next, b'-' | b' ') => {
                if let Some((d, e, _)) = grouped(b, r.start, &[2, 2, 6, 2], b"- ") {
                    if ends_clean_ascii(b, e) {
                        kr_licence(s, r.start, e, d.as_slice(), 0.45);
                    }
                }
            }
            12 if ends_clean_ascii(b, r.end) => kr_licence(s, r.start, r.end, dv(&b[r.start..r.end]).as_slice(), 0.2),
            _ => {}
        }
    }
    if !starts_clean(s, r.start) {
        return;
    }
    let contiguous = ends_clean(s, r.end);
    match len {
        2 if r.next == b' ' => {
            if let Some((d, e, _)) = grouped(b, r.start, &[2, 3, 3, 3], b" ") {
                if ends_clean(s, e) {
                    abn(s, r.start, e, d.as_slice(), 0.7);
                }
            }
        }
        3 if matches!(r.next, b' ' | b'-') => {
            if let Some((d, e, _)) = grouped(b, r.start, &[3, 3, 3], b" -") {
                if ends_clean(s, e) {
                    acn_tfn(s, r.start, e, d.as_slice(), 0.45);
                }
            }
            if r.next == b'-' {
                tin(s, r);
            }
        }
        4 if matches!(r.next, b' ' | b'-' | b':') => {
            if let Some((d, e, _)) = grouped(b, r.start, &[4, 4, 4], b" -:") {
                if ends_clean(s, e) {
                    aadhaar(s, r.start, e, d.as_slice(), 0.7);
                }
            }
            if r.next == b' ' {
                if let Some((d, e, _)) = grouped(b, r.start, &[4, 5, 1], b" ") {
                    if ends_clean(s, e) {
                        medicare(s, r.start, e, d.as_slice(), 0.55);
                    }
                }
            }
        }
        1 if matches!(r.next, b'-' | b' ') => {
            if let Some((d, e, _)) = grouped(b, r.start, &[1, 4, 5, 2, 1], b"- ") {
                if ends_clean(s, e) {
                    tnin(s, r.start, e, d.as_slice(), 0.7);
                }
            }
        }
        9 if contiguous => {
            let d = dv(&b[r.start..r.end]);
            acn_tfn(s, r.start, r.end, d.as_slice(), 0.3);
            tin_digits(s, r.start, r.end, d.as_slice(), 0.1);
        }
        10 if contiguous => medicare(s, r.start, r.end, dv(&b[r.start..r.end]).as_slice(), 0.35),
        11 if contiguous => abn(s, r.start, r.end, dv(&b[r.start..r.end]).as_slice(), 0.5),
        12 if contiguous => {
            let d = dv(&b[r.start..r.end]);
            aadhaar(s, r.start, r.end, d.as_slice(), 0.5);
            tin_digits(s, r.start, r.end, d.as_slice(), 0.1);
        }
        13 if contiguous => tnin(s, r.start, r.end, dv(&b[r.start..r.end]).as_slice(), 0.6),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------
// Australia

pub(crate) fn abn_valid(d: &[u8]) -> bool {
    const W: [u32; 11] = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
    if d.len() != 11 || d[0] == 0 {
        return false;
    }
    let sum: u32 = d.iter().zip(W).enumerate().map(|(i, (&x, w))| (u32::from(x) - u32::from(i == 0)) * w).sum();
    sum % 89 == 0
}

fn abn(s: &mut Scanner<'_>, start: usize, end: usize, d: &[u8], bare: f32) {
    if abn_valid(d) {
        report(s, start, end, Kind::AuAbn, bare, 0.95, "au_abn");
    }
}

pub(crate) fn acn_valid(d: &[u8]) -> bool {
    if d.len() != 9 {
        return false;
    }
    let sum: u32 = d[..8].iter().enumerate().map(|(i, &x)| u32::from(x) * (8 - i as u32)).sum();
    (10 - sum % 10) % 10 == u32::from(d[8])
}

pub(crate) fn tfn_valid(d: &[u8]) -> bool {
    d.len() == 9 && checksum::weighted(d, &[1, 4, 3, 7, 5, 8, 6, 9, 10]) % 11 == 0 && d.iter().any(|&x| x != 0)
}

fn acn_tfn(s: &mut Scanner<'_>, start: usize, end: usize, d: &[u8], bare: f32) {
    if acn_valid(d) {
        report(s, start, end, Kind::AuAcn, bare, 0.9, "au_acn");
    }
    if tfn_valid(d) {
        report(s, start, end, Kind::AuTfn, bare, 0.9, "au_tfn");
    }
}

pub(crate) fn medicare_valid(d: &[u8]) -> bool {
    d.len() == 10
        && (2..=6).contains(&d[0])
        && checksum::weighted(&d[..8], &[1, 3, 7, 9, 1, 3, 7, 9]) % 10 == u32::from(d[8])
}

fn medicare(s: &mut Scanner<'_>, start: usize, end: usize, d: &[u8], bare: f32) {
    if medicare_valid(d) {
        report(s, start, end, Kind::AuMedicare, bare, 0.9, "au_medicare");
    }
}

// ---------------------------------------------------------------------------------------
// India

fn aadhaar(s: &mut Scanner<'_>, start: usize, end: usize, d: &[u8], bare: f32) {
    let palindrome = d.iter().eq(d.iter().rev());
    if d.len() == 12 && d[0] >= 2 && !palindrome && verhoeff(d) {
        report(s, start, end, Kind::InAadhaar, bare, 0.95, "in_aadhaar");
    }
}

fn pan_shape(v: &[u8]) -> bool {
    v.len() == 10 && v[..5].iter().all(u8::is_ascii_uppercase) && all_digits(&v[5..9]) && v[9].is_ascii_uppercase()
}

const B36: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// The GSTIN check character of the first fourteen characters.
pub(crate) fn gstin_check(v: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (i, &c) in v.iter().take(14).enumerate() {
        let x = u32::try_from(B36.iter().position(|&a| a == c)?).ok()? * if i % 2 == 0 { 1 } else { 2 };
        sum += x / 36 + x % 36;
    }
    B36.get(((36 - sum % 36) % 36) as usize).copied()
}

fn gstin(s: &mut Scanner<'_>, ts: usize, te: usize) {
    let v = &s.b[ts..te];
    let state = num(&v[..2]);
    if !all_digits(&v[..2]) || !(matches!(state, 1..=38 | 97 | 99)) || !pan_shape(&v[2..12]) {
        return;
    }
    if !(v[12].is_ascii_uppercase() || matches!(v[12], b'1'..=b'9')) || v[13] != b'Z' || !v[14].is_ascii_alphanumeric()
    {
        return;
    }
    let (bare, ctx) = if gstin_check(v) == Some(v[14]) { (0.9, 1.0) } else { (0.15, 0.5) };
    report(s, ts, te, Kind::InGstin, bare, ctx, "in_gstin");
}

fn in_passport(v: &[u8]) -> bool {
    v.len() == 8
        && v[0].is_ascii_uppercase()
        && !matches!(v[0], b'Q' | b'X' | b'Z')
        && all_digits(&v[1..])
        && v[1] != b'0'
        && v[7] != b'0'
}

/// State and union territory codes of Indian registrations.
const IN_STATES: &[&[u8; 2]] = &[
    b"AN", b"AP", b"AR", b"AS", b"BR", b"CG", b"CH", b"CT", b"DD", b"DL", b"DN", b"GA", b"GJ", b"HP", b"HR", b"JH",
    b"JK", b"KA", b"KL", b"LA", b"LD", b"MH", b"ML", b"MN", b"MP", b"MZ", b"NL", b"OD", b"OR", b"PB", b"PY", b"RJ",
    b"SK", b"TN", b"TR", b"TS", b"UK", b"UP", b"WB",
];

fn vehicle(s: &mut Scanner<'_>, ts: usize, te: usize) {
    if !intl::could(s, Kind::InVehicleRegistration, 0.85) {
        return;
    }
    let v = &s.b[ts..te];
    if !upper(v) {
        return;
    }
    let n = v.len();
    // "MCX1243": the series of the years before 1989.
    if n == 7 && all_letters(&v[..3]) && all_digits(&v[3..]) && &v[3..] != b"0000" {
        report(s, ts, te, Kind::InVehicleRegistration, 0.05, 0.5, "in_vehicle_registration");
        return;
    }
    if !IN_STATES.iter().any(|c| c[..] == v[..2]) || !all_digits(&v[n - 4..]) || &v[n - 4..] == b"0000" {
        return;
    }
    let district = intl::digits_at(v, 2, 3);
    let series = (n - 6).saturating_sub(district);
    if (1..=2).contains(&district)
        && (1..=3).contains(&series)
        && all_letters(&v[2 + district..n - 4])
        && num(&v[2..2 + district]) > 0
    {
        report(s, ts, te, Kind::InVehicleRegistration, 0.5, 0.85, "in_vehicle_registration");
    }
}

// ---------------------------------------------------------------------------------------
// Korea

/// A Korean RRN or FRN from its thirteen digit values.
fn rrn(s: &mut Scanner<'_>, start: usize, end: usize, d: &[u8]) {
    if d.len() != 13 {
        return;
    }
    let g = d[6];
    let century = match g {
        1 | 2 | 5 | 6 => 1900,
        3 | 4 | 7 | 8 => 2000,
        _ => return,
    };
    let (yy, mm, dd) = (u32::from(d[0] * 10 + d[1]), u32::from(d[2] * 10 + d[3]), u32::from(d[4] * 10 + d[5]));
    if !checksum::valid_date(century + yy, mm, dd) {
        return;
    }
    let sum = checksum::weighted(&d[..12], &[2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]);
    let (kind, base, name) = if g <= 4 { (Kind::KrRrn, 11, "kr_rrn") } else { (Kind::KrFrn, 13, "kr_frn") };
    let checked = (base - sum % 11) % 10 == u32::from(d[12]);
    let (bare, ctx) = if checked { (0.85, 1.0) } else { (0.4, 0.8) };
    report(s, start, end, kind, bare, ctx, name);
}

fn brn(s: &mut Scanner<'_>, start: usize, end: usize, d: &[u8], bare: f32) {
    if d.len() != 10 {
        return;
    }
    let mut sum = checksum::weighted(&d[..9], &[1, 3, 7, 1, 3, 7, 1, 3, 5]);
    sum += u32::from(d[8]) * 5 / 10;
    if (10 - sum % 10) % 10 == u32::from(d[9]) {
        report(s, start, end, Kind::KrBrn, bare, 0.9, "kr_brn");
    }
}

fn kr_licence(s: &mut Scanner<'_>, start: usize, end: usize, d: &[u8], bare: f32) {
    if d.len() == 12 && matches!(d[0] * 10 + d[1], 11..=26 | 28) {
        report(s, start, end, Kind::KrDriverLicense, bare, 0.85, "kr_driver_license");
    }
}

fn kr_passport(v: &[u8]) -> bool {
    matches!(v[0].to_ascii_uppercase(), b'M' | b'S' | b'R' | b'O' | b'D')
        && all_digits(&v[1..4])
        && (v[4].is_ascii_alphabetic() || v[4].is_ascii_digit())
        && all_digits(&v[5..])
}

// ---------------------------------------------------------------------------------------
// Philippines

fn tin_digits(s: &mut Scanner<'_>, start: usize, end: usize, d: &[u8], bare: f32) {
    if (d.len() == 9 || d.len() == 12) && checksum::weighted(&d[..8], &[9, 8, 7, 6, 5, 4, 3, 2]) % 11 == u32::from(d[8])
    {
        report(s, start, end, Kind::PhTin, bare, 0.8, "ph_tin");
    }
}

fn tin(s: &mut Scanner<'_>, r: Run) {
    let b = s.b;
    if let Some((d, e, _)) = grouped(b, r.start, &[3, 3, 3, 3], b"-").or_else(|| grouped(b, r.start, &[3, 3, 3], b"-"))
    {
        if ends_clean(s, e) {
            tin_digits(s, r.start, e, d.as_slice(), 0.3);
            s.set_resume(Family::Intl, e);
        }
    }
}

/// `0 (917) 123 4567`: the trunk prefix apart from a parenthesised mobile prefix.
fn ph_mobile(s: &mut Scanner<'_>, r: Run) {
    let b = s.b;
    if b[r.start] != b'0' || b.get(r.end + 1) != Some(&b'(') || !starts_clean(s, r.start) {
        return;
    }
    let p = r.end + 2;
    if b.get(p) != Some(&b'9') || intl::digits_at(b, p, 4) != 3 || b.get(p + 3) != Some(&b')') {
        return;
    }
    if let Some((_, e, _)) = groups(b, p + 5, &[3, 4], b" -") {
        if b[p + 4] == b' ' && ends_clean(s, e) {
            report(s, r.start, e, Kind::PhoneNumber, 0.5, 0.85, "ph_mobile");
            s.set_resume(Family::Intl, e);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Singapore

fn nric(s: &mut Scanner<'_>, ts: usize, te: usize) {
    let v = &s.b[ts..te];
    if !v[0].is_ascii_uppercase() || !all_digits(&v[1..8]) || !v[8].is_ascii_uppercase() {
        return;
    }
    let mut sum = checksum::weighted(dv(&v[1..8]).as_slice(), &[2, 7, 6, 5, 4, 3, 2]);
    let table: &[u8; 11] = match v[0] {
        b'S' => b"JZIHGFEDCBA",
        b'T' => {
            sum += 4;
            b"JZIHGFEDCBA"
        }
        b'F' => b"XWUTRQPNMLK",
        b'G' => {
            sum += 4;
            b"XWUTRQPNMLK"
        }
        b'M' => {
            sum += 3;
            b"XWUTRQPNJLK"
        }
        _ => {
            report(s, ts, te, Kind::SgNricFin, 0.1, 0.1, "sg_nric_fin");
            return;
        }
    };
    let (bare, ctx) = if table[(sum % 11) as usize] == v[8] { (0.7, 0.95) } else { (0.1, 0.1) };
    report(s, ts, te, Kind::SgNricFin, bare, ctx, "sg_nric_fin");
}

/// Entity types of the UEN format `T08LL0001A`.
const UEN_TYPES: &[&[u8; 2]] = &[
    b"LP", b"LL", b"FC", b"PF", b"RF", b"MQ", b"MM", b"NB", b"CC", b"CS", b"MB", b"FM", b"GS", b"DP", b"CP", b"NR",
    b"CM", b"CD", b"MD", b"HS", b"VH", b"CH", b"MH", b"CL", b"XL", b"CX", b"HC", b"RP", b"TU", b"TC", b"FB", b"FN",
    b"PA", b"PB", b"SS", b"MC", b"SM", b"GA", b"GB",
];

pub(crate) fn uen_valid(v: &[u8]) -> bool {
    let last = v[v.len() - 1];
    match v.len() {
        9 if all_digits(&v[..8]) => {
            let sum = checksum::weighted(dv(&v[..8]).as_slice(), &[10, 4, 9, 3, 8, 2, 7, 1]);
            b"XMKECAWLJDB"[(sum % 11) as usize] == last
        }
        10 if all_digits(&v[..9]) => {
            let year = num(&v[..4]);
            let sum = checksum::weighted(dv(&v[..9]).as_slice(), &[10, 8, 6, 4, 9, 7, 5, 3, 1]);
            (1800..=2099).contains(&year) && b"ZKCMDNERGWH"[(sum % 11) as usize] == last
        }
        10 if matches!(v[0], b'T' | b'S' | b'R') => {
            const ALPHA: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWX0123456789";
            const W: [u32; 9] = [4, 3, 5, 3, 10, 2, 2, 5, 7];
            if !all_digits(&v[1..3]) || !UEN_TYPES.iter().any(|t| t[..] == v[3..5]) || !all_digits(&v[5..9]) {
                return false;
            }
            let mut sum = 0u32;
            for (&c, w) in v[..9].iter().zip(W) {
                match ALPHA.iter().position(|&a| a == c) {
                    Some(i) => sum += i as u32 * w,
                    None => return false,
                }
            }
            // The check character is ALPHA[(sum - 5) mod 11].
            ALPHA[((sum + 6) % 11) as usize] == last
        }
        _ => false,
    }
}

fn uen(s: &mut Scanner<'_>, ts: usize, te: usize) {
    let v = &s.b[ts..te];
    if v[v.len() - 1].is_ascii_uppercase() && uen_valid(v) {
        let bare = if v.len() == 9 { 0.45 } else { 0.6 };
        report(s, ts, te, Kind::SgUen, bare, 0.9, "sg_uen");
    }
}

// ---------------------------------------------------------------------------------------
// Thailand

pub(crate) fn tnin_valid(d: &[u8]) -> bool {
    if d.len() != 13 || !(1..=8).contains(&d[0]) || d[1] == 0 {
        return false;
    }
    if matches!(d[1] * 10 + d[2], 28 | 29 | 59 | 68 | 69 | 78 | 79 | 87 | 88 | 89 | 97 | 98 | 99) {
        return false;
    }
    let sum = checksum::weighted(&d[..12], &[13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
    (11 - sum % 11) % 10 == u32::from(d[12])
}

fn tnin(s: &mut Scanner<'_>, start: usize, end: usize, d: &[u8], bare: f32) {
    if tnin_valid(d) {
        report(s, start, end, Kind::ThTnin, bare, 0.95, "th_tnin");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Vec<u8> {
        s.bytes().filter(u8::is_ascii_digit).map(|c| c - b'0').collect()
    }

    #[test]
    fn australia() {
        assert!(abn_valid(&d("51 824 753 556")));
        assert!(!abn_valid(&d("52 824 753 556")));
        assert!(!abn_valid(&d("00000000560")));
        assert!(acn_valid(&d("000 000 019")) && acn_valid(&d("005 499 981")) && acn_valid(&d("000000180")));
        assert!(!acn_valid(&d("824 753 557")));
        assert!(tfn_valid(&d("876 543 210")));
        assert!(!tfn_valid(&d("824 753 557")));
        assert!(medicare_valid(&d("2123 45670 1")));
        assert!(!medicare_valid(&d("2123 25870 1")));
    }

    #[test]
    fn gstin_check_character() {
        assert_eq!(gstin_check(b"27AAPFU0939F1ZV"), Some(b'V'));
        assert_eq!(gstin_check(b"29AAGCB7383J1Z4"), Some(b'4'));
    }

    #[test]
    fn singapore() {
        for v in ["53125226D", "201434292D", "T16RF0037C", "S57TU0392K", "R16RF0037F"] {
            assert!(uen_valid(v.as_bytes()), "{v}");
        }
        assert!(!uen_valid(b"53125226E"));
    }

    #[test]
    fn thailand() {
        for v in ["1234567890121", "2345678901234", "1220000000007", "1520000000004", "1580000000004"] {
            assert!(tnin_valid(&d(v)), "{v}");
        }
        for v in ["1034567890124", "1974567890124", "0034567890124", "1234567890123", "1111111111111"] {
            assert!(!tnin_valid(&d(v)), "{v}");
        }
    }
}
