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
  - With O(redundancy=true) it also probes every proxy and the direct path to every endpoint
    (C(ctagent testProxy --all --json)) and returns the redundancy, so that a playbook can report or
    check it across a fleet.
options:
  config:
    description:
      - The agent's config file. The tool's default is C(/etc/ctagent/config.yaml).
    type: path
  redundancy:
    description:
      - Probe every proxy and the direct path to every endpoint, and return RV(redundancy).
    type: bool
    default: false
  targets:
    description:
      - Endpoints (V(HOST:PORT)) to probe besides the config's C(https://) URLs, with O(redundancy=true).
    type: list
    elements: str
    default: []
  timeout:
    description:
      - Seconds allowed for each probe, with O(redundancy=true). The tool's default is 5.
    type: float
  state_dir:
    description:
      - The folder that remembers the last redundancy (a change writes one journal entry). The tool's default is
        C(/var/lib/ctagent).
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

- name: Every host keeps at least two working proxies
  ctagent.agent.info:
    redundancy: true
  register: agent
  failed_when: agent.redundancy.working < 2
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
redundancy:
  description:
    - With O(redundancy=true), what the probes found; empty otherwise. C(state) is one of V(all-working),
      V(degraded), V(last-proxy), V(direct-only), V(no-proxies), V(no-path).
  returned: always
  type: dict
  sample: {"state": "last-proxy", "working": 1, "configured": 2, "agent_path": "proxy #2",
           "failing": [{"proxy": 1, "address": "10.10.6.4:3128", "endpoints": ["platform.example.net:443"]}],
           "verdict": "no redundancy left: the agent uses #2 because #1 fails; if #2 fails the agent will bypass to direct"}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ctagent.agent.plugins.module_utils.ctagent import common_arguments, find_tool, parse_json, run


# testProxy --all finding no path at all: a result to report, not a failure of the module.
NO_PATH = 68


def redundancy_of(answer):
    """The tool's testProxy --all answer, as the module returns it."""
    failing = []
    for proxy in answer.get("proxies") or []:
        if not proxy.get("works"):
            failing.append(dict(proxy=proxy.get("proxy"), address=proxy.get("address"),
                                endpoints=[probe.get("endpoint") for probe in proxy.get("endpoints") or [] if probe.get("outcome") != "ok"]))
    return dict(state=answer.get("redundancy"), working=answer.get("working"), configured=answer.get("configured"),
                agent_path=answer.get("agentPath"), failing=failing, verdict=answer.get("verdict"))


def redundancy_arguments(params):
    args = ["testProxy", "--all", "--json"]
    for target in params.get("targets") or []:
        args += ["--target", target]
    if params.get("timeout") is not None:
        args += ["--timeout", "%g" % params["timeout"]]
    if params.get("state_dir"):
        args += ["--stateDir", params["state_dir"]]
    return args


def main():
    module = AnsibleModule(argument_spec=dict(config=dict(type="path"), redundancy=dict(type="bool", default=False),
                                              targets=dict(type="list", elements="str", default=[]),
                                              timeout=dict(type="float"), state_dir=dict(type="path")),
                           supports_check_mode=True)
    tool = find_tool(module)
    base = common_arguments(module, include_restart=False)
    dummy, stdout, dummy = run(module, tool, ["showProxy", "--json"] + base)
    proxies = parse_json(module, stdout, [tool, "showProxy"])
    dummy, stdout, dummy = run(module, tool, ["getConfig", "--json"] + base)
    settings = parse_json(module, stdout, [tool, "getConfig"])
    redundancy = {}
    if module.params["redundancy"]:
        dummy, stdout, dummy = run(module, tool, redundancy_arguments(module.params) + base, allowed=(NO_PATH,))
        redundancy = redundancy_of(parse_json(module, stdout, [tool, "testProxy", "--all"]))
    module.exit_json(changed=False, proxies=proxies.get("proxies", []), direct=bool(proxies.get("direct")),
                     settings=settings, config=proxies.get("config"), redundancy=redundancy)


if __name__ == "__main__":
    main()
