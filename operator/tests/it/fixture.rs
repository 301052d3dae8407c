//! A devnet (anvil + EigenLayer core v1.3.0 + Rampart) and operators with key files and a
//! configuration, as a real operator would have them.

use alloy::primitives::{Address, U256};
use alloy::providers::{DynProvider, Provider};
use alloy_signer_local::PrivateKeySigner;
use rampart_chain::Deployment;
use rampart_chain::anvil::{Anvil, AnvilOptions};
use rampart_chain::provider::connect;
use rampart_crypto::SecretKey;
use rampart_devnet::{DeployConfig, deploy};
use rampart_keystore::{Kdf, Keystore};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// 1e18.
pub(crate) fn wad() -> U256 {
    U256::from(10u64).pow(U256::from(18))
}

/// A running devnet; the deployment file lies in `dir`.
pub(crate) struct Devnet {
    pub(crate) anvil: Anvil,
    pub(crate) dir: tempfile::TempDir,
    pub(crate) deployment: Deployment,
    /// Connected as anvil's first dev account (the deployer).
    pub(crate) provider: DynProvider,
}

/// How to set up one operator.
pub(crate) struct OperatorSpec {
    /// A geth keystore instead of a key file.
    pub(crate) ecdsa_keystore: bool,
    /// Use this BLS key instead of a fresh one.
    pub(crate) bls: Option<SecretKey>,
    /// `[devnet]` section: (stake, mine_blocks).
    pub(crate) devnet: Option<(U256, bool)>,
    /// `operator.allocation_delay`.
    pub(crate) allocation_delay: u32,
    /// Give the operator 10 ETH.
    pub(crate) fund: bool,
}

impl Default for OperatorSpec {
    fn default() -> Self {
        Self {
            ecdsa_keystore: false,
            bls: None,
            devnet: Some((U256::from(100u64) * wad(), true)),
            allocation_delay: 0,
            fund: true,
        }
    }
}

/// An operator's files.
pub(crate) struct Operator {
    pub(crate) config: PathBuf,
    pub(crate) address: Address,
    pub(crate) bls: SecretKey,
}

impl Devnet {
    /// Starts anvil and deploys everything.
    pub(crate) async fn start() -> Self {
        let anvil = Anvil::spawn(&AnvilOptions::default()).unwrap();
        let signer = PrivateKeySigner::from_bytes(&anvil.keys()[0]).unwrap();
        let deployer = signer.address();
        let provider = connect(&anvil.endpoint(), Some(signer)).unwrap();
        let deployed = deploy(&provider, deployer, &DeployConfig::default()).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        deployed.deployment.save(&dir.path().join("deployment.json")).unwrap();
        Self { anvil, dir, deployment: deployed.deployment, provider }
    }

    /// Creates an operator's keys and configuration in `dir/<name>/`.
    pub(crate) async fn operator(&self, name: &str, spec: OperatorSpec) -> Operator {
        let dir = self.dir.path().join(name);
        std::fs::create_dir_all(dir.join("keys")).unwrap();
        let bls = spec.bls.unwrap_or_else(|| SecretKey::random().unwrap());
        let keystore = Keystore::encrypt(&bls, "bls password", Kdf::Pbkdf2, "").unwrap();
        write_private(&dir.join("keys/bls.json"), &keystore.to_json());
        write_private(&dir.join("keys/bls.pass"), "bls password\n");

        let (address, ecdsa_lines) = if spec.ecdsa_keystore {
            let mut rng = alloy::signers::k256::elliptic_curve::rand_core::OsRng;
            let (signer, _) = PrivateKeySigner::new_keystore(
                dir.join("keys"),
                &mut rng,
                "ecdsa password",
                Some("ecdsa.json"),
            )
            .unwrap();
            write_private(&dir.join("keys/ecdsa.pass"), "ecdsa password\n");
            let lines = "ecdsa_keystore = \"keys/ecdsa.json\"\n\
                         ecdsa_password_file = \"keys/ecdsa.pass\"\n";
            (signer.address(), lines)
        } else {
            let signer = PrivateKeySigner::random();
            let hex = alloy::hex::encode(signer.to_bytes());
            write_private(&dir.join("keys/ecdsa.key"), &format!("0x{hex}\n"));
            (signer.address(), "ecdsa_key_file = \"keys/ecdsa.key\"\n")
        };
        if spec.fund {
            self.set_balance(address, U256::from(10u64) * wad()).await;
        }

        let mut config = format!(
            "[chain]\nrpc_url = \"{}\"\ndeployment = \"../deployment.json\"\n\n[operator]\n\
             {ecdsa_lines}bls_keystore = \"keys/bls.json\"\nbls_password_file = \"keys/bls.pass\"\n\
             socket = \"{name}.invalid:9100\"\nmetadata_uri = \"https://example.invalid/{name}.json\"\n\
             allocation_delay = {}\n",
            self.anvil.endpoint(),
            spec.allocation_delay,
        );
        if let Some((stake, mine)) = spec.devnet {
            config.push_str(&format!("\n[devnet]\nstake = \"{stake}\"\nmine_blocks = {mine}\n"));
        }
        let path = dir.join("operator.toml");
        std::fs::write(&path, config).unwrap();
        Operator { config: path, address, bls }
    }

    pub(crate) async fn set_balance(&self, address: Address, wei: U256) {
        self.provider
            .raw_request::<_, serde_json::Value>("anvil_setBalance".into(), (address, wei))
            .await
            .unwrap();
    }

    pub(crate) async fn mine(&self, blocks: u64) {
        self.provider
            .raw_request::<_, serde_json::Value>("anvil_mine".into(), (U256::from(blocks),))
            .await
            .unwrap();
    }

    pub(crate) async fn block(&self) -> u64 {
        self.provider.get_block_number().await.unwrap()
    }
}

fn write_private(path: &Path, contents: &str) {
    std::fs::write(path, contents).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}
