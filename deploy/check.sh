#!/usr/bin/env bash
# Checks deploy/ offline, as .ci/run does: the alert rules with promtool, the Grafana dashboard's
# queries with promtool, the Kubernetes manifests against the Kubernetes JSON schemas
# (kubernetes-validate bundles them), the Compose file against the Compose specification
# (check-jsonschema bundles it), and what neither schema says (deploy/check_structure.py).
#
# Needs promtool (Debian: apt-get install prometheus). The Python validators go into a venv
# under ~/.cache/empire (EMPIRE_DEPLOY_VENV), installed once and reused.
# Which metrics the rules and panels name is checked by the Rust test tests/api/deploy_metrics.rs.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${EMPIRE_DEPLOY_VENV:-$HOME/.cache/empire/deploy-venv}"
REQUIREMENTS="kubernetes-validate==1.37.0 check-jsonschema==0.39.0"
# The oldest and the newest Kubernetes the manifests are checked against.
K8S_VERSIONS="1.29.0 1.37.0"

command -v promtool >/dev/null 2>&1 \
  || { echo "FAIL: promtool not found (apt-get install prometheus)" >&2; exit 1; }
if [ "$(cat "$VENV/.requirements" 2>/dev/null)" != "$REQUIREMENTS" ]; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  # shellcheck disable=SC2086
  "$VENV/bin/pip" install --quiet --disable-pip-version-check $REQUIREMENTS
  echo "$REQUIREMENTS" >"$VENV/.requirements"
fi
PY="$VENV/bin/python"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "--- alert rules"
promtool check rules deploy/monitoring/alerts.yaml
promtool test rules deploy/monitoring/alerts_test.yaml

echo "--- Grafana dashboard"
"$PY" deploy/check_structure.py dashboard deploy/monitoring/grafana-dashboard.json "$work/dashboard-rules.yaml"
promtool check rules "$work/dashboard-rules.yaml"

echo "--- Kubernetes manifests"
mapfile -t resources < <("$PY" -c 'import sys, yaml; print("\n".join(yaml.safe_load(open(sys.argv[1]))["resources"]))' deploy/k8s/kustomization.yaml)
for version in $K8S_VERSIONS; do
  (cd deploy/k8s && "$VENV/bin/kubernetes-validate" --strict --quiet -k "$version" "${resources[@]}")
  echo "ok   ${resources[*]} (Kubernetes $version, strict)"
done
if command -v kubectl >/dev/null 2>&1; then
  # What `kubectl apply -k` would send, with the example secrets (secrets.env stays untracked).
  cp -r deploy/k8s "$work/k8s"
  cp deploy/k8s/secrets.env.example "$work/k8s/secrets.env"
  kubectl kustomize "$work/k8s" >"$work/rendered.yaml"
  for version in $K8S_VERSIONS; do
    "$VENV/bin/kubernetes-validate" --strict --quiet -k "$version" "$work/rendered.yaml"
  done
  echo "ok   kubectl kustomize deploy/k8s: $(grep -c '^kind:' "$work/rendered.yaml") resources valid"
else
  echo "note kubectl not found: the kustomize build was not rendered"
fi
"$PY" deploy/check_structure.py k8s deploy/k8s

echo "--- Compose file"
"$VENV/bin/check-jsonschema" --builtin-schema vendor.compose-spec deploy/compose.yaml
"$PY" deploy/check_structure.py compose deploy/compose.yaml
if docker compose version >/dev/null 2>&1; then
  docker compose -f deploy/compose.yaml --env-file deploy/.env.example config --quiet
  echo "ok   docker compose config"
else
  echo "note the docker compose plugin is not installed: checked against the Compose schema only"
fi
