//! A transaction generator for the devnet and load tests: random transfers between the
//! devnet's accounts (keys from the genesis seed), at a steady rate.

use crate::client::{Client, ClientError};
use rampart_reference_rollup::{Genesis, Transfer};
use rand08::{Rng, SeedableRng};
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::watch;

/// What to generate.
#[derive(Debug, Clone)]
pub struct GeneratorConfig {
    /// The sequencer.
    pub sequencer: String,
    /// The genesis (account indices and the rollup id).
    pub genesis: Genesis,
    /// The seed the devnet genesis keys were derived from.
    pub seed: String,
    /// Transfers per second.
    pub rate_per_s: f64,
    /// Stop after this many accepted transfers (`None`: until stopped).
    pub count: Option<u64>,
    /// Largest amount per transfer.
    pub max_amount: u64,
}

/// What happened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GeneratorStats {
    /// Accepted by the sequencer.
    pub accepted: u64,
    /// Refused (a nonce or balance went stale; the generator resynchronises).
    pub refused: u64,
    /// Transport failures.
    pub failed: u64,
}

/// Runs until `count` transfers are accepted or `stop` is set.
pub async fn run(config: GeneratorConfig, mut stop: watch::Receiver<bool>) -> GeneratorStats {
    let client = Client::new(&config.sequencer);
    let accounts: Vec<u32> = config.genesis.accounts.keys().copied().collect();
    let keys: HashMap<u32, _> =
        accounts.iter().map(|i| (*i, Genesis::devnet_key(&config.seed, *i))).collect();
    let mut nonces: HashMap<u32, u64> = HashMap::new();
    let mut rng = rand08::rngs::StdRng::seed_from_u64(0x5eed);
    let mut stats = GeneratorStats::default();
    let period = Duration::from_secs_f64(1.0 / config.rate_per_s.max(0.001));
    let mut ticker = tokio::time::interval(period);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while accounts.len() >= 2 && config.count.is_none_or(|n| stats.accepted < n) {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = stop.wait_for(|s| *s) => break,
        }
        let from = accounts[rng.gen_range(0..accounts.len())];
        let mut to = accounts[rng.gen_range(0..accounts.len() - 1)];
        if to == from {
            to = *accounts.last().expect("two accounts");
        }
        let nonce = match nonces.get(&from) {
            Some(n) => *n,
            None => match client.account(from).await {
                Ok(Some(a)) => a.nonce,
                _ => {
                    stats.failed += 1;
                    continue;
                }
            },
        };
        let amount = rng.gen_range(1..=config.max_amount.max(1));
        let tx = Transfer { from, to, amount, nonce }.sign(&keys[&from], config.genesis.rollup_id);
        match client.submit(&tx).await {
            Ok(()) => {
                stats.accepted += 1;
                nonces.insert(from, nonce + 1);
            }
            Err(ClientError::Refused { message, .. }) => {
                stats.refused += 1;
                tracing::debug!(target: "rampart::generator", %message, "transfer refused; resynchronising");
                nonces.remove(&from);
            }
            Err(e) => {
                stats.failed += 1;
                tracing::debug!(target: "rampart::generator", error = %e, "sequencer unavailable");
            }
        }
    }
    stats
}
