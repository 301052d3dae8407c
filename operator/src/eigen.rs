//! EigenLayer v1.3.0 AllocationManager items the committed interfaces leave out, and a bounded
//! search of its events (to tell the operator which block a delay ends at).

use crate::Result;
use crate::context::Context;
use alloy::primitives::{Address, B256};
use alloy::providers::Provider;
use alloy::rpc::types::{Filter, Log};
use rampart_chain::provider::rpc_error;

alloy::sol! {
    /// An operator set (EigenLayer's file-level struct).
    struct OperatorSet { address avs; uint32 id; }

    /// The operator's allocation delay changes at `effectBlock`.
    event AllocationDelaySet(address operator, uint32 delay, uint32 effectBlock);

    /// An operator left an operator set (it stays slashable for `DEALLOCATION_DELAY` blocks).
    event OperatorRemovedFromOperatorSet(address indexed operator, OperatorSet operatorSet);

    /// Reads of the AllocationManager beyond `IAllocationManager`.
    #[sol(rpc)]
    interface IAllocationManagerDelays {
        function DEALLOCATION_DELAY() external view returns (uint32);
    }
}

/// Blocks per `eth_getLogs` request (public endpoints commonly cap ranges near 10k).
const LOG_CHUNK: u64 = 10_000;

/// Searches the AllocationManager's logs with `topic0` (and `operator` as `topic1` when the
/// event indexes it) in `[from, to]`, newest first, and returns the first that `pick` accepts.
pub(crate) async fn find_latest<T>(
    ctx: &Context,
    topic0: B256,
    indexed_operator: Option<Address>,
    from: u64,
    to: u64,
    pick: impl Fn(&Log) -> Option<T>,
) -> Result<Option<T>> {
    let mut hi = to;
    loop {
        let lo = hi.saturating_sub(LOG_CHUNK - 1).max(from);
        let mut filter = Filter::new()
            .address(ctx.deployment.eigenlayer.allocation_manager)
            .event_signature(topic0)
            .from_block(lo)
            .to_block(hi);
        if let Some(operator) = indexed_operator {
            filter = filter.topic1(operator.into_word());
        }
        let logs = ctx
            .provider
            .get_logs(&filter)
            .await
            .map_err(|e| ctx.redact(rpc_error("read AllocationManager events", e)))?;
        if let Some(found) = logs.iter().rev().find_map(&pick) {
            return Ok(Some(found));
        }
        if lo <= from {
            return Ok(None);
        }
        hi = lo - 1;
    }
}
