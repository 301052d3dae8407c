//! The names of the spans along the attestation path. They are stable: dashboards, alerts and
//! people's saved trace queries use them. All have the target [`crate::TARGET`].
//!
//! A batch's trace (see [`crate::context`]) holds, per operator, one [`OPERATOR_ATTEST`] span
//! with the four steps under it and one [`OPERATOR_DELIVER`] per aggregator; per aggregator,
//! one [`AGGREGATOR_RECEIVE`] per delivery (a child of that delivery), then [`AGGREGATOR_VERIFY`]
//! per verified group, [`AGGREGATOR_AGGREGATE`], [`AGGREGATOR_SUBMIT`] per transaction sent and
//! [`AGGREGATOR_CONFIRM`] once the certificate is final.

/// Operator: one batch, from seeing its commit to the signature being stored.
pub const OPERATOR_ATTEST: &str = "rampart.operator.attest";
/// Operator: the batch commit read from L1.
pub const OPERATOR_OBSERVE: &str = "rampart.operator.observe_batch";
/// Operator: the state root re-derived from the rollup.
pub const OPERATOR_DERIVE: &str = "rampart.operator.derive_state";
/// Operator: the slashing-protection check and record.
pub const OPERATOR_PROTECT: &str = "rampart.operator.protect";
/// Operator: the BLS signature.
pub const OPERATOR_SIGN: &str = "rampart.operator.sign";
/// Operator: one delivery attempt to one aggregator.
pub const OPERATOR_DELIVER: &str = "rampart.operator.deliver";
/// Aggregator: one attestation received over HTTP, up to its answer.
pub const AGGREGATOR_RECEIVE: &str = "rampart.aggregator.receive";
/// Aggregator: the signatures of one batch verified together.
pub const AGGREGATOR_VERIFY: &str = "rampart.aggregator.verify";
/// Aggregator: the certificate built from the stored signatures.
pub const AGGREGATOR_AGGREGATE: &str = "rampart.aggregator.aggregate";
/// Aggregator: one certificate transaction signed and broadcast.
pub const AGGREGATOR_SUBMIT: &str = "rampart.aggregator.submit";
/// Aggregator: the certificate buried under the configured confirmations.
pub const AGGREGATOR_CONFIRM: &str = "rampart.aggregator.confirm";

/// Every span name, in path order.
pub const ALL: [&str; 11] = [
    OPERATOR_ATTEST,
    OPERATOR_OBSERVE,
    OPERATOR_DERIVE,
    OPERATOR_PROTECT,
    OPERATOR_SIGN,
    OPERATOR_DELIVER,
    AGGREGATOR_RECEIVE,
    AGGREGATOR_VERIFY,
    AGGREGATOR_AGGREGATE,
    AGGREGATOR_SUBMIT,
    AGGREGATOR_CONFIRM,
];
