#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the ctagent developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: config
short_description: Set or remove keys of the agent's config file with ctagent
version_added: "1.0.0"
description:
  - Sets dotted keys of the endpoint-security agent's C(config.yaml) and removes others, by running
    C(ctagent updateConfig) on the managed host. Known keys are validated by the tool, the file must stay
    consistent as a whole, and every other byte of the file is kept.
  - Types follow the playbook's YAML. A string value is stored as a string (C(--setString)), an integer
    or boolean as that type (C(--set)), written so that YAML 1.1 and 1.2 readers read it alike.
  - Secrets (keys naming a password, secret, token, credential or key) are refused here, because values
    reach the tool on its command line; set proxy passwords with M(ctagent.agent.proxy), which uses stdin.
options:
  settings:
    description:
      - Dotted keys and their values, e.g. C(configuration.log-level=debug).
    type: dict
    default: {}
  unset:
    description:
      - Dotted keys to remove.
    type: list
    elements: str
    default: []
  allow_new_keys:
    description:
      - Allow keys that are neither known to the tool nor already in the file (C(--allowNewKeys)).
    type: bool
    default: false
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
- name: The agent documentation's second example, without the passwords (use ctagent.agent.proxy for those)
  ctagent.agent.config:
    settings:
      configuration.log-level: debug
      configuration.heartbeat-interval: 60
    restart: false

- name: Remove a key
  ctagent.agent.config:
    unset: [configuration.obsolete-setting]
"""

RETURN = r"""
changed:
  description: Whether the config file changed (in check mode, whether it would), as the tool says.
  returned: always
  type: bool
written:
  description: Whether the config file was written.
  returned: always
  type: bool
  sample: true
restarted:
  description: Whether the agent service was restarted.
  returned: always
  type: bool
  sample: false
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
  sample: {"requested": false, "performed": false, "status": "skipped", "message": "restart ctagent.service to apply the change"}
backup:
  description: Where the previous version was saved, when the file was written.
  returned: always
  type: str
  sample: /etc/ctagent/config.yaml.bak
changes:
  description: The keys that changed, with old and new values; secrets masked.
  returned: always
  type: list
  elements: dict
  sample: [{"key": "configuration.log-level", "old": "info", "new": "debug"}]
warnings_from_tool:
  description: Warnings the tool printed; also shown as task warnings.
  returned: always
  type: list
  elements: str
diff:
  description: In diff mode, the tool's unified diff with secrets masked.
  returned: when diff mode is on and something changed
  type: dict
"""

import re

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.six import string_types
from ansible_collections.ctagent.agent.plugins.module_utils.ctagent import common_argument_spec, common_arguments, find_tool, write

SECRET = re.compile(r"(password|passwd|secret|token|credential|key)$|credential", re.IGNORECASE)


def assignment_arguments(module):
    args = []
    for key, value in sorted(module.params["settings"].items()):
        last = key.split(".")[-1]
        if SECRET.search(last):
            module.fail_json(msg="%s names a secret; its value would be on the tool's command line. "
                                 "Set proxy passwords with ctagent.agent.proxy (stdin)" % key)
        if isinstance(value, bool):
            args += ["--set", "%s=%s" % (key, "true" if value else "false")]
        elif isinstance(value, (int, float)):
            args += ["--set", "%s=%s" % (key, value)]
        elif value is None:
            args += ["--set", "%s=null" % key]
        elif isinstance(value, string_types):
            args += ["--setString", "%s=%s" % (key, value)]
        else:
            module.fail_json(msg="%s: only strings, numbers, booleans and null can be set, not %s" % (key, type(value).__name__))
    for key in module.params["unset"]:
        args += ["--unset", key]
    return args


def main():
    module = AnsibleModule(
        argument_spec=dict(
            settings=dict(type="dict", default={}),
            unset=dict(type="list", elements="str", default=[]),
            allow_new_keys=dict(type="bool", default=False),
            **common_argument_spec()
        ),
        supports_check_mode=True,
    )
    if not module.params["settings"] and not module.params["unset"]:
        module.exit_json(changed=False, written=False, restarted=False, restart={}, backup=None, changes=[], warnings_from_tool=[])
    tool = find_tool(module)
    args = ["updateConfig"] + common_arguments(module) + assignment_arguments(module)
    if module.params["allow_new_keys"]:
        args.append("--allowNewKeys")
    module.exit_json(**write(module, tool, args))


if __name__ == "__main__":
    main()
