//! Providers and transaction sending.

use crate::{Error, Result, revert};
use alloy::contract::{CallBuilder, CallDecoder};
use alloy::network::EthereumWallet;
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::client::RpcClient;
use alloy::rpc::types::TransactionReceipt;
use alloy_signer_local::PrivateKeySigner;
use std::time::Duration;

/// How long [`send`] waits for a receipt.
pub const RECEIPT_TIMEOUT: Duration = Duration::from_secs(120);

/// Connects to `url` over HTTP, signing with `signer` when given. Receipts are polled every
/// 10 ms on loopback (anvil mines instantly; alloy's 250 ms default would dominate a devnet's
/// start-up) and every 2 s elsewhere.
pub fn connect(url: &str, signer: Option<PrivateKeySigner>) -> Result<DynProvider> {
    let parsed: alloy::transports::http::reqwest::Url =
        url.parse().map_err(|_| Error::InvalidUrl(url.to_string()))?;
    let local = matches!(parsed.host_str(), Some("127.0.0.1" | "localhost" | "::1"));
    let poll = if local { Duration::from_millis(10) } else { Duration::from_secs(2) };
    let client = RpcClient::new_http(parsed).with_poll_interval(poll);
    Ok(match signer {
        // Not alloy's recommended fillers: their cached nonce manager takes a nonce before gas
        // estimation, so a transaction that reverts at estimation (a proof someone else landed
        // first, a certificate already submitted) leaves a nonce gap, and every later
        // transaction of the account waits behind it forever. The nonce is read from the node
        // for every transaction instead; each sender serializes its own transactions.
        Some(signer) => ProviderBuilder::new()
            .disable_recommended_fillers()
            .with_gas_estimation()
            .with_simple_nonce_management()
            .fetch_chain_id()
            .wallet(EthereumWallet::from(signer))
            .connect_client(client)
            .erased(),
        None => ProviderBuilder::new().connect_client(client).erased(),
    })
}

/// Maps a contract-call error to [`Error::Reverted`] (decoded) or [`Error::Rpc`].
pub fn call_error(action: &str, e: alloy::contract::Error) -> Error {
    match e.as_revert_data() {
        Some(data) => {
            Error::Reverted { action: action.to_string(), reason: revert::describe(&data) }
        }
        None => Error::Rpc { action: action.to_string(), message: e.to_string() },
    }
}

/// Sends a contract transaction and waits for its receipt. A revert — at gas estimation or on
/// chain — becomes [`Error::Reverted`] with a decoded reason (an on-chain revert is replayed
/// with `eth_call` on the parent block's state to recover it).
pub async fn send<P, D>(action: &str, call: CallBuilder<P, D>) -> Result<TransactionReceipt>
where
    P: Provider + Clone,
    D: CallDecoder + Clone,
{
    let replay = call.clone();
    let provider = call.provider.clone();
    let pending = call.send().await.map_err(|e| call_error(action, e))?;
    let tx = *pending.tx_hash();
    let receipt = wait_receipt(&provider, action, tx).await?;
    if !receipt.status() {
        let parent = receipt.block_number.unwrap_or_default().saturating_sub(1);
        let reason = match replay.block(parent.into()).call_raw().await {
            Err(e) => match e.as_revert_data() {
                Some(data) if !data.is_empty() => revert::describe(&data),
                _ => "no revert data (likely out of gas in a nested call)".into(),
            },
            Ok(_) => "it succeeds when replayed on the previous block (state changed in between; likely out of gas)".into(),
        };
        return Err(Error::Reverted {
            action: action.to_string(),
            reason: format!("transaction {tx} reverted on chain: {reason}"),
        });
    }
    Ok(receipt)
}

/// Polls `eth_getTransactionReceipt` until the receipt exists (every 10 ms on loopback, else
/// every 2 s, as the client's poll interval says) or [`RECEIPT_TIMEOUT`] passes.
///
/// Deliberately not alloy's block-heartbeat watcher: on an instantly mining node the block can
/// land before the watcher starts, and the watcher then waits until its timeout.
pub async fn wait_receipt<P: Provider>(
    provider: &P,
    action: &str,
    tx: alloy::primitives::TxHash,
) -> Result<TransactionReceipt> {
    let interval = provider.client().poll_interval();
    let deadline = tokio::time::Instant::now() + RECEIPT_TIMEOUT;
    loop {
        match provider.get_transaction_receipt(tx).await {
            Ok(Some(receipt)) => return Ok(receipt),
            Ok(None) => {}
            Err(e) => return Err(rpc_error(action, e)),
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(Error::Timeout {
                action: action.to_string(),
                tx,
                seconds: RECEIPT_TIMEOUT.as_secs(),
            });
        }
        tokio::time::sleep(interval).await;
    }
}

/// Reads a contract view, decoding reverts.
pub async fn read<P, D>(action: &str, call: CallBuilder<P, D>) -> Result<D::CallOutput>
where
    P: Provider,
    D: CallDecoder,
{
    call.call().await.map_err(|e| call_error(action, e))
}

/// Maps a plain provider RPC error.
pub fn rpc_error(action: &str, e: impl std::fmt::Display) -> Error {
    Error::Rpc { action: action.to_string(), message: e.to_string() }
}
