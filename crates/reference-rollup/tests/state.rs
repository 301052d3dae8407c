//! Execution of transfers and batches.

mod common;

use common::*;
use proptest::prelude::*;
use rampart_reference_rollup::{Batch, BatchError, State, TxError};

#[test]
fn a_batch_moves_balances_and_nonces() {
    let g = genesis(4, 3, 100);
    let mut s = State::new(&g);
    assert_eq!(s.root(), g.root());
    let batch = Batch {
        rollup_id: ROLLUP,
        index: 0,
        transfers: vec![signed(0, 1, 30, 0), signed(1, 2, 50, 0), signed(0, 2, 70, 1)],
    };
    let w = s.apply_batch(&batch).unwrap();
    assert_eq!(w.prev_root, g.root());
    assert_eq!(w.new_root, s.root());
    assert_eq!(w.commitment, batch.commitment());
    let balances: Vec<_> = (0..3).map(|i| s.account(i).unwrap().balance).collect();
    assert_eq!(balances, [0, 80, 220]);
    assert_eq!(s.account(0).unwrap().nonce, 2);
    assert_eq!(s.next_batch(), 1);
    // A snapshot rebuilds the same state.
    let restored = State::from_snapshot(&s.snapshot()).unwrap();
    assert_eq!((restored.root(), restored.next_batch()), (s.root(), 1));
}

#[test]
fn invalid_transactions_are_refused_and_change_nothing() {
    let g = genesis(4, 3, 100);
    let s = State::new(&g);
    let bad_sig = {
        let mut t = signed(0, 1, 5, 0);
        t.transfer.amount = 6;
        t
    };
    let cases = [
        (signed(0, 1, 101, 0), TxError::Overdraft { account: 0, balance: 100, amount: 101 }),
        (signed(0, 1, 5, 1), TxError::WrongNonce { account: 0, expected: 0, got: 1 }),
        (signed(0, 0, 5, 0), TxError::SelfTransfer(0)),
        (signed(0, 9, 5, 0), TxError::UnknownRecipient(9)),
        (signed(9, 0, 5, 0), TxError::UnknownSender(9)),
        (bad_sig, TxError::BadSignature(0)),
        (
            rampart_reference_rollup::Transfer { from: 0, to: 1, amount: 5, nonce: 0 }
                .sign(&key(0), ROLLUP + 1),
            TxError::BadSignature(0),
        ),
    ];
    for (tx, expected) in cases {
        assert_eq!(s.check(&tx), Err(expected.clone()));
        let mut t = s.clone();
        let batch = Batch { rollup_id: ROLLUP, index: 0, transfers: vec![signed(1, 2, 1, 0), tx] };
        assert_eq!(
            t.apply_batch(&batch).unwrap_err(),
            BatchError::Tx { batch: 0, position: 1, source: expected }
        );
        assert_eq!((t.root(), t.next_batch()), (s.root(), 0), "a refused batch changes nothing");
    }
    let mut t = s.clone();
    assert!(matches!(
        t.apply_batch(&Batch { rollup_id: ROLLUP, index: 1, transfers: vec![] }),
        Err(BatchError::OutOfOrder { expected: 0, got: 1 })
    ));
    assert!(matches!(
        t.apply_batch(&Batch { rollup_id: 1, index: 0, transfers: vec![] }),
        Err(BatchError::WrongRollup { .. })
    ));
}

#[test]
fn recipient_overflow_is_refused() {
    let mut g = genesis(2, 2, 10);
    g.accounts.get_mut(&1).unwrap().balance = u64::MAX - 5;
    assert_eq!(State::new(&g).check(&signed(0, 1, 6, 0)), Err(TxError::BalanceOverflow(1)));
    assert_eq!(State::new(&g).check(&signed(0, 1, 5, 0)), Ok(()));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    /// Total supply is conserved by any sequence of accepted transfers, and the state is a pure
    /// function of the batches.
    #[test]
    fn supply_is_conserved(moves in proptest::collection::vec((0u32..4, 0u32..4, 0u64..60), 1..12)) {
        let g = genesis(3, 4, 50);
        let mut s = State::new(&g);
        let mut replay = State::new(&g);
        let mut nonces = [0u64; 4];
        let mut accepted = Vec::new();
        for (from, to, amount) in moves {
            let tx = signed(from, to, amount, nonces[from as usize]);
            if s.apply(&tx).is_ok() {
                nonces[from as usize] += 1;
                accepted.push(tx);
            }
        }
        let total: u64 = (0..4).map(|i| s.account(i).unwrap().balance).sum();
        prop_assert_eq!(total, 200);
        replay.apply_batch(&Batch { rollup_id: ROLLUP, index: 0, transfers: accepted }).unwrap();
        prop_assert_eq!(replay.root(), s.root());
    }
}
