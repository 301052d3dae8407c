//! Operator onboarding against a real anvil running EigenLayer core v1.3.0 and Rampart, as
//! deployed by `rampart_devnet::deploy`.

mod daemon;
mod fixture;
mod proving;

use alloy::primitives::U256;
use fixture::{Devnet, OperatorSpec, wad};
use rampart_contracts::operator_registry::RampartOperatorRegistry;
use rampart_crypto::SecretKey;
use rampart_operator::config::FaultInjection;
use rampart_operator::{Config, Error, Outcome, deregister, register, status};
use std::os::unix::fs::PermissionsExt;
use std::time::Instant;

fn load(path: &std::path::Path) -> Config {
    Config::load(path).unwrap()
}

#[tokio::test]
async fn registers_end_to_end_idempotently_then_deregisters() {
    let net = Devnet::start().await;
    let op =
        net.operator("alice", OperatorSpec { ecdsa_keystore: true, ..Default::default() }).await;
    let config = load(&op.config);

    let started = Instant::now();
    let report = register(&config).await.unwrap();
    let elapsed = started.elapsed();
    eprintln!("{report}");
    eprintln!(
        "onboarding: {} transactions, {} gas, {:.0} ms",
        report.transactions().count(),
        report.gas_used(),
        elapsed.as_secs_f64() * 1e3
    );
    assert_eq!(report.operator, op.address);
    assert!(report.steps.iter().all(|s| s.outcome == Outcome::DoneNow), "{report}");
    let names: Vec<_> = report.steps.iter().map(|s| s.name).collect();
    assert_eq!(
        names,
        ["EigenLayer operator", "devnet self-stake", "allocation", "Rampart operator set"]
    );
    assert!(report.gas_used() > 0);

    // The registry holds the key, with stake, and the set's APK is this one key.
    let d = &net.deployment;
    let registry = RampartOperatorRegistry::new(d.rampart.operator_registry, &net.provider);
    let key = registry.operatorKey(op.address).call().await.unwrap();
    let pubkey = op.bls.public_key();
    assert_eq!(key.keyHash, pubkey.key_hash());
    assert_eq!(registry.operatorOfKey(key.keyHash).call().await.unwrap(), op.address);
    let stake = registry.weightedStake(op.address, d.operator_set_id).call().await.unwrap();
    assert_eq!(U256::from(stake), U256::from(100u64) * wad());
    net.mine(1).await;
    let block = u32::try_from(net.block().await).unwrap();
    let at = registry.stakeAt(d.operator_set_id, key.keyHash, block).call().await.unwrap();
    assert!(at.registered);
    assert_eq!(U256::from(at.stake), U256::from(100u64) * wad());
    let apk = registry.apkAt(d.operator_set_id, block).call().await.unwrap();
    let raw = pubkey.to_eip2537();
    let word = |i: usize| U256::from_be_slice(&raw[32 * i..32 * (i + 1)]);
    assert_eq!(
        [apk.apk.xA, apk.apk.xB, apk.apk.yA, apk.apk.yB],
        [word(0), word(1), word(2), word(3)]
    );
    assert_eq!(U256::from(apk.totalStake), U256::from(100u64) * wad());
    assert_eq!(registry.socketOf(op.address).call().await.unwrap(), "alice.invalid:9100");

    // Re-running changes nothing: no transaction, no new block.
    let before = net.block().await;
    let again = register(&config).await.unwrap();
    assert!(again.steps.iter().all(|s| s.outcome == Outcome::AlreadyDone), "{again}");
    assert_eq!(again.transactions().count(), 0);
    assert_eq!(net.block().await, before);

    // Status, as `--json` prints it. A world-readable password file is warned about.
    let pass = op.config.parent().unwrap().join("keys/ecdsa.pass");
    std::fs::set_permissions(&pass, std::fs::Permissions::from_mode(0o644)).unwrap();
    let s = status(&config).await.unwrap();
    eprintln!("{s}");
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["operator"], serde_json::json!(op.address));
    assert_eq!(json["eigenlayerOperator"], true);
    assert_eq!(json["member"], true);
    assert_eq!(json["keyMatches"], true);
    assert_eq!(json["allocationDelay"], 0);
    assert_eq!(json["operatorSetId"], d.operator_set_id);
    assert_eq!(json["chainId"], 31337);
    assert_eq!(json["blsPubkey"], pubkey.to_string());
    assert_eq!(json["registryPubkey"], pubkey.to_string());
    assert_eq!(json["stakeAtPreviousBlock"], (U256::from(100u64) * wad()).to_string());
    assert_eq!(json["registeredAtPreviousBlock"], true);
    assert_eq!(json["weightedStake"], (U256::from(100u64) * wad()).to_string());
    assert_eq!(json["socket"], "alice.invalid:9100");
    assert_eq!(
        json["allocations"][0]["currentMagnitude"],
        serde_json::json!(1_000_000_000_000_000_000u64)
    );
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(s.warnings[0].contains("ECDSA password file"), "{:?}", s.warnings);

    // Deregistration, idempotent too.
    let left = deregister(&config).await.unwrap();
    assert_eq!(left.steps[0].outcome, Outcome::DoneNow, "{left}");
    assert_eq!(left.transactions().count(), 1);
    let s = status(&config).await.unwrap();
    assert!(!s.member);
    assert!(s.key_matches, "the key stays registered to the operator");
    let before = net.block().await;
    let again = deregister(&config).await.unwrap();
    assert_eq!(again.steps[0].outcome, Outcome::AlreadyDone);
    assert_eq!(net.block().await, before);

    // Back in: EigenLayer keeps a leaving operator slashable for DEALLOCATION_DELAY blocks and
    // refuses it meanwhile. Without mining that is an error naming the block...
    let mut patient = config.clone();
    patient.devnet.as_mut().unwrap().mine_blocks = false;
    let err = register(&patient).await.unwrap_err();
    let Error::RecentlyDeregistered { slashable_until: Some(until), current } = err else {
        panic!("unexpected: {err}");
    };
    assert_eq!(until, left.transactions().next().unwrap().block + 5, "devnet delay is 5");
    assert!(
        err.to_string().contains(&format!("until block {until} (the chain is at block {current})"))
    );
    // ...with mining it goes through, and the registry takes the same key again.
    let back = register(&config).await.unwrap();
    let set_step = back.steps.last().unwrap();
    assert_eq!(set_step.outcome, Outcome::DoneNow, "{back}");
    assert!(status(&config).await.unwrap().member);
}

#[tokio::test]
async fn another_operators_key_is_refused_naming_its_owner() {
    let net = Devnet::start().await;
    let alice = net.operator("alice", OperatorSpec::default()).await;
    register(&load(&alice.config)).await.unwrap();
    let mallory = net
        .operator(
            "mallory",
            OperatorSpec {
                bls: Some(SecretKey::from_bytes(alice.bls.to_bytes().as_ref()).unwrap()),
                ..Default::default()
            },
        )
        .await;
    let err = register(&load(&mallory.config)).await.unwrap_err().to_string();
    assert!(err.contains(&format!("already registered by operator {}", alice.address)), "{err}");
}

#[tokio::test]
async fn stake_below_the_minimum_is_refused() {
    let net = Devnet::start().await;
    let spec = OperatorSpec { devnet: Some((wad() / U256::from(2), true)), ..Default::default() };
    let op = net.operator("small", spec).await;
    let err = register(&load(&op.config)).await.unwrap_err().to_string();
    assert!(err.contains("below the operator set's minimum"), "{err}");
    assert!(err.contains("registerForOperatorSets"), "{err}");
}

#[tokio::test]
async fn without_mining_it_stops_at_each_delay_with_the_block_to_wait_for() {
    let net = Devnet::start().await;
    let spec = OperatorSpec { devnet: None, allocation_delay: 3, ..Default::default() };
    let op = net.operator("patient", spec).await;
    let config = load(&op.config);

    // EigenLayer's allocation-configuration delay: registered as an operator, then stopped.
    let err = register(&config).await.unwrap_err();
    let Error::AllocationDelayPending { effect_block: Some(effect), current } = err else {
        panic!("unexpected: {err}");
    };
    assert!(effect > current);
    let message = err.to_string();
    assert!(message.contains("allocation delay not yet in effect"), "{message}");
    assert!(message.contains(&format!("block {effect}")), "{message}");
    let s = status(&config).await.unwrap();
    assert!(s.eigenlayer_operator && s.allocation_delay.is_none());

    // After that block: allocated, but the allocation itself takes 3 blocks.
    net.mine(effect - net.block().await).await;
    let err = register(&config).await.unwrap_err();
    let Error::AllocationPending { effect_block, .. } = err else { panic!("unexpected: {err}") };
    assert!(err.to_string().contains("re-run after that block"), "{err}");
    assert_eq!(status(&config).await.unwrap().allocation_delay, Some(3));

    // After it: registration is attempted; this operator has no stake, which the registry
    // refuses in a sentence.
    net.mine(effect_block - net.block().await).await;
    let err = register(&config).await.unwrap_err().to_string();
    assert!(err.contains("stake 0 is below the operator set's minimum"), "{err}");
    let s = status(&config).await.unwrap();
    assert_eq!(s.allocations[0].current_magnitude, 1_000_000_000_000_000_000);
    assert_eq!(s.allocations[0].pending_diff, 0);
}

#[tokio::test]
async fn refuses_wrong_chain_unfunded_operator_and_plaintext_keys() {
    let net = Devnet::start().await;

    // A deployment file for another chain.
    let op = net.operator("lost", OperatorSpec::default()).await;
    let mut other = net.deployment.clone();
    other.chain_id = 1;
    let other_path = net.dir.path().join("mainnet.json");
    other.save(&other_path).unwrap();
    let mut config = load(&op.config);
    config.chain.deployment = other_path;
    let err = register(&config).await.unwrap_err();
    assert!(matches!(err, Error::WrongChain { actual: 31337, expected: 1, .. }), "{err}");
    assert!(err.to_string().contains("serves chain id 31337"), "{err}");

    // No ETH: a clear error before anything is sent.
    let poor = net.operator("poor", OperatorSpec { fund: false, ..Default::default() }).await;
    let err = register(&load(&poor.config)).await.unwrap_err().to_string();
    assert_eq!(err, format!("operator {} has no ETH for gas; fund it and re-run", poor.address));

    // A private key pasted into the file.
    let text = std::fs::read_to_string(&op.config).unwrap();
    let key = std::fs::read_to_string(op.config.parent().unwrap().join("keys/ecdsa.key")).unwrap();
    let pasted = text.replace(
        "ecdsa_key_file = \"keys/ecdsa.key\"",
        &format!("private_key = \"{}\"", key.trim()),
    );
    let path = op.config.with_file_name("pasted.toml");
    std::fs::write(&path, pasted).unwrap();
    let err = Config::load(&path).unwrap_err();
    assert!(matches!(err, Error::PlaintextSecret { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains("`operator.private_key`") && message.contains("plain text"));
    assert!(!message.contains(key.trim().trim_start_matches("0x")), "{message}");
}

#[tokio::test]
async fn operators_register_concurrently_and_the_apk_sums_their_keys() {
    let net = Devnet::start().await;
    let a = net.operator("a", OperatorSpec::default()).await;
    let b = net.operator("b", OperatorSpec::default()).await;
    let (ca, cb) = (load(&a.config), load(&b.config));
    let (ra, rb) = tokio::join!(register(&ca), register(&cb));
    let (ra, rb) = (ra.unwrap(), rb.unwrap());

    let d = &net.deployment;
    let registry = RampartOperatorRegistry::new(d.rampart.operator_registry, &net.provider);
    let block = u32::try_from(net.block().await).unwrap();
    let apk = registry.apkAt(d.operator_set_id, block).call().await.unwrap();
    let expected =
        rampart_crypto::AggregatePublicKey::from_keys([&a.bls.public_key(), &b.bls.public_key()])
            .unwrap()
            .to_public_key()
            .unwrap()
            .to_eip2537();
    let word = |i: usize| U256::from_be_slice(&expected[32 * i..32 * (i + 1)]);
    assert_eq!(
        [apk.apk.xA, apk.apk.xB, apk.apk.yA, apk.apk.yB],
        [word(0), word(1), word(2), word(3)]
    );
    assert_eq!(U256::from(apk.totalStake), U256::from(200u64) * wad());

    // Leaving in the very next block: the registry's history grows in a new block, which
    // anvil's estimate (run at the latest block's number) does not see.
    let last_update = rb.transactions().chain(ra.transactions()).map(|t| t.block).max().unwrap();
    assert_eq!(net.block().await, last_update);
    let left = deregister(&ca).await.unwrap();
    assert_eq!(left.transactions().count(), 1, "{left}");
    let block = u32::try_from(net.block().await).unwrap();
    let apk = registry.apkAt(d.operator_set_id, block).call().await.unwrap();
    assert_eq!(U256::from(apk.totalStake), U256::from(100u64) * wad());
}

#[tokio::test]
async fn devnet_section_is_refused_on_other_chains() {
    let net = Devnet::start().await;
    let op = net.operator("testnet", OperatorSpec::default()).await;
    // A chain that is not 31337, with a deployment whose token is not mintable.
    let other = rampart_chain::anvil::Anvil::spawn(&rampart_chain::anvil::AnvilOptions {
        chain_id: 17000,
        ..Default::default()
    })
    .unwrap();
    let mut deployment = net.deployment.clone();
    deployment.chain_id = 17000;
    deployment.strategies.iter_mut().for_each(|s| s.mintable = false);
    let path = net.dir.path().join("holesky.json");
    deployment.save(&path).unwrap();
    let mut config = load(&op.config);
    config.chain.rpc_url = other.endpoint();
    config.chain.deployment = path;
    let err = register(&config).await.unwrap_err();
    assert!(matches!(err, Error::NotADevnet { chain_id: 17000 }), "{err}");
    assert!(err.to_string().contains("remove the section"), "{err}");

    // Deliberate faults: the daemon refuses to start outside a devnet, whichever is switched on.
    for faults in [
        FaultInjection { equivocate_every: 1, ..Default::default() },
        FaultInjection { wrong_root_every: 3, ..Default::default() },
        FaultInjection { skip_proving_jobs: true, ..Default::default() },
    ] {
        let mut faulty = config.clone();
        faulty.devnet = None;
        faulty.dangerous_fault_injection = faults;
        let err = rampart_operator::daemon::start(faulty).await.unwrap_err();
        assert!(matches!(err, Error::FaultInjectionRefused { chain_id: 17000 }), "{err}");
        assert!(err.to_string().contains("misbehave on purpose"), "{err}");
    }
}
