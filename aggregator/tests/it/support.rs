//! A devnet with registered operators and a rollup, and helpers to run aggregators against it.

use alloy::primitives::{Address, B256, U256};
use alloy::providers::{DynProvider, Provider};
use alloy_signer_local::PrivateKeySigner;
use rampart_aggregator::config::Config;
use rampart_aggregator::service::{self, Aggregator};
use rampart_chain::provider::{connect, read, send};
use rampart_contracts::attestation_center::RampartAttestationCenter as Center;
use rampart_crypto::SecretKey;
use rampart_devnet::{Network, NetworkConfig};
use rampart_primitives::{Checkpoint, Domain, RollupId, SignedAttestation};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Threshold of the test rollup: two thirds.
pub const THRESHOLD_BPS: u16 = 6667;

/// anvil + EigenLayer + Rampart, `n` operators, one rollup (the deployer is its batcher).
pub struct Harness {
    pub net: Network,
    pub dir: tempfile::TempDir,
    pub keys: Vec<SecretKey>,
    pub rollup: u64,
    pub domain: Domain,
    /// Signs as the deployer (governance and batcher).
    pub deployer: DynProvider,
}

impl Harness {
    pub async fn start(operators: u32) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = NetworkConfig {
            operators,
            data_dir: dir.path().join("devnet"),
            port: 0,
            ..Default::default()
        };
        let net = Network::start(&config, &mut |_| {}).await.unwrap();
        let keys = net
            .operators
            .iter()
            .map(|op| {
                let dir = op.config.parent().unwrap();
                let ks =
                    rampart_keystore::Keystore::from_file(&dir.join("bls.json")).unwrap().unwrap();
                ks.decrypt("rampart-devnet").unwrap()
            })
            .collect();
        let rollup = net
            .register_rollup(THRESHOLD_BPS, U256::from(10u64).pow(U256::from(16)))
            .await
            .unwrap();
        let signer = PrivateKeySigner::from_bytes(&net.deployer_key()).unwrap();
        let deployer = connect(&net.rpc_url(), Some(signer)).unwrap();
        let d = &net.deployment;
        let domain = Domain::new(d.chain_id, d.rampart.attestation_center);
        Self { net, dir, keys, rollup, domain, deployer }
    }

    pub fn center(&self) -> Center::RampartAttestationCenterInstance<DynProvider> {
        Center::new(self.net.deployment.rampart.attestation_center, self.deployer.clone())
    }

    /// Commits batch `index` ending at L2 block `10 * index + 5`.
    pub async fn commit(&self, index: u64) -> Checkpoint {
        let l2_block_number = 10 * index + 5;
        let commitment = B256::repeat_byte(0xc0 ^ index as u8);
        send("commit", self.center().commitBatch(self.rollup, index, l2_block_number, commitment))
            .await
            .unwrap();
        Checkpoint {
            rollup_id: RollupId(self.rollup),
            batch_index: index,
            l2_block_number,
            l2_block_hash: B256::repeat_byte(0xb0 ^ index as u8),
            state_root: B256::repeat_byte(0x50 ^ index as u8),
        }
    }

    /// Operator `i`'s signed attestation of `checkpoint`.
    pub fn attest(&self, i: usize, checkpoint: &Checkpoint) -> SignedAttestation {
        SignedAttestation {
            operator: self.net.operators[i].address,
            checkpoint: *checkpoint,
            signature: self.keys[i].sign(&checkpoint.digest(&self.domain)),
        }
    }

    /// A funded submitter key file; returns its path and address.
    pub async fn submitter(&self, name: &str) -> (PathBuf, Address) {
        let signer = PrivateKeySigner::random();
        let path = self.dir.path().join(format!("{name}.key"));
        std::fs::write(&path, format!("0x{}\n", alloy::hex::encode(signer.to_bytes()))).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let wei = U256::from(100u64) * U256::from(10u64).pow(U256::from(18));
        self.deployer
            .raw_request::<_, serde_json::Value>("anvil_setBalance".into(), (signer.address(), wei))
            .await
            .unwrap();
        (path, signer.address())
    }

    /// An aggregator configuration (TOML text) on a free port with `database`.
    pub fn config_text(&self, key: &Path, database: &str, extra: &str) -> String {
        format!(
            "[chain]\nrpc_url = \"{}\"\ndeployment = \"{}\"\npoll_interval_ms = 50\n\n\
             [aggregator]\nlisten = \"127.0.0.1:0\"\ndatabase = \"{database}\"\n\
             ecdsa_key_file = \"{}\"\n{extra}",
            self.net.rpc_url(),
            self.net.deployment_file.display(),
            key.display()
        )
    }

    /// Starts an in-process aggregator.
    pub async fn aggregator(&self, name: &str, database: &str, extra: &str) -> Aggregator {
        let (key, _) = self.submitter(name).await;
        let path = self.dir.path().join(format!("{name}.toml"));
        std::fs::write(&path, self.config_text(&key, database, extra)).unwrap();
        service::start(Config::load(&path).unwrap()).await.unwrap()
    }

    /// Waits until the batch is certified on L1.
    pub async fn wait_certified(&self, batch: u64) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let c = read("cert", self.center().certificateCommitment(self.rollup, batch))
                .await
                .unwrap();
            if c != B256::ZERO {
                return;
            }
            assert!(Instant::now() < deadline, "batch {batch} was not certified in time");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// `submitCertificate` transactions for `batch` in every block so far (mined, reverted or
    /// not): the double-submission count.
    pub async fn certificate_transactions(&self, batch: u64) -> usize {
        use alloy::consensus::Transaction as _;
        use alloy::sol_types::SolCall;
        let head = self.deployer.get_block_number().await.unwrap();
        let center = self.net.deployment.rampart.attestation_center;
        let mut count = 0;
        for n in self.net.deployment.start_block..=head {
            let block = self.deployer.get_block_by_number(n.into()).full().await.unwrap().unwrap();
            for tx in block.transactions.txns() {
                if tx.to() != Some(center) {
                    continue;
                }
                if let Ok(call) = Center::submitCertificateCall::abi_decode(tx.input())
                    && call.checkpoint.batchIndex == batch
                    && call.checkpoint.rollupId == self.rollup
                {
                    count += 1;
                }
            }
        }
        count
    }
}

/// POSTs `body` to the aggregator; returns the status and the JSON answer.
pub async fn post(
    addr: std::net::SocketAddr,
    body: impl Into<reqwest::Body>,
    content_type: Option<&str>,
) -> (u16, serde_json::Value) {
    let client = reqwest::Client::new();
    let mut request = client.post(format!("http://{addr}/v1/attestations")).body(body);
    if let Some(ct) = content_type {
        request = request.header("content-type", ct);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let json = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("status {status}: not JSON: {text:?}"));
    (status, json)
}

/// POSTs a signed attestation.
pub async fn post_attestation(
    addr: std::net::SocketAddr,
    a: &SignedAttestation,
) -> (u16, serde_json::Value) {
    post(addr, serde_json::to_vec(a).unwrap(), Some("application/json")).await
}

/// GETs a path; returns status and JSON.
pub async fn get(addr: std::net::SocketAddr, path: &str) -> (u16, serde_json::Value) {
    let response = reqwest::get(format!("http://{addr}{path}")).await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)))
}

/// Polls `check` every 50 ms until it is true or 60 s pass.
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(60);
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
