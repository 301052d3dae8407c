"""Checks one `helm template` rendering of the rampart chart against the values it came from.

    assert_rendered.py --chart helm/rampart [--values ci/x.yaml] --rendered out.yaml \
        --k8s-out out.k8s.yaml

Writes every rendered document except ServiceMonitors (a CRD, which kubernetes-validate has no
schema for) to --k8s-out for kubernetes-validate, checks the ServiceMonitor's structure here,
and asserts the chart's promises: hardened pods, no rendered Secret, Secret references only to
the configured Secrets, one replica and a data volume per operator key, GPU scheduling,
Postgres from a Secret, probes, ServiceMonitor and dashboards as configured, configuration
files that the binaries accept, reference rollups' genesis files and proving keys on mounted
volumes, the aggregator's embedded slasher ([slasher] in aggregator.toml, its optional own key)
and the standalone slasher (one pod, Recreate, its key, SQLite volume or Postgres, evidence
URLs, Service, NetworkPolicy). A values file may claim what it exercises with a header line
`# expect: operators=N gpu aggregator postgres servicemonitor telemetry reference proving
slasher slasher-postgres`; each claim is checked.

Prints one summary line; on failure, every problem found and exit status 1.
"""

import argparse
import copy
import json
import re
import sys
import tomllib

import yaml

KEYS_DIR = "/etc/rampart/keys"
# Where the aggregator mounts its embedded slasher's own key (aggregator.slasher.existingSecret).
SLASHER_KEYS_DIR = "/etc/rampart/slasher-keys"
# Key directories and the volumes they are mounted from.
KEY_VOLUMES = {KEYS_DIR: "keys", SLASHER_KEYS_DIR: "slasher-keys"}
DEPLOYMENT_DIR = "/etc/rampart/deployment"
WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"}
# The sections each binary's config accepts (serde deny_unknown_fields).
OPERATOR_SECTIONS = {"chain", "operator", "devnet", "daemon", "rollups"}
AGGREGATOR_SECTIONS = {"chain", "aggregator", "http", "submission", "slasher", "telemetry"}
SLASHER_SECTIONS = {"chain", "slasher", "telemetry"}
ECDSA_KEYS = {"ecdsa_keystore", "ecdsa_password_file", "ecdsa_key_file"}
# Key names the operator refuses as plain-text secrets (operator/src/config.rs).
SECRET_NAMES = {
    "private_key", "privatekey", "ecdsa_private_key", "ecdsa_key", "ecdsa_secret_key",
    "bls_private_key", "bls_secret_key", "bls_key", "secret_key", "secret", "mnemonic",
    "password", "ecdsa_password", "bls_password",
}
HEX_KEY = re.compile(r"^(0[xX])?[0-9a-fA-F]{64}$")
# Volumes the chart mounts itself; extraVolumes may not reuse the names.
CHART_VOLUMES = {"config", "deployment", "keys", "tmp", "data"}
# Rollup files in operator.toml (reference rollups only) and their names in the values.
ROLLUP_FILES = {"genesis": "genesis", "proving_key": "provingKey"}


class StrictLoader(yaml.SafeLoader):
    """Refuses a mapping key given twice (kubectl does; PyYAML would keep the last)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class Checker:
    def __init__(self):
        self.problems = []

    def check(self, condition, message):
        if not condition:
            self.problems.append(message)
        return condition


def helm_merge(base, override):
    """Helm's values coalescing: maps merge recursively, null deletes, the rest replaces."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = helm_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def operator_settings(values, entry):
    """The chart's overlay of one `operators` entry on `operator`: maps one level deep."""
    settings = copy.deepcopy(values["operator"])
    for key, value in entry.items():
        if isinstance(value, dict) and isinstance(settings.get(key), dict):
            merged = copy.deepcopy(settings[key])
            merged.update(copy.deepcopy(value))
            settings[key] = merged
        else:
            settings[key] = copy.deepcopy(value)
    return settings


def pod_spec(doc):
    spec = doc.get("spec", {})
    if doc["kind"] == "Pod":
        return spec
    if doc["kind"] == "CronJob":
        return spec["jobTemplate"]["spec"]["template"]["spec"]
    return spec["template"]["spec"]


def pod_labels(doc):
    if doc["kind"] == "Pod":
        return doc["metadata"].get("labels", {})
    return doc["spec"]["template"]["metadata"].get("labels", {})


def walk(node):
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def secret_references(doc):
    """Every Secret a document points at, wherever it does."""
    names = []
    for node in walk(doc):
        if not isinstance(node, dict):
            continue
        for key in ("secretKeyRef", "secretRef"):
            if isinstance(node.get(key), dict):
                names.append(node[key].get("name"))
        if isinstance(node.get("secretName"), str):
            names.append(node["secretName"])
        if isinstance(node.get("secret"), dict) and "name" in node["secret"]:
            names.append(node["secret"]["name"])
        for ref in node.get("imagePullSecrets") or []:
            names.append(ref.get("name"))
    return names


def env_map(container):
    return {e["name"]: e for e in container.get("env", [])}


def selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def expected_image(values, chart):
    image = values["image"]
    if image.get("digest"):
        return f"{image['repository']}@{image['digest']}"
    return f"{image['repository']}:{image.get('tag') or chart['appVersion']}"


def configured_secrets(values, settings):
    names = {values["l1"].get("existingSecret"), values["aggregator"].get("existingSecret"),
             values["aggregator"]["database"].get("existingSecret"),
             values["aggregator"]["slasher"].get("existingSecret"),
             values["slasher"].get("existingSecret"),
             values["slasher"]["database"].get("existingSecret")}
    names.update(ref["name"] for ref in values.get("imagePullSecrets") or [])
    for s in settings:
        names.add(s["existingSecret"])
        names.add(s["protectionDb"].get("existingSecret"))
        names.update(secret_references(s.get("extraVolumes") or []))
    for env in ([values["aggregator"].get("extraEnv") or [], values["slasher"].get("extraEnv") or []]
                + [s.get("extraEnv") or [] for s in settings]):
        names.update(secret_references(env))
    return {n for n in names if n}


def check_hardening(c, doc, values, chart):
    where = f"{doc['kind']}/{doc['metadata']['name']}"
    spec = pod_spec(doc)
    uid = values["securityContext"]["runAsUser"]
    psc = spec.get("securityContext") or {}
    c.check(psc.get("runAsNonRoot") is True, f"{where}: pod securityContext.runAsNonRoot is not true")
    c.check(isinstance(psc.get("runAsUser"), int) and psc["runAsUser"] > 0 and psc["runAsUser"] == uid,
            f"{where}: pod runAsUser {psc.get('runAsUser')!r} is not the non-zero {uid}")
    c.check((psc.get("seccompProfile") or {}).get("type") == "RuntimeDefault",
            f"{where}: pod seccompProfile is not RuntimeDefault")
    c.check(spec.get("automountServiceAccountToken") is False,
            f"{where}: the service account token is mounted")
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        c.check(not spec.get(key), f"{where}: {key} is set")
    tmp_volumes = {v["name"] for v in spec.get("volumes", []) if "emptyDir" in v}
    containers = spec.get("containers", []) + spec.get("initContainers", [])
    c.check(bool(spec.get("containers")), f"{where}: no containers")
    for container in containers:
        cw = f"{where} container {container['name']}"
        sc = container.get("securityContext") or {}
        c.check(sc.get("runAsNonRoot") is True, f"{cw}: runAsNonRoot is not true")
        c.check(isinstance(sc.get("runAsUser"), int) and sc["runAsUser"] > 0,
                f"{cw}: runAsUser {sc.get('runAsUser')!r} is not a non-zero uid")
        c.check(sc.get("readOnlyRootFilesystem") is True, f"{cw}: root filesystem is writable")
        c.check(sc.get("allowPrivilegeEscalation") is False,
                f"{cw}: allowPrivilegeEscalation is not false")
        c.check(sc.get("privileged") in (None, False), f"{cw}: privileged")
        caps = sc.get("capabilities") or {}
        c.check("ALL" in (caps.get("drop") or []), f"{cw}: capabilities do not drop ALL")
        c.check(not caps.get("add"), f"{cw}: capabilities added: {caps.get('add')}")
        c.check((sc.get("seccompProfile") or {}).get("type") == "RuntimeDefault",
                f"{cw}: seccompProfile is not RuntimeDefault")
        requests = (container.get("resources") or {}).get("requests") or {}
        c.check("cpu" in requests and "memory" in requests, f"{cw}: no cpu and memory requests")
        c.check("memory" in ((container.get("resources") or {}).get("limits") or {}),
                f"{cw}: no memory limit")
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            c.check(bool(container.get(probe)), f"{cw}: no {probe}")
        mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
        c.check(mounts.get("/tmp") in tmp_volumes, f"{cw}: no emptyDir at /tmp")
        c.check(container.get("image") == expected_image(values, chart),
                f"{cw}: image {container.get('image')!r}, expected {expected_image(values, chart)!r}")


def check_telemetry(c, doc, values):
    where = f"{doc['kind']}/{doc['metadata']['name']}"
    endpoint = values["telemetry"].get("otlpEndpoint")
    for container in pod_spec(doc)["containers"]:
        env = env_map(container)
        names = [e["name"] for e in container.get("env", [])]
        c.check(len(names) == len(set(names)), f"{where}: duplicate env names {names}")
        c.check(env.get("RUST_LOG", {}).get("value") == values["logLevel"], f"{where}: RUST_LOG")
        otel = sorted(n for n in env if n.startswith("OTEL_"))
        if not endpoint:
            c.check(not otel, f"{where}: OTEL_* set without telemetry.otlpEndpoint: {otel}")
            continue
        c.check(env.get("OTEL_EXPORTER_OTLP_ENDPOINT", {}).get("value") == endpoint,
                f"{where}: OTEL_EXPORTER_OTLP_ENDPOINT is not {endpoint}")
        ratio = env.get("OTEL_TRACES_SAMPLER_ARG", {}).get("value")
        c.check(ratio is not None and float(ratio) == float(values["telemetry"]["samplingRatio"]),
                f"{where}: OTEL_TRACES_SAMPLER_ARG {ratio!r}")
        c.check(bool(env.get("OTEL_SERVICE_NAME", {}).get("value")), f"{where}: OTEL_SERVICE_NAME")
        attrs = env.get("OTEL_RESOURCE_ATTRIBUTES", {}).get("value", "")
        pairs = dict(p.split("=", 1) for p in attrs.split(",") if p)
        c.check(pairs.get("k8s.pod.name") == "$(POD_NAME)", f"{where}: k8s.pod.name attribute")
        c.check(pairs.get("k8s.namespace.name") == "$(POD_NAMESPACE)",
                f"{where}: k8s.namespace.name attribute")
        for key, value in values["telemetry"]["resourceAttributes"].items():
            c.check(pairs.get(key) == str(value), f"{where}: resource attribute {key}")
        for var in ("POD_NAME", "POD_NAMESPACE"):
            c.check(var in names and names.index(var) < names.index("OTEL_RESOURCE_ATTRIBUTES"),
                    f"{where}: {var} must be defined before OTEL_RESOURCE_ATTRIBUTES")
            c.check("fieldRef" in env.get(var, {}).get("valueFrom", {}), f"{where}: {var} fieldRef")


def check_secret_ref(c, where, container, var, secret, key):
    ref = env_map(container).get(var, {}).get("valueFrom", {}).get("secretKeyRef")
    if not secret:
        c.check(ref is None, f"{where}: {var} from a Secret that is not configured")
        return
    c.check(ref == {"name": secret, "key": key},
            f"{where}: {var} should come from secretKeyRef {secret}/{key}, got {ref}")
    c.check("value" not in env_map(container).get(var, {}), f"{where}: {var} has a plain value")


def mounted(path, container):
    """Whether an absolute path lies under one of the container's mounts (that each mount has
    its volume is checked with the workload)."""
    return any(path == m["mountPath"] or path.startswith(m["mountPath"].rstrip("/") + "/")
               for m in container.get("volumeMounts", []))


def check_config_text(c, where, text, sections, volumes, container):
    """The config file parses, has only known sections, no plain-text secret, and every file
    it names is mounted."""
    try:
        config = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        c.check(False, f"{where}: the TOML does not parse: {e}")
        return {}
    c.check(set(config) <= sections, f"{where}: unknown sections {set(config) - sections}")
    for node in walk(config):
        if isinstance(node, dict):
            bad = {k for k in node if k.lower() in SECRET_NAMES}
            c.check(not bad, f"{where}: plain-text secret keys {bad}")
        if isinstance(node, str):
            c.check(not HEX_KEY.match(node.strip()), f"{where}: a value looks like a private key")
    key_items = {name: set() for name in KEY_VOLUMES.values()}
    for volume in volumes:
        if volume["name"] in key_items:
            key_items[volume["name"]] = {item["path"] for item in volume["secret"].get("items", [])}
    mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
    by_path = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
    for node in walk(config):
        if isinstance(node, dict):
            for key, value in node.items():
                for directory, volume in KEY_VOLUMES.items():
                    if isinstance(value, str) and value.startswith(directory + "/"):
                        c.check(by_path.get(directory) == volume,
                                f"{where}: {key} = {value}: volume {volume} is not mounted at {directory}")
                        c.check(value[len(directory) + 1:] in key_items[volume],
                                f"{where}: {key} = {value} is not projected from the Secret")
    deployment = config.get("chain", {}).get("deployment", "")
    c.check(deployment.startswith(DEPLOYMENT_DIR + "/") and DEPLOYMENT_DIR in mounts,
            f"{where}: deployment file {deployment!r} is not mounted")
    for rollup in config.get("rollups", []):
        for key in ROLLUP_FILES:
            path = rollup.get(key)
            if path is not None:
                c.check(isinstance(path, str) and path.startswith("/") and mounted(path, container),
                        f"{where}: rollups.{rollup.get('id')}.{key} = {path!r} is not on a mounted volume")
    return config


def check_operator_volumes(c, where, op, spec):
    """The chart's volumes, then extraVolumes as given; the chart's mounts, then
    extraVolumeMounts as given; names and mount paths unique; every mount of a volume the pod
    has (or the data volume's claim template)."""
    pod = spec["template"]["spec"]
    volumes = pod.get("volumes", [])
    mounts = pod["containers"][0].get("volumeMounts", [])
    extra = op.get("extraVolumes") or []
    extra_mounts = op.get("extraVolumeMounts") or []
    names = [v["name"] for v in volumes]
    claims = [t["metadata"]["name"] for t in spec.get("volumeClaimTemplates", [])]
    paths = [m["mountPath"] for m in mounts]
    c.check(len(names + claims) == len(set(names + claims)), f"{where}: volume names repeat: {names + claims}")
    c.check(len(paths) == len(set(paths)), f"{where}: mount paths repeat: {paths}")
    for m in mounts:
        c.check(m["name"] in names + claims, f"{where}: mount {m['name']} of no volume")
    c.check(volumes[len(volumes) - len(extra):] == extra, f"{where}: extraVolumes not rendered as given")
    c.check(mounts[len(mounts) - len(extra_mounts):] == extra_mounts,
            f"{where}: extraVolumeMounts not rendered as given")
    own = names[:len(names) - len(extra)]
    c.check(set(own) <= CHART_VOLUMES, f"{where}: volumes neither the chart's nor extraVolumes: {own}")
    c.check(not {v["name"] for v in extra} & CHART_VOLUMES, f"{where}: an extra volume takes a chart name")


def check_operator_rollups(c, where, op, config):
    """Each rollup of the values rendered in order, with its source's files and no others."""
    rendered = config.get("rollups", [])
    c.check(len(rendered) == len(op["rollups"]) > 0, f"{where}: rollups")
    for want, got in zip(op["rollups"], rendered):
        rw = f"{where}: rollups.{want['id']}"
        source = want.get("source", "evm-rpc")
        c.check(got.get("id") == want["id"], f"{rw}: id {got.get('id')!r}")
        c.check(got.get("source") == source, f"{rw}: source {got.get('source')!r}")
        c.check(got.get("rpc_url") == want["rpcUrl"], f"{rw}: rpc_url {got.get('rpc_url')!r}")
        c.check(got.get("finality") == want.get("finality", "safe"), f"{rw}: finality {got.get('finality')!r}")
        for key, value_key in ROLLUP_FILES.items():
            c.check(got.get(key) == want.get(value_key), f"{rw}: {key} {got.get(key)!r}, expected {want.get(value_key)!r}")
        if source == "reference":
            c.check(bool(got.get("genesis")), f"{rw}: a reference rollup without genesis")
        else:
            c.check("proving_key" not in got and "genesis" not in got, f"{rw}: {source} rollup with reference files")
        c.check(set(got) <= {"id", "source", "rpc_url", "finality", *ROLLUP_FILES},
                f"{rw}: unknown keys {set(got)}")


def key_volume(c, where, pod, container, name, secret, key_files, directory):
    """The Secret `secret` projected read-only (mode without access for others) as volume
    `name` at `directory`, with exactly the key files the configuration names."""
    volumes = [v for v in pod["volumes"] if v["name"] == name]
    if not c.check(len(volumes) == 1 and volumes[0].get("secret", {}).get("secretName") == secret,
                   f"{where}: volume {name} is not Secret {secret}"):
        return
    mode = volumes[0]["secret"].get("defaultMode")
    c.check(mode is not None and mode & 0o007 == 0, f"{where}: {name}: key files readable by others")
    want = ([key_files["ecdsaKeyFile"]] if key_files.get("ecdsaKeyFile")
            else [key_files["ecdsaKeystore"], key_files["ecdsaPassword"]])
    got = [item["key"] for item in volumes[0]["secret"].get("items", [])]
    c.check(got == want, f"{where}: {name} projects {got}, expected {want}")
    mounts = [m for m in container["volumeMounts"] if m["name"] == name]
    c.check(len(mounts) == 1 and mounts[0]["mountPath"] == directory and mounts[0].get("readOnly") is True,
            f"{where}: {name} is not mounted read-only at {directory}")


def check_key_lines(c, where, section, key_files, directory):
    """A config section names the ECDSA key files of key_files under directory, and no other."""
    if key_files.get("ecdsaKeyFile"):
        want = {"ecdsa_key_file": f"{directory}/{key_files['ecdsaKeyFile']}"}
    else:
        want = {"ecdsa_keystore": f"{directory}/{key_files['ecdsaKeystore']}",
                "ecdsa_password_file": f"{directory}/{key_files['ecdsaPassword']}"}
    got = {k: v for k, v in section.items() if k in ECDSA_KEYS}
    c.check(got == want, f"{where}: key lines {got}, expected {want}")


def check_embedded_slasher(c, where, values, pod, container, config):
    """The aggregator's [slasher] section and, when it has one, its own key volume."""
    embedded = values["aggregator"]["slasher"]
    section = config.get("slasher")
    has_volume = any(v["name"] == "slasher-keys" for v in pod["volumes"])
    if not c.check(isinstance(section, dict), f"{where}: aggregator.toml has no [slasher] section"):
        return
    if not embedded["enabled"]:
        c.check(section == {"enabled": False}, f"{where}: [slasher] {section}, expected only enabled = false")
        c.check(not has_volume, f"{where}: slasher-keys mounted while the embedded slasher is off")
        return
    c.check(section.get("enabled") is True, f"{where}: [slasher] enabled {section.get('enabled')!r}")
    c.check(section.get("aggregators") == embedded["extraAggregators"],
            f"{where}: [slasher] aggregators {section.get('aggregators')}, expected {embedded['extraAggregators']}")
    c.check(section.get("assign_jobs") is embedded["assignJobs"],
            f"{where}: [slasher] assign_jobs {section.get('assign_jobs')!r}")
    c.check(set(section) <= {"enabled", "aggregators", "assign_jobs"} | ECDSA_KEYS,
            f"{where}: [slasher] unknown keys {set(section)}")
    if embedded.get("existingSecret"):
        key_volume(c, where, pod, container, "slasher-keys", embedded["existingSecret"],
                   embedded["keyFiles"], SLASHER_KEYS_DIR)
        check_key_lines(c, f"{where} [slasher]", section, embedded["keyFiles"], SLASHER_KEYS_DIR)
    else:
        c.check(not set(section) & ECDSA_KEYS, f"{where}: [slasher] names a key without aggregator.slasher.existingSecret")
        c.check(not has_volume, f"{where}: slasher-keys mounted without aggregator.slasher.existingSecret")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chart", required=True)
    parser.add_argument("--values")
    parser.add_argument("--rendered", required=True)
    parser.add_argument("--k8s-out", required=True)
    args = parser.parse_args()

    with open(f"{args.chart}/values.yaml") as f:
        values = yaml.safe_load(f)
    with open(f"{args.chart}/Chart.yaml") as f:
        chart = yaml.safe_load(f)
    claims = {}
    if args.values:
        with open(args.values) as f:
            text = f.read()
        values = helm_merge(values, yaml.safe_load(text) or {})
        for line in text.splitlines():
            if line.startswith("# expect:"):
                for word in line.split(":", 1)[1].split():
                    name, _, count = word.partition("=")
                    claims[name] = int(count) if count else True
    name = args.values or "defaults"
    with open(args.rendered) as f:
        try:
            docs = [d for d in yaml.load_all(f, Loader=StrictLoader) if d]
        except yaml.YAMLError as e:
            print(f"  {name}: the rendering is not valid YAML: {e}", file=sys.stderr)
            return 1

    c = Checker()
    settings = [operator_settings(values, e) for e in values["operators"]]
    by_kind = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], []).append(doc)
        labels = doc["metadata"].get("labels", {})
        for label in ("app.kubernetes.io/name", "app.kubernetes.io/instance",
                      "app.kubernetes.io/managed-by", "helm.sh/chart"):
            c.check(label in labels, f"{doc['kind']}/{doc['metadata']['name']}: no {label} label")
    kinds = lambda kind: by_kind.get(kind, [])  # noqa: E731

    # No Secret, ever; every Secret reference is a configured, existing Secret.
    c.check(not kinds("Secret"), "the chart rendered a Secret")
    allowed = configured_secrets(values, settings)
    for doc in docs:
        for ref in secret_references(doc):
            c.check(ref in allowed, f"{doc['kind']}/{doc['metadata']['name']}: references Secret "
                    f"{ref!r}, not one configured in the values ({sorted(allowed)})")

    workloads = [d for d in docs if d["kind"] in WORKLOADS]
    for doc in workloads:
        check_hardening(c, doc, values, chart)
        check_telemetry(c, doc, values)
        c.check(doc["kind"] in ("StatefulSet", "Deployment"),
                f"{doc['kind']}/{doc['metadata']['name']}: unexpected workload kind")

    for doc in kinds("PodDisruptionBudget"):
        c.check(doc["apiVersion"] == "policy/v1", f"PDB {doc['metadata']['name']}: not policy/v1")
        c.check(any(selects(doc["spec"]["selector"]["matchLabels"], pod_labels(w)) for w in workloads),
                f"PDB {doc['metadata']['name']}: selects no pod")

    configmaps = {d["metadata"]["name"]: d for d in kinds("ConfigMap")}

    # Operators: one StatefulSet per key, one replica, a data volume, their own Secret.
    statefulsets = kinds("StatefulSet")
    c.check(len(statefulsets) == len(settings),
            f"{len(statefulsets)} StatefulSets for {len(settings)} operators")
    gpu_operators = 0
    reference_rollups = 0
    proving_rollups = 0
    for op in settings:
        matches = [s for s in statefulsets if s["metadata"].get("labels", {}).get("rampart/operator") == op["name"]]
        if not c.check(len(matches) == 1, f"operator {op['name']}: {len(matches)} StatefulSets"):
            continue
        sts = matches[0]
        where = f"StatefulSet/{sts['metadata']['name']}"
        spec = sts["spec"]
        pod = spec["template"]["spec"]
        container = pod["containers"][0]
        c.check(spec.get("replicas") == 1, f"{where}: replicas {spec.get('replicas')} (one key, one pod)")
        templates = {t["metadata"]["name"]: t for t in spec.get("volumeClaimTemplates", [])}
        c.check("data" in templates, f"{where}: no 'data' volumeClaimTemplate")
        if "data" in templates:
            c.check(templates["data"]["spec"]["resources"]["requests"]["storage"] == op["persistence"]["size"],
                    f"{where}: data volume size")
            c.check(templates["data"]["spec"]["accessModes"] == op["persistence"]["accessModes"],
                    f"{where}: data volume access modes")
        c.check({"name": "data", "mountPath": "/data"} in container.get("volumeMounts", []),
                f"{where}: data volume not mounted at /data")
        c.check(spec.get("persistentVolumeClaimRetentionPolicy") == {"whenDeleted": "Retain", "whenScaled": "Retain"},
                f"{where}: the data volume must be retained")
        c.check(container["args"][:2] == ["operator", "run"], f"{where}: not `operator run`")
        keys = [v for v in pod["volumes"] if v["name"] == "keys"]
        c.check(len(keys) == 1 and keys[0]["secret"]["secretName"] == op["existingSecret"],
                f"{where}: keys volume is not Secret {op['existingSecret']}")
        if keys:
            mode = keys[0]["secret"].get("defaultMode")
            c.check(mode is not None and mode & 0o007 == 0, f"{where}: key files readable by others")
        mounts = {m["name"]: m for m in container["volumeMounts"]}
        c.check(mounts.get("keys", {}).get("readOnly") is True, f"{where}: keys mounted writable")
        check_operator_volumes(c, where, op, spec)
        check_secret_ref(c, where, container, "RAMPART_L1_RPC_URL",
                         values["l1"].get("existingSecret"), values["l1"]["secretKey"])
        check_secret_ref(c, where, container, "RAMPART_PROTECTION_DB",
                         op["protectionDb"].get("existingSecret"), op["protectionDb"]["secretKey"])
        # GPU scheduling exactly when asked for.
        gpu = op["gpu"]
        limits = container["resources"].get("limits", {})
        if gpu["enabled"]:
            gpu_operators += 1
            c.check(limits.get(gpu["resourceName"]) == gpu["count"],
                    f"{where}: limit {gpu['resourceName']} = {limits.get(gpu['resourceName'])}, expected {gpu['count']}")
            if gpu["runtimeClassName"]:
                c.check(pod.get("runtimeClassName") == gpu["runtimeClassName"],
                        f"{where}: runtimeClassName {pod.get('runtimeClassName')!r}")
            for toleration in gpu["tolerations"]:
                c.check(toleration in pod.get("tolerations", []), f"{where}: GPU toleration missing")
            c.check(gpu["tolerations"] != [], f"{where}: GPU without tolerations")
            for k, v in gpu["nodeSelector"].items():
                c.check(pod.get("nodeSelector", {}).get(k) == v, f"{where}: GPU nodeSelector {k}")
        else:
            c.check(not any("gpu" in k for k in limits), f"{where}: GPU limit without gpu.enabled")
            c.check("runtimeClassName" not in pod, f"{where}: runtimeClassName without gpu.enabled")
        # Its config file.
        cm = configmaps.get(next((v["configMap"]["name"] for v in pod["volumes"] if v["name"] == "config"), ""))
        if c.check(cm is not None, f"{where}: config ConfigMap not rendered"):
            config = check_config_text(c, f"{where} operator.toml", cm["data"]["operator.toml"],
                                       OPERATOR_SECTIONS, pod["volumes"], container)
            daemon = config.get("daemon", {})
            port = container["ports"][0]["containerPort"]
            c.check(daemon.get("node_api") == f"0.0.0.0:{port}", f"{where}: node_api is not 0.0.0.0:{port}")
            c.check(daemon.get("data_dir") == "/data", f"{where}: data_dir is not the volume")
            if op["aggregators"]:
                c.check(daemon.get("aggregators") == op["aggregators"], f"{where}: aggregators")
            else:
                services = [s for s in kinds("Service") if s["metadata"]["labels"].get("app.kubernetes.io/component") == "aggregator"]
                internal = [f"http://{s['metadata']['name']}.{s['metadata']['namespace']}.svc:{s['spec']['ports'][0]['port']}"
                            for s in services]
                c.check(len(internal) == 1 and daemon.get("aggregators") == internal,
                        f"{where}: aggregators {daemon.get('aggregators')} should be this release's {internal}")
            c.check(daemon.get("prover_backend") == op["proverBackend"],
                    f"{where}: prover_backend {daemon.get('prover_backend')!r}, expected {op['proverBackend']!r}")
            check_operator_rollups(c, where, op, config)
            reference_rollups += sum(r.get("source") == "reference" for r in config.get("rollups", []))
            proving_rollups += sum("proving_key" in r for r in config.get("rollups", []))
            c.check(config.get("operator", {}).get("socket") == op["socket"], f"{where}: socket")
            c.check("protection_db" not in daemon, f"{where}: protection_db in the ConfigMap")
        services = [s for s in kinds("Service") if s["spec"].get("selector") == spec["selector"]["matchLabels"]]
        c.check(len(services) == 1 and services[0]["metadata"]["name"] == spec["serviceName"],
                f"{where}: no governing Service {spec['serviceName']}")

    # Aggregator.
    aggregator = values["aggregator"]
    component = lambda d: d["metadata"].get("labels", {}).get("app.kubernetes.io/component")  # noqa: E731
    deployments = [d for d in kinds("Deployment") if component(d) == "aggregator"]
    slashers = [d for d in kinds("Deployment") if component(d) == "slasher"]
    c.check(len(deployments) + len(slashers) == len(kinds("Deployment")),
            f"Deployments of unknown components: {[d['metadata']['name'] for d in kinds('Deployment')]}")
    postgres = aggregator["database"].get("existingSecret")
    if aggregator["enabled"]:
        if c.check(len(deployments) == 1, f"{len(deployments)} Deployments for the aggregator"):
            dep = deployments[0]
            where = f"Deployment/{dep['metadata']['name']}"
            pod = dep["spec"]["template"]["spec"]
            container = pod["containers"][0]
            c.check(dep["spec"]["replicas"] == aggregator["replicaCount"], f"{where}: replicas")
            c.check(container["args"][:2] == ["aggregator", "run"], f"{where}: not `aggregator run`")
            keys = [v for v in pod["volumes"] if v["name"] == "keys"]
            c.check(len(keys) == 1 and keys[0]["secret"]["secretName"] == aggregator["existingSecret"],
                    f"{where}: keys volume is not Secret {aggregator['existingSecret']}")
            check_secret_ref(c, where, container, "RAMPART_L1_RPC_URL",
                             values["l1"].get("existingSecret"), values["l1"]["secretKey"])
            check_secret_ref(c, where, container, "RAMPART_AGGREGATOR_DATABASE", postgres,
                             aggregator["database"]["secretKey"])
            strategy = dep["spec"]["strategy"]["type"]
            if postgres:
                c.check(strategy == "RollingUpdate", f"{where}: Postgres replicas should roll")
            else:
                c.check(dep["spec"]["replicas"] == 1, f"{where}: SQLite with more than one replica")
                c.check(strategy == "Recreate", f"{where}: SQLite needs the Recreate strategy")
                c.check(any(m["mountPath"] == "/data" for m in container["volumeMounts"]),
                        f"{where}: SQLite without a data volume")
            cm = configmaps.get(next((v["configMap"]["name"] for v in pod["volumes"] if v["name"] == "config"), ""))
            if c.check(cm is not None, f"{where}: config ConfigMap not rendered"):
                config = check_config_text(c, f"{where} aggregator.toml", cm["data"]["aggregator.toml"],
                                           AGGREGATOR_SECTIONS, pod["volumes"], container)
                section = config.get("aggregator", {})
                port = container["ports"][0]["containerPort"]
                c.check(section.get("listen") == f"0.0.0.0:{port}", f"{where}: listen is not 0.0.0.0:{port}")
                if postgres:
                    c.check("database" not in section, f"{where}: database URL in the ConfigMap")
                else:
                    c.check(section.get("database", "").startswith("/data/"), f"{where}: SQLite outside /data")
                check_embedded_slasher(c, where, values, pod, container, config)
    else:
        c.check(not deployments, "aggregator Deployment rendered while aggregator.enabled is false")

    # The standalone slasher: one pod, never two at once, its key, its database, its evidence
    # sources, its Service.
    slasher = values["slasher"]
    slasher_postgres = slasher["database"].get("existingSecret")
    aggregator_services = [s for s in kinds("Service") if component(s) == "aggregator"]
    own_aggregator = [f"http://{s['metadata']['name']}.{s['metadata']['namespace']}.svc:{s['spec']['ports'][0]['port']}"
                      for s in aggregator_services]
    if slasher["enabled"]:
        if c.check(len(slashers) == 1, f"{len(slashers)} Deployments for the slasher"):
            dep = slashers[0]
            where = f"Deployment/{dep['metadata']['name']}"
            pod = dep["spec"]["template"]["spec"]
            container = pod["containers"][0]
            c.check(dep["spec"]["replicas"] == 1, f"{where}: replicas {dep['spec']['replicas']} (one slasher per database)")
            c.check(dep["spec"]["strategy"] == {"type": "Recreate"}, f"{where}: strategy is not Recreate")
            c.check(container["args"] == ["slasher", "run", "--config", "/etc/rampart/config/slasher.toml"],
                    f"{where}: not `slasher run --config /etc/rampart/config/slasher.toml`: {container['args']}")
            key_volume(c, where, pod, container, "keys", slasher["existingSecret"], slasher["keyFiles"], KEYS_DIR)
            check_secret_ref(c, where, container, "RAMPART_L1_RPC_URL",
                             values["l1"].get("existingSecret"), values["l1"]["secretKey"])
            check_secret_ref(c, where, container, "RAMPART_SLASHER_DATABASE", slasher_postgres,
                             slasher["database"]["secretKey"])
            ports = {p["name"]: p["containerPort"] for p in container["ports"]}
            c.check(ports == {"http": slasher["service"]["port"]}, f"{where}: ports {ports}")
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                c.check(container.get(probe) == slasher[probe], f"{where}: {probe} not as configured")
                for node in walk(container.get(probe)):
                    if isinstance(node, dict) and isinstance(node.get("port"), str):
                        c.check(node["port"] in ports, f"{where}: {probe} names no port of the container")
            data = [v for v in pod["volumes"] if v["name"] == "data"]
            if slasher_postgres:
                c.check(not data, f"{where}: a data volume with Postgres")
            else:
                c.check({"name": "data", "mountPath": "/data"} in container["volumeMounts"],
                        f"{where}: SQLite without a data volume at /data")
                if slasher["persistence"]["enabled"]:
                    claim = (data[0].get("persistentVolumeClaim") or {}).get("claimName") if data else None
                    pvcs = [p for p in kinds("PersistentVolumeClaim") if p["metadata"]["name"] == claim]
                    if c.check(len(pvcs) == 1, f"{where}: data claim {claim!r} not rendered"):
                        pvc = pvcs[0]
                        p = slasher["persistence"]
                        c.check(pvc["spec"]["resources"]["requests"]["storage"] == p["size"], f"{where}: claim size")
                        c.check(pvc["spec"]["accessModes"] == p["accessModes"], f"{where}: claim access modes")
                        c.check(pvc["spec"].get("storageClassName", "") == p["storageClassName"],
                                f"{where}: claim StorageClass")
                        c.check(pvc["metadata"].get("annotations", {}).get("helm.sh/resource-policy") == "keep",
                                f"{where}: the claim is not kept on uninstall")
                else:
                    c.check(bool(data) and "emptyDir" in data[0], f"{where}: persistence off but no emptyDir")
            cm = configmaps.get(next((v["configMap"]["name"] for v in pod["volumes"] if v["name"] == "config"), ""))
            if c.check(cm is not None and "slasher.toml" in cm["data"], f"{where}: slasher.toml not rendered"):
                config = check_config_text(c, f"{where} slasher.toml", cm["data"]["slasher.toml"],
                                           SLASHER_SECTIONS, pod["volumes"], container)
                chain = config.get("chain", {})
                if values["l1"].get("existingSecret"):
                    c.check("rpc_url" not in chain, f"{where}: rpc_url in the ConfigMap with l1.existingSecret")
                else:
                    c.check(chain.get("rpc_url") == values["l1"]["rpcUrl"], f"{where}: rpc_url {chain.get('rpc_url')!r}")
                c.check(chain.get("confirmations") == slasher["confirmations"], f"{where}: confirmations")
                c.check(chain.get("poll_interval_ms") == slasher["pollIntervalMs"], f"{where}: poll_interval_ms")
                section = config.get("slasher", {})
                c.check(section.get("listen") == f"0.0.0.0:{slasher['service']['port']}",
                        f"{where}: listen {section.get('listen')!r}")
                if slasher_postgres:
                    c.check("database" not in section, f"{where}: database URL in the ConfigMap")
                else:
                    c.check(section.get("database", "").startswith("/data/"), f"{where}: SQLite outside /data")
                check_key_lines(c, f"{where} [slasher]", section, slasher["keyFiles"], KEYS_DIR)
                want = own_aggregator + [u for u in slasher["extraAggregators"] if u not in own_aggregator]
                c.check(len(own_aggregator) == (1 if aggregator["enabled"] else 0),
                        f"{where}: {len(own_aggregator)} aggregator Services")
                c.check(section.get("aggregators") == want,
                        f"{where}: aggregators {section.get('aggregators')}, expected {want}")
                c.check(section.get("assign_jobs") is slasher["assignJobs"], f"{where}: assign_jobs")
                c.check(section.get("max_fee_gwei") == slasher["maxFeeGwei"], f"{where}: max_fee_gwei")
                c.check(set(section) <= {"listen", "database", "aggregators", "assign_jobs", "max_fee_gwei"} | ECDSA_KEYS,
                        f"{where}: [slasher] unknown keys {set(section)}")
            services = [s for s in kinds("Service") if component(s) == "slasher"]
            if c.check(len(services) == 1, f"{where}: {len(services)} slasher Services"):
                svc = services[0]
                c.check(svc["spec"]["selector"] == dep["spec"]["selector"]["matchLabels"],
                        f"Service/{svc['metadata']['name']}: does not select the slasher")
                c.check(svc["spec"]["ports"] == [{"name": "http", "port": slasher["service"]["port"],
                                                  "targetPort": "http", "protocol": "TCP"}],
                        f"Service/{svc['metadata']['name']}: ports {svc['spec']['ports']}")
    else:
        c.check(not slashers, "slasher Deployment rendered while slasher.enabled is false")
        c.check(not [d for d in docs if component(d) == "slasher"],
                "slasher objects rendered while slasher.enabled is false")

    # Services select pods; the ServiceMonitor, if any, finds every Service.
    for svc in kinds("Service"):
        c.check(any(selects(svc["spec"]["selector"], pod_labels(w)) for w in workloads),
                f"Service/{svc['metadata']['name']}: selects no pod")
    monitors = kinds("ServiceMonitor")
    sm = values["serviceMonitor"]
    if sm["enabled"] and workloads:
        if c.check(len(monitors) == 1, f"{len(monitors)} ServiceMonitors, expected 1"):
            m = monitors[0]
            c.check(m["apiVersion"] == "monitoring.coreos.com/v1", "ServiceMonitor apiVersion")
            c.check(set(m) <= {"apiVersion", "kind", "metadata", "spec"}, "ServiceMonitor: unknown fields")
            c.check(set(m["spec"]) <= {"selector", "namespaceSelector", "endpoints", "jobLabel"},
                    f"ServiceMonitor: unknown spec fields {set(m['spec'])}")
            labels = m["metadata"].get("labels", {})
            if sm["release"]:
                c.check(labels.get("release") == sm["release"], f"ServiceMonitor: release label {labels.get('release')!r}")
            for k, v in sm["labels"].items():
                c.check(labels.get(k) == v, f"ServiceMonitor: label {k}")
            c.check(m["metadata"]["namespace"] == (sm["namespace"] or m["metadata"]["namespace"]),
                    "ServiceMonitor: namespace")
            selector = m["spec"]["selector"]["matchLabels"]
            for svc in kinds("Service"):
                c.check(selects(selector, svc["metadata"]["labels"]),
                        f"ServiceMonitor does not select Service/{svc['metadata']['name']}")
                c.check(any(p["name"] == "http" for p in svc["spec"]["ports"]),
                        f"Service/{svc['metadata']['name']}: no 'http' port to scrape")
            c.check(bool(m["spec"].get("namespaceSelector", {}).get("matchNames")), "ServiceMonitor: namespaceSelector")
            endpoints = m["spec"].get("endpoints", [])
            c.check(len(endpoints) == 1 and endpoints[0].get("port") == "http"
                    and endpoints[0].get("path") == "/metrics", f"ServiceMonitor endpoints {endpoints}")
            for endpoint in endpoints:
                c.check(set(endpoint) <= {"port", "path", "interval", "scrapeTimeout"},
                        f"ServiceMonitor endpoint: unknown fields {set(endpoint)}")
                for key in ("interval", "scrapeTimeout"):
                    c.check(re.fullmatch(r"[0-9]+(ms|s|m|h)", str(endpoint.get(key, ""))) is not None,
                            f"ServiceMonitor endpoint: {key} {endpoint.get(key)!r}")
    else:
        c.check(not monitors, "ServiceMonitor rendered while serviceMonitor.enabled is false")

    # Dashboards.
    dash = values["dashboards"]
    boards = [d for d in kinds("ConfigMap") if d["metadata"]["name"].endswith("-dashboards")]
    if dash["enabled"]:
        if c.check(len(boards) == 1, f"{len(boards)} dashboard ConfigMaps, expected 1"):
            labels = boards[0]["metadata"].get("labels", {})
            c.check(labels.get(dash["label"]) == dash["labelValue"],
                    f"dashboards ConfigMap: label {dash['label']}={labels.get(dash['label'])!r}")
            uids = set()
            for key, text in boards[0]["data"].items():
                try:
                    board = json.loads(text)
                except ValueError as e:
                    c.check(False, f"dashboard {key}: not JSON: {e}")
                    continue
                c.check(bool(board.get("panels")) and board.get("uid") not in uids,
                        f"dashboard {key}: no panels or a repeated uid")
                uids.add(board.get("uid"))
                c.check(any(v.get("name") == "datasource" for v in board.get("templating", {}).get("list", [])),
                        f"dashboard {key}: no datasource variable")
            c.check(len(uids) == 2, "expected the operator and aggregator dashboards")
    else:
        c.check(not boards, "dashboards ConfigMap rendered while dashboards.enabled is false")

    # NetworkPolicies: one per running component, selecting its pods.
    policies = kinds("NetworkPolicy")
    if values["networkPolicy"]["enabled"]:
        for w in workloads:
            c.check(any(selects(p["spec"]["podSelector"]["matchLabels"], pod_labels(w)) for p in policies),
                    f"{w['kind']}/{w['metadata']['name']}: no NetworkPolicy selects its pods")
        for p in policies:
            c.check(("Egress" in p["spec"]["policyTypes"]) == values["networkPolicy"]["egress"]["restrict"],
                    f"NetworkPolicy/{p['metadata']['name']}: egress restriction")
        # This release's slasher reaches this release's aggregator, whatever else is allowed.
        for s in slashers:
            labels = pod_labels(s)
            for p in policies:
                if component(p) != "aggregator":
                    continue
                for rule in p["spec"].get("ingress", []):
                    if "from" in rule:
                        c.check(any(selects((peer.get("podSelector") or {}).get("matchLabels"), labels)
                                    and "namespaceSelector" not in peer for peer in rule["from"]),
                                f"NetworkPolicy/{p['metadata']['name']}: the slasher may not read the evidence")
            mine = [p for p in policies if component(p) == "slasher"]
            if values["networkPolicy"]["egress"]["restrict"] and aggregator["enabled"] and mine:
                aggregator_labels = pod_labels(deployments[0]) if deployments else {}
                c.check(any(selects((peer.get("podSelector") or {}).get("matchLabels"), aggregator_labels)
                            for rule in mine[0]["spec"].get("egress", []) for peer in rule.get("to", [])),
                        f"NetworkPolicy/{mine[0]['metadata']['name']}: egress to this release's aggregator")
    else:
        c.check(not policies, "NetworkPolicy rendered while networkPolicy.enabled is false")

    # What the values file says it exercises.
    checks = {
        "operators": lambda n: len(statefulsets) == n,
        "gpu": lambda _: gpu_operators > 0,
        "aggregator": lambda _: len(deployments) == 1,
        "postgres": lambda _: bool(postgres) and len(deployments) == 1,
        "slasher": lambda _: len(slashers) == 1,
        "slasher-postgres": lambda _: bool(slasher_postgres) and len(slashers) == 1,
        "servicemonitor": lambda _: len(monitors) == 1,
        "telemetry": lambda _: bool(values["telemetry"].get("otlpEndpoint")) and bool(workloads),
        "reference": lambda _: reference_rollups > 0,
        "proving": lambda _: proving_rollups > 0,
    }
    for claim, arg in claims.items():
        if c.check(claim in checks, f"{name}: unknown expectation {claim!r}"):
            c.check(checks[claim](arg), f"{name}: expected {claim}{'' if arg is True else '=' + str(arg)}, not rendered")

    with open(args.k8s_out, "w") as f:
        yaml.safe_dump_all([d for d in docs if d["kind"] != "ServiceMonitor"], f, sort_keys=False)

    if c.problems:
        for problem in c.problems:
            print(f"  {name}: {problem}", file=sys.stderr)
        return 1
    summary = ", ".join(f"{len(v)} {k}" for k, v in sorted(by_kind.items()))
    print(f"{len(docs)} objects ({summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
