//! Distinguished names: shown to people (Cyrillic and Kazakh letters intact) and built from text.

use std::str::FromStr;

use der::asn1::{BmpString, Ia5StringRef, PrintableStringRef, TeletexStringRef, Utf8StringRef};
use der::{Decode, Encode, Tag, Tagged};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::Name;

use crate::PkiError;

/// Short names of the attribute types seen in Russian and Kazakh certificates.
const SHORT_NAMES: [(&str, &str); 16] = [
    ("2.5.4.3", "CN"),
    ("2.5.4.4", "SN"),
    ("2.5.4.5", "SERIALNUMBER"),
    ("2.5.4.6", "C"),
    ("2.5.4.7", "L"),
    ("2.5.4.8", "ST"),
    ("2.5.4.9", "STREET"),
    ("2.5.4.10", "O"),
    ("2.5.4.11", "OU"),
    ("2.5.4.12", "T"),
    ("2.5.4.42", "GN"),
    ("2.5.4.43", "initials"),
    ("1.2.840.113549.1.9.1", "E"),
    ("0.9.2342.19200300.100.1.25", "DC"),
    ("1.2.643.100.1", "OGRN"),
    ("1.2.643.3.131.1.1", "INN"),
];

/// A name as one line for people: RFC 4514 order (most specific first, `CN=… , O=…, C=…`),
/// attribute values decoded from UTF8String, PrintableString, BMPString, IA5String or
/// TeletexString; anything else shown as `#hex`.
pub fn display_name(name: &Name) -> String {
    let rdns: Vec<String> = name
        .iter_rdn()
        .map(|rdn| rdn.iter().map(display_atv).collect::<Vec<_>>().join(" + "))
        .collect();
    rdns.into_iter().rev().collect::<Vec<_>>().join(", ")
}

fn display_atv(atv: &AttributeTypeAndValue) -> String {
    let dotted = atv.oid.to_string();
    let key = SHORT_NAMES
        .iter()
        .find(|(o, _)| *o == dotted)
        .map(|(_, n)| (*n).to_string())
        .unwrap_or(dotted);
    match attribute_text(atv) {
        Some(text) => format!("{key}={}", escape(&text)),
        None => {
            let hex: String = atv
                .value
                .to_der()
                .unwrap_or_default()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            format!("{key}=#{hex}")
        }
    }
}

/// The text of a directory-string attribute value.
pub fn attribute_text(atv: &AttributeTypeAndValue) -> Option<String> {
    let v = &atv.value;
    match v.tag() {
        Tag::Utf8String => Utf8StringRef::try_from(v).ok().map(|s| s.to_string()),
        Tag::PrintableString => PrintableStringRef::try_from(v).ok().map(|s| s.to_string()),
        Tag::Ia5String => Ia5StringRef::try_from(v).ok().map(|s| s.to_string()),
        Tag::TeletexString => TeletexStringRef::try_from(v).ok().map(|s| s.to_string()),
        Tag::BmpString => BmpString::from_der(&v.to_der().ok()?)
            .ok()
            .map(|s| s.to_string()),
        _ => None,
    }
}

/// The first value of an attribute type (e.g. `2.5.4.3` for the common name), as text.
pub fn find_attribute(name: &Name, oid: &der::asn1::ObjectIdentifier) -> Option<String> {
    name.iter().find(|a| a.oid == *oid).and_then(attribute_text)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        match c {
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            c if c.is_control() => out.push_str(&format!("\\{:02x}", c as u32)),
            _ => out.push(c),
        }
    }
    out
}

/// A name from RFC 4514 text (`CN=Тестов Тест,O=Банк,C=KZ`); values are written as
/// UTF8String (PrintableString for C and serialNumber, as RFC 5280 asks).
pub fn parse_name(text: &str) -> Result<Name, PkiError> {
    Name::from_str(text).map_err(|e| PkiError::corrupt("distinguished name", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_and_kazakh_round_trip() {
        let name = parse_name("CN=ТЕСТОВ ТЕСТ,O=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ,C=KZ").unwrap();
        assert_eq!(
            display_name(&name),
            "CN=ТЕСТОВ ТЕСТ, O=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ, C=KZ"
        );
        let cn = der::asn1::ObjectIdentifier::new_unwrap("2.5.4.3");
        assert_eq!(find_attribute(&name, &cn).unwrap(), "ТЕСТОВ ТЕСТ");
        assert!(parse_name("no equals sign").is_err());
    }
}
