//! The Grafana dashboards shipped in the Helm chart query only metrics the code exports.

use std::collections::BTreeSet;
use std::path::PathBuf;

/// The chart's dashboards folder.
fn dashboards_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../helm/rampart/dashboards")
}

/// Every Prometheus expression in a dashboard (panels, nested rows, templating queries).
fn expressions(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("expr", serde_json::Value::String(e)) => out.push(e.clone()),
                    ("query", serde_json::Value::String(q)) if q.contains('(') => {
                        out.push(q.clone())
                    }
                    _ => expressions(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| expressions(v, out)),
        _ => {}
    }
}

/// The metric names in a PromQL expression: identifiers of Rampart's families (`rampart_*`,
/// `eigen_*`) that are not label names (followed by `=`, `!=`, `=~` inside braces or named
/// in `by`/`without` lists).
fn metric_names(expr: &str) -> BTreeSet<String> {
    let bytes = expr.as_bytes();
    let mut names = BTreeSet::new();
    let mut depth_braces = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'{' {
            depth_braces += 1;
        } else if c == b'}' {
            depth_braces = depth_braces.saturating_sub(1);
        } else if c == b'"' {
            // Skip string literals (label values).
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b':')
            {
                i += 1;
            }
            let word = &expr[start..i];
            if depth_braces == 0 && (word.starts_with("rampart_") || word.starts_with("eigen_")) {
                names.insert(word.to_owned());
            }
            continue;
        }
        i += 1;
    }
    names
}

/// Metric families present in a Prometheus text exposition (sample names, so histograms show
/// as `_bucket`, `_sum` and `_count`).
fn exported(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split(['{', ' ']).next())
        .map(str::to_owned)
        .collect()
}

/// Checks one dashboard against the `/metrics` text of the process it is for.
pub(crate) fn check(dashboard: &str, metrics_text: &str) {
    let path = dashboards_dir().join(dashboard);
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut exprs = Vec::new();
    expressions(&json, &mut exprs);
    assert!(exprs.len() >= 6, "{dashboard}: only {} queries", exprs.len());
    let have = exported(metrics_text);
    let mut queried = BTreeSet::new();
    for e in &exprs {
        queried.extend(metric_names(e));
    }
    assert!(!queried.is_empty(), "{dashboard} queries no Rampart metric");
    let missing: Vec<&String> = queried.iter().filter(|m| !have.contains(*m)).collect();
    assert!(
        missing.is_empty(),
        "{dashboard} queries metrics not in /metrics: {missing:?}\nexported: {have:?}"
    );
}

#[test]
fn metric_names_skip_labels_and_strings() {
    let names = metric_names(
        r#"histogram_quantile(0.99, sum by (le) (rate(rampart_aggregator_intake_seconds_bucket{job=~"rampart_x.*", eigen_label="1"}[5m])))
           / ignoring(rollup) eigen_performance_score"#,
    );
    let expected: BTreeSet<String> =
        ["rampart_aggregator_intake_seconds_bucket", "eigen_performance_score"]
            .into_iter()
            .map(String::from)
            .collect();
    assert_eq!(names, expected);
    let have = exported("# TYPE a counter\na_total 1\nb_bucket{le=\"1\"} 2\n");
    assert!(have.contains("a_total") && have.contains("b_bucket"));
}
