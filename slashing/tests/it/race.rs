//! Concurrent signers of one batch: exactly one checkpoint is ever signed.

use crate::support::{Signer, TestEnv, checkpoint, identity, key, open, sign};
use rampart_crypto::Signature;
use rampart_slashing::{Error, SlashingProtection};
use std::sync::Arc;

const ROUNDS: u64 = 12;
const TASKS: usize = 16;

/// Two "daemons" (two independent pools on one database) and many tasks each race to sign two
/// different checkpoints for the same batch, round after round.
async fn racing_signers_sign_exactly_one_checkpoint(env: &TestEnv) {
    let url = env.fresh_url().await;
    let signer = Arc::new(Signer::new(key(1)));
    let daemons = [Arc::new(open(&url, &signer.sk).await), Arc::new(open(&url, &signer.sk).await)];

    for batch in 0..ROUNDS {
        let a = checkpoint(4, batch, 0xa);
        let b = checkpoint(4, batch, 0xb);
        let calls_before = signer.calls();
        let barrier = Arc::new(tokio::sync::Barrier::new(TASKS));
        let mut tasks = Vec::new();
        for t in 0..TASKS {
            let db = daemons[t % 2].clone();
            let signer = signer.clone();
            let barrier = barrier.clone();
            let cp = if (t / 2) % 2 == 0 { a } else { b };
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                (cp, sign(&db, &signer, &cp).await)
            }));
        }
        let mut winners: Vec<(rampart_primitives::Checkpoint, Signature)> = Vec::new();
        let mut refused = 0;
        for task in tasks {
            match task.await.expect("task") {
                (cp, Ok(signature)) => winners.push((cp, signature)),
                (cp, Err(Error::Refused { requested, .. })) => {
                    assert_eq!(*requested, cp);
                    refused += 1;
                }
                (_, Err(other)) => panic!("unexpected error in the race: {other}"),
            }
        }
        assert_eq!(signer.calls() - calls_before, 1, "round {batch}: exactly one signing");
        let (winner, signature) = winners[0];
        assert!(
            winners.iter().all(|w| *w == (winner, signature)),
            "round {batch}: every success is the one winning checkpoint and its one signature"
        );
        assert_eq!(winners.len(), TASKS / 2, "round {batch}: all tasks with the winner succeed");
        assert_eq!(refused, TASKS / 2, "round {batch}: all tasks with the loser are refused");
        let record = daemons[0].signed(4, batch).await.unwrap().unwrap();
        assert_eq!((record.checkpoint, record.signature), (winner, Some(signature)));
    }
}

/// Many processes opening a fresh database at once, some for another key: the schema is created
/// once, exactly one identity binds it, and every opener for that identity succeeds.
async fn racing_first_opens_bind_one_identity(env: &TestEnv) {
    for _ in 0..3 {
        let url = env.fresh_url().await;
        let mut tasks = Vec::new();
        for t in 0..8u8 {
            let url = url.clone();
            let seed = 1 + t % 2;
            tasks.push(tokio::spawn(async move {
                let result = SlashingProtection::open(&url, identity(&key(seed))).await;
                (seed, result.map(|db| db.identity().pubkey))
            }));
        }
        let mut bound = None;
        for task in tasks {
            match task.await.expect("task") {
                (seed, Ok(pubkey)) => {
                    assert_eq!(pubkey, key(seed).public_key());
                    assert!(bound.is_none_or(|b| b == seed), "two identities bound one database");
                    bound = Some(seed);
                }
                (_, Err(Error::IdentityMismatch { .. })) => {}
                (_, Err(other)) => panic!("unexpected error opening concurrently: {other}"),
            }
        }
        let seed = bound.expect("one identity bound the database");
        let db = open(&url, &key(seed)).await;
        sign(&db, &Signer::new(key(seed)), &checkpoint(1, 1, 0)).await.unwrap();
    }
}

crate::both_backends!(
    racing_signers_sign_exactly_one_checkpoint,
    racing_first_opens_bind_one_identity
);
