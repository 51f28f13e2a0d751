//! Region packs: which country-specific kinds a policy turns on, and which detector groups
//! the scan runs.
//!
//! A pack is a bit in a `u16`. A kind belongs to at most one pack; kinds that belong to
//! none (e-mail, cards, IBANs, IP addresses ...) are always in the default catalogue. The
//! detector groups of the region families are bits in a `u32` (see [`Group`]): the scan
//! calls a group's `at_digits` only when its bit is set, so a policy without a region pays
//! one test of a word per digit run for it.

use crate::Kind;
use crate::kind::KindSet;

/// The region packs, by name; a pack's bit is its index.
pub(crate) const PACKS: &[&str] = &["eu", "uk", "us", "au", "ca", "in", "kr", "ng", "ph", "sg", "th", "tr", "za"];

/// Pack bits.
pub(crate) const EU: u16 = 1 << 0;
pub(crate) const UK: u16 = 1 << 1;
pub(crate) const US: u16 = 1 << 2;
pub(crate) const AU: u16 = 1 << 3;
pub(crate) const CA: u16 = 1 << 4;
pub(crate) const IN: u16 = 1 << 5;
pub(crate) const KR: u16 = 1 << 6;
pub(crate) const NG: u16 = 1 << 7;
pub(crate) const PH: u16 = 1 << 8;
pub(crate) const SG: u16 = 1 << 9;
pub(crate) const TH: u16 = 1 << 10;
pub(crate) const TR: u16 = 1 << 11;
pub(crate) const ZA: u16 = 1 << 12;

/// Every pack.
const ALL: u16 = (1 << 13) - 1;

/// Reads the `regions` of a policy into pack bits; `Err` names the first unknown entry.
pub(crate) fn parse(regions: &[String]) -> Result<u16, String> {
    let mut bits = 0;
    for r in regions {
        let r = r.trim().to_ascii_lowercase();
        if r == "all" {
            bits |= ALL;
        } else {
            match PACKS.iter().position(|p| *p == r) {
                Some(i) => bits |= 1 << i,
                None => return Err(r),
            }
        }
    }
    Ok(bits)
}

/// The pack a kind belongs to, or 0 for kinds that belong to none.
pub(crate) fn pack(kind: Kind) -> u16 {
    use Kind::*;
    match kind {
        UsSsn | UsItin | UsBankRouting | UsBankNumber | UsDriverLicense | UsMbi | UsNpi | UsPassport
        | MedicalLicense => US,
        UkNino | UkNhs | UkDrivingLicence | UkPassport | UkVehicleRegistration => UK,
        VatNumber
        | DeTaxId
        | FrNir
        | EsDni
        | EsNie
        | ItFiscalCode
        | NlBsn
        | PlPesel
        | BeNationalNumber
        | SePersonnummer
        | DeBsnr
        | DeFuehrerschein
        | DeHandelsregister
        | DeHealthInsurance
        | DeIdCard
        | DeKfz
        | DeLanr
        | DePassport
        | DeSocialSecurity
        | DeTaxNumber
        | EsPassport
        | FiPersonalIdentityCode
        | ItDriverLicense
        | ItIdentityCard
        | ItPassport
        | SeOrganisationsnummer => EU,
        AuAbn | AuAcn | AuMedicare | AuTfn => AU,
        CaSin => CA,
        InAadhaar | InGstin | InPan | InPassport | InVehicleRegistration | InVoter => IN,
        KrBrn | KrDriverLicense | KrFrn | KrPassport | KrRrn => KR,
        NgNin | NgVehicleRegistration => NG,
        PhTin => PH,
        SgNricFin | SgUen => SG,
        ThTnin => TH,
        TrLicensePlate | TrNationalId => TR,
        ZaIdNumber => ZA,
        _ => 0,
    }
}

/// True when `kind` is in the default catalogue under the packs `packs`.
pub(crate) fn on(kind: Kind, packs: u16) -> bool {
    let p = pack(kind);
    p == 0 || p & packs != 0
}

/// Detector groups of the region families (bits of [`groups`]).
pub(crate) struct Group;

impl Group {
    /// Germany.
    pub(crate) const DE: u32 = 1 << 0;
    /// Other EU countries.
    pub(crate) const EU: u32 = 1 << 1;
    /// United Kingdom.
    pub(crate) const UK: u32 = 1 << 2;
    /// United States.
    pub(crate) const US: u32 = 1 << 3;
    /// Asia-Pacific: Australia, India, Korea, the Philippines, Singapore, Thailand.
    pub(crate) const APAC: u32 = 1 << 4;
    /// Canada, Nigeria, Turkey, South Africa.
    pub(crate) const INTL: u32 = 1 << 5;
    /// Philippine phone formats (reported as `PHONE_NUMBER`).
    pub(crate) const PH_PHONE: u32 = 1 << 6;
    /// Turkish phone formats (reported as `PHONE_NUMBER`).
    pub(crate) const TR_PHONE: u32 = 1 << 7;
    /// Partial dates (`5/21`), weak `DATE_TIME` candidates of no region.
    pub(crate) const PARTIAL_DATE: u32 = 1 << 8;
}

/// Which detector groups an engine runs: a group runs when one of its kinds is on (or, for
/// the phone formats of a country, when `PHONE_NUMBER` is on and the country's pack is).
/// Partial dates run only when `DATE_TIME` is on with a threshold (`date_threshold`) they
/// can reach.
pub(crate) fn groups(enabled: &KindSet, packs: u16, date_threshold: f32) -> u32 {
    use Kind::*;
    let any = |ks: &[Kind]| ks.iter().any(|&k| enabled.contains(k));
    let mut g = 0;
    if any(&[
        DeBsnr,
        DeFuehrerschein,
        DeHandelsregister,
        DeHealthInsurance,
        DeIdCard,
        DeKfz,
        DeLanr,
        DePassport,
        DeSocialSecurity,
        DeTaxNumber,
    ]) || (packs & EU != 0 && any(&[PostalCode, VatNumber]))
    {
        g |= Group::DE;
    }
    if any(&[EsPassport, FiPersonalIdentityCode, ItDriverLicense, ItIdentityCard, ItPassport, SeOrganisationsnummer])
        || (packs & EU != 0 && any(&[VatNumber]))
    {
        g |= Group::EU;
    }
    if any(&[UkDrivingLicence, UkPassport, UkVehicleRegistration]) || (packs & UK != 0 && any(&[PostalCode])) {
        g |= Group::UK;
    }
    if any(&[UsBankNumber, UsDriverLicense, UsMbi, UsNpi, UsPassport, MedicalLicense])
        || (packs & US != 0 && any(&[UsBankRouting]))
    {
        g |= Group::US;
    }
    if any(&[
        AuAbn,
        AuAcn,
        AuMedicare,
        AuTfn,
        InAadhaar,
        InGstin,
        InPan,
        InPassport,
        InVehicleRegistration,
        InVoter,
        KrBrn,
        KrDriverLicense,
        KrFrn,
        KrPassport,
        KrRrn,
        PhTin,
        SgNricFin,
        SgUen,
        ThTnin,
    ]) {
        g |= Group::APAC;
    }
    if any(&[CaSin, NgNin, NgVehicleRegistration, TrLicensePlate, TrNationalId, ZaIdNumber]) {
        g |= Group::INTL;
    }
    if enabled.contains(PhoneNumber) && packs & PH != 0 {
        g |= Group::PH_PHONE;
    }
    if enabled.contains(PhoneNumber) && packs & TR != 0 {
        g |= Group::TR_PHONE;
    }
    if enabled.contains(DateTime) && date_threshold <= super::partial_date::BEST {
        g |= Group::PARTIAL_DATE;
    }
    g
}
