//! The configuration files the Helm chart renders are accepted by the real parsers (the chart
//! writes TOML from typed values; a field the daemon does not know would stop the pod).
//! Needs the pinned `helm` on PATH (`eval "$(scripts/toolchain env)"`, as `scripts/test` does).

use std::path::{Path, PathBuf};
use std::process::Command;

fn chart() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../helm/rampart")
}

/// `helm template` of the chart with a values file from `ci/`.
fn render(values: &str) -> String {
    let out = Command::new("helm")
        .args(["template", "r"])
        .arg(chart())
        .arg("-f")
        .arg(chart().join("ci").join(values))
        .args(["--kube-version", "1.30.0"])
        .output()
        .expect("helm on PATH: run `eval \"$(scripts/toolchain env)\"` first");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The contents of every `<key>: |` block scalar in a rendered manifest.
fn block_scalars(yaml: &str, key: &str) -> Vec<String> {
    let header = format!("{key}: |");
    let lines: Vec<&str> = yaml.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.trim_start() != header {
            continue;
        }
        let outer = line.len() - line.trim_start().len();
        let mut body = Vec::new();
        for next in &lines[i + 1..] {
            let indent = next.len() - next.trim_start().len();
            if !next.trim().is_empty() && indent <= outer {
                break;
            }
            body.push(next.get(outer + 2..).unwrap_or(""));
        }
        found.push(body.join("\n"));
    }
    found
}

#[test]
fn rendered_configs_parse_with_the_real_parsers() {
    let mut operators = 0;
    let mut aggregators = 0;
    let mut slashers = 0;
    for values in [
        "cpu-operator-values.yaml",
        "gpu-operator-values.yaml",
        "aggregator-postgres-values.yaml",
        "everything-values.yaml",
        "slasher-values.yaml",
    ] {
        let yaml = render(values);
        for text in block_scalars(&yaml, "operator.toml") {
            let config = rampart_operator::Config::parse(&text, Path::new(values), Path::new("/"))
                .unwrap_or_else(|e| panic!("{values}: operator.toml: {e}\n{text}"));
            assert_eq!(config.daemon.data_dir, Path::new("/data"), "{values}");
            assert!(
                config.daemon.node_api.starts_with("0.0.0.0:"),
                "{values}: reachable by probes"
            );
            assert!(!config.rollups.is_empty(), "{values}");
            operators += 1;
        }
        for text in block_scalars(&yaml, "aggregator.toml") {
            let config = rampart_aggregator::config::Config::parse(&text)
                .unwrap_or_else(|e| panic!("{values}: aggregator.toml: {e}\n{text}"));
            assert!(config.aggregator.listen.ip().is_unspecified(), "{values}: reachable");
            aggregators += 1;
        }
        for text in block_scalars(&yaml, "slasher.toml") {
            let config = rampart_slasher::Config::parse(&text)
                .unwrap_or_else(|e| panic!("{values}: slasher.toml: {e}\n{text}"));
            assert!(config.slasher.listen.ip().is_unspecified(), "{values}: reachable by probes");
            assert!(!config.slasher.aggregators.is_empty(), "{values}: reads evidence");
            slashers += 1;
        }
    }
    assert!(slashers >= 2, "slashers rendered: {slashers}");
    assert!(operators >= 4, "operators rendered: {operators}");
    assert!(aggregators >= 3, "aggregators rendered: {aggregators}");
}
