//! The `enroll` workflow for the registry.

use tamga_core::{Context, CoreError, Outcome, Workflow};

/// The workflow.
pub struct EnrollWorkflow;

impl Workflow for EnrollWorkflow {
    fn name(&self) -> &'static str {
        "enroll"
    }

    fn actions(&self) -> &'static [&'static str] {
        &["enroll"]
    }

    fn run(&self, ctx: &mut Context<'_>) -> Result<Outcome, CoreError> {
        crate::steps::run(ctx)
    }
}
