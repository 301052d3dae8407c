//! Everything one command needs: configuration, deployment, keys and a connected provider
//! whose chain has been checked against the deployment.

use crate::config::Config;
use crate::keys::{self, OperatorKeys};
use crate::report::Tx;
use crate::{Error, Result};
use alloy::contract::{CallBuilder, CallDecoder};
use alloy::primitives::{Address, U256};
use alloy::providers::{DynProvider, Provider};
use rampart_chain::Deployment;
use rampart_chain::provider::{call_error, connect, read, rpc_error, send};
use rampart_contracts::allocation_manager::{IAllocationManager, OperatorSet};
use std::sync::atomic::{AtomicBool, Ordering};

/// The devnet chain id anvil uses by default.
pub(crate) const DEVNET_CHAIN_ID: u64 = 31337;

/// Gas added to every estimate besides 25 %. Joining or leaving the set in a new block makes
/// the registry archive its current APK and stake entries (about 140k gas of fresh storage), which
/// an estimate taken against the block of the last change does not include (anvil estimates at
/// the latest block's number); a nested call that runs out of gas reverts without a reason.
const GAS_HEADROOM: u64 = 200_000;

/// The gas limit sent for a transaction estimated at `estimate`. Unused gas is not charged.
pub(crate) fn with_margin(estimate: u64) -> u64 {
    estimate.saturating_add(estimate / 4).saturating_add(GAS_HEADROOM)
}

/// A connected, checked session for one operator.
#[derive(Debug)]
pub(crate) struct Context {
    pub(crate) config: Config,
    pub(crate) deployment: Deployment,
    pub(crate) provider: DynProvider,
    pub(crate) keys: OperatorKeys,
    pub(crate) chain_id: u64,
    funded: AtomicBool,
}

impl Context {
    /// Loads the deployment and keys, connects with the operator's signer and checks that the
    /// endpoint serves the deployment's chain and that the contracts exist there.
    pub(crate) async fn open(config: &Config) -> Result<Self> {
        let deployment = Deployment::load(&config.chain.deployment)?;
        let keys = keys::load(config)?;
        let chain = &config.chain;
        let provider = connect(&chain.rpc_url, Some(keys.signer.clone()))?;
        let chain_id = provider.get_chain_id().await.map_err(|e| {
            rpc_error(
                &format!("connect to {}", chain.endpoint_label()),
                chain.redact(&e.to_string()),
            )
        })?;
        if chain_id != deployment.chain_id {
            return Err(Error::WrongChain {
                rpc_url: chain.endpoint_label(),
                actual: chain_id,
                expected: deployment.chain_id,
            });
        }
        if config.devnet.is_some()
            && chain_id != DEVNET_CHAIN_ID
            && !deployment.strategies.iter().any(|s| s.mintable)
        {
            return Err(Error::NotADevnet { chain_id });
        }
        let ctx = Self {
            config: config.clone(),
            deployment,
            provider,
            keys,
            chain_id,
            funded: AtomicBool::new(false),
        };
        for (name, address) in [
            ("AllocationManager", ctx.deployment.eigenlayer.allocation_manager),
            ("DelegationManager", ctx.deployment.eigenlayer.delegation_manager),
            ("Rampart operator registry", ctx.deployment.rampart.operator_registry),
        ] {
            let code = ctx
                .provider
                .get_code_at(address)
                .await
                .map_err(|e| ctx.redact(rpc_error(&format!("read code of {name}"), e)))?;
            if code.is_empty() {
                return Err(Error::Deployment(format!(
                    "no {name} contract at {address} on chain {chain_id}"
                )));
            }
        }
        Ok(ctx)
    }

    /// The operator's address.
    pub(crate) fn operator(&self) -> Address {
        self.keys.operator()
    }

    /// The Rampart operator set.
    pub(crate) fn operator_set(&self) -> OperatorSet {
        OperatorSet {
            avs: self.deployment.rampart.service_manager,
            id: self.deployment.operator_set_id,
        }
    }

    /// AllocationManager bound to this provider.
    pub(crate) fn allocation_manager(
        &self,
    ) -> IAllocationManager::IAllocationManagerInstance<DynProvider> {
        IAllocationManager::new(
            self.deployment.eigenlayer.allocation_manager,
            self.provider.clone(),
        )
    }

    /// The latest block number.
    pub(crate) async fn block_number(&self) -> Result<u64> {
        self.provider
            .get_block_number()
            .await
            .map_err(|e| self.redact(rpc_error("read block number", e)))
    }

    /// Reads a view (reverts decoded).
    pub(crate) async fn read<P: Provider, D: CallDecoder>(
        &self,
        action: &str,
        call: CallBuilder<P, D>,
    ) -> Result<D::CallOutput> {
        read(action, call).await.map_err(|e| self.redact(e))
    }

    /// Hides the endpoint's path and credentials in transport errors (they quote the URL).
    pub(crate) fn redact(&self, e: rampart_chain::Error) -> Error {
        match e {
            rampart_chain::Error::Rpc { action, message } => {
                let message = self.config.chain.redact(&message);
                rampart_chain::Error::Rpc { action, message }.into()
            }
            other => other.into(),
        }
    }

    /// Sends a transaction from the operator and waits for its receipt (reverts decoded). The
    /// first send checks that the operator can pay for gas at all.
    pub(crate) async fn send<P: Provider + Clone, D: CallDecoder + Clone>(
        &self,
        action: &str,
        call: CallBuilder<P, D>,
    ) -> Result<Tx> {
        if !self.funded.load(Ordering::Relaxed) {
            let balance = self
                .provider
                .get_balance(self.operator())
                .await
                .map_err(|e| self.redact(rpc_error("read the operator's balance", e)))?;
            if balance == U256::ZERO {
                return Err(Error::NoGas { operator: self.operator() });
            }
            self.funded.store(true, Ordering::Relaxed);
        }
        // Estimate here and add a margin (see `GAS_HEADROOM`): the state or the block can
        // change between estimation and inclusion.
        let estimate = call.estimate_gas().await.map_err(|e| self.redact(call_error(action, e)))?;
        let receipt =
            send(action, call.gas(with_margin(estimate))).await.map_err(|e| self.redact(e))?;
        Ok(Tx {
            action: action.to_string(),
            hash: receipt.transaction_hash,
            gas_used: receipt.gas_used,
            block: receipt.block_number.unwrap_or_default(),
        })
    }

    /// Whether `[devnet] mine_blocks` lets us mine past delays.
    pub(crate) fn may_mine(&self) -> bool {
        self.config.devnet.as_ref().is_some_and(|d| d.mine_blocks)
    }

    /// Mines `blocks` empty blocks (anvil only).
    pub(crate) async fn mine(&self, blocks: u64) -> Result<()> {
        if blocks == 0 {
            return Ok(());
        }
        self.provider
            .raw_request::<_, serde_json::Value>("anvil_mine".into(), (U256::from(blocks),))
            .await
            .map_err(|e| {
                self.redact(rpc_error("anvil_mine (devnet.mine_blocks needs an anvil node)", e))
            })?;
        Ok(())
    }

    /// Mines until the latest block is at least `block`.
    pub(crate) async fn mine_to(&self, block: u64) -> Result<u64> {
        let now = self.block_number().await?;
        self.mine(block.saturating_sub(now)).await?;
        Ok(now.max(block))
    }
}
