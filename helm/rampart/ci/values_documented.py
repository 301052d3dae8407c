"""Checks that the values table in README.md documents every value in values.yaml, and names no
value that does not exist.

    values_documented.py helm/rampart

A row documents a key and everything under it (`operator.resources` covers
`operator.resources.requests.cpu`). Rows for `operators[].<key>` document the per-operator keys
of values.schema.json.
"""

import json
import re
import sys

import yaml


def leaves(node, prefix=""):
    """Paths of the values, descending into non-empty maps only."""
    if isinstance(node, dict) and node:
        for key, value in node.items():
            yield from leaves(value, f"{prefix}.{key}" if prefix else key)
    else:
        yield prefix


def main():
    chart = sys.argv[1]
    with open(f"{chart}/values.yaml") as f:
        values = yaml.safe_load(f)
    with open(f"{chart}/values.schema.json") as f:
        schema = json.load(f)
    with open(f"{chart}/README.md") as f:
        readme = f.read()
    table = readme.split("\n## Values\n", 1)[-1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([^`]+)` \|", table, re.MULTILINE))
    problems = []
    for path in leaves(values):
        parts = path.split(".")
        if not any(".".join(parts[:n]) in documented for n in range(1, len(parts) + 1)):
            problems.append(f"values.yaml {path} is not in the README's values table")
    entry_keys = set(schema["definitions"]["operatorEntry"]["properties"])
    for key in sorted(documented):
        if key.startswith("operators[]."):
            sub = key.split(".", 1)[1]
            if sub != "*" and sub not in entry_keys:
                problems.append(f"README documents {key}, which operators[] entries do not have")
            continue
        parts = key.split(".")
        props = schema
        for part in parts:
            while "$ref" in props:
                props = schema["definitions"][props["$ref"].split("/")[-1]]
            props = props.get("properties", {}).get(part)
            if props is None:
                problems.append(f"README documents {key}, which values.schema.json does not have")
                break
    if problems:
        print("\n".join(f"  {p}" for p in problems), file=sys.stderr)
        return 1
    print(f"{len(documented)} rows cover every value")
    return 0


if __name__ == "__main__":
    sys.exit(main())
