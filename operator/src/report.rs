//! What `register` and `deregister` did, step by step.

use alloy::primitives::{Address, TxHash};
use serde::Serialize;
use std::fmt;

/// One transaction sent by the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tx {
    /// What it did.
    pub action: String,
    /// Its hash.
    pub hash: TxHash,
    /// Gas it used.
    pub gas_used: u64,
    /// The block it landed in.
    pub block: u64,
}

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The chain already was in the desired state; nothing was sent.
    AlreadyDone,
    /// Transactions (or devnet block mining) brought the chain to the desired state now.
    DoneNow,
}

/// One onboarding step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// The step's name.
    pub name: &'static str,
    /// How it ended.
    pub outcome: Outcome,
    /// A short description of the resulting state.
    pub detail: String,
    /// The transactions it sent, in order.
    pub transactions: Vec<Tx>,
}

impl Step {
    pub(crate) fn already(name: &'static str, detail: impl Into<String>) -> Self {
        Self { name, outcome: Outcome::AlreadyDone, detail: detail.into(), transactions: vec![] }
    }

    pub(crate) fn done(
        name: &'static str,
        detail: impl Into<String>,
        transactions: Vec<Tx>,
    ) -> Self {
        Self { name, outcome: Outcome::DoneNow, detail: detail.into(), transactions }
    }
}

/// The result of `register` or `deregister`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// The operator's address.
    pub operator: Address,
    /// The chain.
    pub chain_id: u64,
    /// The Rampart operator set.
    pub operator_set_id: u32,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// Things the operator should fix (e.g. a world-readable key file).
    pub warnings: Vec<String>,
    /// Wall-clock time of the whole command, in milliseconds.
    pub elapsed_ms: u64,
}

impl Report {
    /// Every transaction sent, in order.
    pub fn transactions(&self) -> impl Iterator<Item = &Tx> {
        self.steps.iter().flat_map(|s| s.transactions.iter())
    }

    /// Total gas used by all transactions.
    pub fn gas_used(&self) -> u64 {
        self.transactions().map(|t| t.gas_used).sum()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "operator {} on chain {}, Rampart operator set {}",
            self.operator, self.chain_id, self.operator_set_id
        )?;
        for step in &self.steps {
            let mark = match step.outcome {
                Outcome::AlreadyDone => "already done",
                Outcome::DoneNow => "done now",
            };
            writeln!(f, "  {:<24} {:<13} {}", step.name, mark, step.detail)?;
            for tx in &step.transactions {
                writeln!(
                    f,
                    "    {} tx {} (block {}, gas {})",
                    tx.action, tx.hash, tx.block, tx.gas_used
                )?;
            }
        }
        for warning in &self.warnings {
            writeln!(f, "  warning: {warning}")?;
        }
        write!(
            f,
            "{} transaction(s), {} gas, {} ms",
            self.transactions().count(),
            self.gas_used(),
            self.elapsed_ms
        )
    }
}
