//! `rampart keys …`: EIP-2335 keystores and proofs of possession.

use crate::cli::{KdfArg, KeysCommand, KeysInspectArgs, KeysNewArgs, KeysPopArgs, KeystoreArgs};
use crate::output;
use anyhow::{Context, bail};
use rampart_crypto::SecretKey;
use rampart_keystore::{Kdf, Keystore};
use rampart_primitives::{Domain, KeyRegistration};
use serde_json::json;
use std::io::Write;
use std::path::Path;
use zeroize::Zeroizing;

pub(crate) fn run(cmd: KeysCommand) -> anyhow::Result<()> {
    match cmd {
        KeysCommand::New(args) => new(args),
        KeysCommand::Inspect(args) => inspect(args),
        KeysCommand::Pop(args) => pop(args),
    }
}

/// Reads a password file, dropping one trailing `\n` or `\r\n`.
fn read_password(path: &Path) -> anyhow::Result<Zeroizing<String>> {
    let mut text = Zeroizing::new(
        std::fs::read_to_string(path)
            .with_context(|| format!("cannot read password file {}", path.display()))?,
    );
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}

fn unlock(args: &KeystoreArgs) -> anyhow::Result<(Keystore, SecretKey)> {
    let password = read_password(&args.password_file)?;
    let path = &args.keystore;
    let keystore = Keystore::from_file(path)
        .with_context(|| format!("cannot read keystore {}", path.display()))?
        .with_context(|| format!("keystore {}", path.display()))?;
    let sk = keystore.decrypt(&password).with_context(|| format!("keystore {}", path.display()))?;
    Ok((keystore, sk))
}

fn new(args: KeysNewArgs) -> anyhow::Result<()> {
    let password = read_password(&args.password_file)?;
    if password.is_empty() {
        bail!("password file {} is empty", args.password_file.display());
    }
    std::fs::create_dir_all(&args.out_dir)
        .with_context(|| format!("cannot create {}", args.out_dir.display()))?;
    let kdf = match args.kdf {
        KdfArg::Scrypt => Kdf::Scrypt,
        KdfArg::Pbkdf2 => Kdf::Pbkdf2,
    };
    let mut created = Vec::new();
    for _ in 0..args.count {
        let sk = SecretKey::random()?;
        let keystore = Keystore::encrypt(&sk, &password, kdf, "")?;
        let pubkey = sk.public_key();
        let file = args.out_dir.join(format!("keystore-{}.json", keystore.uuid()));
        write_private(&file, keystore.to_json().as_bytes())?;
        if !args.json {
            output::line(pubkey);
        }
        created
            .push(json!({ "pubkey": pubkey.to_string(), "keystore": file.display().to_string() }));
    }
    if args.json {
        output::json(&created.into());
    }
    Ok(())
}

/// Creates `path` (never overwriting) readable by the owner only.
fn write_private(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file =
        options.open(path).with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(contents).with_context(|| format!("cannot write {}", path.display()))?;
    file.sync_all().with_context(|| format!("cannot sync {}", path.display()))
}

fn inspect(args: KeysInspectArgs) -> anyhow::Result<()> {
    let (keystore, sk) = unlock(&args.keystore)?;
    let pubkey = sk.public_key().to_string();
    if args.json {
        output::json(&json!({ "pubkey": pubkey, "path": keystore.path() }));
    } else {
        output::line(format_args!("pubkey: {pubkey}"));
        output::line(format_args!("path:   {}", keystore.path()));
        output::line(format_args!("uuid:   {}", keystore.uuid()));
    }
    Ok(())
}

fn pop(args: KeysPopArgs) -> anyhow::Result<()> {
    let (_, sk) = unlock(&args.keystore)?;
    let pubkey = sk.public_key();
    let domain = Domain::new(args.chain_id, args.registry);
    let registration = KeyRegistration { operator: args.operator, pubkey };
    let proof = registration.prove(&sk, &domain);
    // Never hand out a proof that would fail on chain.
    proof.verify(&domain).context("freshly made proof of possession does not verify")?;
    let hex = |b: &[u8]| format!("0x{}", alloy_primitives::hex::encode(b));
    let fields = [
        ("pubkey", pubkey.to_string()),
        ("pubkey_eip2537", hex(&pubkey.to_eip2537())),
        ("message", registration.digest(&domain).to_string()),
        ("signature", proof.signature.to_string()),
        ("signature_eip2537", hex(&proof.signature.to_eip2537())),
    ];
    if args.json {
        let map: serde_json::Map<String, serde_json::Value> =
            fields.into_iter().map(|(k, v)| (k.to_owned(), v.into())).collect();
        output::json(&map.into());
    } else {
        for (name, value) in fields {
            output::line(format_args!("{name}: {value}"));
        }
    }
    Ok(())
}
