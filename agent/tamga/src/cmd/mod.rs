//! One module per subcommand; `Command::run` is the one place that maps syntax to code.

pub mod browser;
pub mod cert;
pub mod cms;
pub mod crl;
#[cfg(feature = "demo")]
pub mod demo;
#[cfg(feature = "demo")]
pub mod demo_softhsm;
#[cfg(feature = "demo")]
pub mod demo_workdir;
#[cfg(feature = "enroll")]
pub mod enroll;
pub mod gost;
#[cfg(feature = "login")]
pub mod login;
pub mod native_host;
#[cfg(feature = "sign")]
pub mod pay;
pub mod pfx;
pub mod pin;
pub mod profile;
pub mod serve;
pub mod speed;
pub mod token;

use crate::cli::{
    BrowserCommand, CertCommand, CmsCommand, Command, CrlCommand, GlobalArgs, GostCommand,
    PfxCommand, PinCommand, ProfileCommand, TokenCommand,
};
use crate::error::Result;

impl Command {
    pub fn run(&self, g: &GlobalArgs) -> Result<()> {
        match self {
            Command::Gost(GostCommand::Sign(args)) => gost::sign(args),
            Command::Gost(GostCommand::Verify(args)) => gost::verify(args),
            Command::Speed(args) => speed::run(args),
            Command::Token(TokenCommand::List(args)) => token::list(args, g),
            Command::Token(TokenCommand::Info(args)) => token::info(args, g),
            Command::Pin(PinCommand::Status(args)) => pin::status(args, g),
            Command::Pin(PinCommand::Change(args)) => pin::change(args, g),
            Command::Pin(PinCommand::Unblock(args)) => pin::unblock(args, g),
            Command::Profile(ProfileCommand::Check(args)) => profile::check(args, g),
            Command::Profile(ProfileCommand::Which(args)) => profile::which(args, g),
            Command::Cms(CmsCommand::Sign(args)) => cms::sign(args, g),
            Command::Cms(CmsCommand::Verify(args)) => cms::verify(args, g),
            Command::Pfx(PfxCommand::Inspect(args)) => pfx::inspect(args, g),
            Command::Cert(CertCommand::Verify(args)) => cert::verify(args, g),
            Command::Crl(CrlCommand::Verify(args)) => crl::verify(args, g),
            #[cfg(feature = "enroll")]
            Command::Enroll(args) => enroll::run(args, g),
            #[cfg(feature = "login")]
            Command::Login(args) => login::run(args, g),
            #[cfg(feature = "sign")]
            Command::Pay(args) => pay::run(args, g),
            #[cfg(feature = "demo")]
            Command::Demo(args) => demo::run(args, g),
            Command::Serve(args) => serve::run(args, g),
            Command::NativeHost(args) => native_host::run(args, g),
            Command::Browser(BrowserCommand::Install(args)) => browser::install(args, g),
        }
    }
}
