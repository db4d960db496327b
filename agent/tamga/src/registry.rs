//! The workflows compiled into this binary (Cargo features), beside tamga-core's drivers.

use tamga_core::{Registry, Workflow};

static WORKFLOWS: &[&dyn Workflow] = &[
    #[cfg(feature = "pin")]
    &tamga_plugin_pin::PinWorkflow,
    #[cfg(feature = "enroll")]
    &tamga_plugin_enroll::EnrollWorkflow,
    #[cfg(feature = "login")]
    &tamga_plugin_login::LoginWorkflow,
    #[cfg(feature = "sign")]
    &tamga_plugin_sign::SignWorkflow,
];

/// This build's registry.
pub const REGISTRY: Registry = Registry::new(tamga_core::drivers::DRIVERS, WORKFLOWS);
