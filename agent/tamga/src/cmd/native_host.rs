//! `tamga native-host`.

use crate::cli::{GlobalArgs, NativeHostArgs};
use crate::error::Result;

pub fn run(args: &NativeHostArgs, g: &GlobalArgs) -> Result<()> {
    crate::browser::run(args, g)
}
