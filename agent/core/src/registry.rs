//! The static registry: the drivers and workflows compiled into a build.
//!
//! Drivers live in this crate behind Cargo features (`drivers::DRIVERS`). Workflow plugins depend
//! on this crate for the [`Workflow`] trait, so their list is assembled by the binary that links
//! them (the `tamga` CLI, behind its own features): Cargo allows no dependency cycle.

use crate::{CoreError, TokenDriver, Workflow};

/// The drivers and workflows of one build.
#[derive(Clone, Copy)]
pub struct Registry {
    drivers: &'static [&'static dyn TokenDriver],
    workflows: &'static [&'static dyn Workflow],
}

impl Registry {
    /// A registry over static lists.
    pub const fn new(
        drivers: &'static [&'static dyn TokenDriver],
        workflows: &'static [&'static dyn Workflow],
    ) -> Self {
        Registry { drivers, workflows }
    }

    /// The driver of this name.
    pub fn driver(&self, name: &str) -> Result<&'static dyn TokenDriver, CoreError> {
        self.drivers
            .iter()
            .copied()
            .find(|d| d.name() == name)
            .ok_or_else(|| CoreError::DriverUnavailable(name.to_owned()))
    }

    /// The workflow of this name.
    pub fn workflow(&self, name: &str) -> Result<&'static dyn Workflow, CoreError> {
        self.workflows
            .iter()
            .copied()
            .find(|w| w.name() == name)
            .ok_or_else(|| CoreError::WorkflowUnavailable(name.to_owned()))
    }

    /// The names of the drivers compiled in.
    pub fn driver_names(&self) -> Vec<&'static str> {
        self.drivers.iter().map(|d| d.name()).collect()
    }

    /// The names of the workflows compiled in.
    pub fn workflow_names(&self) -> Vec<&'static str> {
        self.workflows.iter().map(|w| w.name()).collect()
    }
}
