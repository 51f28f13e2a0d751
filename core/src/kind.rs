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
