//! `status`: where the operator stands in EigenLayer and Rampart, read from the chain.

use crate::allocation::read_allocations;
use crate::context::Context;
use crate::onboarding::is_member;
use crate::registration::registry_key;
use crate::{Config, Result};
use alloy::primitives::{Address, B256};
use rampart_contracts::delegation_manager::IDelegationManager;
use rampart_contracts::operator_registry::RampartOperatorRegistry;
use serde::Serialize;
use std::fmt;

/// The operator's allocation to one strategy of the Rampart set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AllocationStatus {
    /// The strategy.
    pub strategy: Address,
    /// Magnitude (WAD) in effect now.
    pub current_magnitude: u64,
    /// Pending change (WAD, signed), 0 if none.
    pub pending_diff: i64,
    /// Block at which the pending change takes effect (0 if none).
    pub effect_block: u64,
}

/// The operator's state, as `rampart operator status` shows it (`--json` serializes this).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// Chain id.
    pub chain_id: u64,
    /// The block the status was read at.
    pub block: u64,
    /// The operator's address.
    pub operator: Address,
    /// Registered as an EigenLayer operator.
    pub eigenlayer_operator: bool,
    /// The allocation delay in effect (blocks), `None` if not yet in effect.
    pub allocation_delay: Option<u32>,
    /// The Rampart operator set id.
    pub operator_set_id: u32,
    /// The Rampart AVS (service manager).
    pub avs: Address,
    /// The allocation magnitude the configuration asks for (WAD).
    pub configured_magnitude: u64,
    /// Allocation to each strategy of the set.
    pub allocations: Vec<AllocationStatus>,
    /// Member of the Rampart operator set.
    pub member: bool,
    /// The BLS public key of the configured keystore.
    pub bls_pubkey: String,
    /// The key the registry holds for the operator, if any.
    pub registry_pubkey: Option<String>,
    /// The registry key's hash (keccak256 of the EIP-2537 encoding), if any.
    pub registry_key_hash: Option<B256>,
    /// Whether the registry key is the configured one.
    pub key_matches: bool,
    /// Counted stake in the registry at `block - 1` (decimal), if the operator has a key.
    pub stake_at_previous_block: Option<String>,
    /// Registered in the set at `block - 1` per the registry's history.
    pub registered_at_previous_block: bool,
    /// Weighted slashable stake now (decimal), before the set's minimum is applied.
    pub weighted_stake: String,
    /// The socket stored in the registry (empty if none).
    pub socket: String,
    /// Problems worth telling the user about.
    pub warnings: Vec<String>,
}

/// Reads the configured operator's status.
pub async fn status(config: &Config) -> Result<Status> {
    let ctx = Context::open(config).await?;
    let operator = ctx.operator();
    let set = ctx.operator_set();
    let block = ctx.block_number().await?;
    let dm = IDelegationManager::new(ctx.deployment.eigenlayer.delegation_manager, &ctx.provider);
    let eigenlayer_operator =
        ctx.read("DelegationManager.isOperator", dm.isOperator(operator)).await?;
    let am = ctx.allocation_manager();
    let delay =
        ctx.read("AllocationManager.getAllocationDelay", am.getAllocationDelay(operator)).await?;
    let allocations = read_allocations(&ctx)
        .await?
        .into_iter()
        .map(|a| AllocationStatus {
            strategy: a.strategy,
            current_magnitude: a.allocation.currentMagnitude,
            pending_diff: i64::try_from(a.allocation.pendingDiff).unwrap_or(i64::MAX),
            effect_block: a.pending_until().unwrap_or(0),
        })
        .collect();
    let member = is_member(&ctx).await?;

    let registry =
        RampartOperatorRegistry::new(ctx.deployment.rampart.operator_registry, &ctx.provider);
    let key =
        ctx.read("RampartOperatorRegistry.operatorKey", registry.operatorKey(operator)).await?;
    let registered_key = registry_key(&key.pubkey);
    let bls_pubkey = ctx.keys.bls.public_key();
    let (stake_at_previous_block, registered_at_previous_block) = match registered_key {
        Some(_) => {
            let previous = u32::try_from(block.saturating_sub(1)).unwrap_or(u32::MAX);
            let at = ctx
                .read(
                    "RampartOperatorRegistry.stakeAt",
                    registry.stakeAt(set.id, key.keyHash, previous),
                )
                .await?;
            (Some(at.stake.to_string()), at.registered)
        }
        None => (None, false),
    };
    let weighted = ctx
        .read("RampartOperatorRegistry.weightedStake", registry.weightedStake(operator, set.id))
        .await?;
    let socket = ctx.read("RampartOperatorRegistry.socketOf", registry.socketOf(operator)).await?;

    Ok(Status {
        chain_id: ctx.chain_id,
        block,
        operator,
        eigenlayer_operator,
        allocation_delay: delay._0.then_some(delay._1),
        operator_set_id: set.id,
        avs: set.avs,
        configured_magnitude: ctx.config.operator.allocation_magnitude,
        allocations,
        member,
        bls_pubkey: bls_pubkey.to_string(),
        registry_pubkey: registered_key.map(|k| k.to_string()),
        registry_key_hash: registered_key.map(|_| key.keyHash),
        key_matches: registered_key == Some(bls_pubkey),
        stake_at_previous_block,
        registered_at_previous_block,
        weighted_stake: weighted.to_string(),
        socket,
        warnings: ctx.keys.warnings.clone(),
    })
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "operator              {}", self.operator)?;
        writeln!(f, "chain id              {} (block {})", self.chain_id, self.block)?;
        writeln!(f, "EigenLayer operator   {}", yes(self.eigenlayer_operator))?;
        match self.allocation_delay {
            Some(delay) => writeln!(f, "allocation delay      {delay} blocks")?,
            None => writeln!(f, "allocation delay      not in effect yet")?,
        }
        writeln!(f, "operator set          {} (AVS {})", self.operator_set_id, self.avs)?;
        for a in &self.allocations {
            let pending = if a.pending_diff == 0 {
                String::new()
            } else {
                format!(", pending {:+} at block {}", a.pending_diff, a.effect_block)
            };
            writeln!(
                f,
                "  allocation          {} of strategy {} (configured {}){pending}",
                a.current_magnitude, a.strategy, self.configured_magnitude
            )?;
        }
        writeln!(f, "member of the set     {}", yes(self.member))?;
        writeln!(f, "BLS key (config)      {}", self.bls_pubkey)?;
        match &self.registry_pubkey {
            Some(key) => writeln!(
                f,
                "BLS key (registry)    {key} ({})",
                if self.key_matches { "matches" } else { "DIFFERS from the configured key" }
            )?,
            None => writeln!(f, "BLS key (registry)    none")?,
        }
        match &self.stake_at_previous_block {
            Some(stake) => writeln!(
                f,
                "stake (registry)      {stake} at block {} ({})",
                self.block.saturating_sub(1),
                if self.registered_at_previous_block { "registered" } else { "not registered" }
            )?,
            None => writeln!(f, "stake (registry)      none")?,
        }
        writeln!(f, "weighted stake now    {}", self.weighted_stake)?;
        let socket = if self.socket.is_empty() { "none" } else { self.socket.as_str() };
        write!(f, "socket                {socket}")?;
        for warning in &self.warnings {
            write!(f, "\nwarning: {warning}")?;
        }
        Ok(())
    }
}
