//! Revert data → readable messages.
//!
//! Every custom error of Rampart's contracts and of EigenLayer core v1.3.0 (declared in the
//! committed artifacts' ABIs) is known by selector; the ones operators meet get a sentence, the
//! rest their name and decoded arguments. `Error(string)` and `Panic(uint256)` are decoded too.

use alloy::dyn_abi::{DynSolValue, JsonAbiExt};
use alloy::json_abi::{Error as AbiError, JsonAbi};
use alloy::primitives::Selector;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Every committed artifact whose errors we decode.
const ABIS: &[&str] = &[
    include_str!("../../../contracts/artifacts/RampartServiceManager.json"),
    include_str!("../../../contracts/artifacts/RampartOperatorRegistry.json"),
    include_str!("../../../contracts/artifacts/RampartAttestationCenter.json"),
    include_str!("../../../contracts/artifacts/RampartProofCenter.json"),
    include_str!("../../../contracts/artifacts/RampartSlasher.json"),
    include_str!("../../../contracts/artifacts/IAllocationManager.json"),
    include_str!("../../../contracts/artifacts/IDelegationManager.json"),
    include_str!("../../../contracts/artifacts/IStrategyManager.json"),
    include_str!("../../../contracts/artifacts/IPermissionController.json"),
    include_str!("../../../contracts/artifacts/DevnetStrategy.json"),
];

fn errors() -> &'static HashMap<Selector, AbiError> {
    static ERRORS: OnceLock<HashMap<Selector, AbiError>> = OnceLock::new();
    ERRORS.get_or_init(|| {
        let mut map = HashMap::new();
        for text in ABIS {
            let artifact: serde_json::Value =
                serde_json::from_str(text).expect("committed artifact is JSON");
            let abi: JsonAbi =
                serde_json::from_value(artifact["abi"].clone()).expect("committed ABI parses");
            for error in abi.errors() {
                map.insert(error.selector(), error.clone());
            }
        }
        map
    })
}

/// A sentence for the errors an operator or the devnet meets in practice.
fn explain(name: &str, args: &[String]) -> Option<String> {
    let arg = |i: usize| args.get(i).cloned().unwrap_or_default();
    Some(match name {
        "UninitializedAllocationDelay" => {
            "allocation delay not yet in effect: wait for the allocation configuration delay after registering as an operator".into()
        }
        "AlreadyMemberOfSet" => "already registered in this operator set (or deregistered too recently: EigenLayer keeps a leaving operator slashable for the deallocation delay)".into(),
        "NotMemberOfSet" => "not registered in this operator set".into(),
        "InvalidOperator" => "not registered as an EigenLayer operator".into(),
        "InvalidOperatorSet" => "no such operator set".into(),
        "NonexistentAVSMetadata" => "the AVS has no metadata URI yet (set it before creating operator sets)".into(),
        "InvalidAVSRegistrar" => "the registrar does not support this AVS".into(),
        "InvalidPermissions" => "the sender is not allowed to act for this account (PermissionController)".into(),
        "InsufficientMagnitude" => "not enough unallocated magnitude for this allocation".into(),
        "ModificationAlreadyPending" => "an allocation change for this operator set and strategy is already pending".into(),
        "OperatorNotSlashable" => "the operator is not slashable in this operator set".into(),
        "InvalidWadToSlash" => "the share to slash must be in (0, 1e18]".into(),
        "ActivelyDelegated" => "already delegated (or already an operator)".into(),
        "OperatorNotRegistered" => "not an EigenLayer operator".into(),
        "StrategyNotWhitelisted" => "the strategy does not accept deposits".into(),
        "InvalidProofOfPossession" => "the BLS proof of possession does not verify for this operator, key and registry".into(),
        "InvalidPublicKey" => "the BLS public key is malformed or the identity".into(),
        "KeyAlreadyRegistered" => format!("this BLS key is already registered by operator {}", arg(0)),
        "KeyMismatch" => "this operator registered a different BLS key before (one key per operator)".into(),
        "InsufficientStake" => format!("stake {} is below the operator set's minimum {}", arg(0), arg(1)),
        "InsufficientSignedStake" => format!("signed stake {} of {} is below the rollup's threshold", arg(0), arg(1)),
        "UnknownOperatorSet" => format!("operator set {} is not configured in the Rampart registry", arg(0)),
        "OnlyAllocationManager" => "only EigenLayer's AllocationManager may call the registrar".into(),
        _ => return None,
    })
}

fn render(value: &DynSolValue) -> String {
    match value {
        DynSolValue::Address(a) => a.to_string(),
        DynSolValue::Uint(u, _) => u.to_string(),
        DynSolValue::Int(i, _) => i.to_string(),
        DynSolValue::Bool(b) => b.to_string(),
        DynSolValue::String(s) => format!("{s:?}"),
        DynSolValue::FixedBytes(w, size) => {
            format!("0x{}", alloy::primitives::hex::encode(&w[..*size]))
        }
        DynSolValue::Bytes(b) => format!("0x{}", alloy::primitives::hex::encode(b)),
        other => format!("{other:?}"),
    }
}

/// Describes revert data: `Name(args): explanation`, a `require` message, a panic code, or the
/// raw hex when nothing matches.
pub fn describe(data: &[u8]) -> String {
    if data.len() < 4 {
        return if data.is_empty() {
            "no reason given".into()
        } else {
            format!("0x{}", alloy::primitives::hex::encode(data))
        };
    }
    let selector = Selector::from_slice(&data[..4]);
    // Error(string)
    if selector == Selector::from([0x08, 0xc3, 0x79, 0xa0])
        && let Ok(values) = alloy::dyn_abi::DynSolType::String.abi_decode_params(&data[4..])
    {
        return render(&values).trim_matches('"').to_string();
    }
    // Panic(uint256)
    if selector == Selector::from([0x4e, 0x48, 0x7b, 0x71]) {
        let code = alloy::primitives::U256::from_be_slice(&data[4..data.len().min(36)]);
        return format!("panic 0x{code:x} (arithmetic, assertion or array bounds in the contract)");
    }
    match errors().get(&selector) {
        Some(error) => {
            let args: Vec<String> = error
                .abi_decode_input(&data[4..])
                .map(|values| values.iter().map(render).collect())
                .unwrap_or_default();
            let call = format!("{}({})", error.name, args.join(", "));
            match explain(&error.name, &args) {
                Some(sentence) => format!("{sentence} [{call}]"),
                None => call,
            }
        }
        None => format!("unknown error 0x{}", alloy::primitives::hex::encode(data)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::sol_types::SolError;
    use rampart_contracts::operator_registry::RampartOperatorRegistry;

    #[test]
    fn decodes_custom_errors_with_arguments() {
        let data = RampartOperatorRegistry::InsufficientStake {
            stake: alloy::primitives::Uint::from(5),
            minimum: alloy::primitives::Uint::from(10),
        }
        .abi_encode();
        let text = describe(&data);
        assert!(text.starts_with("stake 5 is below the operator set's minimum 10"), "{text}");
        assert!(text.contains("InsufficientStake(5, 10)"), "{text}");
    }

    #[test]
    fn decodes_eigenlayer_errors() {
        // keccak("UninitializedAllocationDelay()")[..4]
        let selector = alloy::primitives::keccak256("UninitializedAllocationDelay()");
        let text = describe(&selector[..4]);
        assert!(text.contains("allocation delay not yet in effect"), "{text}");
    }

    #[test]
    fn decodes_require_and_panic_and_unknown() {
        let mut require = vec![0x08, 0xc3, 0x79, 0xa0];
        require.extend(
            alloy::dyn_abi::DynSolValue::String("Ownable: caller is not the owner".into())
                .abi_encode_params(),
        );
        assert_eq!(describe(&require), "Ownable: caller is not the owner");
        let mut panic = vec![0x4e, 0x48, 0x7b, 0x71];
        panic.extend([0u8; 31]);
        panic.push(0x11);
        assert!(describe(&panic).starts_with("panic 0x11"));
        assert!(describe(&[1, 2, 3, 4]).starts_with("unknown error"));
        assert_eq!(describe(&[]), "no reason given");
    }
}
