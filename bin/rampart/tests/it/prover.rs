//! `rampart prover`: the backend choice is explained, and the benchmark writes its table and JSON.

use super::rampart;

#[test]
fn prover_backend_says_which_and_why() {
    let out = rampart(&["prover", "backend", "--backend", "cpu"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("cpu: cpu requested ("), "{stdout}");

    let out = rampart(&["prover", "backend", "--backend", "gpu"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown prover backend"));
}

#[test]
fn prover_bench_prints_a_table_against_arkworks_and_writes_json() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("bench.json");
    let out = rampart(&[
        "prover",
        "bench",
        "--backend",
        "cpu",
        "--msm",
        "6",
        "--msm-g2",
        "4",
        "--ntt",
        "5",
        "--groth16",
        "5",
        "--samples",
        "1",
        "--json",
        json.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("vs ark"), "{stdout}");
    let rows: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let kinds: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["what"].as_str().unwrap(), r["implementation"].as_str().unwrap()))
        .collect();
    for want in [
        ("msm_g1", "arkworks"),
        ("msm_g1", "rampart-cpu"),
        ("msm_g2", "rampart-cpu"),
        ("ntt", "arkworks"),
        ("groth16", "arkworks"),
        ("groth16", "rampart-cpu"),
    ] {
        assert!(kinds.contains(&want), "missing {want:?} in {kinds:?}");
    }
    assert!(rows.iter().all(|r| r["median_ms"].as_f64().unwrap() > 0.0));
}
