// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Test} from "./Test.sol";
import {ProxyAdmin} from "@openzeppelin/contracts/proxy/transparent/ProxyAdmin.sol";
import {
    ITransparentUpgradeableProxy,
    TransparentUpgradeableProxy
} from "@openzeppelin/contracts/proxy/transparent/TransparentUpgradeableProxy.sol";
import {UpgradeableBeacon} from "@openzeppelin/contracts/proxy/beacon/UpgradeableBeacon.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {
    IAllocationManager,
    IAllocationManagerTypes,
    IDelegationManager,
    IPermissionController,
    IStrategy,
    IStrategyManager,
    OperatorSet
} from "../../src/interfaces/IEigenLayer.sol";
import {DevnetStrategy} from "../../src/devnet/DevnetStrategy.sol";
import {DevnetToken} from "../../src/devnet/DevnetToken.sol";
import {EmptyContract} from "../../src/devnet/EmptyContract.sol";
import {PauserRegistry} from "../../src/devnet/PauserRegistry.sol";

/// @notice The cheatcodes this file uses that `Test.sol`'s `Vm` does not declare.
interface VmEigenLayer {
    function parseJsonUintArray(string calldata json, string calldata key)
        external
        pure
        returns (uint256[] memory);
}

/// @notice The initializers of EigenLayer core v1.3.0 (called once, through the ProxyAdmin).
interface IEigenLayerInitializers {
    /// @dev AllocationManager, DelegationManager, AVSDirectory, EigenPodManager.
    function initialize(address initialOwner, uint256 initialPausedStatus) external;
}

/// @notice StrategyManager v1.3.0's initializer.
interface IStrategyManagerInitializer {
    function initialize(
        address initialOwner,
        address initialStrategyWhitelister,
        uint256 initialPausedStatus
    ) external;
}

/// @notice AllocationManager v1.3.0 reads beyond `IEigenLayer.sol`'s subset.
interface IAllocationManagerReads {
    struct Allocation {
        uint64 currentMagnitude;
        int128 pendingDiff;
        uint32 effectBlock;
    }

    function getAllocation(address operator, OperatorSet memory operatorSet, IStrategy strategy)
        external
        view
        returns (Allocation memory);
    function getEncumberedMagnitude(address operator, IStrategy strategy)
        external
        view
        returns (uint64);
    function DEALLOCATION_DELAY() external view returns (uint32);
}

/// @notice DelegationManager v1.3.0 reads beyond `IEigenLayer.sol`'s subset.
interface IDelegationManagerReads {
    /// @dev The operator's delegated shares per strategy (reduced by slashing).
    function getOperatorShares(address operator, IStrategy[] memory strategies)
        external
        view
        returns (uint256[] memory);
}

/// @notice StrategyManager v1.3.0 reads beyond `IEigenLayer.sol`'s subset.
interface IStrategyManagerReads {
    /// @dev Slashed shares waiting for `burnShares`.
    function getBurnableShares(IStrategy strategy) external view returns (uint256);
    /// @dev Where `burnShares` sends the slashed tokens.
    function DEFAULT_BURN_ADDRESS() external view returns (address);
    function strategyIsWhitelistedForDeposit(IStrategy strategy) external view returns (bool);
}

/// @notice Every EigenLayer v1.3.0 core contract: the `version` passed to its constructor.
interface IVersioned {
    function version() external view returns (string memory);
}

/// @title EigenLayerDeployer
/// @notice Deploys the real EigenLayer core v1.3.0 (the bytecode published in the crate
/// eigen-utils 2.0.0, extracted by `scripts/eigenlayer-artifacts` into
/// `eigenlayer/core-v1.3.0.json`) inside a forge test, in the order of
/// `shared/design/eigenlayer-devnet.md`, plus a devnet token and 1:1 strategy, and offers helpers
/// for the operator / staker / AVS flow.
/// @dev Everything is owned by the test contract (`address(this)`): ProxyAdmin owner, pauser,
/// unpauser, core owner and strategy whitelister. Delays are the devnet's: a new operator's
/// allocation delay is usable `ALLOCATION_CONFIGURATION_DELAY + 1` blocks after registration,
/// deallocations take `DEALLOCATION_DELAY + 1` blocks. `deployEigenLayer` leaves the chain at
/// block `FIRST_SLASHABLE_BLOCK` or later (slashing underflows below it).
abstract contract EigenLayerDeployer is Test {
    VmEigenLayer internal constant vmEigenLayer = VmEigenLayer(address(vm));

    /// @notice Where the extracted creation bytecode lives (relative to contracts/).
    string internal constant EIGENLAYER_ARTIFACTS = "eigenlayer/core-v1.3.0.json";
    /// @notice The version string every core contract is constructed with.
    string internal constant EIGENLAYER_VERSION = "v1.3.0";
    uint32 internal constant ALLOCATION_CONFIGURATION_DELAY = 1;
    uint32 internal constant DEALLOCATION_DELAY = 5;
    uint32 internal constant MIN_WITHDRAWAL_DELAY = 5;
    /// @notice The first block at which `slashOperator` works (see the end of `deployEigenLayer`).
    uint256 internal constant FIRST_SLASHABLE_BLOCK = uint256(MIN_WITHDRAWAL_DELAY) + 1;
    /// @notice The allocation delay `registerOperatorInEigenLayer` gives operators (blocks).
    uint32 internal constant OPERATOR_ALLOCATION_DELAY = 1;
    /// @notice EigenPods are never used on the devnet; these only satisfy the constructors.
    address internal constant ETH_POS_DEPOSIT = 0x00000000219ab540356cBB839Cbe05303d7705Fa;
    uint64 internal constant EIGENPOD_GENESIS_TIME = 1_606_824_023;
    /// @notice A full allocation / a full slash, in WAD.
    uint64 internal constant WAD = 1e18;

    // --- Deployed contracts -----------------------------------------------------------------

    ProxyAdmin internal eigenLayerProxyAdmin;
    PauserRegistry internal pauserRegistry;
    EmptyContract internal emptyContract;

    // Proxies (the addresses everything else talks to).
    IAllocationManager internal allocationManager;
    IDelegationManager internal delegation;
    IStrategyManager internal strategyManager;
    IPermissionController internal permissionController;
    address internal avsDirectory;
    address internal eigenPodManager;

    // EigenPods (unused on the devnet, required by EigenPodManager).
    address internal eigenPodImplementation;
    UpgradeableBeacon internal eigenPodBeacon;

    // Implementations behind the proxies.
    address internal allocationManagerImpl;
    address internal delegationManagerImpl;
    address internal strategyManagerImpl;
    address internal avsDirectoryImpl;
    address internal permissionControllerImpl;
    address internal eigenPodManagerImpl;

    // The devnet's one restakeable asset.
    DevnetToken internal token;
    IStrategy internal strategy;

    /// @notice Execution gas of `deployEigenLayer` (reading the JSON excluded): core only, and
    /// core + token + strategy + whitelist.
    uint256 internal eigenLayerCoreDeploymentGas;
    uint256 internal eigenLayerDeploymentGas;

    // --- Deployment ---------------------------------------------------------------------------

    /// @notice Deploys EigenLayer core v1.3.0, the devnet token and strategy, and whitelists the
    /// strategy for deposits.
    function deployEigenLayer() internal {
        // Load all creation code first so the gas figures cover only the deployment.
        string memory json = readJson(EIGENLAYER_ARTIFACTS);
        bytes memory dmCode = _creationCode(json, "DelegationManager");
        bytes memory smCode = _creationCode(json, "StrategyManager");
        bytes memory avsdCode = _creationCode(json, "AVSDirectory");
        bytes memory epmCode = _creationCode(json, "EigenPodManager");
        bytes memory amCode = _creationCode(json, "AllocationManager");
        bytes memory pcCode = _creationCode(json, "PermissionController");
        bytes memory podCode = _creationCode(json, "EigenPod");

        uint256 gasStart = gasleft();

        // 1-2. ProxyAdmin and PauserRegistry, both owned by this contract.
        eigenLayerProxyAdmin = new ProxyAdmin();
        address[] memory pausers = new address[](1);
        pausers[0] = address(this);
        pauserRegistry = new PauserRegistry(pausers, address(this));

        // 3. Proxies first: the implementations' constructors reference each other's proxies.
        emptyContract = new EmptyContract();
        delegation = IDelegationManager(_emptyProxy());
        strategyManager = IStrategyManager(_emptyProxy());
        avsDirectory = _emptyProxy();
        eigenPodManager = _emptyProxy();
        allocationManager = IAllocationManager(_emptyProxy());
        permissionController = IPermissionController(_emptyProxy());

        // 4. EigenPod implementation and its beacon.
        eigenPodImplementation = _create(
            "EigenPod",
            podCode,
            abi.encode(ETH_POS_DEPOSIT, eigenPodManager, EIGENPOD_GENESIS_TIME, EIGENLAYER_VERSION)
        );
        eigenPodBeacon = new UpgradeableBeacon(eigenPodImplementation);

        // 5. Implementations.
        delegationManagerImpl = _create(
            "DelegationManager",
            dmCode,
            abi.encode(
                strategyManager,
                eigenPodManager,
                allocationManager,
                pauserRegistry,
                permissionController,
                MIN_WITHDRAWAL_DELAY,
                EIGENLAYER_VERSION
            )
        );
        strategyManagerImpl = _create(
            "StrategyManager", smCode, abi.encode(delegation, pauserRegistry, EIGENLAYER_VERSION)
        );
        avsDirectoryImpl = _create(
            "AVSDirectory", avsdCode, abi.encode(delegation, pauserRegistry, EIGENLAYER_VERSION)
        );
        eigenPodManagerImpl = _create(
            "EigenPodManager",
            epmCode,
            abi.encode(
                ETH_POS_DEPOSIT, eigenPodBeacon, delegation, pauserRegistry, EIGENLAYER_VERSION
            )
        );
        allocationManagerImpl = _create(
            "AllocationManager",
            amCode,
            abi.encode(
                delegation,
                pauserRegistry,
                permissionController,
                DEALLOCATION_DELAY,
                ALLOCATION_CONFIGURATION_DELAY,
                EIGENLAYER_VERSION
            )
        );
        permissionControllerImpl =
            _create("PermissionController", pcCode, abi.encode(EIGENLAYER_VERSION));

        // 6. Point the proxies at the implementations and initialize (nothing paused).
        bytes memory ownerInit =
            abi.encodeCall(IEigenLayerInitializers.initialize, (address(this), 0));
        _upgradeAndCall(address(delegation), delegationManagerImpl, ownerInit);
        _upgradeAndCall(
            address(strategyManager),
            strategyManagerImpl,
            abi.encodeCall(
                IStrategyManagerInitializer.initialize, (address(this), address(this), 0)
            )
        );
        _upgradeAndCall(avsDirectory, avsDirectoryImpl, ownerInit);
        _upgradeAndCall(eigenPodManager, eigenPodManagerImpl, ownerInit);
        _upgradeAndCall(address(allocationManager), allocationManagerImpl, ownerInit);
        // PermissionController v1.3.0 has no initializer.
        eigenLayerProxyAdmin.upgrade(
            ITransparentUpgradeableProxy(address(permissionController)), permissionControllerImpl
        );
        eigenLayerCoreDeploymentGas = gasStart - gasleft();

        // 7. Token, strategy, deposit whitelist.
        token = new DevnetToken("Rampart Devnet Token", "RDT");
        strategy = IStrategy(address(new DevnetStrategy(strategyManager, IERC20(address(token)))));
        strategyManager.addStrategiesToDepositWhitelist(_oneStrategy());
        eigenLayerDeploymentGas = gasStart - gasleft();

        // DelegationManager.slashOperatorShares looks up its withdrawal queue at block
        // `block.number - MIN_WITHDRAWAL_DELAY - 1` (uint32 arithmetic), so every slash panics
        // with an arithmetic underflow before block MIN_WITHDRAWAL_DELAY + 1. Forge starts at
        // block 1: move past that once, here.
        if (block.number < FIRST_SLASHABLE_BLOCK) vm.roll(FIRST_SLASHABLE_BLOCK);

        vm.label(address(eigenLayerProxyAdmin), "ProxyAdmin");
        vm.label(address(pauserRegistry), "PauserRegistry");
        vm.label(address(delegation), "DelegationManager");
        vm.label(address(strategyManager), "StrategyManager");
        vm.label(avsDirectory, "AVSDirectory");
        vm.label(eigenPodManager, "EigenPodManager");
        vm.label(address(allocationManager), "AllocationManager");
        vm.label(address(permissionController), "PermissionController");
        vm.label(address(token), "DevnetToken");
        vm.label(address(strategy), "DevnetStrategy");
    }

    // --- Flow helpers -------------------------------------------------------------------------

    /// @notice Registers `operator` with DelegationManager (self-delegated, no delegation approver,
    /// allocation delay `OPERATOR_ALLOCATION_DELAY`) and rolls until that delay is in effect, so
    /// the operator can allocate right away.
    function registerOperatorInEigenLayer(address operator) internal {
        vm.prank(operator);
        delegation.registerAsOperator(address(0), OPERATOR_ALLOCATION_DELAY, "devnet-operator");
        vm.roll(block.number + ALLOCATION_CONFIGURATION_DELAY + 1);
    }

    /// @notice Mints `amount` devnet tokens to `staker`, deposits them into the strategy and
    /// delegates `staker` to `operator` (no-op if already delegated to it, e.g. self-stake).
    /// @return depositShares The shares the deposit minted (equal to `amount`).
    function depositAndDelegate(address staker, address operator, uint256 amount)
        internal
        returns (uint256 depositShares)
    {
        token.mint(staker, amount);
        vm.startPrank(staker);
        token.approve(address(strategyManager), amount);
        depositShares = strategyManager.depositIntoStrategy(strategy, address(token), amount);
        if (!delegation.isDelegated(staker)) {
            delegation.delegateTo(
                operator, IDelegationManager.SignatureWithExpiry("", 0), bytes32(0)
            );
        }
        vm.stopPrank();
        assertEq(delegation.delegatedTo(staker), operator, "staker delegated elsewhere");
    }

    /// @notice Makes `avs` an AVS: metadata URI (required before any operator set), `registrar`
    /// as its `IAVSRegistrar` (must answer `supportsAVS(avs)` with true), and operator set
    /// `operatorSetId` containing the devnet strategy.
    function setupAVS(address avs, address registrar, uint32 operatorSetId) internal {
        vm.startPrank(avs);
        allocationManager.updateAVSMetadataURI(avs, "devnet-avs");
        allocationManager.setAVSRegistrar(avs, registrar);
        vm.stopPrank();
        createOperatorSet(avs, operatorSetId);
    }

    /// @notice Creates operator set `operatorSetId` of `avs` with the devnet strategy (the AVS's
    /// metadata URI must already be set).
    function createOperatorSet(address avs, uint32 operatorSetId) internal {
        IAllocationManagerTypes.CreateSetParams[] memory sets =
            new IAllocationManagerTypes.CreateSetParams[](1);
        sets[0] = IAllocationManagerTypes.CreateSetParams(operatorSetId, _oneStrategy());
        vm.prank(avs);
        allocationManager.createOperatorSets(avs, sets);
    }

    /// @notice Sets `operator`'s magnitude of the devnet strategy in the operator set to
    /// `magnitude` (WAD: 1e18 = all of the operator's stake) and rolls until it is in effect
    /// (allocation delay for an increase, `DEALLOCATION_DELAY + 1` blocks for a decrease).
    function allocate(address operator, address avs, uint32 operatorSetId, uint64 magnitude)
        internal
    {
        OperatorSet memory operatorSet = OperatorSet(avs, operatorSetId);
        IAllocationManagerTypes.AllocateParams[] memory params =
            new IAllocationManagerTypes.AllocateParams[](1);
        uint64[] memory magnitudes = new uint64[](1);
        magnitudes[0] = magnitude;
        params[0] = IAllocationManagerTypes.AllocateParams(operatorSet, _oneStrategy(), magnitudes);

        uint64 current = _allocatedMagnitude(operator, operatorSet);
        vm.prank(operator);
        allocationManager.modifyAllocations(operator, params);

        uint256 wait;
        if (magnitude < current) {
            wait = uint256(DEALLOCATION_DELAY) + 1;
        } else {
            (, uint32 delay) = allocationManager.getAllocationDelay(operator);
            wait = uint256(delay) + 1;
        }
        vm.roll(block.number + wait);
    }

    /// @notice A one-element array holding the devnet strategy.
    function _oneStrategy() internal view returns (IStrategy[] memory strategies) {
        strategies = new IStrategy[](1);
        strategies[0] = strategy;
    }

    // --- Internals ----------------------------------------------------------------------------

    /// @dev `operator`'s current magnitude of the devnet strategy in the operator set.
    function _allocatedMagnitude(address operator, OperatorSet memory operatorSet)
        private
        view
        returns (uint64)
    {
        return IAllocationManagerReads(address(allocationManager))
        .getAllocation(operator, operatorSet, strategy)
        .currentMagnitude;
    }

    function _creationCode(string memory json, string memory name)
        internal
        pure
        returns (bytes memory)
    {
        return vm.parseJsonBytes(json, string.concat(".contracts.", name, ".bytecode"));
    }

    function _emptyProxy() private returns (address) {
        return address(
            new TransparentUpgradeableProxy(
                address(emptyContract), address(eigenLayerProxyAdmin), ""
            )
        );
    }

    function _upgradeAndCall(address proxy, address implementation, bytes memory data) private {
        eigenLayerProxyAdmin.upgradeAndCall(
            ITransparentUpgradeableProxy(proxy), implementation, data
        );
    }

    /// @dev CREATE with `creationCode ++ constructorArgs`; bubbles up a constructor revert. The
    /// concatenation is freed afterwards so that deploying seven ~25 kB contracts does not grow
    /// memory (and its quadratic gas cost) seven times.
    function _create(string memory name, bytes memory creationCode, bytes memory constructorArgs)
        private
        returns (address deployed)
    {
        uint256 freeMemory;
        assembly ("memory-safe") {
            freeMemory := mload(0x40)
        }
        bytes memory initCode = bytes.concat(creationCode, constructorArgs);
        // Not "memory-safe": it rewinds the free memory pointer past `initCode`.
        assembly {
            deployed := create(0, add(initCode, 0x20), mload(initCode))
            if iszero(deployed) {
                if returndatasize() {
                    returndatacopy(freeMemory, 0, returndatasize())
                    revert(freeMemory, returndatasize())
                }
            }
            mstore(0x40, freeMemory)
        }
        if (deployed == address(0)) revert(string.concat("deploying ", name, " failed"));
    }
}
