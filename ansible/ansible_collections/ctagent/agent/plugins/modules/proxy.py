#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the ctagent developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: proxy
short_description: Set or clear the agent's ordered proxy list with ctagent
version_added: "1.0.0"
description:
  - Sets the ordered list of HTTP proxies the endpoint-security agent tries (the first that works is kept;
    when none works the agent connects directly), with one user and base64 password per proxy, by running
    C(ctagent updateProxy) on the managed host; or removes the three proxy keys with C(ctagent clearProxy).
  - Whether anything changed is the tool's own answer (C(--json)); the config file is edited in place,
    atomically, keeping comments and the previous version as C(config.yaml.bak).
  - Passwords are given to the tool on standard input (C(--proxyPasswordStdin)), never on its command line,
    and are never returned.
  - After a change the agent service is restarted unless O(restart=false).
options:
  proxies:
    description:
      - Proxies in failover order, C(http://IP:PORT) or C(https://IP:PORT); IPv6 as C(http://[ADDRESS]:PORT).
        Host names are refused by the tool.
      - Required when O(state=present).
    type: list
    elements: str
  users:
    description:
      - One user per proxy, in the same order; an empty string for a proxy without authentication.
      - Omitted, no proxy uses authentication.
    type: list
    elements: str
  passwords:
    description:
      - One base64-encoded password per proxy, in the same order (C(ctagent encodePassword) makes them);
        an empty string for a proxy without authentication.
    type: list
    elements: str
  state:
    description:
      - V(present) sets the list; V(absent) removes the proxy keys, so the agent connects directly.
    type: str
    choices: [present, absent]
    default: present
  verify:
    description:
      - Before writing, walk the new list as C(ctagent testProxy) does and fail when no proxy in it works.
    type: bool
    default: false
notes:
  - Check mode runs the tool with C(--dryRun); diff mode returns the tool's masked unified diff.
  - Needs the ctagent tools on the managed host (on PATH, or in /usr/local/bin, /usr/bin).
extends_documentation_fragment:
  - ctagent.agent.write
attributes:
  check_mode:
    description: Runs the tool with C(--dryRun); nothing is written or restarted.
    support: full
  diff_mode:
    description: Returns the tool's unified diff, with secrets masked by the tool.
    support: full
author:
  - ctagent developers (@ctagent)
"""

EXAMPLES = r"""
- name: The agent documentation's example, passwords from Ansible Vault
  ctagent.agent.proxy:
    proxies:
      - http://10.10.6.4:3128
      - http://10.10.4.5:4128
    users: [ctuser1, ctuser2]
    passwords: "{{ vault_proxy_passwords }}"   # ["Y29sb3JzMzIxMQ==", "Y29sb3JzMzIxMg=="]

- name: Only the second proxy needs authentication; check that one works before writing
  ctagent.agent.proxy:
    proxies: [http://10.10.6.4:3128, http://10.10.4.5:4128]
    users: ["", ctuser2]
    passwords: ["", "{{ vault_ctuser2_password }}"]
    verify: true

- name: No proxies; the agent connects directly
  ctagent.agent.proxy:
    state: absent
"""

RETURN = r"""
changed:
  description: Whether the config file changed (in check mode, whether it would), as the tool says.
  returned: always
  type: bool
written:
  description: Whether the config file was written (false in check mode and when nothing changed).
  returned: always
  type: bool
  sample: true
restarted:
  description: Whether the agent service was restarted.
  returned: always
  type: bool
  sample: true
confirmed:
  description: With O(confirm), whether the change proved itself within the window (its guard is then stopped).
  returned: always
  type: bool
  sample: true
rolled_back:
  description: Whether the change was taken back (not confirmed, or the restart failed with O(rollback_on_failure)); the task then fails.
  returned: always
  type: bool
  sample: false
confirm:
  description: The tool's confirm report (empty without O(confirm)).
  returned: always
  type: dict
  sample: {"requested": true, "confirmed": true, "path": "proxy #1", "guard": "ctagent-guard-3fc403bbe943-ca8e6f8d.timer"}
restart:
  description: The tool's restart report.
  returned: always
  type: dict
  sample: {"requested": true, "performed": true, "status": "restarted", "message": "restarted ctagent.service (via dbus)"}
backup:
  description: Where the previous version was saved, when the file was written.
  returned: always
  type: str
  sample: /etc/ctagent/config.yaml.bak
changes:
  description: The keys that changed, with old and new values; passwords masked.
  returned: always
  type: list
  elements: dict
  sample: [{"key": "configuration.proxy", "old": "http://10.10.1.1:3128", "new": "http://10.10.6.4:3128,http://10.10.4.5:4128"}]
warnings_from_tool:
  description: Warnings the tool printed (for example about hard links); also shown as task warnings.
  returned: always
  type: list
  elements: str
diff:
  description: In diff mode, the tool's unified diff with secrets masked.
  returned: when diff mode is on and something changed
  type: dict
  sample: {"prepared": "--- /etc/ctagent/config.yaml\n+++ /etc/ctagent/config.yaml (new)\n..."}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ctagent.agent.plugins.module_utils.ctagent import common_argument_spec, common_arguments, find_tool, write


def command(module):
    """The tool's arguments and the data for its standard input."""
    params = module.params
    if params["state"] == "absent":
        return ["clearProxy"] + common_arguments(module), None
    args = ["updateProxy", "--proxy=" + ",".join(params["proxies"])] + common_arguments(module)
    if params["users"] is not None:
        args.append("--proxyUser=" + ",".join(params["users"]))
    data = None
    if params["passwords"] is not None:
        args.append("--proxyPasswordStdin")
        data = ",".join(params["passwords"])
    if params["verify"]:
        args.append("--verify")
    return args, data


def main():
    module = AnsibleModule(
        argument_spec=dict(
            proxies=dict(type="list", elements="str"),
            users=dict(type="list", elements="str"),
            passwords=dict(type="list", elements="str", no_log=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            verify=dict(type="bool", default=False),
            **common_argument_spec()
        ),
        required_if=[("state", "present", ["proxies"])],
        mutually_exclusive=[],
        supports_check_mode=True,
    )
    if module.params["state"] == "present" and not module.params["proxies"]:
        module.fail_json(msg="proxies is empty; give at least one proxy, or state=absent to remove them")
    tool = find_tool(module)
    args, data = command(module)
    module.exit_json(**write(module, tool, args, data=data))


if __name__ == "__main__":
    main()
