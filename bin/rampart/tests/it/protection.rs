//! `rampart slashing-protection export|import`: history moves between databases and an import
//! never lowers protection.

use alloy::primitives::B256;
use rampart_primitives::{Checkpoint, RollupId};
use rampart_slashing::{Identity, Interchange, SlashingProtection};
use std::process::Command;

fn rampart(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rampart")).args(args).output().unwrap()
}

fn checkpoint(batch: u64, root: u8) -> Checkpoint {
    Checkpoint {
        rollup_id: RollupId(1),
        batch_index: batch,
        l2_block_number: 10 + batch,
        l2_block_hash: B256::repeat_byte(batch as u8),
        state_root: B256::repeat_byte(root),
    }
}

#[test]
fn export_then_import_and_refuse_conflicts() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let network = crate::support::one_operator_devnet(&runtime, dir.path());
    let config = network.operators[0].config.clone();
    let op_dir = config.parent().unwrap().to_path_buf();
    let base = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{base}\n[daemon]\ndata_dir = \"data-a\"\n")).unwrap();
    let config_b = op_dir.join("config-b.toml");
    std::fs::write(&config_b, format!("{base}\n[daemon]\ndata_dir = \"data-b\"\n")).unwrap();

    // Sign two checkpoints into database A as the daemon would.
    let sk = rampart_keystore::Keystore::from_file(&op_dir.join("bls.json"))
        .unwrap()
        .unwrap()
        .decrypt("rampart-devnet")
        .unwrap();
    let d = &network.deployment;
    let identity = Identity {
        chain_id: d.chain_id,
        attestation_center: d.rampart.attestation_center,
        pubkey: sk.public_key(),
    };
    runtime.block_on(async {
        let url = format!("sqlite://{}", op_dir.join("data-a/protection.sqlite").display());
        std::fs::create_dir_all(op_dir.join("data-a")).unwrap();
        let db = SlashingProtection::open(&url, identity).await.unwrap();
        for c in [checkpoint(0, 0xa0), checkpoint(1, 0xa1)] {
            db.sign_checkpoint(&c, c.digest(&identity.domain()), |digest| sk.sign(digest))
                .await
                .unwrap();
        }
        db.close().await;
    });

    let out = op_dir.join("history.json");
    let export = rampart(&[
        "slashing-protection",
        "export",
        "--config",
        config.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(json["metadata"]["interchange_format"], "rampart-checkpoints");
    assert_eq!(json["data"][0]["signed_checkpoints"].as_array().unwrap().len(), 2);

    let import = |file: &std::path::Path| {
        rampart(&[
            "slashing-protection",
            "import",
            "--config",
            config_b.to_str().unwrap(),
            "--file",
            file.to_str().unwrap(),
        ])
    };
    let first = import(&out);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(
        String::from_utf8_lossy(&first.stdout)
            .starts_with("imported 2, already recorded 0, refused 0")
    );
    let again = import(&out);
    assert!(
        String::from_utf8_lossy(&again.stdout)
            .starts_with("imported 0, already recorded 2, refused 0")
    );

    // A history claiming a different checkpoint for batch 1 is refused; protection is kept.
    let conflicting = Interchange::new(&identity, [checkpoint(1, 0xbb)]);
    let bad = op_dir.join("conflict.json");
    std::fs::write(&bad, conflicting.to_json()).unwrap();
    let refused = import(&bad);
    assert!(refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stdout)
            .starts_with("imported 0, already recorded 0, refused 1"),
        "{}",
        String::from_utf8_lossy(&refused.stdout)
    );

    // Garbage is one clear error line.
    std::fs::write(&bad, "{ not json").unwrap();
    let garbage = import(&bad);
    assert!(!garbage.status.success());
    assert_eq!(String::from_utf8_lossy(&garbage.stderr).trim_end().lines().count(), 1);
}
