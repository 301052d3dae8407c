//! Allocating the operator's magnitude to the Rampart operator set (EigenLayer v1.3.0).
//!
//! EigenLayer only accepts `modifyAllocations` once the operator's allocation delay is in effect
//! (`ALLOCATION_CONFIGURATION_DELAY + 1` blocks after it was set), and an increase only counts
//! as slashable stake from `allocation block + allocation delay`. On a devnet with
//! `mine_blocks` both waits are mined through; elsewhere the step stops with the block to wait
//! for.

use crate::context::Context;
use crate::eigen::{AllocationDelaySet, find_latest};
use crate::report::Step;
use crate::{Error, Result};
use alloy::primitives::Address;
use alloy::sol_types::SolEvent;
use rampart_contracts::allocation_manager::IAllocationManagerTypes::{AllocateParams, Allocation};

/// The step's name in reports.
pub(crate) const STEP: &str = "allocation";

/// One strategy's allocation to the Rampart set.
#[derive(Debug, Clone)]
pub(crate) struct StrategyAllocation {
    pub(crate) strategy: Address,
    pub(crate) allocation: Allocation,
}

impl StrategyAllocation {
    /// The magnitude once any pending change has taken effect.
    pub(crate) fn target(&self) -> u64 {
        let sum = i128::from(self.allocation.currentMagnitude) + self.allocation.pendingDiff;
        u64::try_from(sum.max(0)).unwrap_or(u64::MAX)
    }

    /// The block at which a pending change takes effect, if one is pending.
    pub(crate) fn pending_until(&self) -> Option<u64> {
        (self.allocation.pendingDiff != 0).then_some(u64::from(self.allocation.effectBlock))
    }
}

/// Reads the operator's allocation to every strategy of the Rampart set.
pub(crate) async fn read_allocations(ctx: &Context) -> Result<Vec<StrategyAllocation>> {
    let am = ctx.allocation_manager();
    let set = ctx.operator_set();
    let strategies = ctx
        .read(
            "AllocationManager.getStrategiesInOperatorSet",
            am.getStrategiesInOperatorSet(set.clone()),
        )
        .await?;
    if strategies.is_empty() {
        return Err(Error::Deployment(format!(
            "operator set {} of AVS {} has no strategies",
            set.id, set.avs
        )));
    }
    let mut out = Vec::with_capacity(strategies.len());
    for strategy in strategies {
        let allocation = ctx
            .read(
                "AllocationManager.getAllocation",
                am.getAllocation(ctx.operator(), set.clone(), strategy),
            )
            .await?;
        out.push(StrategyAllocation { strategy, allocation });
    }
    Ok(out)
}

/// Raises the allocation of every strategy of the set to the configured magnitude (never
/// lowers it) and waits, or mines, until it is in effect.
pub(crate) async fn allocate(ctx: &Context) -> Result<Step> {
    let wanted = ctx.config.operator.allocation_magnitude;
    let allocations = read_allocations(ctx).await?;
    let to_raise: Vec<Address> = allocations
        .iter()
        .filter(|a| a.target() < wanted && a.pending_until().is_none())
        .map(|a| a.strategy)
        .collect();
    let mut txs = Vec::new();
    let mut mined = false;
    if !to_raise.is_empty() {
        mined |= ensure_delay_in_effect(ctx).await?;
        let params = AllocateParams {
            operatorSet: ctx.operator_set(),
            newMagnitudes: vec![wanted; to_raise.len()],
            strategies: to_raise,
        };
        let am = ctx.allocation_manager();
        txs.push(
            ctx.send(
                "AllocationManager.modifyAllocations",
                am.modifyAllocations(ctx.operator(), vec![params]),
            )
            .await?,
        );
    }
    // Wait for (or mine past) every pending change, ours or an earlier run's.
    let pending = read_allocations(ctx).await?.iter().filter_map(|a| a.pending_until()).max();
    if let Some(effect_block) = pending {
        let current = ctx.block_number().await?;
        if effect_block > current {
            if !ctx.may_mine() {
                return Err(Error::AllocationPending { effect_block, current });
            }
            ctx.mine_to(effect_block).await?;
            mined = true;
        }
    }
    let detail = format!("{wanted} (WAD) of each strategy of the set allocated");
    if txs.is_empty() && !mined {
        Ok(Step::already(STEP, detail))
    } else {
        let detail =
            if mined { format!("{detail} (mined past EigenLayer's delays)") } else { detail };
        Ok(Step::done(STEP, detail, txs))
    }
}

/// Makes sure the operator's allocation delay is in effect: true if blocks were mined for it.
async fn ensure_delay_in_effect(ctx: &Context) -> Result<bool> {
    let am = ctx.allocation_manager();
    let delay = ctx
        .read("AllocationManager.getAllocationDelay", am.getAllocationDelay(ctx.operator()))
        .await?;
    if delay._0 {
        return Ok(false);
    }
    let current = ctx.block_number().await?;
    let configuration_delay = ctx
        .read(
            "AllocationManager.ALLOCATION_CONFIGURATION_DELAY",
            am.ALLOCATION_CONFIGURATION_DELAY(),
        )
        .await?;
    let effect_block = find_delay_effect_block(ctx, current, configuration_delay).await?;
    if !ctx.may_mine() {
        return Err(Error::AllocationDelayPending { effect_block, current });
    }
    // The delay was set at most ALLOCATION_CONFIGURATION_DELAY + 1 blocks ago or it would be in
    // effect, so mining that many always suffices when the event was not found.
    let target = effect_block.unwrap_or(current + u64::from(configuration_delay) + 1);
    ctx.mine_to(target).await?;
    let delay = ctx
        .read("AllocationManager.getAllocationDelay", am.getAllocationDelay(ctx.operator()))
        .await?;
    if !delay._0 {
        let current = ctx.block_number().await?;
        return Err(Error::AllocationDelayPending { effect_block, current });
    }
    Ok(true)
}

/// The block from which the operator's latest allocation delay is in effect, from the
/// AllocationManager's `AllocationDelaySet` events of the last `configuration_delay + 1` blocks
/// (a delay set earlier would already be in effect). `None` if none is found.
async fn find_delay_effect_block(
    ctx: &Context,
    current: u64,
    configuration_delay: u32,
) -> Result<Option<u64>> {
    let from = current.saturating_sub(u64::from(configuration_delay) + 1);
    let operator = ctx.operator();
    find_latest(ctx, AllocationDelaySet::SIGNATURE_HASH, None, from, current, |log| {
        AllocationDelaySet::decode_log_data(log.data())
            .ok()
            .filter(|event| event.operator == operator)
            .map(|event| u64::from(event.effectBlock))
    })
    .await
}
