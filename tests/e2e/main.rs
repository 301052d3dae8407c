//! The whole system on a local devnet: anvil L1 with real EigenLayer core v1.3.0 and Rampart,
//! four operators onboarded through EigenLayer, an EVM L2 (a second anvil) whose batcher commits
//! batches to L1, one operator daemon per operator re-deriving each batch from the L2, and the
//! aggregator certifying batches on L1 — exactly the `rampart devnet` wiring.

#![allow(missing_docs)]

mod dashboards;
mod reference_rollup;
mod slashing;

use alloy::primitives::B256;
use alloy::providers::Provider;
use rampart_chain::provider::{connect, read};
use rampart_contracts::attestation_center::RampartAttestationCenter as Center;
use rampart_devnet::{Network, NetworkConfig, Services, ServicesConfig};
use std::collections::HashSet;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn devnet_with_four_operators_certifies_batches_on_l1() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("devnet");
    let config =
        NetworkConfig { operators: 4, data_dir: data_dir.clone(), port: 0, ..Default::default() };
    let network = Network::start(&config, &mut |_| {}).await.unwrap();
    let services_config = ServicesConfig {
        batch_interval: Duration::from_millis(300),
        base_port: None,
        batches: Some(5),
        ..Default::default()
    };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let services = Services::start(&network, &data_dir, &services_config, tx).await.unwrap();

    let mut landed = Vec::new();
    while landed.len() < 5 {
        let c = tokio::time::timeout(Duration::from_secs(60), rx.recv())
            .await
            .expect("certificates keep landing")
            .expect("watcher running");
        landed.push(c);
    }

    let l1 = connect(&network.rpc_url(), None).unwrap();
    let l2 = connect(&services.l2_rpc_url(), None).unwrap();
    let center = Center::new(network.deployment.rampart.attestation_center, l1.clone());
    let client = reqwest::Client::new();
    let batches: HashSet<u64> = landed.iter().map(|c| c.batch_index).collect();
    assert_eq!(batches, (0..5).collect(), "each batch certified exactly once");
    for c in &landed {
        // On L1: the certificate is recorded and signed by at least the threshold.
        let stored =
            read("certificate", center.certificateCommitment(services.rollup_id, c.batch_index))
                .await
                .unwrap();
        assert_ne!(stored, B256::ZERO);
        assert!(
            c.signed_stake * alloy::primitives::U256::from(3u8)
                >= c.total_stake * alloy::primitives::U256::from(2u8)
        );
        // The certified root is the L2's own state root at the batch's last block.
        let status: serde_json::Value = client
            .get(format!(
                "{}/v1/rollups/{}/batches/{}",
                services.aggregator_url, services.rollup_id, c.batch_index
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let l2_block = status["committed"]["l2BlockNumber"].as_u64().unwrap();
        let block = l2.get_block_by_number(l2_block.into()).await.unwrap().unwrap();
        assert_eq!(c.state_root, block.header.state_root, "{status}");
        assert_eq!(status["status"], "certified", "{status}");
        assert_eq!(status["certificate"]["txHash"], serde_json::json!(c.tx_hash));
    }
    // Every daemon reports healthy through the EigenLayer node API.
    for api in &services.node_apis {
        let r = client.get(format!("{api}/eigen/node/health")).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "{api}");
    }
    // The Helm chart's dashboards query only metrics these processes export.
    let scrape = |url: String| {
        let client = client.clone();
        async move { client.get(url).send().await.unwrap().text().await.unwrap() }
    };
    dashboards::check("operator.json", &scrape(format!("{}/metrics", services.node_apis[0])).await);
    dashboards::check(
        "aggregator.json",
        &scrape(format!("{}/metrics", services.aggregator_url)).await,
    );
    services.shutdown().await.unwrap();
    drop(network);
}
