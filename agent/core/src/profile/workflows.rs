//! The workflows a profile configures and their settings. `pin` is used now; `enroll`, `login`
//! and `sign` are typed ahead of issue #6 so that profiles written today stay valid.

use serde::Deserialize;

use super::key_algorithm::KeyAlgorithm;

/// Settings per workflow. A missing section keeps the defaults (the bank's rules for `pin`);
/// the network workflows have no defaults and stay off until configured.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Workflows {
    /// The KAZTOKEN control panel: PIN change, unblock, counters.
    pub pin: PinSettings,
    /// Enrollment with the bank's CA (issue #6).
    pub enroll: Option<EnrollSettings>,
    /// Login to the Internet-Banking (issue #6).
    pub login: Option<LoginSettings>,
    /// Signing payment orders (issue #6).
    pub sign: Option<SignSettings>,
}

/// The `pin` workflow.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PinSettings {
    /// Rules for a new user PIN (the password the user logs in to the bank with).
    pub user_password: PasswordRules,
    /// Rules for a new admin PIN.
    pub admin_password: PasswordRules,
}

/// What a new password must look like. Defaults: the bank's rules from the user's guide (§3.17).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PasswordRules {
    /// At least this many characters.
    pub min_length: usize,
    /// At most this many (the card's limit: 32 on Rutoken-family tokens).
    pub max_length: usize,
    /// Only Latin letters and digits.
    pub latin_and_digits_only: bool,
    /// At least one letter.
    pub require_letter: bool,
    /// At least one digit.
    pub require_digit: bool,
    /// The shortest forbidden ascending or descending run (`123`, `cba`); 0 allows runs.
    pub forbid_sequence: usize,
}

impl Default for PasswordRules {
    fn default() -> Self {
        PasswordRules {
            min_length: 8,
            max_length: 32,
            latin_and_digits_only: true,
            require_letter: true,
            require_digit: true,
            forbid_sequence: 3,
        }
    }
}

/// A bank or CA endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// `https://…` (plain `http://` only to the loopback, for the sandbox bank).
    pub url: String,
    /// Seconds before a request is given up.
    #[serde(default = "thirty")]
    pub timeout_s: u64,
    /// The SHA-256 of the server's certificate (DER, hex): the connection is trusted only if
    /// the server shows exactly this certificate (the sandbox bank's is self-signed). `None`:
    /// the `trust_anchors` of the workflow, else the system's roots are not consulted either —
    /// an `https://` endpoint then needs `tls_roots`.
    #[serde(default)]
    pub server_cert_sha256: Option<String>,
    /// CA certificate files (PEM or DER, relative to the profile) the server's chain must end
    /// in, when no pin is given.
    #[serde(default)]
    pub tls_roots: Vec<String>,
}

fn thirty() -> u64 {
    30
}

/// How signatures are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignatureEncoding {
    /// s‖r big-endian (RFC 9215: OpenSSL, X.509, CMS).
    Rfc9215,
    /// The same bytes reversed (Kalkan, NCA).
    Kz,
}

/// How CMP requests are protected (RFC 4210 §5.1.3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub enum CmpProtection {
    /// Signed with the initialization key of the key file (`GOST.pfx`), its certificate in
    /// `extraCerts`.
    #[default]
    Signature,
    /// Password-based MAC with the OTP PIN as the shared secret.
    Pbm,
}

/// Which OIDs tamga writes into requests and signatures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub enum OidNames {
    /// Russian TC26 OIDs (RFC 9215; what OpenSSL's gost engine reads).
    #[default]
    Tc26,
    /// Kazakh NCA OIDs (Kalkan).
    Kz,
}

/// The one-time PIN printed on the bank's OTP card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OtpPinRules {
    /// Its length (11 on the bank's cards).
    pub length: usize,
    /// Upper case only (users type 1/I and 0/O confusions; the agent warns).
    pub upper_case: bool,
}

impl Default for OtpPinRules {
    fn default() -> Self {
        OtpPinRules {
            length: 11,
            upper_case: true,
        }
    }
}

/// Enrollment with the bank's CA.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollSettings {
    /// The CA's CMP endpoint.
    pub ca: Endpoint,
    /// The bank's registration endpoint.
    pub bank: Endpoint,
    /// Trust-anchor certificate files (PEM or DER), relative to the profile file.
    pub trust_anchors: Vec<String>,
    /// The keys generated on the token.
    pub key: KeyAlgorithm,
    /// The signature layout the CA expects.
    pub signature_encoding: SignatureEncoding,
    /// The user ID's shape: `a` a Latin letter, `9` a digit, anything else itself
    /// (the guide's `qq111111_qwertyui` is `aa999999_aaaaaaaa`).
    #[serde(default = "user_id_pattern")]
    pub user_id_pattern: String,
    /// The OTP card's PIN.
    #[serde(default)]
    pub otp_pin: OtpPinRules,
    /// The certificate terms the contract may name, in months.
    #[serde(default = "terms")]
    pub certificate_terms_months: Vec<u16>,
    /// How long key generation may take on the token (the guide: up to 5 minutes).
    #[serde(default = "five_minutes")]
    pub key_generation_timeout_s: u64,
    /// How the CMP requests are protected.
    #[serde(default)]
    pub protection: CmpProtection,
    /// The OIDs of the keys and signatures tamga sends.
    #[serde(default)]
    pub oids: OidNames,
    /// How many times to ask a CA that answers "waiting" before giving up (the enrollment is
    /// resumed later by running it again).
    #[serde(default = "polls")]
    pub max_polls: u32,
    /// The longest wait between polls honoured, in seconds (a larger checkAfter is cut to it).
    #[serde(default = "thirty")]
    pub max_poll_interval_s: u64,
    /// Web origins whose page may start the registration through the browser bridge (none
    /// by default: then only the command line registers).
    #[serde(default)]
    pub origins: Vec<String>,
    /// Where a registration started from a web page looks for the bank's key file
    /// (`GOST.pfx`, `Key.pfx`): directories, relative to the profile file, `~/…` under the
    /// home directory. The page never names the file; tamga shows each one it finds and asks.
    #[serde(default = "key_file_dirs")]
    pub key_file_dirs: Vec<String>,
}

fn key_file_dirs() -> Vec<String> {
    ["~/Downloads", "~/Загрузки", "~"]
        .map(str::to_owned)
        .to_vec()
}

fn polls() -> u32 {
    20
}

fn user_id_pattern() -> String {
    "aa999999_aaaaaaaa".to_owned()
}

fn terms() -> Vec<u16> {
    vec![12, 24, 36]
}

fn five_minutes() -> u64 {
    300
}

/// Login to the Internet-Banking.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginSettings {
    /// The bank's login endpoint.
    pub bank: Endpoint,
    /// Web origins allowed to ask for a login (`https://ib.example.kz`).
    pub origins: Vec<String>,
    /// How long the token session stays open when idle, in seconds; 0 closes it at once.
    #[serde(default = "five_minutes")]
    pub session_idle_s: u64,
}

/// Signing payment orders.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignSettings {
    /// Web origins allowed to ask for a signature.
    pub origins: Vec<String>,
    /// The signature layout inside CMS.
    pub signature_encoding: SignatureEncoding,
    /// Ask the user for every signature (a batch counts as one when listed).
    #[serde(default = "yes")]
    pub confirm_each: bool,
    /// The OIDs written into the CMS.
    #[serde(default)]
    pub oids: OidNames,
    /// A detached CMS (the order is sent beside it) rather than an attached one.
    #[serde(default)]
    pub detached: bool,
}

fn yes() -> bool {
    true
}
