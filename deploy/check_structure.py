"""Structural checks of deploy/ that a schema cannot express; run by deploy/check.sh.

    python deploy/check_structure.py compose deploy/compose.yaml
    python deploy/check_structure.py k8s deploy/k8s
    python deploy/check_structure.py dashboard deploy/monitoring/grafana-dashboard.json OUT.yaml

Each command prints what it checked, or the problems found, and exits 1 on any problem.
"""

import json
import re
import sys
from pathlib import Path

import yaml

# The variables the binary reads for the settings below (README, "Configuration").
SECRET_VARS = ("EMPIRE_JWT_SECRET", "EMPIRE_CLUSTER_COOKIE")
NODE_VARS = ("EMPIRE_DATABASE_URL", "EMPIRE_REDIS_URL", "EMPIRE_CLUSTER_ENABLED",
             "EMPIRE_CLUSTER_SEEDS", "EMPIRE_CLUSTER_ADVERTISE_ADDR", "EMPIRE_NODE_NAME")

problems = []


def need(condition, message):
    if not condition:
        problems.append(message)
    return condition


def finish(what):
    if problems:
        for problem in problems:
            print(f"FAIL {what}: {problem}", file=sys.stderr)
        sys.exit(1)
    print(f"ok   {what}")


def load_yaml_documents(path):
    with open(path, encoding="utf-8") as file:
        return [doc for doc in yaml.safe_load_all(file) if doc is not None]


def check_compose(path):
    (doc,) = load_yaml_documents(path)
    services = doc.get("services") or {}
    for name in ("postgres", "redis"):
        service = services.get(name) or {}
        need(name in services, f"no `{name}` service")
        need("test" in (service.get("healthcheck") or {}), f"`{name}` has no healthcheck")
    nodes = {name: s for name, s in services.items() if name.startswith("empire-")}
    need(len(nodes) == 3, f"expected 3 empire nodes, found {sorted(nodes)}")
    names = set()
    for name, service in sorted(nodes.items()):
        env = service.get("environment") or {}
        need(isinstance(env, dict), f"{name}: environment must be a mapping")
        for var in NODE_VARS + SECRET_VARS:
            need(var in env, f"{name}: {var} is not set")
        for var in SECRET_VARS:
            value = str(env.get(var, ""))
            need(re.fullmatch(r"\$\{[A-Z_]+:\?[^}]*\}", value) is not None,
                 f"{name}: {var} must come from the env file as ${{VAR:?message}}, not `{value}`")
        need("${POSTGRES_PASSWORD" in str(env.get("EMPIRE_DATABASE_URL", "")),
             f"{name}: the database password must come from the env file")
        need(str(env.get("EMPIRE_CLUSTER_ENABLED")).lower() == "true", f"{name}: cluster not enabled")
        seeds = [s.strip() for s in str(env.get("EMPIRE_CLUSTER_SEEDS", "")).split(",") if s.strip()]
        need(seeds == [f"{n}:4700" for n in sorted(nodes)],
             f"{name}: seeds {seeds} must list every node service on port 4700")
        need(env.get("EMPIRE_CLUSTER_ADVERTISE_ADDR") == f"{name}:4700",
             f"{name}: must advertise `{name}:4700`, the form its seeds use")
        names.add(env.get("EMPIRE_NODE_NAME"))
        depends = service.get("depends_on") or {}
        for dependency in ("postgres", "redis"):
            condition = (depends.get(dependency) or {}).get("condition") if isinstance(depends, dict) else None
            need(condition == "service_healthy",
                 f"{name}: depends_on {dependency} must wait for service_healthy")
        check = " ".join(map(str, (service.get("healthcheck") or {}).get("test") or []))
        need("/ready" in check, f"{name}: the healthcheck must ask /ready")
        need(any(str(v).endswith(":/var/lib/empire") for v in service.get("volumes") or []),
             f"{name}: no volume on /var/lib/empire")
        need(bool(service.get("image")), f"{name}: no image")
    need(len(names) == len(nodes), "node names must differ")
    need(sum("build" in s for s in nodes.values()) >= 1, "no node builds the image")
    finish(f"compose structure ({len(nodes)} nodes, postgres, redis)")


def env_of(container):
    return {e["name"]: e for e in container.get("env") or []}


def check_k8s(directory):
    directory = Path(directory)
    kustomization = load_yaml_documents(directory / "kustomization.yaml")[0]
    resources = {}
    for file in kustomization.get("resources") or []:
        need((directory / file).is_file(), f"kustomization names missing `{file}`")
        for doc in load_yaml_documents(directory / file):
            resources[(doc["kind"], doc["metadata"]["name"])] = doc
    sts = [d for (kind, _), d in resources.items() if kind == "StatefulSet"]
    if not need(len(sts) == 1, "expected one StatefulSet"):
        return finish("k8s structure")
    sts = sts[0]
    spec = sts["spec"]
    replicas = spec.get("replicas", 1)
    headless = resources.get(("Service", spec.get("serviceName")))
    if need(headless is not None, f"serviceName `{spec.get('serviceName')}` has no Service"):
        need(headless["spec"].get("clusterIP") == "None", "the StatefulSet's Service must be headless")
        need(headless["spec"].get("publishNotReadyAddresses") is True,
             "the headless Service must publish not-ready addresses (nodes find peers while starting)")
        need(headless["spec"].get("selector") == spec["selector"]["matchLabels"],
             "the headless Service must select the StatefulSet's pods")
    http = [d for (kind, name), d in resources.items()
            if kind == "Service" and d["spec"].get("clusterIP") != "None"]
    need(len(http) == 1 and any(p.get("targetPort") == "http" for p in http[0]["spec"]["ports"]),
         "one normal Service must route to the `http` port")
    pdbs = [d for (kind, _), d in resources.items() if kind == "PodDisruptionBudget"]
    need(len(pdbs) == 1 and pdbs[0]["spec"]["selector"] == spec["selector"],
         "one PodDisruptionBudget must select the StatefulSet's pods")

    template = spec["template"]
    annotations = template["metadata"].get("annotations") or {}
    need(annotations.get("prometheus.io/scrape") == "true", "pods lack prometheus.io/scrape")
    need(annotations.get("prometheus.io/path") == "/metrics", "pods lack prometheus.io/path: /metrics")
    (container,) = template["spec"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in container.get("ports") or []}
    need(str(ports.get("metrics")) == annotations.get("prometheus.io/port"),
         "prometheus.io/port must be the container's `metrics` port")
    env = env_of(container)
    need(env.get("EMPIRE_HTTP_METRICS_ADDR", {}).get("value", "").endswith(f":{ports.get('metrics')}"),
         "EMPIRE_HTTP_METRICS_ADDR must listen on the `metrics` port")
    need(env.get("EMPIRE_HTTP_ADDR", {}).get("value", "").endswith(f":{ports.get('http')}"),
         "EMPIRE_HTTP_ADDR must listen on the `http` port")
    need(env.get("EMPIRE_CLUSTER_ADDR", {}).get("value", "").endswith(f":{ports.get('cluster')}"),
         "EMPIRE_CLUSTER_ADDR must listen on the `cluster` port")
    need(container["readinessProbe"]["httpGet"]["path"] == "/ready", "readiness must ask /ready")
    need(container["livenessProbe"]["httpGet"]["path"] == "/health", "liveness must ask /health")
    service = spec["serviceName"]
    name = sts["metadata"]["name"]
    # A node dials its seeds and every peer it hears of: any of the pods' stable names will do
    # (more replicas join through them), but nothing else.
    seeds = env.get("EMPIRE_CLUSTER_SEEDS", {}).get("value", "").split(",")
    stable = [f"{name}-{i}.{service}:{ports.get('cluster')}" for i in range(replicas)]
    need(seeds and all(seed in stable for seed in seeds),
         f"seeds {seeds} must be pods' stable names <pod>.{service}:<cluster port>, of {stable}")
    need(env.get("EMPIRE_CLUSTER_ADVERTISE_ADDR", {}).get("value") == f"$(POD_NAME).{service}:{ports.get('cluster')}",
         "each pod must advertise the same form of name its seeds use")
    need(env.get("EMPIRE_NODE_NAME", {}).get("value") == "$(POD_NAME)", "node names must be the pod names")
    generated = {g["name"]: g for g in kustomization.get("secretGenerator") or []}
    example_keys = set()
    for generator in generated.values():
        for file in generator.get("envs") or []:
            example = directory / (file + ".example")
            if need(example.is_file(), f"`{file}` has no committed `{file}.example`"):
                example_keys |= {line.split("=", 1)[0] for line in example.read_text().splitlines()
                                 if line.strip() and not line.startswith("#")}
    for var in SECRET_VARS + ("EMPIRE_DATABASE_URL", "EMPIRE_REDIS_URL"):
        ref = (env.get(var, {}).get("valueFrom") or {}).get("secretKeyRef")
        if need(ref is not None, f"{var} must come from a Secret"):
            need(ref["name"] in generated, f"{var}: Secret `{ref['name']}` is not generated")
            need(ref["key"] in example_keys, f"{var}: key `{ref['key']}` is not in the secrets example")
    finish(f"k8s structure ({len(resources)} resources, {replicas} replicas)")


def check_dashboard(path, rules_out):
    """Checks the dashboard's shape and writes its queries as recording rules to `rules_out`,
    so promtool parses every PromQL expression of the dashboard too."""
    dashboard = json.loads(Path(path).read_text(encoding="utf-8"))
    need(dashboard.get("uid") and dashboard.get("title"), "a dashboard needs uid and title")
    panels = [p for p in dashboard.get("panels") or [] if p.get("type") != "row"]
    ids = [p.get("id") for p in dashboard.get("panels") or []]
    need(len(ids) == len(set(ids)), "panel ids must be unique")
    exprs = []
    for panel in panels:
        targets = panel.get("targets") or []
        need(targets, f"panel `{panel.get('title')}` has no query")
        for target in targets:
            expr = target.get("expr", "")
            need(expr.strip(), f"panel `{panel.get('title')}` has an empty query")
            exprs.append(expr)
    variables = {v["name"] for v in (dashboard.get("templating") or {}).get("list") or []}
    for panel in panels:
        uid = (panel.get("datasource") or {}).get("uid", "")
        for used in re.findall(r"\$\{?(\w+)", uid):
            need(used in variables, f"panel `{panel.get('title')}` uses undefined ${used}")
    builtin = {"__rate_interval": "5m", "__interval": "1m", "__range": "1h"}
    rules = []
    for i, expr in enumerate(exprs):
        for variable, value in builtin.items():
            expr = expr.replace("$" + variable, value)
        need("$" not in expr, f"query uses an unknown variable: {expr}")
        rules.append({"record": f"dashboard:query_{i}", "expr": expr})
    Path(rules_out).write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    finish(f"dashboard structure ({len(panels)} panels, {len(exprs)} queries)")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"compose": check_compose, "k8s": check_k8s, "dashboard": check_dashboard}[command](*args)
