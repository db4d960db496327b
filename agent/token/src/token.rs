//! The `Token` trait: everything a workflow may ask of a token.

use tamga_gost::PublicKey;

use crate::{
    Attempt, KeyPairSpec, KeyRef, KeySpec, ObjectId, Pin, PinCounters, Role, TokenError, TokenInfo,
    TokenPublicKey,
};

/// Whether formatting must respect an unfinished enrollment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JournalCheck {
    /// Refuse while the journal says "in progress" (or cannot be read).
    Respect,
    /// The admin explicitly chose to throw the unfinished enrollment away.
    AdminOverride,
}

/// What a freshly formatted token looks like.
#[derive(Clone, Debug)]
pub struct FormatRequest {
    /// The new label.
    pub label: String,
    /// The new user PIN.
    pub user_pin: Pin,
    /// The new admin PIN.
    pub admin_pin: Pin,
    /// User PIN tries before blocking.
    pub user_retries: u8,
    /// Admin PIN tries before blocking.
    pub admin_retries: u8,
}

impl FormatRequest {
    /// The factory state of a KAZTOKEN: PINs 12345678 / 87654321, 10 tries each.
    pub fn factory(label: &str) -> Self {
        FormatRequest {
            label: label.to_owned(),
            user_pin: Pin::from("12345678"),
            admin_pin: Pin::from("87654321"),
            user_retries: 10,
            admin_retries: 10,
        }
    }
}

/// A connected token.
///
/// Methods take `&mut self`: a token is one card with one security state, so a caller serialises
/// its operations. Signatures and public keys cross this boundary in the one layout the rest of
/// tamga uses (RFC 9215 signatures, validated [`PublicKey`]s), whatever the card's wire order.
pub trait Token {
    /// Label, serial, model and enrollment state.
    fn info(&mut self) -> Result<TokenInfo, TokenError>;

    /// Both PINs' tries left and whether they are verified now (spends no try).
    fn pin_counters(&mut self) -> Result<PinCounters, TokenError>;

    /// Presents a PIN.
    fn login(&mut self, role: Role, pin: &Pin, attempt: Attempt) -> Result<(), TokenError>;

    /// Forgets every verified PIN.
    fn logout(&mut self) -> Result<(), TokenError>;

    /// Changes a PIN, presenting the old one first.
    fn change_pin(
        &mut self,
        role: Role,
        old: &Pin,
        new: &Pin,
        attempt: Attempt,
    ) -> Result<(), TokenError>;

    /// Unblocks the user PIN with the admin PIN and sets a new user PIN.
    fn unblock_user_pin(
        &mut self,
        admin: &Pin,
        new_user_pin: &Pin,
        attempt: Attempt,
    ) -> Result<(), TokenError>;

    /// Generates a key pair in a slot, replacing whatever was there (user login needed). Slow on
    /// a real token: up to minutes.
    fn generate_key(&mut self, key: KeyRef, spec: KeySpec) -> Result<PublicKey, TokenError>;

    /// The public GOST key in a slot, or `None` for an empty slot (a non-GOST key there:
    /// [`TokenError::UnsupportedAlgorithm`]; read it with [`Token::key_pair_public`]).
    fn public_key(&mut self, key: KeyRef) -> Result<Option<PublicKey>, TokenError>;

    /// Signs a hash value (the hash function's output bytes, as Streebog or GOST 34.311 give
    /// them) and returns the RFC 9215 signature `s ‖ r` (user login needed). A non-GOST key (see
    /// [`Token::generate_key_pair`]) signs a SHA-256 digest: ECDSA as `r ‖ s` (32 bytes each,
    /// big-endian), RSA as PKCS#1 v1.5 over the DigestInfo.
    fn sign_digest(&mut self, key: KeyRef, digest: &[u8]) -> Result<Vec<u8>, TokenError>;

    /// Generates a key pair of any algorithm the token supports. The default serves GOST through
    /// [`Token::generate_key`] and refuses the rest; a PKCS#11 token overrides it.
    fn generate_key_pair(
        &mut self,
        key: KeyRef,
        spec: KeyPairSpec,
    ) -> Result<TokenPublicKey, TokenError> {
        match spec {
            KeyPairSpec::Gost(spec) => self.generate_key(key, spec).map(TokenPublicKey::Gost),
            KeyPairSpec::EcP256 | KeyPairSpec::Rsa { .. } => Err(TokenError::UnsupportedAlgorithm),
        }
    }

    /// The public key in a slot whatever its algorithm, or `None` for an empty slot. The default
    /// asks [`Token::public_key`].
    fn key_pair_public(&mut self, key: KeyRef) -> Result<Option<TokenPublicKey>, TokenError> {
        Ok(self.public_key(key)?.map(TokenPublicKey::Gost))
    }

    /// Reads a data object.
    fn read_object(&mut self, id: ObjectId) -> Result<Vec<u8>, TokenError>;

    /// Creates or replaces a data object (login needed). A replacement never leaves a
    /// half-written object behind if it fails part-way: the old content stays, or the new one is
    /// complete.
    fn write_object(&mut self, id: ObjectId, data: &[u8]) -> Result<(), TokenError>;

    /// Deletes a data object (login needed); deleting a missing one is an error.
    fn delete_object(&mut self, id: ObjectId) -> Result<(), TokenError>;

    /// Lists the data objects.
    fn list_objects(&mut self) -> Result<Vec<ObjectId>, TokenError>;

    /// Sets the label (the applet's profile name, at most 32 bytes of UTF-8) without wiping
    /// anything (user or admin login needed). A token that can set it only when formatting says
    /// [`TokenError::Unsupported`].
    fn set_label(&mut self, label: &str) -> Result<(), TokenError> {
        let _ = label;
        Err(TokenError::Unsupported(
            "setting the label without formatting",
        ))
    }

    /// Wipes keys and objects and sets new PINs and label (the admin PIN is presented first).
    /// Refused with [`TokenError::EnrollmentInProgress`] while the enrollment journal is
    /// unfinished, unless `journal` is [`JournalCheck::AdminOverride`].
    fn format(
        &mut self,
        admin: &Pin,
        request: &FormatRequest,
        journal: JournalCheck,
        attempt: Attempt,
    ) -> Result<(), TokenError>;
}
