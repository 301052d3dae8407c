//! The whole devnet: operators onboarded through the real EigenLayer core, stake updates, and
//! an equivocation slash through AllocationManager.

use alloy::primitives::{B256, U256};
use alloy::providers::Provider;
use alloy::sol;
use alloy_signer_local::PrivateKeySigner;
use rampart_chain::provider::{connect, read, send};
use rampart_contracts::attestation_center::RampartAttestationCenter;
use rampart_contracts::{RampartOperatorRegistry, RampartSlasher};
use rampart_devnet::{Network, NetworkConfig};
use rampart_primitives::{Checkpoint, Domain, RollupId};

sol! {
    #[sol(rpc)]
    interface IAllocatedStake {
        struct OperatorSet { address avs; uint32 id; }
        function getAllocatedStake(OperatorSet memory operatorSet, address[] memory operators, address[] memory strategies) external view returns (uint256[][] memory);
    }
    #[sol(rpc)]
    interface IStaking {
        function mint(address to, uint256 amount) external;
        function approve(address spender, uint256 amount) external returns (bool);
        function depositIntoStrategy(address strategy, address token, uint256 amount) external returns (uint256);
    }
}

async fn start(dir: &std::path::Path, operators: u32) -> Network {
    let config =
        NetworkConfig { operators, data_dir: dir.to_path_buf(), port: 0, ..Default::default() };
    Network::start(&config, &mut |_| {}).await.unwrap()
}

fn operator_key(network: &Network, index: usize) -> rampart_crypto::SecretKey {
    let dir = network.operators[index].config.parent().unwrap().to_path_buf();
    let keystore = rampart_keystore::Keystore::from_file(&dir.join("bls.json")).unwrap().unwrap();
    keystore.decrypt("rampart-devnet").unwrap()
}

/// A provider signing as the deployer, which owns governance.
fn deployer(network: &Network) -> alloy::providers::DynProvider {
    let signer = PrivateKeySigner::from_bytes(&network.deployer_key()).unwrap();
    connect(&network.rpc_url(), Some(signer)).unwrap()
}

#[tokio::test]
async fn stake_updates_after_a_deposit() {
    let dir = tempfile::tempdir().unwrap();
    let network = start(dir.path(), 1).await;
    let d = network.deployment.clone();
    let op = network.operators[0].address;
    let provider = deployer(&network);
    let registry = RampartOperatorRegistry::new(d.rampart.operator_registry, provider.clone());
    let before = read("stake", registry.weightedStake(op, d.operator_set_id)).await.unwrap();

    // The operator deposits 50 more test tokens. An operator is delegated to itself, so its
    // slashable stake grows; the registry sees it only after `updateStakes`.
    let op_dir = network.operators[0].config.parent().unwrap().to_path_buf();
    let signer =
        PrivateKeySigner::decrypt_keystore(op_dir.join("ecdsa.json"), "rampart-devnet").unwrap();
    let op_provider = connect(&network.rpc_url(), Some(signer)).unwrap();
    let token = IStaking::new(d.strategies[0].token, op_provider.clone());
    let extra = U256::from(50u64) * U256::from(10u64).pow(U256::from(18));
    send("mint", token.mint(op, extra)).await.unwrap();
    send("approve", token.approve(d.eigenlayer.strategy_manager, extra)).await.unwrap();
    let sm = IStaking::new(d.eigenlayer.strategy_manager, op_provider.clone());
    send("deposit", sm.depositIntoStrategy(d.strategies[0].address, d.strategies[0].token, extra))
        .await
        .unwrap();

    let stale = read(
        "stake",
        registry.stakeAt(d.operator_set_id, pubkey_hash(&network, 0), latest(&provider).await),
    )
    .await
    .unwrap();
    assert_eq!(
        U256::from(stale.stake),
        U256::from(before),
        "registry unchanged until updateStakes"
    );
    send("updateStakes", registry.updateStakes(vec![op])).await.unwrap();
    provider.raw_request::<_, ()>("anvil_mine".into(), (U256::from(1),)).await.unwrap();
    let now = read(
        "stake",
        registry.stakeAt(d.operator_set_id, pubkey_hash(&network, 0), latest(&provider).await),
    )
    .await
    .unwrap();
    assert_eq!(U256::from(now.stake), U256::from(before) + extra, "stake after updateStakes");
}

fn pubkey_hash(network: &Network, index: usize) -> B256 {
    operator_key(network, index).public_key().key_hash()
}

async fn latest(provider: &alloy::providers::DynProvider) -> u32 {
    (provider.get_block_number().await.unwrap() - 1) as u32
}

#[tokio::test]
async fn equivocation_is_slashed_through_allocation_manager_by_the_wad() {
    let dir = tempfile::tempdir().unwrap();
    let network = start(dir.path(), 2).await;
    let d = network.deployment.clone();
    let provider = deployer(&network);
    let center = RampartAttestationCenter::new(d.rampart.attestation_center, provider.clone());
    let wad = U256::from(25u64) * U256::from(10u64).pow(U256::from(16)); // 25%
    assert_eq!(network.register_rollup(6667, wad).await.unwrap(), 1);
    send("commit batch", center.commitBatch(1, 0, 10, B256::repeat_byte(7))).await.unwrap();

    let domain = Domain::new(d.chain_id, d.rampart.attestation_center);
    let a = Checkpoint {
        rollup_id: RollupId(1),
        batch_index: 0,
        l2_block_number: 10,
        l2_block_hash: B256::repeat_byte(1),
        state_root: B256::repeat_byte(0xaa),
    };
    let b = Checkpoint { state_root: B256::repeat_byte(0xbb), ..a };
    let sk = operator_key(&network, 0);
    let g2 =
        |sig: rampart_crypto::Signature| rampart_contracts::slasher::BLS12381::G2Point::from(&sig);
    let cp = |c: &Checkpoint| rampart_contracts::slasher::RampartSlasher::Checkpoint::from(c);

    let am = IAllocatedStake::new(d.eigenlayer.allocation_manager, provider.clone());
    let set =
        IAllocatedStake::OperatorSet { avs: d.rampart.service_manager, id: d.operator_set_id };
    let ops = vec![network.operators[0].address, network.operators[1].address];
    let before = am
        .getAllocatedStake(set.clone(), ops.clone(), vec![d.strategies[0].address])
        .call()
        .await
        .unwrap();

    let slasher = RampartSlasher::new(d.rampart.slasher, provider.clone());
    let receipt = send(
        "slash equivocation",
        slasher.slashEquivocation(
            network.operators[0].address,
            cp(&a),
            g2(sk.sign(&a.digest(&domain))),
            cp(&b),
            g2(sk.sign(&b.digest(&domain))),
        ),
    )
    .await
    .unwrap();
    eprintln!("slashEquivocation on the devnet: {} gas", receipt.gas_used);

    let after = am.getAllocatedStake(set, ops, vec![d.strategies[0].address]).call().await.unwrap();
    let expected = before[0][0] - before[0][0] * wad / U256::from(10u64).pow(U256::from(18));
    let diff = if after[0][0] > expected { after[0][0] - expected } else { expected - after[0][0] };
    assert!(
        diff <= U256::from(1000u64),
        "slashed by the wad: before {} after {} expected {expected}",
        before[0][0],
        after[0][0]
    );
    // Indexed [operator][strategy].
    assert_eq!(after[1][0], before[1][0], "the honest operator is untouched");
}
