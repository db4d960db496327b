//! Proof of possession for the keys the CA accepts: GOST, and EC P-256 (tamga on a PKCS#11 token
//! without GOST, and the `openssl cmp` peer, which has no GOST key without the engine). Both are
//! tamga-pki's: the bank checks ECDSA exactly as the client's own code does.

use tamga_pki::cmp::{CertReq, CmpError};

/// Verifies the request's proof of possession with its own key.
pub fn verify(req: &CertReq) -> Result<(), CmpError> {
    req.verify_pop()
}
