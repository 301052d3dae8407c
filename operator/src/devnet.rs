//! Devnet only: test stake from the deployment's mintable token.

use crate::context::Context;
use crate::report::Step;
use crate::{Error, Result};
use alloy::primitives::U256;
use rampart_contracts::devnet_token::DevnetToken;
use rampart_contracts::strategy_manager::IStrategyManager;

/// The step's name in reports.
pub(crate) const STEP: &str = "devnet self-stake";

/// Mints the test token and deposits it as self-stake until the operator's deposit shares in
/// the first mintable strategy reach `stake`.
pub(crate) async fn top_up_stake(ctx: &Context, stake: U256) -> Result<Step> {
    let operator = ctx.operator();
    let Some(info) = ctx.deployment.strategies.iter().find(|s| s.mintable) else {
        return Err(Error::Deployment(
            "[devnet] stake needs a strategy with a mintable token in the deployment".into(),
        ));
    };
    let p = &ctx.provider;
    let manager = IStrategyManager::new(ctx.deployment.eigenlayer.strategy_manager, p);
    let shares = ctx
        .read(
            "StrategyManager.stakerDepositShares",
            manager.stakerDepositShares(operator, info.address),
        )
        .await?;
    if shares >= stake {
        return Ok(Step::already(
            STEP,
            format!("{shares} shares of {} ({})", info.name, info.address),
        ));
    }
    let need = stake - shares;
    let token = DevnetToken::new(info.token, p);
    let mut txs = Vec::new();
    let balance = ctx.read("DevnetToken.balanceOf", token.balanceOf(operator)).await?;
    if balance < need {
        txs.push(ctx.send("DevnetToken.mint", token.mint(operator, need - balance)).await?);
    }
    let manager_address = ctx.deployment.eigenlayer.strategy_manager;
    let allowance =
        ctx.read("DevnetToken.allowance", token.allowance(operator, manager_address)).await?;
    if allowance < need {
        txs.push(ctx.send("DevnetToken.approve", token.approve(manager_address, need)).await?);
    }
    txs.push(
        ctx.send(
            "StrategyManager.depositIntoStrategy",
            manager.depositIntoStrategy(info.address, info.token, need),
        )
        .await?,
    );
    Ok(Step::done(STEP, format!("deposited {need} into {} ({})", info.name, info.address), txs))
}
