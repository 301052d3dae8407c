//! Errors of the reference rollup.

use thiserror::Error;

/// Why a transaction is refused. Every variant is a property of the transaction against the
/// state it is applied to: a batch containing one is invalid as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TxError {
    /// The sender is not an account of the tree.
    #[error("unknown sender account {0}")]
    UnknownSender(u32),
    /// The recipient is not an account of the tree.
    #[error("unknown recipient account {0}")]
    UnknownRecipient(u32),
    /// Sender and recipient are the same account.
    #[error("account {0} cannot transfer to itself")]
    SelfTransfer(u32),
    /// The nonce is not the sender's next one.
    #[error("wrong nonce for account {account}: expected {expected}, got {got}")]
    WrongNonce {
        /// The sender.
        account: u32,
        /// The sender's next nonce.
        expected: u64,
        /// The transaction's.
        got: u64,
    },
    /// The sender's balance is below the amount.
    #[error("insufficient balance in account {account}: has {balance}, sends {amount}")]
    Overdraft {
        /// The sender.
        account: u32,
        /// Its balance.
        balance: u64,
        /// The amount sent.
        amount: u64,
    },
    /// The recipient's balance would pass 2^64 - 1.
    #[error("recipient account {0} balance would overflow")]
    BalanceOverflow(u32),
    /// The signature is not the sender's over this transfer on this rollup.
    #[error("invalid signature on the transfer from account {0}")]
    BadSignature(u32),
}

/// Why a batch is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BatchError {
    /// A transaction is invalid (the state is left unchanged).
    #[error("transaction {position} of batch {batch}: {source}")]
    Tx {
        /// The batch index.
        batch: u64,
        /// Position of the transaction in the batch.
        position: usize,
        /// Why it is refused.
        source: TxError,
    },
    /// The batch is for another rollup.
    #[error("batch is for rollup {got}, this state is rollup {expected}")]
    WrongRollup {
        /// This state's rollup.
        expected: u64,
        /// The batch's.
        got: u64,
    },
    /// The batch is not the next one.
    #[error("batch {got} is out of order: the next batch is {expected}")]
    OutOfOrder {
        /// The next index.
        expected: u64,
        /// The batch's.
        got: u64,
    },
    /// The batch holds more transactions than the circuit proves.
    #[error("batch holds {got} transactions, at most {max}")]
    TooLarge {
        /// The circuit's batch size.
        max: usize,
        /// The batch's.
        got: usize,
    },
}

/// Malformed encodings: field elements, points, scalars, configurations.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// Not a canonical element of the BN254 scalar field.
    #[error("{0}: not a canonical BN254 scalar-field element")]
    Field(&'static str),
    /// Not a Baby Jubjub scalar below the subgroup order.
    #[error("{0}: not a Baby Jubjub scalar below the subgroup order")]
    Scalar(&'static str),
    /// Not a point of Baby Jubjub's prime-order subgroup.
    #[error("{0}: not a point of Baby Jubjub's prime-order subgroup")]
    Point(&'static str),
    /// Not hex of the right length.
    #[error("{0}: expected 0x-prefixed hex of 32 bytes")]
    Hex(&'static str),
    /// A configuration that cannot work.
    #[error("invalid configuration: {0}")]
    Config(String),
}
