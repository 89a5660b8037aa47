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

# The current release when this was written, pinned so that a new release (which may ask for
# another pip bootstrap, see below) cannot break CI unannounced; raise it deliberately.
pypi_ansible=ansible-core==2.19.14
if [ ! -x "$venv/bin/ansible-test" ]; then
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install -q "$pypi_ansible"
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
trap 'rm -rf "$work"' EXIT
for bin in /usr/bin "$root/$venv/bin"; do
  [ -x "$bin/ansible-playbook" ] || { echo "skipped: no ansible-playbook in $bin"; continue; }
  version=$("$bin/ansible" --version 2>/dev/null | sed -n 1p)
  # The command lines of the playbook's processes (its descendants, so that other programs on
  # this machine are not mistaken for it; newer Ansible starts modules in new sessions),
  # sampled while it runs.
  PATH="$root/.build/release:$PATH" ANSIBLE_COLLECTIONS_PATH="$root/ansible" ANSIBLE_NOCOLOR=1 \
    "$bin/ansible-playbook" -vvv -i localhost, "$collection/tests/integration/playbook.yml" \
    -e "sample_config=$root/examples/config.yaml" -e ansible_python_interpreter=/usr/bin/python3 >"$work/output" 2>&1 &
  playbook=$!
  : >"$work/processes"
  while kill -0 "$playbook" 2>/dev/null; do
    ps -eo pid=,ppid=,args= | awk -v root="$playbook" '
      { parent[$1] = $2; line[$1] = $0 }
      END { for (pid in line) { p = pid; while (p != "" && p != 0 && p != 1) { if (p == root) { print line[pid]; break } p = parent[p] } } }' >>"$work/processes"
    sleep 0.02
  done
  wait "$playbook" || { tail -60 "$work/output"; fail "integration with $version"; }
  # The sampler must have seen the session's module runs (each ctagent run itself lasts
  # milliseconds and may fall between samples; the modules that start it last longer).
  grep -q "AnsiballZ" "$work/processes" || fail "the process sampler saw none of the playbook's module runs"
  # The passwords are in the role's vars file only; Ansible may print that file's name, never its values.
  for secret in "${secrets[@]}"; do
    ! grep -q -- "$secret" "$work/output" || fail "a password appears in Ansible's -vvv output ($version): $(grep -m3 -- "$secret" "$work/output")"
    ! grep -q -- "$secret" "$work/processes" || fail "a password appears in the process list ($version)"
  done
  echo "ok: integration with $version: $(grep -c "^ok:\|^changed:" "$work/output") tasks, no password in -vvv output or in $(wc -l <"$work/processes") sampled command lines ($(grep -c "/ctagent " "$work/processes") of them ctagent runs)"
done
