//! The deployer against a real anvil: EigenLayer core v1.3.0 from the committed bytecode and
//! Rampart, wired as the protocol needs; and the whole devnet (`network`).

mod network;

use alloy::primitives::Address;
use alloy::providers::Provider;
use alloy::sol;
use alloy_signer_local::PrivateKeySigner;
use rampart_chain::anvil::{Anvil, AnvilOptions};
use rampart_chain::provider::connect;
use rampart_contracts::{
    RampartAttestationCenter, RampartOperatorRegistry, RampartProofCenter, RampartServiceManager,
};
use rampart_devnet::{DeployConfig, deploy};

sol! {
    #[sol(rpc)]
    interface IAllocationManagerReads {
        function getAVSRegistrar(address avs) external view returns (address);
        function version() external view returns (string memory);
    }
}

#[tokio::test]
async fn deploys_eigenlayer_and_rampart_wired() {
    let anvil = Anvil::spawn(&AnvilOptions::default()).unwrap();
    let signer = PrivateKeySigner::from_bytes(&anvil.keys()[0]).unwrap();
    let deployer = signer.address();
    let provider = connect(&anvil.endpoint(), Some(signer)).unwrap();

    let started = std::time::Instant::now();
    let deployed = deploy(&provider, deployer, &DeployConfig::default()).await.unwrap();
    let elapsed = started.elapsed();
    eprintln!(
        "deployment: {} transactions, {} gas, {:.0} ms",
        deployed.transactions,
        deployed.gas_used,
        elapsed.as_secs_f64() * 1e3
    );
    let d = &deployed.deployment;
    assert_eq!(d.chain_id, 31337);
    assert!(provider.get_block_number().await.unwrap() > 5, "past the first slashable block");

    let am = IAllocationManagerReads::new(d.eigenlayer.allocation_manager, provider.clone());
    assert_eq!(am.version().call().await.unwrap(), "v1.3.0");
    assert_eq!(
        am.getAVSRegistrar(d.rampart.service_manager).call().await.unwrap(),
        d.rampart.operator_registry
    );

    let registry = RampartOperatorRegistry::new(d.rampart.operator_registry, provider.clone());
    assert!(registry.supportsAVS(d.rampart.service_manager).call().await.unwrap());
    let config = registry.operatorSetConfig(1).call().await.unwrap();
    assert_eq!(config.strategies, vec![d.strategies[0].address]);
    assert_eq!(registry.owner().call().await.unwrap(), deployer);

    let center = RampartAttestationCenter::new(d.rampart.attestation_center, provider.clone());
    assert_eq!(center.registry().call().await.unwrap(), d.rampart.operator_registry);
    let proofs = RampartProofCenter::new(d.rampart.proof_center, provider.clone());
    assert_eq!(proofs.center().call().await.unwrap(), d.rampart.attestation_center);
    assert_eq!(proofs.registry().call().await.unwrap(), d.rampart.operator_registry);
    let service = RampartServiceManager::new(d.rampart.service_manager, provider.clone());
    assert_eq!(service.slasher().call().await.unwrap(), d.rampart.slasher);
    assert_ne!(d.strategies[0].token, Address::ZERO);

    // The deployment file round-trips.
    let dir = std::env::temp_dir().join(format!("rampart-deploy-{}", std::process::id()));
    let path = dir.join("deployment.json");
    d.save(&path).unwrap();
    assert_eq!(&rampart_chain::Deployment::load(&path).unwrap(), d);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn deploys_only_rampart_on_an_existing_eigenlayer() {
    let anvil = Anvil::spawn(&AnvilOptions::default()).unwrap();
    let signer = PrivateKeySigner::from_bytes(&anvil.keys()[0]).unwrap();
    let deployer = signer.address();
    let provider = connect(&anvil.endpoint(), Some(signer)).unwrap();
    let first = deploy(&provider, deployer, &DeployConfig::default()).await.unwrap();

    let existing = (first.deployment.eigenlayer, first.deployment.strategies.clone());
    let config = DeployConfig {
        existing_eigenlayer: Some(existing),
        operator_set_id: 7,
        ..Default::default()
    };
    let second = deploy(&provider, deployer, &config).await.unwrap();
    assert_eq!(second.deployment.eigenlayer, first.deployment.eigenlayer, "core reused");
    assert_ne!(second.deployment.rampart.service_manager, first.deployment.rampart.service_manager);
    let proofs = RampartProofCenter::new(second.deployment.rampart.proof_center, provider.clone());
    assert_eq!(
        proofs.center().call().await.unwrap(),
        second.deployment.rampart.attestation_center,
        "the new proof center reads the new attestation center"
    );
    assert!(second.transactions < 15, "only Rampart deployed: {} txs", second.transactions);
}
