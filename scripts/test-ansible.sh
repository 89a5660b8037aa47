#!/usr/bin/env bash
# Tests the Ansible collection ctagent.agent (ansible/ansible_collections/ctagent/agent):
#   1. ansible-test sanity and units, with ansible-core from PyPI in .build-ansible-venv;
#   2. the integration playbook against localhost (connection: local) with the release
#      binaries on temp configs, once with Debian's ansible-core (2.14) and once with PyPI's,
#      at -vvv, failing when a password appears in Ansible's output or in the process list.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
collection=ansible/ansible_collections/ctagent/agent
venv=.build-ansible-venv
fail() { echo "FAIL: $*" >&2; exit 1; }

if [ ! -x "$venv/bin/ansible-test" ]; then
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install -q ansible-core
fi
# ansible-test fetches a pip bootstrap script from a host CI cannot reach; a stand-in that
# uses Python's own ensurepip goes where it looks first.
mkdir -p ~/.ansible/test/cache
for version in 24.2 23.1.2 21.3.1; do
  cache=~/.ansible/test/cache/get_pip_${version//./_}.py
  [ -e "$cache" ] || cp ansible/tools/get-pip-standin.py "$cache"
done
python=$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
(cd "$collection" && PATH="$root/$venv/bin:$PATH" ansible-test sanity --local --requirements --python "$python")
echo "ok: ansible-test sanity ($("$venv/bin/ansible" --version | sed -n 1p))"
(cd "$collection" && PATH="$root/$venv/bin:$PATH" ansible-test units --local --requirements --python "$python")
echo "ok: ansible-test units"
rm -rf "$collection/tests/output"

[ -x .build/release/ctagent ] || make --no-print-directory release >/dev/null
secrets=(Y29sb3JzMzIxMQ== Y29sb3JzMzIxMg== colors3211 colors3212 c2VjcmV0LXBhc3N3b3Jk secret-password)
work=$(mktemp -d /tmp/ctagent-ansible.XXXXXX)
trap 'kill "${sampler:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
for bin in /usr/bin "$root/$venv/bin"; do
  [ -x "$bin/ansible-playbook" ] || { echo "skipped: no ansible-playbook in $bin"; continue; }
  version=$("$bin/ansible" --version 2>/dev/null | sed -n 1p)
  # Every process's command line, sampled while the playbook runs.
  (while :; do ps -eo args; sleep 0.02; done) >"$work/processes" 2>/dev/null &
  sampler=$!
  PATH="$root/.build/release:$PATH" ANSIBLE_COLLECTIONS_PATH="$root/ansible" ANSIBLE_NOCOLOR=1 \
    "$bin/ansible-playbook" -vvv -i localhost, "$collection/tests/integration/playbook.yml" \
    -e "sample_config=$root/examples/config.yaml" -e ansible_python_interpreter=/usr/bin/python3 >"$work/output" 2>&1 || { tail -60 "$work/output"; fail "integration with $version"; }
  kill "$sampler"; wait "$sampler" 2>/dev/null || true
  grep -q "ctagent updateProxy\|ctagent\", \"updateProxy" "$work/processes" "$work/output" || fail "the process sampler saw no ctagent run"
  # The passwords are in the role's vars file only; Ansible may print that file's name, never its values.
  for secret in "${secrets[@]}"; do
    ! grep -q -- "$secret" "$work/output" || fail "a password appears in Ansible's -vvv output ($version): $(grep -m3 -- "$secret" "$work/output")"
    ! grep -q -- "$secret" "$work/processes" || fail "a password appears in the process list ($version)"
  done
  echo "ok: integration with $version: $(grep -c '^ok:\|^changed:' "$work/output") tasks, no password in -vvv output or process list"
done
