#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the ctagent developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: info
short_description: Read the agent's proxies and settings with ctagent
version_added: "1.0.0"
description:
  - Returns the endpoint-security agent's proxy list (in failover order, with users) and every setting of
    its config file, as data for C(register) or facts, by running C(ctagent showProxy --json) and
    C(ctagent getConfig --json) on the managed host. Secrets are always masked.
options:
  config:
    description:
      - The agent's config file. The tool's default is C(/etc/ctagent/config.yaml).
    type: path
attributes:
  check_mode:
    description: The module only reads.
    support: full
  diff_mode:
    description: Nothing changes, so there is no diff.
    support: none
author:
  - ctagent developers (@ctagent)
"""

EXAMPLES = r"""
- name: Read the agent's communication settings
  ctagent.agent.info:
  register: agent

- name: Show the proxies
  ansible.builtin.debug:
    msg: "{{ agent.proxies | map(attribute='proxy') | list }}"
"""

RETURN = r"""
proxies:
  description: The proxies in failover order; empty when the agent connects directly.
  returned: always
  type: list
  elements: dict
  sample: [{"position": 1, "proxy": "http://10.10.6.4:3128", "user": "ctuser1", "password": "********"}]
direct:
  description: Whether no proxy is configured (the agent connects directly).
  returned: always
  type: bool
settings:
  description: Every key of the config file with its value; secrets masked, types kept where every YAML reader agrees.
  returned: always
  type: dict
  sample: {"configuration.log-level": "info", "configuration.heartbeat-interval": 60}
config:
  description: The config file read.
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ctagent.agent.plugins.module_utils.ctagent import common_arguments, find_tool, parse_json, run


def main():
    module = AnsibleModule(argument_spec=dict(config=dict(type="path")), supports_check_mode=True)
    tool = find_tool(module)
    base = common_arguments(module, include_restart=False)
    dummy, stdout, dummy = run(module, tool, ["showProxy", "--json"] + base)
    proxies = parse_json(module, stdout, [tool, "showProxy"])
    dummy, stdout, dummy = run(module, tool, ["getConfig", "--json"] + base)
    settings = parse_json(module, stdout, [tool, "getConfig"])
    module.exit_json(changed=False, proxies=proxies.get("proxies", []), direct=bool(proxies.get("direct")),
                     settings=settings, config=proxies.get("config"))


if __name__ == "__main__":
    main()
