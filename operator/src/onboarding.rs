//! Onboarding an operator through EigenLayer v1.3.0 into the Rampart operator set, and leaving
//! it. Every step reads the chain first and skips what is already done, so both commands are
//! idempotent: re-running them sends nothing once the chain is in the desired state.
//!
//! `register` runs, in order:
//! 1. **EigenLayer operator**: `DelegationManager.registerAsOperator(0x0, allocation_delay,
//!    metadata_uri)` unless `isOperator` (an operator is delegated to itself);
//! 2. **devnet self-stake** (only with `[devnet]`): mint the test token, approve and
//!    `StrategyManager.depositIntoStrategy` up to `devnet.stake`;
//! 3. **allocation**: raise the allocation of each strategy of the Rampart set to
//!    `allocation_magnitude` with `AllocationManager.modifyAllocations`, once the allocation
//!    delay is in effect, and wait until the allocation is (see [`crate::allocation`]);
//! 4. **Rampart operator set**: unless already a member,
//!    `AllocationManager.registerForOperatorSets(operator, {avs, [set], data})` where `data` is
//!    `abi.encode(G1Point pubkey, G2Point pop, string socket)` with a fresh proof of possession.
//!
//! The operator's ECDSA key sends every transaction.

use crate::context::Context;
use crate::eigen::{IAllocationManagerDelays, OperatorRemovedFromOperatorSet, find_latest};
use crate::registration::registration_data;
use crate::report::{Report, Step};
use crate::{Config, Error, Result, allocation, devnet};
use alloy::primitives::Address;
use alloy::sol_types::SolEvent;
use rampart_contracts::allocation_manager::IAllocationManagerTypes::{
    DeregisterParams, RegisterParams,
};
use rampart_contracts::delegation_manager::IDelegationManager;
use rampart_contracts::operator_registry::RampartOperatorRegistry;
use std::time::Instant;

const EIGENLAYER_STEP: &str = "EigenLayer operator";
const SET_STEP: &str = "Rampart operator set";

/// Registers the configured operator with EigenLayer and Rampart (idempotent).
pub async fn register(config: &Config) -> Result<Report> {
    let started = Instant::now();
    let ctx = Context::open(config).await?;
    let mut steps = vec![eigenlayer_operator(&ctx).await?];
    if let Some(devnet) = &ctx.config.devnet {
        steps.push(devnet::top_up_stake(&ctx, devnet.stake).await?);
    }
    steps.push(allocation::allocate(&ctx).await?);
    steps.push(join_set(&ctx).await?);
    Ok(report(&ctx, steps, started))
}

/// Leaves the Rampart operator set (idempotent: a non-member sends nothing). The allocation
/// stays; EigenLayer keeps the operator slashable for its deallocation delay.
pub async fn deregister(config: &Config) -> Result<Report> {
    let started = Instant::now();
    let ctx = Context::open(config).await?;
    let set = ctx.operator_set();
    let step = if !is_member(&ctx).await? {
        Step::already(SET_STEP, format!("not a member of operator set {}", set.id))
    } else {
        let am = ctx.allocation_manager();
        let params = DeregisterParams {
            operator: ctx.operator(),
            avs: set.avs,
            operatorSetIds: vec![set.id],
        };
        let tx = ctx
            .send(
                "AllocationManager.deregisterFromOperatorSets",
                am.deregisterFromOperatorSets(params),
            )
            .await?;
        Step::done(SET_STEP, format!("left operator set {}", set.id), vec![tx])
    };
    Ok(report(&ctx, vec![step], started))
}

fn report(ctx: &Context, steps: Vec<Step>, started: Instant) -> Report {
    Report {
        operator: ctx.operator(),
        chain_id: ctx.chain_id,
        operator_set_id: ctx.deployment.operator_set_id,
        steps,
        warnings: ctx.keys.warnings.clone(),
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    }
}

async fn eigenlayer_operator(ctx: &Context) -> Result<Step> {
    let dm = IDelegationManager::new(ctx.deployment.eigenlayer.delegation_manager, &ctx.provider);
    if ctx.read("DelegationManager.isOperator", dm.isOperator(ctx.operator())).await? {
        return Ok(Step::already(EIGENLAYER_STEP, "registered"));
    }
    let op = &ctx.config.operator;
    let tx = ctx
        .send(
            "DelegationManager.registerAsOperator",
            dm.registerAsOperator(Address::ZERO, op.allocation_delay, op.metadata_uri.clone()),
        )
        .await?;
    let detail = format!("registered (allocation delay {} blocks)", op.allocation_delay);
    Ok(Step::done(EIGENLAYER_STEP, detail, vec![tx]))
}

pub(crate) async fn is_member(ctx: &Context) -> Result<bool> {
    let am = ctx.allocation_manager();
    ctx.read(
        "AllocationManager.isMemberOfOperatorSet",
        am.isMemberOfOperatorSet(ctx.operator(), ctx.operator_set()),
    )
    .await
}

async fn join_set(ctx: &Context) -> Result<Step> {
    let set = ctx.operator_set();
    let pubkey = ctx.keys.bls.public_key();
    if is_member(ctx).await? {
        return Ok(Step::already(SET_STEP, format!("member of operator set {}", set.id)));
    }
    let mined = wait_until_not_slashable(ctx).await?;
    let registry_address = ctx.deployment.rampart.operator_registry;
    let data = registration_data(
        &ctx.keys.bls,
        ctx.operator(),
        ctx.chain_id,
        registry_address,
        &ctx.config.operator.socket,
    );
    let params = RegisterParams { avs: set.avs, operatorSetIds: vec![set.id], data };
    let am = ctx.allocation_manager();
    let tx = ctx
        .send(
            "AllocationManager.registerForOperatorSets",
            am.registerForOperatorSets(ctx.operator(), params),
        )
        .await?;
    let registry = RampartOperatorRegistry::new(registry_address, &ctx.provider);
    let stake = ctx
        .read(
            "RampartOperatorRegistry.weightedStake",
            registry.weightedStake(ctx.operator(), set.id),
        )
        .await?;
    let mut detail = format!("joined operator set {} with BLS key {pubkey}, stake {stake}", set.id);
    if mined {
        detail.push_str(" (mined past the deallocation delay of an earlier membership)");
    }
    Ok(Step::done(SET_STEP, detail, vec![tx]))
}

/// EigenLayer keeps an operator that left a set slashable there for `DEALLOCATION_DELAY`
/// blocks and refuses to register it again meanwhile: wait (or, on a devnet, mine) until then.
/// True if blocks were mined.
async fn wait_until_not_slashable(ctx: &Context) -> Result<bool> {
    let am = ctx.allocation_manager();
    let slashable = || async {
        ctx.read(
            "AllocationManager.isOperatorSlashable",
            am.isOperatorSlashable(ctx.operator(), ctx.operator_set()),
        )
        .await
    };
    if !slashable().await? {
        return Ok(false);
    }
    let current = ctx.block_number().await?;
    let delays =
        IAllocationManagerDelays::new(ctx.deployment.eigenlayer.allocation_manager, &ctx.provider);
    let delay = u64::from(
        ctx.read("AllocationManager.DEALLOCATION_DELAY", delays.DEALLOCATION_DELAY()).await?,
    );
    let set = ctx.operator_set();
    let left_at = find_latest(
        ctx,
        OperatorRemovedFromOperatorSet::SIGNATURE_HASH,
        Some(ctx.operator()),
        current.saturating_sub(delay),
        current,
        |log| {
            let event = OperatorRemovedFromOperatorSet::decode_log_data(log.data()).ok()?;
            (event.operatorSet.avs == set.avs && event.operatorSet.id == set.id)
                .then_some(log.block_number)
                .flatten()
        },
    )
    .await?;
    let slashable_until = left_at.map(|block| block + delay);
    if !ctx.may_mine() {
        return Err(Error::RecentlyDeregistered { slashable_until, current });
    }
    ctx.mine_to(slashable_until.unwrap_or(current + delay)).await?;
    if slashable().await? {
        ctx.mine(1).await?;
    }
    if slashable().await? {
        let current = ctx.block_number().await?;
        return Err(Error::RecentlyDeregistered { slashable_until, current });
    }
    Ok(true)
}
