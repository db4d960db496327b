//! What the profile's `oids` and `signature_encoding` mean to tamga-pki: the OIDs and layout
//! every document sent to the bank is written with (CSRs, CRMF requests, signed statements,
//! payments). One mapping, so a registration and a payment can never disagree.

use std::time::SystemTime;

use tamga_core::profile::{OidNames, SignatureEncoding};
use tamga_pki::cms::{SignOptions, SignedAttributesOptions};
use tamga_pki::{OidFamily, PkiError, Profile, SigEncoding};

/// The OIDs and signature layout tamga writes for this profile.
pub fn pki_profile(oids: OidNames, encoding: SignatureEncoding) -> Result<Profile, PkiError> {
    let family = match oids {
        OidNames::Tc26 => OidFamily::Tc26,
        OidNames::Kz => OidFamily::Kz,
    };
    let encoding = match encoding {
        SignatureEncoding::Rfc9215 => SigEncoding::Rfc9215,
        SignatureEncoding::Kz => SigEncoding::Kz,
    };
    Profile::new(family, encoding)
}

/// A CMS signature as the bank wants it: signed now, the signer's certificate referenced in the
/// signed attributes and included.
pub fn cms_options(
    oids: OidNames,
    encoding: SignatureEncoding,
    detached: bool,
) -> Result<SignOptions, PkiError> {
    Ok(SignOptions {
        profile: pki_profile(oids, encoding)?,
        detached,
        signed_attributes: Some(SignedAttributesOptions {
            signing_time: Some(SystemTime::now()),
            signing_certificate_v2: true,
        }),
        include_certificate: true,
    })
}
