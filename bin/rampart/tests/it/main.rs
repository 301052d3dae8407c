//! End-to-end tests of the `rampart` binary. Key commands: every kind of bad input must fail
//! with exactly one line on stderr and a non-zero exit, never a panic.

mod chart;
mod crash;
mod devnet;
mod protection;
mod prover;
mod support;
mod telemetry;

use alloy_primitives::{Address, B256};
use rampart_crypto::{PublicKey, Signature};
use rampart_primitives::{Domain, KeyRegistration, ProofOfPossession};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rampart(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart")).args(args).output().expect("spawn rampart")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Asserts a clean failure: non-zero exit, one stderr line mentioning `needle`, no panic.
fn assert_one_line_error(o: &Output, needle: &str) {
    let err = stderr(o);
    assert!(!o.status.success(), "expected failure, stdout: {}", stdout(o));
    assert_eq!(err.trim_end().lines().count(), 1, "stderr not one line: {err:?}");
    assert!(err.contains(needle), "{needle:?} not in {err:?}");
    assert!(!err.contains("panicked") && !err.contains("internal error"), "{err}");
}

struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pw"), "hunter2 hunter2\n").unwrap();
        Self { dir }
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn s(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }
    /// Creates `count` PBKDF2 keystores in `keys/` and returns the printed pubkeys.
    fn new_keys(&self, count: u32) -> Vec<String> {
        let o = rampart(&[
            "keys",
            "new",
            "--out-dir",
            &self.s("keys"),
            "--password-file",
            &self.s("pw"),
            "--count",
            &count.to_string(),
            "--kdf",
            "pbkdf2",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o).lines().map(str::to_owned).collect()
    }
    fn keystores(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> =
            std::fs::read_dir(self.path("keys")).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        files
    }
}

fn inspect_json(keystore: &Path, password_file: &str) -> Output {
    rampart(&[
        "keys",
        "inspect",
        "--keystore",
        &keystore.display().to_string(),
        "--password-file",
        password_file,
        "--json",
    ])
}

#[test]
fn new_then_inspect_roundtrips() {
    let s = Setup::new();
    let pubkeys = s.new_keys(2);
    assert_eq!(pubkeys.len(), 2);
    assert_ne!(pubkeys[0], pubkeys[1]);
    let files = s.keystores();
    assert_eq!(files.len(), 2);
    assert!(
        files.iter().all(|f| f.file_name().unwrap().to_str().unwrap().starts_with("keystore-"))
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "keystores must be private");
    }
    let mut seen = Vec::new();
    for f in &files {
        let o = inspect_json(f, &s.s("pw"));
        assert!(o.status.success(), "{}", stderr(&o));
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(v["path"], "");
        assert_eq!(v.as_object().unwrap().len(), 2);
        seen.push(v["pubkey"].as_str().unwrap().to_owned());
    }
    seen.sort();
    let mut printed = pubkeys.clone();
    printed.sort();
    assert_eq!(seen, printed);
}

#[test]
fn default_kdf_is_scrypt_and_json_output() {
    let s = Setup::new();
    let o = rampart(&[
        "keys",
        "new",
        "--out-dir",
        &s.s("keys"),
        "--password-file",
        &s.s("pw"),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let file = v[0]["keystore"].as_str().unwrap();
    let ks: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    assert_eq!(ks["crypto"]["kdf"]["function"], "scrypt");
    assert_eq!(format!("0x{}", ks["pubkey"].as_str().unwrap()), v[0]["pubkey"].as_str().unwrap());
}

#[test]
fn pop_verifies_and_binds_the_operator() {
    let s = Setup::new();
    let pubkey = s.new_keys(1).remove(0);
    let operator = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    let registry = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    let o = rampart(&[
        "keys",
        "pop",
        "--keystore",
        &s.keystores()[0].display().to_string(),
        "--password-file",
        &s.s("pw"),
        "--operator",
        operator,
        "--chain-id",
        "31337",
        "--registry",
        registry,
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 5, "{keys:?}");
    assert_eq!(v["pubkey"], pubkey.as_str());

    let hexb = |k: &str| alloy_primitives::hex::decode(v[k].as_str().unwrap()).unwrap();
    let pk = PublicKey::from_compressed(&hexb("pubkey")).unwrap();
    assert_eq!(PublicKey::from_eip2537(&hexb("pubkey_eip2537")).unwrap(), pk);
    let sig = Signature::from_compressed(&hexb("signature")).unwrap();
    assert_eq!(Signature::from_eip2537(&hexb("signature_eip2537")).unwrap(), sig);

    let domain = Domain::new(31337, registry.parse().unwrap());
    let registration = KeyRegistration { operator: operator.parse().unwrap(), pubkey: pk };
    assert_eq!(B256::from_slice(&hexb("message")), registration.digest(&domain));
    let proof = ProofOfPossession { registration, signature: sig };
    proof.verify(&domain).unwrap();
    // Bound to operator, chain and registry.
    let other = ProofOfPossession {
        registration: KeyRegistration { operator: Address::repeat_byte(1), pubkey: pk },
        signature: sig,
    };
    assert!(other.verify(&domain).is_err());
    assert!(proof.verify(&Domain::new(1, domain.verifying_contract)).is_err());
    assert!(proof.verify(&Domain::new(31337, Address::repeat_byte(2))).is_err());
}

#[test]
fn inspects_the_eip2335_vector_keystore() {
    let file = rampart_crypto::test_utils::read_json("eip2335.json");
    let v = &file["vectors"][1];
    let s = Setup::new();
    std::fs::write(s.path("ks.json"), v["keystore"].to_string()).unwrap();
    std::fs::write(s.path("vpw"), v["password"].as_str().unwrap()).unwrap();
    let o = inspect_json(&s.path("ks.json"), &s.s("vpw"));
    assert!(o.status.success(), "{}", stderr(&o));
    let out: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(out["pubkey"], v["pubkey"]);
    assert_eq!(out["path"], v["keystore"]["path"]);
}

#[test]
fn bad_input_is_one_clear_line() {
    let s = Setup::new();
    s.new_keys(1);
    let ks = s.keystores()[0].clone();
    let ks_s = ks.display().to_string();
    std::fs::write(s.path("wrong"), "not the password").unwrap();

    assert_one_line_error(&inspect_json(&ks, &s.s("wrong")), "wrong password");
    assert_one_line_error(
        &inspect_json(&s.path("missing.json"), &s.s("pw")),
        "cannot read keystore",
    );
    assert_one_line_error(&inspect_json(&ks, &s.s("no-such-pw")), "cannot read password file");

    std::fs::write(s.path("garbage.json"), "{ not json").unwrap();
    assert_one_line_error(&inspect_json(&s.path("garbage.json"), &s.s("pw")), "malformed keystore");

    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&ks).unwrap()).unwrap();
    v["crypto"]["checksum"]["message"] = "ab".repeat(32).into();
    std::fs::write(s.path("badsum.json"), v.to_string()).unwrap();
    assert_one_line_error(&inspect_json(&s.path("badsum.json"), &s.s("pw")), "checksum mismatch");

    v["crypto"]["cipher"]["message"] = "xyz".into();
    std::fs::write(s.path("badhex.json"), v.to_string()).unwrap();
    assert_one_line_error(&inspect_json(&s.path("badhex.json"), &s.s("pw")), "not hex");

    let pop = |operator: &str, registry: &str, chain: &str| {
        rampart(&[
            "keys",
            "pop",
            "--keystore",
            &ks_s,
            "--password-file",
            &s.s("pw"),
            "--operator",
            operator,
            "--chain-id",
            chain,
            "--registry",
            registry,
            "--json",
        ])
    };
    let addr = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    assert_one_line_error(&pop("0xzz", addr, "1"), "--operator");
    assert_one_line_error(&pop(addr, "0x1234", "1"), "--registry");
    assert_one_line_error(&pop(addr, addr, "abc"), "--chain-id");

    std::fs::write(s.path("empty"), "").unwrap();
    let o = rampart(&["keys", "new", "--out-dir", &s.s("k2"), "--password-file", &s.s("empty")]);
    assert_one_line_error(&o, "is empty");
    let o = rampart(&[
        "keys",
        "new",
        "--out-dir",
        &s.s("k3"),
        "--password-file",
        &s.s("pw"),
        "--kdf",
        "argon2",
    ]);
    assert_one_line_error(&o, "--kdf");
}
