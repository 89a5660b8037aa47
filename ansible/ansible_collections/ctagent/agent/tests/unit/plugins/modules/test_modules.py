# -*- coding: utf-8 -*-
"""Units: how the modules' parameters become the tool's arguments and stdin, and how the
tool's answer becomes the result. The tool itself is exercised by the integration tests."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.ctagent.agent.plugins.module_utils import ctagent
from ansible_collections.ctagent.agent.plugins.modules import config, info, proxy


class Failed(Exception):
    pass


class FakeModule:
    """Just what the modules use of AnsibleModule; run_command answers from a script."""

    def __init__(self, params, check_mode=False, diff=False, answers=None):
        self.params = params
        self.check_mode = check_mode
        self._diff = diff
        self.answers = list(answers or [])
        self.calls = []
        self.warnings = []

    def run_command(self, cmd, data=None, binary_data=False, check_rc=False):
        self.calls.append((cmd, data))
        return self.answers.pop(0)

    def fail_json(self, **kwargs):
        raise Failed(kwargs)

    def warn(self, text):
        self.warnings.append(text)


def proxy_params(**overrides):
    params = dict(proxies=["http://10.10.6.4:3128", "http://10.10.4.5:4128"], users=["ctuser1", "ctuser2"],
                  passwords=["Y29sb3JzMzIxMQ==", "Y29sb3JzMzIxMg=="], state="present", verify=False,
                  restart=True, service=None, config="/etc/ctagent/config.yaml")
    params.update(overrides)
    return params


def test_passwords_go_to_stdin_never_to_argv():
    args, data = proxy.command(FakeModule(proxy_params()))
    assert args[:2] == ["updateProxy", "--proxy=http://10.10.6.4:3128,http://10.10.4.5:4128"]
    assert "--proxyUser=ctuser1,ctuser2" in args
    assert "--proxyPasswordStdin" in args
    assert data == "Y29sb3JzMzIxMQ==,Y29sb3JzMzIxMg=="
    assert not any("Y29sb3Jz" in arg for arg in args)


def test_no_users_or_passwords_and_the_options():
    args, data = proxy.command(FakeModule(proxy_params(users=None, passwords=None, verify=True, restart=False, service="x.service")))
    assert data is None
    assert "--proxyPasswordStdin" not in args and not any(arg.startswith("--proxyUser") for arg in args)
    assert "--verify" in args and "--skipRestart" in args
    assert args[args.index("--service") + 1] == "x.service"


def test_rollback_on_failure_needs_the_restart():
    args, data = proxy.command(FakeModule(proxy_params(rollback_on_failure=True)))
    assert "--rollbackOnFailure" in args and "--skipRestart" not in args and data
    args, data = proxy.command(FakeModule(proxy_params(rollback_on_failure=True, restart=False)))
    assert "--rollbackOnFailure" not in args and "--skipRestart" in args and data


def test_confirm_and_its_command_need_the_restart():
    args, data = proxy.command(FakeModule(proxy_params(confirm=30.0, confirm_command="/usr/local/bin/check --host 'a b'")))
    assert args[args.index("--confirm") + 1] == "30"
    assert args[args.index("--confirmCommand") + 1] == "/usr/local/bin/check --host 'a b'"
    args, data = proxy.command(FakeModule(proxy_params(confirm=30.0, restart=False)))
    assert "--confirm" not in args and "--skipRestart" in args


def test_confirm_settle_goes_with_confirm_only():
    args, data = proxy.command(FakeModule(proxy_params(confirm=3.0, confirm_settle=0.5)))
    assert args[args.index("--confirm") + 1] == "3" and args[args.index("--confirmSettle") + 1] == "0.5"
    args, data = proxy.command(FakeModule(proxy_params(confirm_settle=1.0)))
    assert "--confirmSettle" not in args and "--confirm" not in args
    args, data = proxy.command(FakeModule(proxy_params(confirm=3.0)))
    assert "--confirmSettle" not in args


def test_a_change_taken_back_fails_the_task_with_what_happened():
    answer = {"changed": True, "written": True, "dryRun": False, "backup": "/etc/ctagent/config.yaml.bak",
              "changes": [{"key": "configuration.proxy"}], "restart": {"performed": True},
              "confirm": {"requested": True, "confirmed": False, "failure": "no-path"}, "rollback": {"performed": True}}
    module = FakeModule(proxy_params(confirm=30.0),
                        answers=[(78, json.dumps(answer), "Error: the change to /etc/ctagent/config.yaml was not confirmed: no proxy\n")])
    with pytest.raises(Failed) as failure:
        ctagent.write(module, "/usr/bin/ctagent", ["updateProxy"])
    result = failure.value.args[0]
    assert result["rolled_back"] is True and result["confirmed"] is False and result["rc"] == 78
    assert "was not confirmed" in result["msg"]


def test_a_confirmed_change_is_reported():
    answer = {"changed": True, "written": True, "dryRun": False, "backup": None, "changes": [], "restart": {"performed": True},
              "confirm": {"requested": True, "confirmed": True, "path": "proxy #1"}}
    result = ctagent.write(FakeModule(proxy_params(confirm=30.0), answers=[(0, json.dumps(answer), "")]), "/usr/bin/ctagent", ["updateProxy"])
    assert result["confirmed"] is True and result["rolled_back"] is False and result["confirm"]["path"] == "proxy #1"


def test_absent_clears():
    args, data = proxy.command(FakeModule(proxy_params(state="absent")))
    assert args[0] == "clearProxy" and data is None


def test_changed_comes_from_the_tools_json_and_check_mode_is_dry_run():
    answer = {"changed": True, "written": False, "dryRun": True, "backup": None, "changes": [{"key": "configuration.proxy"}],
              "restart": {"requested": False, "performed": False, "status": "not-needed"}}
    module = FakeModule(proxy_params(), check_mode=True, answers=[(0, json.dumps(answer), "")])
    result = ctagent.write(module, "/usr/bin/ctagent", ["updateProxy"])
    assert module.calls[0][0][-2:] == ["--json", "--dryRun"]
    assert result["changed"] is True and result["written"] is False and result["restarted"] is False
    assert "diff" not in result


def test_diff_mode_takes_the_tools_masked_diff_first():
    diff = "--- c\n+++ c (new)\n@@ -1 +1 @@\n-a\n+b\nDry run: x would change; nothing was written and the service was not restarted.\n"
    answer = {"changed": True, "written": True, "backup": "c.bak", "changes": [], "restart": {"performed": True}}
    module = FakeModule(proxy_params(), diff=True, answers=[(0, diff, ""), (0, json.dumps(answer), "Warning: other links\n")])
    result = ctagent.write(module, "/usr/bin/ctagent", ["updateProxy"], data="pw")
    assert module.calls[0][0][-1] == "--dryRun" and module.calls[0][1] == "pw"
    assert result["diff"]["prepared"] == "--- c\n+++ c (new)\n@@ -1 +1 @@\n-a\n+b\n"
    assert result["restarted"] is True
    assert module.warnings == ["other links"]


def test_failures_carry_the_tools_message_and_status():
    message = "Error: proxy #1 'http://p.example.net:3128' names the host 'p.example.net'. FQDNs are not supported\n"
    module = FakeModule(proxy_params(), answers=[(64, "", message)])
    with pytest.raises(Failed) as failure:
        ctagent.write(module, "/usr/bin/ctagent", ["updateProxy"])
    details = failure.value.args[0]
    assert details["rc"] == 64
    assert "FQDNs are not supported" in details["msg"] and "bad arguments" in details["msg"]
    assert details["cmd"][0] == "/usr/bin/ctagent"


def test_settings_keep_the_playbooks_types_and_refuse_secrets():
    module = FakeModule(dict(settings={"configuration.log-level": "debug", "configuration.heartbeat-interval": 60,
                                       "configuration.enabled": True, "configuration.port": "8080"}, unset=["configuration.old"]))
    args = config.assignment_arguments(module)
    assert args == ["--set", "configuration.enabled=true", "--set", "configuration.heartbeat-interval=60",
                    "--setString", "configuration.log-level=debug", "--setString", "configuration.port=8080",
                    "--unset", "configuration.old"]
    with pytest.raises(Failed):
        config.assignment_arguments(FakeModule(dict(settings={"configuration.api-token": "x"}, unset=[])))


def test_redundancy_is_the_tools_sweep_with_the_failing_proxies_named():
    answer = {"redundancy": "last-proxy", "working": 1, "configured": 2, "agentPath": "proxy #2", "verdict": "no redundancy left",
              "proxies": [{"proxy": 1, "address": "10.10.6.4:3128", "works": False,
                           "endpoints": [{"endpoint": "a:443", "outcome": "ok"}, {"endpoint": "b:443", "outcome": "forbidden"}]},
                          {"proxy": 2, "address": "10.10.4.5:4128", "works": True, "endpoints": []}]}
    result = info.redundancy_of(answer)
    assert result["state"] == "last-proxy" and result["working"] == 1 and result["agent_path"] == "proxy #2"
    assert result["failing"] == [{"proxy": 1, "address": "10.10.6.4:3128", "endpoints": ["b:443"]}]
    args = info.redundancy_arguments({"targets": ["t.example:443"], "timeout": 2.0, "state_dir": "/tmp/s"})
    assert args == ["testProxy", "--all", "--json", "--target", "t.example:443", "--timeout", "2", "--stateDir", "/tmp/s"]
