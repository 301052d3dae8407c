//! The deployer: EigenLayer core v1.3.0 (unless one is given) and Rampart, wired.
//!
//! Order (proxies first: the core constructors reference each other in a cycle): ProxyAdmin,
//! PauserRegistry, an empty placeholder and six transparent proxies; EigenPod + beacon; the
//! implementations, pointing at the proxies; `upgradeAndCall` initializers; our token and
//! strategy (whitelisted for deposits). Then Rampart: service manager (the AVS), operator
//! registry, attestation center, proof center, slasher; AVS metadata, registrar, operator set,
//! slasher appointment and stake configuration.

use crate::{Error, Result};
use alloy::network::TransactionBuilder;
use alloy::primitives::{Address, Bytes, U256, aliases::U96};
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::{TransactionReceipt, TransactionRequest};
use alloy::sol;
use alloy::sol_types::{SolCall, SolValue};
use rampart_chain::provider::{rpc_error, send};
use rampart_chain::{Deployment, EigenLayerAddresses, RampartAddresses, deployment::StrategyInfo};
use rampart_contracts::{
    DevnetStrategy, DevnetToken, EmptyContract, PauserRegistry, ProxyAdmin,
    RampartAttestationCenter, RampartOperatorRegistry, RampartProofCenter, RampartServiceManager,
    RampartSlasher, TransparentUpgradeableProxy, UpgradeableBeacon, eigenlayer_core_bytecode,
};

/// EigenLayer's version string on the devnet.
pub const EIGENLAYER_VERSION: &str = "v1.3.0";
/// Blocks before an operator's allocation-delay setting takes effect (upstream: 1200).
pub const ALLOCATION_CONFIGURATION_DELAY: u32 = 1;
/// Blocks a deallocation (and a leaving operator) stays slashable (upstream: 900).
pub const DEALLOCATION_DELAY: u32 = 5;
/// Blocks before a withdrawal completes (upstream: 900). Slashing needs a block past it.
pub const MIN_WITHDRAWAL_DELAY: u32 = 5;
/// The beacon-chain deposit contract address EigenPods are built with (pods are unused).
const ETH_POS_DEPOSIT: Address =
    alloy::primitives::address!("00000000219ab540356cBB839Cbe05303d7705Fa");
const EIGENPOD_GENESIS_TIME: u64 = 1_606_824_023;

sol! {
    /// Initializers of the core proxies (not part of the interfaces Rampart calls).
    interface ICoreInit {
        function initialize(address initialOwner, uint256 initialPausedStatus) external;
    }
    #[sol(rpc)]
    interface IStrategyManagerInit {
        function initialize(address initialOwner, address initialStrategyWhitelister, uint256 initialPausedStatus) external;
        function addStrategiesToDepositWhitelist(address[] calldata strategiesToWhitelist) external;
    }
}

/// What to deploy.
#[derive(Debug, Clone)]
pub struct DeployConfig {
    /// Use this EigenLayer deployment and its strategies instead of deploying core.
    pub existing_eigenlayer: Option<(EigenLayerAddresses, Vec<StrategyInfo>)>,
    /// The Rampart operator set to create.
    pub operator_set_id: u32,
    /// Minimum weighted stake to join the set.
    pub minimum_stake: U256,
    /// Maximum age of a certificate's reference block.
    pub max_reference_age: u32,
}

impl Default for DeployConfig {
    fn default() -> Self {
        Self {
            existing_eigenlayer: None,
            operator_set_id: 1,
            minimum_stake: U256::from(10u64).pow(U256::from(18)),
            max_reference_age: 256,
        }
    }
}

/// The result of a deployment.
#[derive(Debug, Clone)]
pub struct Deployed {
    /// Addresses for the deployment file.
    pub deployment: Deployment,
    /// Gas of every transaction sent.
    pub gas_used: u64,
    /// Number of transactions sent.
    pub transactions: usize,
}

/// Counts gas and transactions as the deployment goes.
struct Tally {
    gas: u64,
    txs: usize,
}

impl Tally {
    fn add(&mut self, receipt: &TransactionReceipt) -> Address {
        self.gas += receipt.gas_used;
        self.txs += 1;
        receipt.contract_address.unwrap_or_default()
    }
}

/// Deploys everything from `deployer` (the address of `provider`'s signer), which also becomes
/// the governance owner of every contract.
pub async fn deploy(
    provider: &DynProvider,
    deployer: Address,
    config: &DeployConfig,
) -> Result<Deployed> {
    let owner = deployer;
    let chain_id = provider.get_chain_id().await.map_err(|e| rpc_error("chain id", e))?;
    let start_block =
        provider.get_block_number().await.map_err(|e| rpc_error("block number", e))?;
    let mut tally = Tally { gas: 0, txs: 0 };

    let (eigenlayer, strategies) = match &config.existing_eigenlayer {
        Some((addresses, strategies)) => (*addresses, strategies.clone()),
        None => deploy_eigenlayer(provider, owner, &mut tally).await?,
    };
    let rampart =
        deploy_rampart(provider, owner, &eigenlayer, &strategies, config, &mut tally).await?;
    if config.existing_eigenlayer.is_none() {
        pass_first_slashable_block(provider).await?;
    }
    Ok(Deployed {
        deployment: Deployment {
            chain_id,
            start_block,
            eigenlayer,
            rampart,
            operator_set_id: config.operator_set_id,
            strategies,
        },
        gas_used: tally.gas,
        transactions: tally.txs,
    })
}

/// Sends a raw creation transaction (`code` ‖ abi-encoded constructor `args`).
async fn create(
    provider: &DynProvider,
    name: &'static str,
    code: Bytes,
    args: Vec<u8>,
    tally: &mut Tally,
) -> Result<Address> {
    let mut input = code.to_vec();
    input.extend(args);
    let tx = TransactionRequest::default().with_deploy_code(input);
    let pending =
        provider.send_transaction(tx).await.map_err(|e| rpc_error(&format!("deploy {name}"), e))?;
    let receipt = rampart_chain::provider::wait_receipt(
        provider,
        &format!("deploy {name}"),
        *pending.tx_hash(),
    )
    .await?;
    let address = tally.add(&receipt);
    if !receipt.status() || address.is_zero() {
        return Err(Error::Deploy(name, "creation failed".into()));
    }
    Ok(address)
}

fn core_code(name: &'static str) -> Result<Bytes> {
    eigenlayer_core_bytecode(name).ok_or_else(|| {
        Error::Deploy(name, "missing from contracts/eigenlayer/core-v1.3.0.json".into())
    })
}

async fn deploy_eigenlayer(
    provider: &DynProvider,
    owner: Address,
    tally: &mut Tally,
) -> Result<(EigenLayerAddresses, Vec<StrategyInfo>)> {
    let p = provider.clone();
    let admin = ProxyAdmin::deploy_builder(p.clone());
    let admin = tally.add(&send("deploy ProxyAdmin", admin).await?);
    let admin = ProxyAdmin::new(admin, p.clone());
    let pausers = PauserRegistry::deploy_builder(p.clone(), vec![owner], owner);
    let pauser_registry = tally.add(&send("deploy PauserRegistry", pausers).await?);
    let empty =
        tally.add(&send("deploy EmptyContract", EmptyContract::deploy_builder(p.clone())).await?);

    let mut proxies = Vec::new();
    for name in [
        "DelegationManager",
        "StrategyManager",
        "AVSDirectory",
        "EigenPodManager",
        "AllocationManager",
        "PermissionController",
    ] {
        let proxy = TransparentUpgradeableProxy::deploy_builder(
            p.clone(),
            empty,
            *admin.address(),
            Bytes::new(),
        );
        proxies.push(tally.add(&send(&format!("deploy {name} proxy"), proxy).await?));
    }
    let [dm, sm, avsd, epm, am, pc] = proxies[..] else { unreachable!("six proxies") };

    let version = EIGENLAYER_VERSION.to_string();
    let pod = create(
        provider,
        "EigenPod",
        core_code("EigenPod")?,
        (ETH_POS_DEPOSIT, epm, EIGENPOD_GENESIS_TIME, version.clone()).abi_encode_params(),
        tally,
    )
    .await?;
    let beacon = UpgradeableBeacon::deploy_builder(p.clone(), pod);
    let beacon = tally.add(&send("deploy UpgradeableBeacon", beacon).await?);

    let dm_impl = create(
        provider,
        "DelegationManager",
        core_code("DelegationManager")?,
        (sm, epm, am, pauser_registry, pc, MIN_WITHDRAWAL_DELAY, version.clone())
            .abi_encode_params(),
        tally,
    )
    .await?;
    let sm_impl = create(
        provider,
        "StrategyManager",
        core_code("StrategyManager")?,
        (dm, pauser_registry, version.clone()).abi_encode_params(),
        tally,
    )
    .await?;
    let avsd_impl = create(
        provider,
        "AVSDirectory",
        core_code("AVSDirectory")?,
        (dm, pauser_registry, version.clone()).abi_encode_params(),
        tally,
    )
    .await?;
    let epm_impl = create(
        provider,
        "EigenPodManager",
        core_code("EigenPodManager")?,
        (ETH_POS_DEPOSIT, beacon, dm, pauser_registry, version.clone()).abi_encode_params(),
        tally,
    )
    .await?;
    let am_impl = create(
        provider,
        "AllocationManager",
        core_code("AllocationManager")?,
        (
            dm,
            pauser_registry,
            pc,
            DEALLOCATION_DELAY,
            ALLOCATION_CONFIGURATION_DELAY,
            version.clone(),
        )
            .abi_encode_params(),
        tally,
    )
    .await?;
    let pc_impl = create(
        provider,
        "PermissionController",
        core_code("PermissionController")?,
        (version,).abi_encode_params(),
        tally,
    )
    .await?;

    let owner_init: Bytes =
        ICoreInit::initializeCall { initialOwner: owner, initialPausedStatus: U256::ZERO }
            .abi_encode()
            .into();
    for (name, proxy, implementation, init) in [
        ("DelegationManager", dm, dm_impl, owner_init.clone()),
        (
            "StrategyManager",
            sm,
            sm_impl,
            IStrategyManagerInit::initializeCall {
                initialOwner: owner,
                initialStrategyWhitelister: owner,
                initialPausedStatus: U256::ZERO,
            }
            .abi_encode()
            .into(),
        ),
        ("AVSDirectory", avsd, avsd_impl, owner_init.clone()),
        ("EigenPodManager", epm, epm_impl, owner_init.clone()),
        ("AllocationManager", am, am_impl, owner_init.clone()),
    ] {
        let call = admin.upgradeAndCall(proxy, implementation, init);
        tally.add(&send(&format!("initialize {name}"), call).await?);
    }
    tally.add(&send("upgrade PermissionController", admin.upgrade(pc, pc_impl)).await?);

    let token = DevnetToken::deploy_builder(p.clone(), "Rampart Devnet Token".into(), "RDT".into());
    let token = tally.add(&send("deploy DevnetToken", token).await?);
    let strategy = DevnetStrategy::deploy_builder(p.clone(), sm, token);
    let strategy = tally.add(&send("deploy DevnetStrategy", strategy).await?);
    let strategy_manager = IStrategyManagerInit::new(sm, p.clone());
    let whitelist = strategy_manager.addStrategiesToDepositWhitelist(vec![strategy]);
    tally.add(&send("whitelist the strategy", whitelist).await?);

    Ok((
        EigenLayerAddresses {
            allocation_manager: am,
            delegation_manager: dm,
            strategy_manager: sm,
            permission_controller: pc,
            avs_directory: avsd,
        },
        vec![StrategyInfo {
            address: strategy,
            token,
            name: "Rampart Devnet Token (RDT)".into(),
            mintable: true,
        }],
    ))
}

async fn deploy_rampart(
    provider: &DynProvider,
    owner: Address,
    el: &EigenLayerAddresses,
    strategies: &[StrategyInfo],
    config: &DeployConfig,
    tally: &mut Tally,
) -> Result<RampartAddresses> {
    let p = provider.clone();
    let sm = tally.add(
        &send(
            "deploy RampartServiceManager",
            RampartServiceManager::deploy_builder(p.clone(), el.allocation_manager, owner),
        )
        .await?,
    );
    let registry = tally.add(
        &send(
            "deploy RampartOperatorRegistry",
            RampartOperatorRegistry::deploy_builder(p.clone(), el.allocation_manager, sm, owner),
        )
        .await?,
    );
    let center = tally.add(
        &send(
            "deploy RampartAttestationCenter",
            RampartAttestationCenter::deploy_builder(
                p.clone(),
                registry,
                owner,
                config.max_reference_age,
            ),
        )
        .await?,
    );
    // The proof center reads rollups, governance and commits from the center and members from
    // its registry: nothing to wire beyond its constructor.
    let proof_center = tally.add(
        &send("deploy RampartProofCenter", RampartProofCenter::deploy_builder(p.clone(), center))
            .await?,
    );
    let slasher = tally.add(
        &send(
            "deploy RampartSlasher",
            RampartSlasher::deploy_builder(p.clone(), center, sm, proof_center),
        )
        .await?,
    );

    let service = RampartServiceManager::new(sm, p.clone());
    let strategy_addresses: Vec<Address> = strategies.iter().map(|s| s.address).collect();
    tally.add(
        &send(
            "set AVS metadata",
            service.updateAVSMetadataURI("https://rampart.invalid/avs.json".into()),
        )
        .await?,
    );
    tally.add(&send("set AVS registrar", service.setAVSRegistrar(registry)).await?);
    let set = rampart_contracts::service_manager::IAllocationManagerTypes::CreateSetParams {
        operatorSetId: config.operator_set_id,
        strategies: strategy_addresses.clone(),
    };
    tally.add(&send("create operator set", service.createOperatorSets(vec![set])).await?);
    tally.add(&send("appoint slasher", service.setSlasher(slasher)).await?);
    let minimum = U96::saturating_from(config.minimum_stake);
    let multipliers = vec![U96::from(10u64).pow(U96::from(18)); strategy_addresses.len()];
    let registry_contract = RampartOperatorRegistry::new(registry, p);
    let configure = registry_contract.configureOperatorSet(
        config.operator_set_id,
        strategy_addresses,
        multipliers,
        minimum,
    );
    tally.add(&send("configure operator set stake", configure).await?);
    Ok(RampartAddresses {
        service_manager: sm,
        operator_registry: registry,
        attestation_center: center,
        proof_center,
        slasher,
    })
}

/// EigenLayer's slashing underflows before block MIN_WITHDRAWAL_DELAY + 1: mine past it.
async fn pass_first_slashable_block(provider: &DynProvider) -> Result<()> {
    let first = u64::from(MIN_WITHDRAWAL_DELAY) + 1;
    let now = provider.get_block_number().await.map_err(|e| rpc_error("block number", e))?;
    if now < first {
        provider
            .raw_request::<_, ()>("anvil_mine".into(), (U256::from(first - now),))
            .await
            .map_err(|e| rpc_error("anvil_mine", e))?;
    }
    Ok(())
}
