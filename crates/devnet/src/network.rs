//! `rampart devnet`: a complete local network in one process.
//!
//! anvil (from the pinned toolchain) → the full deployment ([`crate::deploy`]) → N operators,
//! each with an ECDSA keystore (geth v3), a BLS keystore (EIP-2335) and an operator config in
//! the data directory, funded, staked with test tokens and onboarded through EigenLayer exactly
//! as `rampart operator register` does. Keys persist in the data directory, so operators keep
//! their identities across runs; the chain itself is fresh each time. Dropping the [`Network`]
//! stops anvil (its process group) — nothing is left running.

use crate::{DeployConfig, Error, Result, deploy};
use alloy::primitives::{Address, U256};
use alloy::providers::{DynProvider, Provider};
use alloy_signer_local::PrivateKeySigner;
use rampart_chain::Deployment;
use rampart_chain::anvil::{Anvil, AnvilOptions};
use rampart_chain::provider::{connect, rpc_error, send};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Test ETH given to each operator for gas.
const OPERATOR_ETH: u128 = 100_000_000_000_000_000_000;
/// Password of every devnet keystore (it is a devnet).
const DEVNET_PASSWORD: &str = "rampart-devnet";

/// What to run.
#[derive(Debug, Clone)]
pub struct NetworkConfig {
    /// Number of operators.
    pub operators: u32,
    /// Where keys, configs and the deployment file live.
    pub data_dir: PathBuf,
    /// anvil's port (0: any free port).
    pub port: u16,
    /// Each operator's self-stake, in test-token wei.
    pub stake: U256,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        Self {
            operators: 4,
            data_dir: PathBuf::from(".devnet"),
            port: 8545,
            stake: U256::from(100u64) * U256::from(10u64).pow(U256::from(18)),
        }
    }
}

/// Progress of [`Network::start`], for the CLI to show.
#[derive(Debug, Clone)]
pub enum Progress {
    /// A step began.
    Step {
        /// 1-based step number.
        index: usize,
        /// Number of steps.
        total: usize,
        /// What it does.
        label: String,
    },
    /// The current step finished.
    Done {
        /// How long it took.
        elapsed: Duration,
        /// A short result.
        detail: String,
    },
}

/// One onboarded operator.
#[derive(Debug, Clone)]
pub struct OperatorSummary {
    /// Its EigenLayer (ECDSA) address.
    pub address: Address,
    /// Its BLS public key (compressed, 0x-hex).
    pub pubkey: String,
    /// Its counted stake in the Rampart operator set.
    pub stake: U256,
    /// Its config file (usable with `rampart operator status --config`).
    pub config: PathBuf,
}

/// A running devnet. Dropping it stops everything.
#[derive(Debug)]
pub struct Network {
    anvil: Anvil,
    /// Where everything is.
    pub deployment: Deployment,
    /// The deployment file.
    pub deployment_file: PathBuf,
    /// The operators, in order.
    pub operators: Vec<OperatorSummary>,
    /// Gas of the whole deployment.
    pub deployment_gas: u64,
    /// Time from start to ready.
    pub startup: Duration,
}

const STEPS: usize = 4;

impl Network {
    /// Starts anvil, deploys, creates and onboards the operators. `progress` sees each step.
    pub async fn start(config: &NetworkConfig, progress: &mut dyn FnMut(Progress)) -> Result<Self> {
        let started = Instant::now();
        let data_dir = &config.data_dir;
        create_dir(data_dir)?;

        let mut step =
            Timer::begin(progress, 1, format!("starting anvil on 127.0.0.1:{}", config.port));
        let anvil =
            Anvil::spawn(&AnvilOptions { port: config.port, accounts: 1, ..Default::default() })?;
        step.done(progress, anvil.endpoint());

        let mut step =
            Timer::begin(progress, 2, "deploying EigenLayer core v1.3.0 and Rampart".into());
        let deployer = PrivateKeySigner::from_bytes(&anvil.keys()[0])
            .map_err(|e| Error::Deploy("deployer key", e.to_string()))?;
        let deployer_address = deployer.address();
        let provider = connect(&anvil.endpoint(), Some(deployer))?;
        let deployed = deploy(&provider, deployer_address, &DeployConfig::default()).await?;
        let deployment_file = data_dir.join("deployment.json");
        deployed.deployment.save(&deployment_file)?;
        step.done(
            progress,
            format!("{} transactions, {} gas", deployed.transactions, deployed.gas_used),
        );

        let mut step =
            Timer::begin(progress, 3, format!("creating {} operators' keys", config.operators));
        let mut configs = Vec::new();
        for index in 0..config.operators {
            configs.push(prepare_operator(data_dir, index, &anvil.endpoint(), config.stake)?);
        }
        step.done(progress, format!("in {}", data_dir.join("operators").display()));

        let mut step =
            Timer::begin(progress, 4, "funding, staking and registering operators".into());
        for (_, address, _) in &configs {
            fund(&provider, *address).await?;
        }
        let mut tasks = tokio::task::JoinSet::new();
        for (index, (path, _, _)) in configs.iter().enumerate() {
            let path = path.clone();
            tasks.spawn(async move {
                let result = async {
                    let config = rampart_operator::config::Config::load(&path)?;
                    rampart_operator::onboarding::register(&config).await
                }
                .await;
                (index as u32, result)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let (index, result) =
                joined.map_err(|e| Error::Deploy("operator task", e.to_string()))?;
            result.map_err(|source| Error::Operator { index, source })?;
        }
        let operators = summarize(&provider, &deployed.deployment, &configs).await?;
        step.done(progress, format!("{} registered", operators.len()));

        Ok(Self {
            anvil,
            deployment: deployed.deployment,
            deployment_file,
            operators,
            deployment_gas: deployed.gas_used,
            startup: started.elapsed(),
        })
    }

    /// The L1 JSON-RPC endpoint.
    pub fn rpc_url(&self) -> String {
        self.anvil.endpoint()
    }

    /// Registers a rollup served by the Rampart operator set, with the deployer (governance) as
    /// its owner and batcher; returns its id. `threshold_bps` is the share of stake that must
    /// sign, `equivocation_wad` the share of an equivocator's stake slashed.
    pub async fn register_rollup(&self, threshold_bps: u16, equivocation_wad: U256) -> Result<u64> {
        let signer = PrivateKeySigner::from_bytes(&self.deployer_key())
            .map_err(|e| Error::Deploy("deployer key", e.to_string()))?;
        let me = signer.address();
        let provider = connect(&self.rpc_url(), Some(signer))?;
        let center = rampart_contracts::attestation_center::RampartAttestationCenter::new(
            self.deployment.rampart.attestation_center,
            provider,
        );
        let params =
            rampart_contracts::attestation_center::RampartAttestationCenter::RollupParams {
                owner: me,
                batcher: me,
                operatorSetId: self.deployment.operator_set_id,
                thresholdBps: threshold_bps,
                equivocationWad: equivocation_wad,
            };
        send("register rollup", center.registerRollup(params)).await?;
        Ok(rampart_chain::provider::read("rollup count", center.rollupCount()).await?)
    }

    /// The operator's allocated magnitude (WAD: 1e18 is all of its stake) to the Rampart set,
    /// per strategy of the set, as EigenLayer's AllocationManager reports it: each slash takes
    /// its share of it.
    pub async fn allocated_magnitudes(&self, operator: Address) -> Result<Vec<(Address, u64)>> {
        use rampart_contracts::allocation_manager::{IAllocationManager, OperatorSet};
        let provider = connect(&self.rpc_url(), None)?;
        let am = IAllocationManager::new(self.deployment.eigenlayer.allocation_manager, &provider);
        let set = OperatorSet {
            avs: self.deployment.rampart.service_manager,
            id: self.deployment.operator_set_id,
        };
        use rampart_chain::provider::read;
        let strategies =
            read("strategies of the set", am.getStrategiesInOperatorSet(set.clone())).await?;
        let mut out = Vec::new();
        for strategy in strategies {
            let allocation =
                read("allocation", am.getAllocation(operator, set.clone(), strategy)).await?;
            out.push((strategy, allocation.currentMagnitude));
        }
        Ok(out)
    }

    /// The deployer's private key (anvil's first dev account), which owns governance of every
    /// contract on the devnet.
    pub fn deployer_key(&self) -> alloy::primitives::B256 {
        self.anvil.keys()[0]
    }

    /// anvil's process id (for checks that nothing outlives the devnet).
    pub fn anvil_pid(&self) -> u32 {
        self.anvil.pid()
    }
}

/// Times one progress step.
struct Timer {
    started: Instant,
}

impl Timer {
    fn begin(progress: &mut dyn FnMut(Progress), index: usize, label: String) -> Self {
        progress(Progress::Step { index, total: STEPS, label });
        Self { started: Instant::now() }
    }

    fn done(&mut self, progress: &mut dyn FnMut(Progress), detail: String) {
        progress(Progress::Done { elapsed: self.started.elapsed(), detail });
    }
}

fn create_dir(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path)
        .map_err(|e| Error::DataDir { path: path.display().to_string(), message: e.to_string() })
}

/// Writes a file readable by its owner only (keys and passwords live here).
pub(crate) fn write_private(path: &Path, contents: &[u8]) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let fail = |e: std::io::Error| Error::DataDir {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(fail)?;
    file.write_all(contents).map_err(fail)
}

/// Creates (or reuses) operator `index`'s keys and config; returns (config path, ECDSA address,
/// BLS public key).
fn prepare_operator(
    data_dir: &Path,
    index: u32,
    rpc_url: &str,
    stake: U256,
) -> Result<(PathBuf, Address, String)> {
    let dir = data_dir.join("operators").join(format!("operator-{index}"));
    create_dir(&dir)?;
    for name in ["ecdsa.pass", "bls.pass"] {
        write_private(&dir.join(name), DEVNET_PASSWORD.as_bytes())?;
    }

    let ecdsa_path = dir.join("ecdsa.json");
    let signer = if ecdsa_path.exists() {
        PrivateKeySigner::decrypt_keystore(&ecdsa_path, DEVNET_PASSWORD).map_err(|e| {
            Error::DataDir { path: ecdsa_path.display().to_string(), message: e.to_string() }
        })?
    } else {
        let (signer, _) = PrivateKeySigner::new_keystore(
            &dir,
            &mut rand08::rngs::OsRng,
            DEVNET_PASSWORD,
            Some("ecdsa.json"),
        )
        .map_err(|e| Error::DataDir {
            path: ecdsa_path.display().to_string(),
            message: e.to_string(),
        })?;
        signer
    };

    let bls_path = dir.join("bls.json");
    let pubkey = if bls_path.exists() {
        let keystore = rampart_keystore::Keystore::from_file(&bls_path)
            .and_then(|r| r.map_err(std::io::Error::other))
            .map_err(|e| Error::DataDir {
                path: bls_path.display().to_string(),
                message: e.to_string(),
            })?;
        keystore
            .decrypt(DEVNET_PASSWORD)
            .map_err(|e| Error::DataDir {
                path: bls_path.display().to_string(),
                message: e.to_string(),
            })?
            .public_key()
    } else {
        let sk = rampart_crypto::SecretKey::random().map_err(|e| Error::DataDir {
            path: bls_path.display().to_string(),
            message: e.to_string(),
        })?;
        let keystore = rampart_keystore::Keystore::encrypt(
            &sk,
            DEVNET_PASSWORD,
            rampart_keystore::Kdf::Pbkdf2,
            "",
        )
        .map_err(|e| Error::DataDir {
            path: bls_path.display().to_string(),
            message: e.to_string(),
        })?;
        write_private(&bls_path, keystore.to_json().as_bytes())?;
        sk.public_key()
    };

    let config = format!(
        r#"# Devnet operator {index}: generated by `rampart devnet` (keys are reused across runs).
[chain]
rpc_url = "{rpc_url}"
deployment = "../../deployment.json"

[operator]
ecdsa_keystore = "ecdsa.json"
ecdsa_password_file = "ecdsa.pass"
bls_keystore = "bls.json"
bls_password_file = "bls.pass"
socket = "127.0.0.1:{socket_port}"
metadata_uri = "https://rampart.invalid/devnet/operator-{index}.json"

[devnet]
stake = "{stake}"
mine_blocks = true
"#,
        socket_port = 9100 + index,
    );
    let path = dir.join("config.toml");
    write_private(&path, config.as_bytes())?;
    Ok((path, signer.address(), pubkey.to_string()))
}

/// Gives `address` test ETH for gas.
pub(crate) async fn fund(provider: &DynProvider, address: Address) -> Result<()> {
    provider
        .raw_request::<_, ()>("anvil_setBalance".into(), (address, U256::from(OPERATOR_ETH)))
        .await
        .map_err(|e| Error::Chain(rpc_error("anvil_setBalance", e)))
}

/// Reads each operator's counted stake from the registry.
async fn summarize(
    provider: &DynProvider,
    deployment: &Deployment,
    configs: &[(PathBuf, Address, String)],
) -> Result<Vec<OperatorSummary>> {
    let registry = rampart_contracts::RampartOperatorRegistry::new(
        deployment.rampart.operator_registry,
        provider.clone(),
    );
    let mut out = Vec::new();
    for (config, address, pubkey) in configs {
        let stake = rampart_chain::provider::read(
            "read stake",
            registry.weightedStake(*address, deployment.operator_set_id),
        )
        .await?;
        out.push(OperatorSummary {
            address: *address,
            pubkey: pubkey.clone(),
            stake: U256::from(stake),
            config: config.clone(),
        });
    }
    Ok(out)
}
