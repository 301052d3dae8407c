//! The reference rollup on the devnet: generated transfers are sequenced, committed on L1,
//! re-executed by every operator and certified, then proven by the operators drawn for each
//! batch with Groth16 proofs the proof center verifies on L1; the certified and proven roots
//! are the roots an independent re-execution of the served batch data gives.

use alloy::primitives::B256;
use rampart_chain::provider::{connect, read};
use rampart_contracts::attestation_center::RampartAttestationCenter as Center;
use rampart_contracts::proof_center::RampartProofCenter;
use rampart_devnet::{
    Network, NetworkConfig, ProvingConfig, ReferenceRollupConfig, Services, ServicesConfig,
};
use rampart_reference_rollup::field::to_b256;
use rampart_reference_rollup::{Genesis, State};
use rampart_sequencer::client::Client;
use std::collections::BTreeMap;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reference_rollup_batches_are_certified_then_proven() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("devnet");
    let config =
        NetworkConfig { operators: 3, data_dir: data_dir.clone(), port: 0, ..Default::default() };
    let network = Network::start(&config, &mut |_| {}).await.unwrap();
    let services_config = ServicesConfig {
        batch_interval: Duration::from_millis(400),
        base_port: None,
        batches: Some(1),
        reference: Some(ReferenceRollupConfig {
            max_batch_txs: 3,
            batch_interval: Duration::from_millis(400),
            tx_rate: 4.0,
            proving: Some(ProvingConfig {
                // Set up once per build directory, reused by later runs.
                key_dir: Some(std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("keys")),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut services = Services::start(&network, &data_dir, &services_config, tx).await.unwrap();
    let rollup = services.reference_rollup_id.expect("reference rollup runs");
    let mut proofs_rx = services.take_proofs().expect("proof feed");

    let mut certified = BTreeMap::new();
    while certified.len() < 4 {
        let c = tokio::time::timeout(Duration::from_secs(90), rx.recv())
            .await
            .expect("certificates keep landing")
            .expect("watcher running");
        if c.rollup_id == rollup {
            assert!(certified.insert(c.batch_index, c.state_root).is_none(), "certified once");
        }
    }

    // Then the first batches are proven on L1, each by a member of the set.
    let mut proven = BTreeMap::new();
    while proven.len() < 4 {
        let p = tokio::time::timeout(Duration::from_secs(180), proofs_rx.recv())
            .await
            .expect("proofs keep landing")
            .expect("watcher running");
        assert_eq!(p.rollup_id, rollup);
        assert!(
            network.operators.iter().any(|o| o.address == p.prover),
            "proven by a set member: {p:?}"
        );
        assert!(proven.insert(p.batch_index, p.state_root).is_none(), "proven once");
    }
    assert_eq!(proven.keys().copied().collect::<Vec<_>>(), [0, 1, 2, 3], "proven in order");

    // Re-execute the served batches independently, checking each against L1's commitment.
    let sequencer = Client::new(services.sequencer_url.as_deref().unwrap());
    let genesis: Genesis = serde_json::from_slice(
        &std::fs::read(data_dir.join("rollup").join("genesis.json")).unwrap(),
    )
    .unwrap();
    let mut state = State::new(&genesis);
    let l1 = connect(&network.rpc_url(), None).unwrap();
    let center = Center::new(network.deployment.rampart.attestation_center, l1.clone());
    let proofs = RampartProofCenter::new(network.deployment.rampart.proof_center, l1);
    let last = (*certified.keys().last().unwrap()).max(3);
    let mut transfers = 0;
    for index in 0..=last {
        let data = sequencer.batch(index).await.unwrap().expect("served");
        let committed = read("commitment", center.batchCommitment(rollup, index)).await.unwrap();
        assert_eq!(to_b256(&data.batch.commitment()), committed, "batch {index} matches L1");
        assert!(!data.batch.transfers.is_empty() && data.batch.transfers.len() <= 3);
        transfers += data.batch.transfers.len();
        state.apply_batch(&data.batch).unwrap();
        if let Some(root) = proven.get(&index) {
            assert_eq!(*root, to_b256(&state.root()), "proven root of batch {index}");
            let on_l1 = read("proven root", proofs.provenRoot(rollup, index)).await.unwrap();
            assert_eq!(on_l1, *root);
        }
        if let Some(root) = certified.get(&index) {
            assert_eq!(*root, to_b256(&state.root()), "certified root of batch {index}");
            let stored =
                read("certificate", center.certificateCommitment(rollup, index)).await.unwrap();
            assert_ne!(stored, B256::ZERO);
        }
    }
    assert!(transfers >= 4, "the generator's transfers went through ({transfers})");
    // Supply is conserved across everything that was sequenced.
    let supply: u64 =
        (0..genesis.accounts.len() as u32).map(|i| state.account(i).unwrap().balance).sum();
    assert_eq!(supply, genesis.accounts.values().map(|a| a.balance).sum::<u64>());
    services.shutdown().await.unwrap();
    drop(network);
}
