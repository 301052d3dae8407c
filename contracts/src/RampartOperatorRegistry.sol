// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {BLS12381} from "./bls/BLS12381.sol";
import {RampartDigests} from "./libraries/RampartDigests.sol";
import {
    IAllocationManager,
    IAVSRegistrar,
    IStrategy,
    OperatorSet
} from "./interfaces/IEigenLayer.sol";

/// @title RampartOperatorRegistry
/// @notice Rampart's `IAVSRegistrar` for EigenLayer v1.3.0. AllocationManager calls it when an
/// operator joins or leaves a Rampart operator set. It keeps each operator's BLS key (checked
/// with an on-chain proof of possession; one key per operator, one operator per key) and, per
/// operator set, the aggregate public key (APK), total stake and every operator's stake as
/// histories by block number, so certificates can be checked against the set as it was at a
/// reference block. It also lists each set's current members (proving jobs are assigned among
/// them).
///
/// Registration `data` is `abi.encode(BLS12381.G1Point pubkey, BLS12381.G2Point pop, string
/// socket)` with points in EIP-2537 layout; the PoP signs (with the PoP DST) the EIP-712 digest
/// of `KeyRegistration(operator, pubkey)` under this contract's domain.
contract RampartOperatorRegistry is IAVSRegistrar, Ownable {
    using BLS12381 for BLS12381.G1Point;

    /// @notice How stake is measured in one operator set.
    struct SetConfig {
        IStrategy[] strategies;
        uint96[] multipliers; // WAD-scaled weight per strategy
        uint96 minimumStake; // below this weighted stake an operator counts as 0
        bool exists;
    }

    /// @notice An operator's stake in a set from `fromBlock` until `toBlock` (0 = current).
    struct StakeUpdate {
        uint32 fromBlock;
        uint32 toBlock;
        uint96 stake;
        bool registered;
    }

    /// @notice A set's APK and total stake from `fromBlock` until `toBlock` (0 = current). The
    /// APK is stored packed: `xAyA = xA << 128 | yA` (both < 2^128 in EIP-2537 layout).
    struct ApkUpdate {
        uint32 fromBlock;
        uint32 toBlock;
        uint96 totalStake;
        uint256 xAyA;
        uint256 xB;
        uint256 yB;
    }

    /// @notice The packed stored form of a public key (same packing as ApkUpdate).
    struct PackedG1 {
        uint256 xAyA;
        uint256 xB;
        uint256 yB;
    }

    /// @notice What a certificate needs from the registry at a reference block.
    struct SignedStake {
        BLS12381.G1Point signersApk; // APK minus the non-signers' keys
        uint96 signedStake;
        uint96 totalStake;
        bytes32[] nonSignerKeyHashes; // ascending
    }

    uint256 internal constant WAD = 1e18;

    /// @notice EigenLayer's AllocationManager, the only caller of the registrar hooks.
    IAllocationManager public immutable allocationManager;
    /// @notice The Rampart AVS (service manager) address.
    address public immutable avs;

    mapping(uint32 => SetConfig) internal setConfigs;
    uint32[] internal configuredSets;

    mapping(address => PackedG1) internal operatorKeys;
    /// @notice The operator that registered a key, by key hash (keccak of EIP-2537 encoding).
    mapping(bytes32 => address) public operatorOfKey;
    /// @notice Each operator's network address for aggregators and peers.
    mapping(address => string) public socketOf;

    mapping(uint32 => mapping(bytes32 => StakeUpdate)) internal currentStake;
    mapping(uint32 => mapping(bytes32 => StakeUpdate[])) internal stakeHistory;
    mapping(uint32 => ApkUpdate) internal currentApk;
    mapping(uint32 => ApkUpdate[]) internal apkHistory;

    /// @dev The operators registered in each set now, in no particular order (a leaving member
    /// is replaced by the last one), and each member's position in that list plus one (0: not a
    /// member).
    mapping(uint32 => address[]) internal setMembers;
    mapping(uint32 => mapping(address => uint256)) internal memberPosition;

    /// @notice An operator registered a BLS key (once per operator, forever).
    event KeyRegistered(address indexed operator, bytes32 indexed keyHash, BLS12381.G1Point pubkey);
    /// @notice An operator joined an operator set.
    event OperatorRegistered(
        address indexed operator,
        uint32 indexed operatorSetId,
        bytes32 indexed keyHash,
        uint96 stake
    );
    /// @notice An operator left an operator set.
    event OperatorDeregistered(
        address indexed operator, uint32 indexed operatorSetId, bytes32 indexed keyHash
    );
    /// @notice An operator's counted stake in a set changed.
    event StakeUpdated(
        address indexed operator,
        uint32 indexed operatorSetId,
        bytes32 indexed keyHash,
        uint96 stake
    );
    /// @notice A set's aggregate key or total stake changed.
    event OperatorSetUpdated(uint32 indexed operatorSetId, BLS12381.G1Point apk, uint96 totalStake);
    /// @notice An operator's socket changed.
    event SocketUpdated(address indexed operator, string socket);
    /// @notice A set's stake configuration changed.
    event OperatorSetConfigured(
        uint32 indexed operatorSetId,
        IStrategy[] strategies,
        uint96[] multipliers,
        uint96 minimumStake
    );

    error OnlyAllocationManager();
    error WrongAVS();
    error UnknownOperatorSet(uint32 operatorSetId);
    error InvalidConfig();
    error InvalidPublicKey();
    error InvalidProofOfPossession();
    error KeyAlreadyRegistered(address owner);
    error KeyMismatch();
    error NoKey(address operator);
    error AlreadyRegistered(uint32 operatorSetId);
    error NotRegistered(uint32 operatorSetId);
    error InsufficientStake(uint96 stake, uint96 minimum);
    error NoStateAtBlock(uint32 referenceBlock);
    error NonSignersNotSorted();
    error NonSignerNotRegistered(bytes32 keyHash);

    modifier onlyAllocationManager() {
        if (msg.sender != address(allocationManager)) revert OnlyAllocationManager();
        _;
    }

    /// @param allocationManager_ EigenLayer's AllocationManager.
    /// @param avs_ The Rampart service manager (the AVS address).
    /// @param owner_ Governance, which configures how stake is weighted.
    constructor(IAllocationManager allocationManager_, address avs_, address owner_) {
        allocationManager = allocationManager_;
        avs = avs_;
        _transferOwnership(owner_);
    }

    // ---------------------------------------------------------------- configuration

    /// @notice Sets how stake is measured in `operatorSetId`: `multipliers[i]` (WAD) weighs the
    /// slashable stake in `strategies[i]`; operators below `minimumStake` cannot join and count
    /// as zero stake if they fall below it later.
    function configureOperatorSet(
        uint32 operatorSetId,
        IStrategy[] calldata strategies,
        uint96[] calldata multipliers,
        uint96 minimumStake
    ) external onlyOwner {
        if (strategies.length == 0 || strategies.length != multipliers.length) {
            revert InvalidConfig();
        }
        SetConfig storage config = setConfigs[operatorSetId];
        if (!config.exists) configuredSets.push(operatorSetId);
        config.strategies = strategies;
        config.multipliers = multipliers;
        config.minimumStake = minimumStake;
        config.exists = true;
        emit OperatorSetConfigured(operatorSetId, strategies, multipliers, minimumStake);
    }

    /// @inheritdoc IAVSRegistrar
    function supportsAVS(address avs_) external view returns (bool) {
        return avs_ == avs;
    }

    // ---------------------------------------------------------------- registrar hooks

    /// @inheritdoc IAVSRegistrar
    function registerOperator(
        address operator,
        address avs_,
        uint32[] calldata operatorSetIds,
        bytes calldata data
    ) external onlyAllocationManager {
        if (avs_ != avs) revert WrongAVS();
        (BLS12381.G1Point memory pubkey, BLS12381.G2Point memory pop, string memory socket) =
            abi.decode(data, (BLS12381.G1Point, BLS12381.G2Point, string));
        bytes32 keyHash = _registerKey(operator, pubkey, pop);
        for (uint256 i = 0; i < operatorSetIds.length; i++) {
            _join(operator, keyHash, pubkey, operatorSetIds[i]);
        }
        if (bytes(socket).length != 0) {
            socketOf[operator] = socket;
            emit SocketUpdated(operator, socket);
        }
    }

    /// @inheritdoc IAVSRegistrar
    function deregisterOperator(address operator, address avs_, uint32[] calldata operatorSetIds)
        external
        onlyAllocationManager
    {
        if (avs_ != avs) revert WrongAVS();
        (BLS12381.G1Point memory pubkey, bytes32 keyHash) = operatorKey(operator);
        if (keyHash == bytes32(0)) revert NoKey(operator);
        BLS12381.G1Point memory negated = pubkey.negate();
        for (uint256 i = 0; i < operatorSetIds.length; i++) {
            uint32 setId = operatorSetIds[i];
            StakeUpdate memory cur = currentStake[setId][keyHash];
            if (!cur.registered) revert NotRegistered(setId);
            _setStake(setId, keyHash, 0, false);
            _updateApk(setId, negated, true, -int256(uint256(cur.stake)));
            _removeMember(setId, operator);
            emit OperatorDeregistered(operator, setId, keyHash);
        }
    }

    /// @notice Re-reads the slashable stake of `operators` in every set they are registered
    /// in and records changes. Permissionless: anyone may keep stakes current.
    function updateStakes(address[] calldata operators) external {
        for (uint256 i = 0; i < operators.length; i++) {
            (, bytes32 keyHash) = operatorKey(operators[i]);
            if (keyHash == bytes32(0)) continue;
            for (uint256 j = 0; j < configuredSets.length; j++) {
                uint32 setId = configuredSets[j];
                StakeUpdate memory cur = currentStake[setId][keyHash];
                if (!cur.registered) continue;
                uint96 weighted = weightedStake(operators[i], setId);
                uint96 counted = weighted >= setConfigs[setId].minimumStake ? weighted : 0;
                if (counted == cur.stake) continue;
                _setStake(setId, keyHash, counted, true);
                _updateApk(
                    setId,
                    BLS12381.G1Point(0, 0, 0, 0),
                    false,
                    int256(uint256(counted)) - int256(uint256(cur.stake))
                );
                emit StakeUpdated(operators[i], setId, keyHash, counted);
            }
        }
    }

    /// @notice Updates the caller's socket.
    function updateSocket(string calldata socket) external {
        (, bytes32 keyHash) = operatorKey(msg.sender);
        if (keyHash == bytes32(0)) revert NoKey(msg.sender);
        socketOf[msg.sender] = socket;
        emit SocketUpdated(msg.sender, socket);
    }

    // ---------------------------------------------------------------- views

    /// @notice The weighted slashable stake of `operator` in `operatorSetId` now.
    function weightedStake(address operator, uint32 operatorSetId) public view returns (uint96) {
        SetConfig storage config = setConfigs[operatorSetId];
        if (!config.exists) revert UnknownOperatorSet(operatorSetId);
        address[] memory operators = new address[](1);
        operators[0] = operator;
        uint256[][] memory stakes = allocationManager.getMinimumSlashableStake(
            OperatorSet(avs, operatorSetId), operators, config.strategies, uint32(block.number)
        );
        uint256 total;
        for (uint256 i = 0; i < config.strategies.length; i++) {
            total += stakes[0][i] * config.multipliers[i] / WAD;
        }
        return SafeCast.toUint96(total);
    }

    /// @notice The operator's BLS key and its hash (zero if none).
    function operatorKey(address operator)
        public
        view
        returns (BLS12381.G1Point memory pubkey, bytes32 keyHash)
    {
        PackedG1 storage packed = operatorKeys[operator];
        pubkey = _unpack(packed.xAyA, packed.xB, packed.yB);
        if (!pubkey.isInfinity()) keyHash = keccak256(abi.encode(pubkey));
    }

    /// @notice The stake configuration of a set.
    function operatorSetConfig(uint32 operatorSetId)
        external
        view
        returns (IStrategy[] memory strategies, uint96[] memory multipliers, uint96 minimumStake)
    {
        SetConfig storage config = setConfigs[operatorSetId];
        return (config.strategies, config.multipliers, config.minimumStake);
    }

    /// @notice The set's APK and total stake at `referenceBlock`.
    function apkAt(uint32 operatorSetId, uint32 referenceBlock)
        public
        view
        returns (BLS12381.G1Point memory apk, uint96 totalStake)
    {
        ApkUpdate storage entry = _apkEntryAt(operatorSetId, referenceBlock);
        return (_unpack(entry.xAyA, entry.xB, entry.yB), entry.totalStake);
    }

    /// @notice A key's counted stake and membership in a set at `referenceBlock`.
    function stakeAt(uint32 operatorSetId, bytes32 keyHash, uint32 referenceBlock)
        public
        view
        returns (uint96 stake, bool registered)
    {
        StakeUpdate memory entry = _stakeEntryAt(operatorSetId, keyHash, referenceBlock);
        return (entry.stake, entry.registered);
    }

    /// @notice The operators registered in a set now, in no particular order (a leaving
    /// member's place is taken by the last member).
    function members(uint32 operatorSetId) external view returns (address[] memory) {
        return setMembers[operatorSetId];
    }

    /// @notice How many operators are registered in a set now.
    function memberCount(uint32 operatorSetId) external view returns (uint256) {
        return setMembers[operatorSetId].length;
    }

    /// @notice The member at `index` (< `memberCount`) of `members(operatorSetId)`.
    function memberAt(uint32 operatorSetId, uint256 index) external view returns (address) {
        return setMembers[operatorSetId][index];
    }

    /// @notice Whether `operator` is registered in a set now.
    function isMember(uint32 operatorSetId, address operator) external view returns (bool) {
        return memberPosition[operatorSetId][operator] != 0;
    }

    /// @notice The number of archived APK entries of a set (for off-chain indexing).
    function apkHistoryLength(uint32 operatorSetId) external view returns (uint256) {
        return apkHistory[operatorSetId].length;
    }

    /// @notice Everything a certificate needs at `referenceBlock`: the signers' APK (the set's
    /// APK minus `nonSignerPubkeys`), signed and total stake, and the non-signers' key hashes. Non-signers must be sorted strictly ascending by key hash and registered in the
    /// set at the reference block.
    function signedStakeAt(
        uint32 operatorSetId,
        uint32 referenceBlock,
        BLS12381.G1Point[] calldata nonSignerPubkeys
    ) external view returns (SignedStake memory result) {
        (BLS12381.G1Point memory apk, uint96 total) = apkAt(operatorSetId, referenceBlock);
        result.totalStake = total;
        result.nonSignerKeyHashes = new bytes32[](nonSignerPubkeys.length);
        if (nonSignerPubkeys.length == 0) {
            result.signersApk = apk;
            result.signedStake = total;
            return result;
        }
        (uint256 nonSignerStake, BLS12381.G1Point memory nonSignersApk) =
            _nonSigners(operatorSetId, referenceBlock, nonSignerPubkeys, result.nonSignerKeyHashes);
        // Non-signer stakes are part of `total` at the same block, so the difference is ≤ total.
        // forge-lint: disable-next-line(unsafe-typecast)
        result.signedStake = uint96(total - nonSignerStake);
        result.signersApk = apk.sub(nonSignersApk);
    }

    // ---------------------------------------------------------------- internals

    /// @dev Sums the non-signers' stakes and keys, checking order and membership. Uses one
    /// 256-byte scratch buffer `acc ‖ pk`: each key is copied from calldata into the second
    /// half, hashed there, and added into the first half by G1ADD in place (acc starts as the
    /// identity). Membership is checked before the addition, so only registered keys (validated
    /// and subgroup-checked by their PoP at registration) reach G1ADD.
    function _nonSigners(
        uint32 operatorSetId,
        uint32 referenceBlock,
        BLS12381.G1Point[] calldata pubkeys,
        bytes32[] memory keyHashes
    ) internal view returns (uint256 stake, BLS12381.G1Point memory sum) {
        assembly ("memory-safe") {
            sum := mload(0x40)
            mstore(0x40, add(sum, 0x100))
            mstore(sum, 0)
            mstore(add(sum, 0x20), 0)
            mstore(add(sum, 0x40), 0)
            mstore(add(sum, 0x60), 0)
        }
        bool ok = true;
        for (uint256 i = 0; i < pubkeys.length; i++) {
            bytes32 keyHash;
            assembly ("memory-safe") {
                let pk := add(sum, 0x80)
                calldatacopy(pk, add(pubkeys.offset, shl(7, i)), 0x80)
                keyHash := keccak256(pk, 0x80)
            }
            if (i != 0 && keyHash <= keyHashes[i - 1]) revert NonSignersNotSorted();
            keyHashes[i] = keyHash;
            StakeUpdate memory entry = _stakeEntryAt(operatorSetId, keyHash, referenceBlock);
            if (!entry.registered) revert NonSignerNotRegistered(keyHash);
            stake += entry.stake;
            // Only registered (hence valid) keys reach the precompile.
            assembly ("memory-safe") {
                ok := and(ok, staticcall(gas(), 0x0b, sum, 0x100, sum, 0x80))
                ok := and(ok, eq(returndatasize(), 0x80))
            }
        }
        if (!ok) revert BLS12381.PrecompileFailed(address(0x0b));
    }

    function _registerKey(
        address operator,
        BLS12381.G1Point memory pubkey,
        BLS12381.G2Point memory pop
    ) internal returns (bytes32 keyHash) {
        (, bytes32 existingHash) = operatorKey(operator);
        if (!pubkey.isValidEncoding() || pubkey.isInfinity()) revert InvalidPublicKey();
        keyHash = keccak256(abi.encode(pubkey));
        if (existingHash != bytes32(0)) {
            // One key per operator, forever: later registrations must present the same key.
            // The stored key was proven at its first registration; no new PoP is needed.
            if (existingHash != keyHash) revert KeyMismatch();
            return keyHash;
        }
        address owner_ = operatorOfKey[keyHash];
        if (owner_ != address(0)) revert KeyAlreadyRegistered(owner_);
        bytes32 digest =
            RampartDigests.keyRegistrationDigest(operator, abi.encode(pubkey), address(this));
        BLS12381.G2Point memory hashed =
            BLS12381.hashToG2(abi.encodePacked(digest), RampartDigests.DST_POP);
        // The pairing precompile subgroup-checks both points.
        if (!BLS12381.verify(pubkey, pop, hashed)) revert InvalidProofOfPossession();
        operatorOfKey[keyHash] = operator;
        operatorKeys[operator] = PackedG1(pubkey.xA << 128 | pubkey.yA, pubkey.xB, pubkey.yB);
        emit KeyRegistered(operator, keyHash, pubkey);
    }

    function _join(address operator, bytes32 keyHash, BLS12381.G1Point memory pubkey, uint32 setId)
        internal
    {
        SetConfig storage config = setConfigs[setId];
        if (!config.exists) revert UnknownOperatorSet(setId);
        if (currentStake[setId][keyHash].registered) revert AlreadyRegistered(setId);
        uint96 stake = weightedStake(operator, setId);
        if (stake < config.minimumStake) revert InsufficientStake(stake, config.minimumStake);
        _setStake(setId, keyHash, stake, true);
        _updateApk(setId, pubkey, true, int256(uint256(stake)));
        setMembers[setId].push(operator);
        memberPosition[setId][operator] = setMembers[setId].length;
        emit OperatorRegistered(operator, setId, keyHash, stake);
    }

    /// @dev Swap-and-pop: the last member takes the leaving member's place.
    function _removeMember(uint32 setId, address operator) internal {
        address[] storage list = setMembers[setId];
        uint256 position = memberPosition[setId][operator];
        uint256 last = list.length;
        if (position != last) {
            address moved = list[last - 1];
            list[position - 1] = moved;
            memberPosition[setId][moved] = position;
        }
        list.pop();
        delete memberPosition[setId][operator];
    }

    function _setStake(uint32 setId, bytes32 keyHash, uint96 stake, bool registered) internal {
        StakeUpdate storage cur = currentStake[setId][keyHash];
        uint32 now_ = uint32(block.number);
        if (cur.fromBlock != 0 && cur.fromBlock != now_) {
            stakeHistory[setId][keyHash].push(
                StakeUpdate(cur.fromBlock, now_, cur.stake, cur.registered)
            );
        }
        cur.fromBlock = now_;
        cur.stake = stake;
        cur.registered = registered;
    }

    function _updateApk(
        uint32 setId,
        BLS12381.G1Point memory keyDelta,
        bool changesKey,
        int256 stakeDelta
    ) internal {
        ApkUpdate storage cur = currentApk[setId];
        uint32 now_ = uint32(block.number);
        if (cur.fromBlock != 0 && cur.fromBlock != now_) {
            apkHistory[setId].push(
                ApkUpdate(cur.fromBlock, now_, cur.totalStake, cur.xAyA, cur.xB, cur.yB)
            );
        }
        if (changesKey) {
            BLS12381.G1Point memory apk = _unpack(cur.xAyA, cur.xB, cur.yB).add(keyDelta);
            (cur.xAyA, cur.xB, cur.yB) = (apk.xA << 128 | apk.yA, apk.xB, apk.yB);
        }
        cur.fromBlock = now_;
        cur.totalStake =
            SafeCast.toUint96(SafeCast.toUint256(int256(uint256(cur.totalStake)) + stakeDelta));
        emit OperatorSetUpdated(setId, _unpack(cur.xAyA, cur.xB, cur.yB), cur.totalStake);
    }

    /// @dev The APK entry in force at `referenceBlock`: the current one if it started at or
    /// before it (the common case: one storage read), else a binary search of the archive.
    function _apkEntryAt(uint32 setId, uint32 referenceBlock)
        internal
        view
        returns (ApkUpdate storage)
    {
        ApkUpdate storage cur = currentApk[setId];
        uint32 from = cur.fromBlock;
        if (from != 0 && from <= referenceBlock) return cur;
        ApkUpdate[] storage history = apkHistory[setId];
        uint256 lo = 0;
        uint256 hi = history.length;
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            if (history[mid].toBlock <= referenceBlock) lo = mid + 1;
            else hi = mid;
        }
        if (lo == history.length || history[lo].fromBlock > referenceBlock) {
            revert NoStateAtBlock(referenceBlock);
        }
        return history[lo];
    }

    /// @dev Same search for a key's stake entry; a key never seen reads as unregistered.
    function _stakeEntryAt(uint32 setId, bytes32 keyHash, uint32 referenceBlock)
        internal
        view
        returns (StakeUpdate memory)
    {
        StakeUpdate memory cur = currentStake[setId][keyHash];
        if (cur.fromBlock <= referenceBlock) return cur; // includes "never seen" (all zero)
        StakeUpdate[] storage history = stakeHistory[setId][keyHash];
        uint256 lo = 0;
        uint256 hi = history.length;
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            if (history[mid].toBlock <= referenceBlock) lo = mid + 1;
            else hi = mid;
        }
        if (lo == history.length || history[lo].fromBlock > referenceBlock) {
            return StakeUpdate(0, 0, 0, false);
        }
        return history[lo];
    }

    function _unpack(uint256 xAyA, uint256 xB, uint256 yB)
        internal
        pure
        returns (BLS12381.G1Point memory)
    {
        return BLS12381.G1Point(xAyA >> 128, xB, xAyA & type(uint128).max, yB);
    }
}
