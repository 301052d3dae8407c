// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title BLS12381
/// @notice BLS12-381 arithmetic, hash-to-G2 (RFC 9380, BLS12381G2_XMD:SHA-256_SSWU_RO_) and
/// BLS signature verification (min_pk: public keys in G1, signatures in G2) on top of the
/// EIP-2537 precompiles.
/// @dev Encodings follow EIP-2537: a base-field element is 64 bytes (16 zero bytes, then the
/// 48-byte big-endian value, which must be < p); a G1 point is x‖y (128 bytes); a G2 point is
/// x.c0‖x.c1‖y.c0‖y.c1 (256 bytes); the point at infinity is all zeros. The structs below are
/// laid out in memory exactly like that, so a struct pointer is handed to the precompiles as is.
///
/// Failure behaviour:
/// - Arithmetic wrappers (`add`, `sub`, `mul`, `mapFp2ToG2`, `hashToG2`) forward all gas and
///   revert `PrecompileFailed(address)` when the precompile rejects the input. A failing
///   EIP-2537 call consumes all the gas it was given.
/// - Predicates (`pairingCheck`, `verify`, `inSubgroup`) return false on rejected input. They hand
///   the precompile exactly its EIP-2537 price, so a rejection costs only that price. If the caller
///   cannot afford that price they revert (empty data) rather than return a false negative.
/// - G1ADD and G2ADD do no subgroup check. Never use `add`/`sub` to validate points.
library BLS12381 {
    /// @notice EIP-2537 layout in memory: x = (xA << 256 | xB) with xA < 2**128. Field order =
    /// memory order.
    struct G1Point {
        uint256 xA;
        uint256 xB;
        uint256 yA;
        uint256 yB;
    }

    /// @notice x.c0, x.c1, y.c0, y.c1, each as (A, B) words.
    struct G2Point {
        uint256 x0A;
        uint256 x0B;
        uint256 x1A;
        uint256 x1B;
        uint256 y0A;
        uint256 y0B;
        uint256 y1A;
        uint256 y1B;
    }

    /// @notice A coordinate has non-zero padding or a value >= p.
    error InvalidFieldElement();
    /// @notice The point at infinity where a proper point is required.
    error PointAtInfinity();
    /// @notice The precompile rejected its input (not on curve, not in subgroup, bad encoding), or
    /// it is missing on this chain.
    error PrecompileFailed(address precompile);
    /// @notice A byte string has the wrong length for the requested operation.
    error InvalidLength();

    address internal constant SHA256 = address(0x02);
    address internal constant MODEXP = address(0x05);
    address internal constant G1ADD = address(0x0b);
    address internal constant G1MSM = address(0x0c);
    address internal constant G2ADD = address(0x0d);
    address internal constant G2MSM = address(0x0e);
    address internal constant PAIRING_CHECK = address(0x0f);
    address internal constant MAP_FP_TO_G1 = address(0x10);
    address internal constant MAP_FP2_TO_G2 = address(0x11);

    /// @dev EIP-2537 prices of the calls whose failure is reported as `false`.
    uint256 internal constant G1MSM_SINGLE_GAS = 12_000;
    uint256 internal constant PAIRING_BASE_GAS = 37_700;
    uint256 internal constant PAIRING_PER_PAIR_GAS = 32_600;

    /// @dev The base-field modulus p split as (P_A << 256 | P_B).
    uint256 internal constant P_A = 0x1a0111ea397fe69a4b1ba7b6434bacd7;
    uint256 internal constant P_B =
        0x64774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab;

    /// @dev The order r of G1 and G2.
    uint256 internal constant R =
        0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001;

    /// @dev The standard G1 generator and the y coordinate of its negation.
    uint256 internal constant G1_X_A = 0x17f1d3a73197d7942695638c4fa9ac0f;
    uint256 internal constant G1_X_B =
        0xc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb;
    uint256 internal constant G1_Y_A = 0x08b3f481e3aaa0f1a09e30ed741d8ae4;
    uint256 internal constant G1_Y_B =
        0xfcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1;
    uint256 internal constant G1_NEG_Y_A = 0x114d1d6855d545a8aa7d76c8cf2e21f2;
    uint256 internal constant G1_NEG_Y_B =
        0x67816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca;

    // ------------------------------------------------------------------------------------------
    // Constants and predicates
    // ------------------------------------------------------------------------------------------

    /// @notice The standard generator of G1.
    function generatorG1() internal pure returns (G1Point memory) {
        return G1Point(G1_X_A, G1_X_B, G1_Y_A, G1_Y_B);
    }

    /// @notice The negation of the standard generator of G1.
    function negGeneratorG1() internal pure returns (G1Point memory) {
        return G1Point(G1_X_A, G1_X_B, G1_NEG_Y_A, G1_NEG_Y_B);
    }

    /// @notice Whether `p` is the point at infinity (all-zero encoding).
    function isInfinity(G1Point memory p) internal pure returns (bool r) {
        // OR of the four words.
        assembly ("memory-safe") {
            r := iszero(
                or(or(mload(p), mload(add(p, 0x20))), or(mload(add(p, 0x40)), mload(add(p, 0x60))))
            )
        }
    }

    /// @notice Whether `p` is the point at infinity (all-zero encoding).
    function isInfinity(G2Point memory p) internal pure returns (bool r) {
        // OR of the eight words.
        assembly ("memory-safe") {
            let acc :=
                or(or(mload(p), mload(add(p, 0x20))), or(mload(add(p, 0x40)), mload(add(p, 0x60))))
            acc := or(acc, or(mload(add(p, 0x80)), mload(add(p, 0xa0))))
            r := iszero(or(acc, or(mload(add(p, 0xc0)), mload(add(p, 0xe0)))))
        }
    }

    /// @notice Whether every coordinate of `p` is a canonical field element (zero padding, < p).
    /// Says nothing about the curve equation or the subgroup.
    function isValidEncoding(G1Point memory p) internal pure returns (bool) {
        return _isFp(p.xA, p.xB) && _isFp(p.yA, p.yB);
    }

    /// @notice Whether every coordinate of `p` is a canonical field element (zero padding, < p).
    /// Says nothing about the curve equation or the subgroup.
    function isValidEncoding(G2Point memory p) internal pure returns (bool) {
        return
            _isFp(p.x0A, p.x0B) && _isFp(p.x1A, p.x1B) && _isFp(p.y0A, p.y0B) && _isFp(p.y1A, p.y1B);
    }

    // ------------------------------------------------------------------------------------------
    // Group operations
    // ------------------------------------------------------------------------------------------

    /// @notice (x, p - y); infinity stays infinity. Reverts `InvalidFieldElement` if y >= p.
    /// @dev Returns a fresh struct; `p` is not modified. x is copied unchecked.
    function negate(G1Point memory p) internal pure returns (G1Point memory r) {
        r.xA = p.xA;
        r.xB = p.xB;
        (r.yA, r.yB) = _negFp(p.yA, p.yB);
    }

    /// @notice a + b with G1ADD. Reverts `PrecompileFailed(0x0b)` if a point is off the curve or
    /// badly encoded. No subgroup check.
    function add(G1Point memory a, G1Point memory b) internal view returns (G1Point memory r) {
        bool ok;
        // Input a‖b in scratch past the free pointer; the output lands directly in r.
        assembly ("memory-safe") {
            let buf := mload(0x40)
            mcopy(buf, a, 0x80)
            mcopy(add(buf, 0x80), b, 0x80)
            ok := staticcall(gas(), 0x0b, buf, 0x100, r, 0x80)
            ok := and(ok, eq(returndatasize(), 0x80))
        }
        if (!ok) revert PrecompileFailed(G1ADD);
    }

    /// @notice a - b = a + negate(b) with G1ADD.
    function sub(G1Point memory a, G1Point memory b) internal view returns (G1Point memory) {
        return add(a, negate(b));
    }

    /// @notice scalar · p with G1MSM (k = 1). Reverts `PrecompileFailed(0x0c)` if p is off the
    /// curve, not in G1 or badly encoded.
    function mul(G1Point memory p, uint256 scalar) internal view returns (G1Point memory r) {
        bool ok;
        // Input p‖scalar in scratch past the free pointer; the output lands directly in r.
        assembly ("memory-safe") {
            let buf := mload(0x40)
            mcopy(buf, p, 0x80)
            mstore(add(buf, 0x80), scalar)
            ok := staticcall(gas(), 0x0c, buf, 0xa0, r, 0x80)
            ok := and(ok, eq(returndatasize(), 0x80))
        }
        if (!ok) revert PrecompileFailed(G1MSM);
    }

    /// @notice a + b with G2ADD. Reverts `PrecompileFailed(0x0d)` if a point is off the curve or
    /// badly encoded. No subgroup check.
    function add(G2Point memory a, G2Point memory b) internal view returns (G2Point memory r) {
        bool ok;
        // Input a‖b in scratch past the free pointer; the output lands directly in r.
        assembly ("memory-safe") {
            let buf := mload(0x40)
            mcopy(buf, a, 0x100)
            mcopy(add(buf, 0x100), b, 0x100)
            ok := staticcall(gas(), 0x0d, buf, 0x200, r, 0x100)
            ok := and(ok, eq(returndatasize(), 0x100))
        }
        if (!ok) revert PrecompileFailed(G2ADD);
    }

    /// @notice scalar · p with G2MSM (k = 1). Reverts `PrecompileFailed(0x0e)` if p is off the
    /// curve, not in G2 or badly encoded.
    function mul(G2Point memory p, uint256 scalar) internal view returns (G2Point memory r) {
        bool ok;
        // Input p‖scalar in scratch past the free pointer; the output lands directly in r.
        assembly ("memory-safe") {
            let buf := mload(0x40)
            mcopy(buf, p, 0x100)
            mstore(add(buf, 0x100), scalar)
            ok := staticcall(gas(), 0x0e, buf, 0x120, r, 0x100)
            ok := and(ok, eq(returndatasize(), 0x100))
        }
        if (!ok) revert PrecompileFailed(G2MSM);
    }

    /// @notice Whether p is on the curve and in G1 (infinity counts as in G1). False for malformed
    /// encodings. Costs one G1MSM (12,000 gas) whatever the outcome.
    function inSubgroup(G1Point memory p) internal view returns (bool r) {
        // G1MSM with k = 1 succeeds iff p is a well-formed point of G1; it gets exactly its price.
        assembly ("memory-safe") {
            let buf := mload(0x40)
            mcopy(buf, p, 0x80)
            mstore(add(buf, 0x80), 1)
            if lt(gas(), add(G1MSM_SINGLE_GAS, add(div(G1MSM_SINGLE_GAS, 63), 500))) {
                revert(0, 0)
            }
            r := staticcall(G1MSM_SINGLE_GAS, 0x0c, buf, 0xa0, buf, 0x80)
            r := and(r, eq(returndatasize(), 0x80))
        }
    }

    // ------------------------------------------------------------------------------------------
    // Hashing to G2 (RFC 9380, suite BLS12381G2_XMD:SHA-256_SSWU_RO_)
    // ------------------------------------------------------------------------------------------

    /// @notice MAP_FP2_TO_G2 on the Fp2 element c0 + c1·I (the precompile clears the cofactor).
    /// Reverts `PrecompileFailed(0x11)` unless both components are canonical.
    function mapFp2ToG2(uint256 c0A, uint256 c0B, uint256 c1A, uint256 c1B)
        internal
        view
        returns (G2Point memory r)
    {
        bool ok;
        // The four words are the 128-byte EIP-2537 Fp2 encoding; the output lands directly in r.
        assembly ("memory-safe") {
            let buf := mload(0x40)
            mstore(buf, c0A)
            mstore(add(buf, 0x20), c0B)
            mstore(add(buf, 0x40), c1A)
            mstore(add(buf, 0x60), c1B)
            ok := staticcall(gas(), 0x11, buf, 0x80, r, 0x100)
            ok := and(ok, eq(returndatasize(), 0x100))
        }
        if (!ok) revert PrecompileFailed(MAP_FP2_TO_G2);
    }

    /// @notice expand_message_xmd with SHA-256 (RFC 9380 section 5.3.1).
    /// @dev A DST longer than 255 bytes is first replaced by SHA-256("H2C-OVERSIZE-DST-" ‖ DST)
    /// (section 5.3.3). Reverts `InvalidLength` if lenInBytes > 255·32. lenInBytes = 0 gives "".
    function expandMessageXmd(bytes memory message, bytes memory dst, uint256 lenInBytes)
        internal
        view
        returns (bytes memory out)
    {
        if (lenInBytes > 8160) revert InvalidLength();
        if (dst.length > 255) {
            dst = abi.encodePacked(sha256(bytes.concat("H2C-OVERSIZE-DST-", dst)));
        }
        bool ok;
        // Allocates ceil(len/32) words for the output and builds every hash input in one scratch
        // buffer after it: first msg' for b_0, then (b_0 xor b_{i-1}) ‖ i ‖ DST' for each b_i.
        assembly ("memory-safe") {
            let ell := shr(5, add(lenInBytes, 31))
            out := mload(0x40)
            mstore(out, lenInBytes)
            let outData := add(out, 0x20)
            let buf := add(outData, shl(5, ell))
            mstore(0x40, buf)

            // msg' = Z_pad(64) ‖ msg ‖ I2OSP(len, 2) ‖ 0x00 ‖ DST ‖ I2OSP(len(DST), 1)
            let msgLen := mload(message)
            let dstLen := mload(dst)
            mstore(buf, 0)
            mstore(add(buf, 0x20), 0)
            mcopy(add(buf, 0x40), add(message, 0x20), msgLen)
            let q := add(add(buf, 0x40), msgLen)
            mstore(q, shl(240, lenInBytes)) // two length bytes, then the zero byte
            mcopy(add(q, 3), add(dst, 0x20), dstLen)
            mstore8(add(add(q, 3), dstLen), dstLen)
            ok := staticcall(gas(), 0x02, buf, add(add(msgLen, dstLen), 0x44), 0x00, 0x20)
            let b0 := mload(0x00)

            // b_i = H((b_0 xor b_{i-1}) ‖ I2OSP(i, 1) ‖ DST'), with b_0' = 0 so b_1 = H(b_0 ‖ 1 ‖ DST').
            mcopy(add(buf, 0x21), add(dst, 0x20), dstLen)
            mstore8(add(add(buf, 0x21), dstLen), dstLen)
            let blockLen := add(dstLen, 0x22)
            let prev := 0
            for { let i := 1 } iszero(gt(i, ell)) { i := add(i, 1) } {
                mstore(buf, xor(b0, prev))
                mstore8(add(buf, 0x20), i)
                let dest := add(outData, shl(5, sub(i, 1)))
                ok := and(ok, staticcall(gas(), 0x02, buf, blockLen, dest, 0x20))
                prev := mload(dest)
            }
        }
        if (!ok) revert PrecompileFailed(SHA256);
    }

    /// @notice hash_to_field(msg, 2) for Fp2 with L = 64: u0 = (u[0..1], u[2..3]), u1 = (u[4..5],
    /// u[6..7]); each component is an (A, B) word pair, i.e. the EIP-2537 encoding.
    function hashToFieldFp2(bytes memory message, bytes memory dst)
        internal
        view
        returns (uint256[8] memory u)
    {
        bytes memory uniform = expandMessageXmd(message, dst, 256);
        bool ok = true;
        // Reduce each 64-byte chunk mod p with MODEXP(base = chunk, exp = 1, mod = p). The 48-byte
        // result is written 16 bytes into its (zero-initialised) 64-byte slot of u.
        assembly ("memory-safe") {
            let buf := mload(0x40)
            mstore(buf, 0x40) // base length
            mstore(add(buf, 0x20), 1) // exponent length
            mstore(add(buf, 0x40), 0x30) // modulus length
            // base at +0x60 (64 bytes), exponent at +0xa0 (1 byte), modulus at +0xa1 (48 bytes)
            mstore(add(buf, 0xa1), shl(128, P_A))
            mstore(add(buf, 0xb1), P_B)
            mstore8(add(buf, 0xa0), 1)
            let src := add(uniform, 0x20)
            for { let k := 0 } lt(k, 4) { k := add(k, 1) } {
                mcopy(add(buf, 0x60), add(src, shl(6, k)), 0x40)
                ok := and(
                    ok,
                    staticcall(gas(), 0x05, buf, 0xd1, add(add(u, shl(6, k)), 0x10), 0x30)
                )
                ok := and(ok, eq(returndatasize(), 0x30))
            }
        }
        if (!ok) revert PrecompileFailed(MODEXP);
    }

    /// @notice hash_to_curve for BLS12381G2_XMD:SHA-256_SSWU_RO_ with the given DST:
    /// map(u0) + map(u1), where MAP_FP2_TO_G2 already clears the cofactor.
    function hashToG2(bytes memory message, bytes memory dst)
        internal
        view
        returns (G2Point memory r)
    {
        uint256[8] memory u = hashToFieldFp2(message, dst);
        address failed;
        // Both maps write into one 512-byte scratch buffer, which is exactly G2ADD's input.
        // (Each call is its own statement: Yul evaluates arguments right to left.)
        assembly ("memory-safe") {
            let buf := mload(0x40)
            let ok := staticcall(gas(), 0x11, u, 0x80, buf, 0x100)
            ok := and(ok, eq(returndatasize(), 0x100))
            ok := and(ok, staticcall(gas(), 0x11, add(u, 0x80), 0x80, add(buf, 0x100), 0x100))
            ok := and(ok, eq(returndatasize(), 0x100))
            switch ok
            case 0 { failed := 0x11 }
            default {
                ok := staticcall(gas(), 0x0d, buf, 0x200, r, 0x100)
                if iszero(and(ok, eq(returndatasize(), 0x100))) { failed := 0x0d }
            }
        }
        if (failed != address(0)) revert PrecompileFailed(failed);
    }

    // ------------------------------------------------------------------------------------------
    // Pairings and signatures
    // ------------------------------------------------------------------------------------------

    /// @notice Whether prod_i e(g1[i], g2[i]) == 1. Returns false (never reverts) if the precompile
    /// rejects the input (off-curve / non-subgroup points, bad encodings), if the arrays are empty
    /// or if their lengths differ. Infinity pairs are accepted and contribute 1.
    function pairingCheck(G1Point[] memory g1, G2Point[] memory g2) internal view returns (bool r) {
        uint256 k = g1.length;
        if (k == 0 || k != g2.length) return false;
        uint256 price = PAIRING_BASE_GAS + PAIRING_PER_PAIR_GAS * k;
        // Concatenate the pairs into scratch past the free pointer, then call with exactly the
        // EIP-2537 price (refusing to run if the caller cannot afford it).
        assembly ("memory-safe") {
            let buf := mload(0x40)
            let ptr := buf
            for { let off := 0x20 } lt(off, add(shl(5, k), 0x20)) { off := add(off, 0x20) } {
                mcopy(ptr, mload(add(g1, off)), 0x80)
                mcopy(add(ptr, 0x80), mload(add(g2, off)), 0x100)
                ptr := add(ptr, 0x180)
            }
            if lt(gas(), add(price, add(div(price, 63), 500))) { revert(0, 0) }
            mstore(0x00, 0)
            r := staticcall(price, 0x0f, buf, sub(ptr, buf), 0x00, 0x20)
            r := and(and(r, eq(returndatasize(), 0x20)), eq(mload(0x00), 1))
        }
    }

    /// @notice e(pubkey, hashed) · e(-G1, signature) == 1. Returns false for an infinity pubkey or
    /// signature, for malformed / off-curve / non-subgroup points (the precompile subgroup-checks
    /// all three), or if the check fails. `hashed` is hashToG2(message, dst).
    function verify(G1Point memory pubkey, G2Point memory signature, G2Point memory hashed)
        internal
        view
        returns (bool r)
    {
        if (isInfinity(pubkey) || isInfinity(signature)) return false;
        // pubkey ‖ hashed ‖ -G1 ‖ signature in scratch, then one 2-pair PAIRING_CHECK given exactly
        // its price (102,900), refusing to run if the caller cannot afford it.
        assembly ("memory-safe") {
            let buf := mload(0x40)
            mcopy(buf, pubkey, 0x80)
            mcopy(add(buf, 0x80), hashed, 0x100)
            mstore(add(buf, 0x180), G1_X_A)
            mstore(add(buf, 0x1a0), G1_X_B)
            mstore(add(buf, 0x1c0), G1_NEG_Y_A)
            mstore(add(buf, 0x1e0), G1_NEG_Y_B)
            mcopy(add(buf, 0x200), signature, 0x100)
            let price := add(PAIRING_BASE_GAS, mul(2, PAIRING_PER_PAIR_GAS))
            if lt(gas(), add(price, add(div(price, 63), 500))) { revert(0, 0) }
            mstore(0x00, 0)
            r := staticcall(price, 0x0f, buf, 0x300, 0x00, 0x20)
            r := and(and(r, eq(returndatasize(), 0x20)), eq(mload(0x00), 1))
        }
    }

    // ------------------------------------------------------------------------------------------
    // Encoding
    // ------------------------------------------------------------------------------------------

    /// @notice Decodes the 128-byte EIP-2537 G1 encoding. Reverts `InvalidLength` for any other
    /// length and `InvalidFieldElement` for non-zero padding or a coordinate >= p. Does not check
    /// the curve equation or the subgroup.
    function decodeG1(bytes memory raw) internal pure returns (G1Point memory p) {
        if (raw.length != 128) revert InvalidLength();
        // Straight copy: the struct layout is the encoding.
        assembly ("memory-safe") {
            mcopy(p, add(raw, 0x20), 0x80)
        }
        if (!isValidEncoding(p)) revert InvalidFieldElement();
    }

    /// @notice Decodes the 256-byte EIP-2537 G2 encoding. Reverts `InvalidLength` for any other
    /// length and `InvalidFieldElement` for non-zero padding or a coordinate >= p. Does not check
    /// the curve equation or the subgroup.
    function decodeG2(bytes memory raw) internal pure returns (G2Point memory p) {
        if (raw.length != 256) revert InvalidLength();
        // Straight copy: the struct layout is the encoding.
        assembly ("memory-safe") {
            mcopy(p, add(raw, 0x20), 0x100)
        }
        if (!isValidEncoding(p)) revert InvalidFieldElement();
    }

    /// @notice The 128-byte EIP-2537 encoding of p (copied as is, not validated).
    function encode(G1Point memory p) internal pure returns (bytes memory out) {
        // Allocate length word + 128 bytes and copy the struct.
        assembly ("memory-safe") {
            out := mload(0x40)
            mstore(out, 0x80)
            mcopy(add(out, 0x20), p, 0x80)
            mstore(0x40, add(out, 0xa0))
        }
    }

    /// @notice The 256-byte EIP-2537 encoding of p (copied as is, not validated).
    function encode(G2Point memory p) internal pure returns (bytes memory out) {
        // Allocate length word + 256 bytes and copy the struct.
        assembly ("memory-safe") {
            out := mload(0x40)
            mstore(out, 0x100)
            mcopy(add(out, 0x20), p, 0x100)
            mstore(0x40, add(out, 0x120))
        }
    }

    /// @notice Raw staticcall of `precompile` on `input` with all gas; returns (success, output).
    /// @dev A failing EIP-2537 call consumes all the gas it was given: bound it from outside (an
    /// external call with a gas limit) or use the overload that takes a gas limit.
    function callPrecompile(address precompile, bytes memory input)
        internal
        view
        returns (bool ok, bytes memory output)
    {
        return callPrecompile(precompile, input, gasleft());
    }

    /// @notice Raw staticcall of `precompile` on `input` with at most `gasLimit` gas.
    function callPrecompile(address precompile, bytes memory input, uint256 gasLimit)
        internal
        view
        returns (bool ok, bytes memory output)
    {
        // Call, then copy all return data into a freshly allocated bytes.
        assembly ("memory-safe") {
            ok := staticcall(gasLimit, precompile, add(input, 0x20), mload(input), 0x00, 0x00)
            output := mload(0x40)
            let n := returndatasize()
            mstore(output, n)
            returndatacopy(add(output, 0x20), 0x00, n)
            mstore(0x40, add(add(output, 0x20), and(add(n, 31), not(31))))
        }
    }

    // ------------------------------------------------------------------------------------------
    // Field helpers
    // ------------------------------------------------------------------------------------------

    /// @dev Whether (a << 256 | b) is a canonical field element: a < 2**128 and the value < p.
    function _isFp(uint256 a, uint256 b) private pure returns (bool r) {
        // a < P_A, or a == P_A and b < P_B (this also rejects any non-zero padding).
        assembly ("memory-safe") {
            r := or(lt(a, P_A), and(eq(a, P_A), lt(b, P_B)))
        }
    }

    /// @dev p - y for a canonical y; 0 stays 0. Reverts `InvalidFieldElement` if y >= p.
    function _negFp(uint256 a, uint256 b) private pure returns (uint256, uint256) {
        if (a | b == 0) return (0, 0);
        if (!_isFp(a, b)) revert InvalidFieldElement();
        unchecked {
            return (P_A - a - (b > P_B ? 1 : 0), P_B - b);
        }
    }
}
