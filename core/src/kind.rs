//! Entity kinds.

use core::fmt;

macro_rules! kinds {
    ($($(#[$doc:meta])* $var:ident => $name:literal, validated: $val:literal;)*) => {
        /// The kind of personal data a [`Finding`](crate::Finding) is.
        ///
        /// Built-in kinds carry the UPPER_SNAKE names used by Microsoft Presidio where one
        /// exists, so users can map between the two. Kinds a policy defines itself (custom
        /// detectors, deny lists) are [`Kind::Custom`]; their names come from
        /// [`Engine::kind_name`](crate::Engine::kind_name).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Kind {
            $($(#[$doc])* $var,)*
            /// A kind defined by the policy; the number indexes the engine's custom kinds.
            Custom(u16),
        }

        impl Kind {
            /// Every built-in kind, in a fixed order.
            pub const BUILTIN: &'static [Kind] = &[$(Kind::$var,)*];

            /// The name of a built-in kind (`"EMAIL_ADDRESS"`), or `None` for a custom kind.
            pub fn builtin_name(self) -> Option<&'static str> {
                match self {
                    $(Kind::$var => Some($name),)*
                    Kind::Custom(_) => None,
                }
            }

            /// Looks up a built-in kind by its name (exact, upper case).
            pub fn from_builtin_name(name: &str) -> Option<Kind> {
                match name {
                    $($name => Some(Kind::$var),)*
                    _ => None,
                }
            }

            /// Index of a built-in kind in [`Kind::BUILTIN`]; `None` for custom kinds.
            #[inline]
            pub(crate) fn builtin_index(self) -> Option<usize> {
                #[allow(non_camel_case_types, dead_code)]
                enum Idx { $($var,)* }
                match self {
                    $(Kind::$var => Some(Idx::$var as usize),)*
                    Kind::Custom(_) => None,
                }
            }

            /// True when every finding of this kind has passed a checksum or an equally
            /// strict structural validation; such findings win overlaps.
            pub fn is_validated(self) -> bool {
                match self {
                    $(Kind::$var => $val,)*
                    Kind::Custom(_) => false,
                }
            }
        }
    };
}

kinds! {
    /// A person's name.
    Person => "PERSON", validated: false;
    /// An e-mail address.
    EmailAddress => "EMAIL_ADDRESS", validated: false;
    /// A telephone number.
    PhoneNumber => "PHONE_NUMBER", validated: false;
    /// A postal street address.
    StreetAddress => "STREET_ADDRESS", validated: false;
    /// A postal code given with context.
    PostalCode => "POSTAL_CODE", validated: false;
    /// A city or other place.
    Location => "LOCATION", validated: false;
    /// A date of birth (a date near birth context).
    DateOfBirth => "DATE_OF_BIRTH", validated: false;
    /// Any other date or time.
    DateTime => "DATE_TIME", validated: false;
    /// An IPv4 or IPv6 address.
    IpAddress => "IP_ADDRESS", validated: false;
    /// A MAC address.
    MacAddress => "MAC_ADDRESS", validated: false;
    /// A URL.
    Url => "URL", validated: false;
    /// A payment card number (Luhn-checked).
    CreditCard => "CREDIT_CARD", validated: true;
    /// An IBAN (mod-97 checked).
    Iban => "IBAN", validated: true;
    /// A BIC / SWIFT code.
    Bic => "BIC", validated: false;
    /// An EU VAT identification number.
    VatNumber => "VAT_NUMBER", validated: true;
    /// A US social security number.
    UsSsn => "US_SSN", validated: false;
    /// A US individual taxpayer identification number.
    UsItin => "US_ITIN", validated: false;
    /// A US ABA bank routing number.
    UsBankRouting => "US_BANK_ROUTING", validated: true;
    /// A UK national insurance number.
    UkNino => "UK_NINO", validated: false;
    /// A UK NHS number (mod 11).
    UkNhs => "UK_NHS", validated: true;
    /// A German tax identification number (Steuer-ID).
    DeTaxId => "DE_TAX_ID", validated: true;
    /// A French social security number (NIR).
    FrNir => "FR_NIR", validated: true;
    /// A Spanish DNI.
    EsDni => "ES_DNI", validated: true;
    /// A Spanish NIE.
    EsNie => "ES_NIE", validated: true;
    /// An Italian fiscal code (codice fiscale).
    ItFiscalCode => "IT_FISCAL_CODE", validated: true;
    /// A Dutch citizen service number (BSN).
    NlBsn => "NL_BSN", validated: true;
    /// A Polish PESEL.
    PlPesel => "PL_PESEL", validated: true;
    /// A Belgian national register number.
    BeNationalNumber => "BE_NATIONAL_NUMBER", validated: true;
    /// A Swedish personal identity number.
    SePersonnummer => "SE_PERSONNUMMER", validated: true;
    /// A passport number (context-dependent).
    Passport => "PASSPORT", validated: false;
    /// A cryptocurrency wallet address (checksummed where the format has one).
    CryptoWallet => "CRYPTO_WALLET", validated: true;
    /// A medical condition.
    MedicalCondition => "MEDICAL_CONDITION", validated: false;
    /// A medication.
    Medication => "MEDICATION", validated: false;
    /// A secret: API key, token, private key or password.
    Secret => "SECRET", validated: false;
    /// An Australian business number (ABN, mod 89).
    AuAbn => "AU_ABN", validated: true;
    /// An Australian company number (ACN, check digit).
    AuAcn => "AU_ACN", validated: true;
    /// An Australian Medicare card number (check digit).
    AuMedicare => "AU_MEDICARE", validated: true;
    /// An Australian tax file number (TFN, mod 11).
    AuTfn => "AU_TFN", validated: true;
    /// A Canadian social insurance number (Luhn).
    CaSin => "CA_SIN", validated: true;
    /// A German practice number (Betriebsstättennummer, BSNR).
    DeBsnr => "DE_BSNR", validated: false;
    /// A German driving licence number (Führerscheinnummer).
    DeFuehrerschein => "DE_FUEHRERSCHEIN", validated: false;
    /// A German commercial register entry (HRA/HRB with its court).
    DeHandelsregister => "DE_HANDELSREGISTER", validated: false;
    /// A German health insurance number (Krankenversichertennummer, check digit).
    DeHealthInsurance => "DE_HEALTH_INSURANCE", validated: true;
    /// A German identity card number (Personalausweis; ICAO check digit, or the older form with context).
    DeIdCard => "DE_ID_CARD", validated: false;
    /// A German vehicle registration plate, given with context.
    DeKfz => "DE_KFZ", validated: false;
    /// A German physician number (lebenslange Arztnummer, LANR, check digit).
    DeLanr => "DE_LANR", validated: true;
    /// A German passport number (ICAO check digit).
    DePassport => "DE_PASSPORT", validated: true;
    /// A German pension insurance number (Rentenversicherungsnummer, check digit).
    DeSocialSecurity => "DE_SOCIAL_SECURITY", validated: true;
    /// A German tax number (Steuernummer) in a state or the federal format.
    DeTaxNumber => "DE_TAX_NUMBER", validated: false;
    /// A Spanish passport number (context-dependent).
    EsPassport => "ES_PASSPORT", validated: false;
    /// A Finnish personal identity code (henkilötunnus, check character).
    FiPersonalIdentityCode => "FI_PERSONAL_IDENTITY_CODE", validated: true;
    /// An Indian Aadhaar number (Verhoeff).
    InAadhaar => "IN_AADHAAR", validated: true;
    /// An Indian GST identification number (check character).
    InGstin => "IN_GSTIN", validated: false;
    /// An Indian permanent account number (PAN).
    InPan => "IN_PAN", validated: false;
    /// An Indian passport number (context-dependent).
    InPassport => "IN_PASSPORT", validated: false;
    /// An Indian vehicle registration number.
    InVehicleRegistration => "IN_VEHICLE_REGISTRATION", validated: false;
    /// An Indian voter ID (EPIC) number.
    InVoter => "IN_VOTER", validated: false;
    /// An Italian driving licence number.
    ItDriverLicense => "IT_DRIVER_LICENSE", validated: false;
    /// An Italian identity card number (context-dependent).
    ItIdentityCard => "IT_IDENTITY_CARD", validated: false;
    /// An Italian passport number (context-dependent).
    ItPassport => "IT_PASSPORT", validated: false;
    /// A Korean business registration number (check digit).
    KrBrn => "KR_BRN", validated: true;
    /// A Korean driving licence number.
    KrDriverLicense => "KR_DRIVER_LICENSE", validated: false;
    /// A Korean foreigner registration number (birth date; the check digit where issued).
    KrFrn => "KR_FRN", validated: false;
    /// A Korean passport number (context-dependent).
    KrPassport => "KR_PASSPORT", validated: false;
    /// A Korean resident registration number (birth date; the check digit where issued).
    KrRrn => "KR_RRN", validated: false;
    /// A US DEA registration number (check digit).
    MedicalLicense => "MEDICAL_LICENSE", validated: true;
    /// A Nigerian national identification number (Verhoeff).
    NgNin => "NG_NIN", validated: true;
    /// A Nigerian vehicle registration number.
    NgVehicleRegistration => "NG_VEHICLE_REGISTRATION", validated: false;
    /// A Philippine tax identification number (TIN).
    PhTin => "PH_TIN", validated: false;
    /// A Swedish organisation number (Luhn).
    SeOrganisationsnummer => "SE_ORGANISATIONSNUMMER", validated: true;
    /// A Singapore NRIC or FIN (check letter).
    SgNricFin => "SG_NRIC_FIN", validated: false;
    /// A Singapore unique entity number (UEN, check letter).
    SgUen => "SG_UEN", validated: true;
    /// A Thai national identification number (check digit).
    ThTnin => "TH_TNIN", validated: true;
    /// A Turkish vehicle licence plate.
    TrLicensePlate => "TR_LICENSE_PLATE", validated: false;
    /// A Turkish national identification number (TC Kimlik No, check digits).
    TrNationalId => "TR_NATIONAL_ID", validated: true;
    /// A UK (DVLA) driving licence number.
    UkDrivingLicence => "UK_DRIVING_LICENCE", validated: false;
    /// A UK passport number (context-dependent).
    UkPassport => "UK_PASSPORT", validated: false;
    /// A UK vehicle registration mark.
    UkVehicleRegistration => "UK_VEHICLE_REGISTRATION", validated: false;
    /// A US bank account number (context-dependent).
    UsBankNumber => "US_BANK_NUMBER", validated: false;
    /// A US driver licence number (context-dependent).
    UsDriverLicense => "US_DRIVER_LICENSE", validated: false;
    /// A US Medicare beneficiary identifier (MBI).
    UsMbi => "US_MBI", validated: false;
    /// A US national provider identifier (NPI, Luhn).
    UsNpi => "US_NPI", validated: true;
    /// A US passport number (context-dependent).
    UsPassport => "US_PASSPORT", validated: false;
    /// A South African identity number (Luhn, birth date).
    ZaIdNumber => "ZA_ID_NUMBER", validated: true;
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.builtin_name() {
            Some(n) => f.write_str(n),
            None => match self {
                Kind::Custom(i) => write!(f, "CUSTOM#{i}"),
                _ => Ok(()),
            },
        }
    }
}

/// A set of kinds (built-in and custom), as a bitset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct KindSet {
    builtin: u128,
    custom: Vec<bool>,
}

impl KindSet {
    pub(crate) fn insert(&mut self, k: Kind) {
        match k {
            Kind::Custom(i) => {
                let i = usize::from(i);
                if self.custom.len() <= i {
                    self.custom.resize(i + 1, false);
                }
                self.custom[i] = true;
            }
            k => {
                if let Some(i) = k.builtin_index() {
                    self.builtin |= 1u128 << i;
                }
            }
        }
    }

    pub(crate) fn remove(&mut self, k: Kind) {
        match k {
            Kind::Custom(i) => {
                if let Some(b) = self.custom.get_mut(usize::from(i)) {
                    *b = false;
                }
            }
            k => {
                if let Some(i) = k.builtin_index() {
                    self.builtin &= !(1u128 << i);
                }
            }
        }
    }

    #[inline]
    pub(crate) fn contains(&self, k: Kind) -> bool {
        match k {
            Kind::Custom(i) => self.custom.get(usize::from(i)).copied().unwrap_or(false),
            k => match k.builtin_index() {
                Some(i) => self.builtin & (1u128 << i) != 0,
                None => false,
            },
        }
    }
}
