//! `tamga token list` and `tamga token info`.

use serde_json::json;
use tamga_core::report::{counters_json, counters_text, info_json, info_text};
use tamga_core::CoreError;

use crate::agent::{print, Agent};
use crate::cli::{GlobalArgs, InfoArgs, ListArgs};
use crate::error::Result;

pub fn list(args: &ListArgs, g: &GlobalArgs) -> Result<()> {
    let agent = Agent::load(g, &args.output)?;
    let slots = agent
        .runner(None)
        .list()
        .map_err(|e| agent.fail(&args.output, &e))?;
    let summary = if slots.is_empty() {
        agent
            .lang
            .pick(
                "Токены не найдены.",
                "No token found.",
                Some("Токендер табылмады."),
            )
            .to_owned()
    } else {
        slots
            .iter()
            .map(|s| format!("{}\t{}", s.id, s.description))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let tokens: Vec<_> = slots
        .iter()
        .map(|s| json!({ "driver": s.driver, "id": s.id, "description": s.description }))
        .collect();
    print(&args.output, &summary, json!({ "tokens": tokens }));
    Ok(())
}

pub fn info(args: &InfoArgs, g: &GlobalArgs) -> Result<()> {
    let agent = Agent::load(g, &args.output)?;
    let (slot, mut token) = agent
        .runner(Some(&args.select))
        .open()
        .map_err(|e| agent.fail(&args.output, &e))?;
    let read = |token: &mut dyn tamga_core::Token| -> std::result::Result<_, CoreError> {
        Ok((token.info()?, token.pin_counters()?))
    };
    let (info, counters) = read(token.as_mut()).map_err(|e| agent.fail(&args.output, &e))?;
    let summary = format!(
        "{}\n{}\n{}",
        slot.id,
        info_text(&info, agent.lang),
        counters_text(&counters, agent.lang)
    );
    let mut token_json = info_json(&info);
    token_json["id"] = json!(slot.id);
    token_json["driver"] = json!(slot.driver);
    print(
        &args.output,
        &summary,
        json!({ "token": token_json, "counters": counters_json(&counters) }),
    );
    Ok(())
}
