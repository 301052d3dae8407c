//! The HTTP API over a real listener: intake, batch data, and bad input as 4xx.

use proptest::prelude::*;
use rampart_reference_rollup::{Genesis, Transfer};
use rampart_sequencer::client::{Client, ClientError};
use rampart_sequencer::store::BatchStore;
use rampart_sequencer::{Core, api};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SEED: &str = "api";

async fn serve(dir: &std::path::Path) -> (String, Arc<Mutex<Core>>) {
    let genesis = Genesis::devnet(5, 4, 4, 100, SEED);
    let core =
        Arc::new(Mutex::new(Core::open(genesis, BatchStore::open(dir).unwrap(), 100).unwrap()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = api::router(core.clone(), 4096);
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{addr}"), core)
}

fn tx(from: u32, to: u32, amount: u64, nonce: u64) -> rampart_reference_rollup::SignedTransfer {
    Transfer { from, to, amount, nonce }.sign(&Genesis::devnet_key(SEED, from), 5)
}

#[tokio::test]
async fn transfers_are_queued_batched_and_served() {
    let dir = tempfile::tempdir().unwrap();
    let (url, core) = serve(dir.path()).await;
    let client = Client::new(&url);
    client.submit(&tx(0, 1, 10, 0)).await.unwrap();
    assert_eq!(client.account(0).await.unwrap().unwrap().nonce, 1, "pending nonce");
    assert!(client.batch(0).await.unwrap().is_none());
    core.lock().unwrap().seal_if_due(1, Duration::ZERO).unwrap().unwrap();
    let data = client.batch(0).await.unwrap().unwrap();
    assert_eq!(data.batch.transfers, vec![tx(0, 1, 10, 0)]);
    assert_eq!(data.commitment, rampart_sequencer::commitment_word(&data.batch));
    assert!(!data.committed_on_l1);
    assert!(client.account(99).await.unwrap().is_none());
}

#[tokio::test]
async fn bad_input_is_a_4xx_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let (url, _core) = serve(dir.path()).await;
    let http = reqwest::Client::new();
    let post = |body: Vec<u8>| {
        http.post(format!("{url}/v1/transactions"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let cases: Vec<(Vec<u8>, u16, &str)> = vec![
        (b"{".to_vec(), 400, "malformed"),
        (vec![b' '; 10_000], 413, "body"),
        (serde_json::to_vec(&tx(0, 1, 1000, 0)).unwrap(), 422, "invalid_transaction"),
        (serde_json::to_vec(&tx(0, 1, 10, 3)).unwrap(), 422, "invalid_transaction"),
        (serde_json::to_vec(&tx(0, 0, 10, 0)).unwrap(), 422, "invalid_transaction"),
    ];
    for (body, status, code) in cases {
        let response = post(body).await.unwrap();
        assert_eq!(response.status().as_u16(), status);
        let json: serde_json::Value = response.json().await.unwrap();
        assert_eq!(json["code"], code, "{json}");
        assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // A signature point off the curve.
    let mut json = serde_json::to_value(tx(0, 1, 10, 0)).unwrap();
    json["signature"]["r_y"] = serde_json::Value::String(format!("0x{}", "11".repeat(32)));
    let response = post(serde_json::to_vec(&json).unwrap()).await.unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let client = Client::new(&url);
    assert!(matches!(
        client.submit(&tx(1, 2, 500, 0)).await,
        Err(ClientError::Refused { status: 422, .. })
    ));
    let response = http.get(format!("{url}/v1/batches/nope")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 400);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Arbitrary bodies never panic the parser and never get queued.
    #[test]
    fn arbitrary_bodies_are_refused(body in proptest::collection::vec(any::<u8>(), 0..600)) {
        let parsed = serde_json::from_slice::<rampart_reference_rollup::SignedTransfer>(&body);
        prop_assert!(parsed.is_err());
    }
}
