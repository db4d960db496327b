//! One module per subcommand.

pub mod gost;
pub mod speed;
