# -*- coding: utf-8 -*-
# Copyright: the ctagent developers
# Simplified BSD License (see https://opensource.org/licenses/BSD-2-Clause)
"""What every ctagent.agent module does: find the tool, run it with --json, and turn its
answer (or its exit status and message) into the module's result. The tool decides what
changed; nothing here re-reads or re-normalises the config."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

# The tool's exit statuses (sysexits), as its README documents them.
EXIT_STATUS = {
    64: "bad arguments or values",
    65: "the config cannot be parsed or edited safely",
    66: "the config file does not exist",
    68: "no path to the platform works",
    69: "the restart failed or was not confirmed (the config was saved)",
    73: "the config file cannot be replaced",
    74: "I/O error while writing",
    75: "another writer held the lock",
    77: "permission denied, or an unsafe file or folder",
    78: "the change was not confirmed and was taken back",
}

# A --confirm change that did not prove itself: the tool still answers with its JSON report.
NOT_CONFIRMED = 78

INSTALL_DIRS = ["/usr/local/bin", "/usr/bin", "/opt/ctagent/bin"]


def find_tool(module):
    """The ctagent binary: PATH first, then the usual install prefixes."""
    return module.get_bin_path("ctagent", required=True, opt_dirs=INSTALL_DIRS)


def common_arguments(module, include_restart=True):
    """--config, --service, --skipRestart, --rollbackOnFailure and the --confirm options from the
    module's parameters."""
    params = module.params
    args = []
    if params.get("config"):
        args += ["--config", params["config"]]
    if include_restart:
        if params.get("service"):
            args += ["--service", params["service"]]
        if not params.get("restart", True):
            args.append("--skipRestart")
        else:
            if params.get("rollback_on_failure"):
                args.append("--rollbackOnFailure")
            if params.get("confirm") is not None:
                args += ["--confirm", "%g" % params["confirm"]]
                if params.get("confirm_settle") is not None:
                    args += ["--confirmSettle", "%g" % params["confirm_settle"]]
                if params.get("confirm_command"):
                    args += ["--confirmCommand", params["confirm_command"]]
    return args


def common_argument_spec():
    """The parameters of every writing module (doc fragment ctagent.agent.write)."""
    return dict(
        restart=dict(type="bool", default=True),
        rollback_on_failure=dict(type="bool", default=False),
        confirm=dict(type="float"),
        confirm_settle=dict(type="float"),
        confirm_command=dict(type="str"),
        service=dict(type="str"),
        config=dict(type="path"),
    )


def tool_message(stderr):
    """The tool's own message, without its 'Error: ' prefix."""
    lines = [line for line in (stderr or "").splitlines() if line.strip()]
    for line in lines:
        if line.startswith("Error: "):
            return line[len("Error: "):]
    return lines[-1] if lines else ""


def run(module, tool, args, data=None, allowed=()):
    """Runs the tool; on a non-zero exit (other than those `allowed`), fails the task with the
    tool's message and status."""
    cmd = [tool] + args
    rc, stdout, stderr = module.run_command(cmd, data=data, binary_data=data is None, check_rc=False)
    if rc != 0 and rc not in allowed:
        meaning = EXIT_STATUS.get(rc, "unexpected exit status")
        module.fail_json(msg="ctagent failed (exit %d, %s): %s" % (rc, meaning, tool_message(stderr)),
                         rc=rc, stdout=stdout, stderr=stderr, cmd=cmd)
    return rc, stdout, stderr


def parse_json(module, stdout, cmd):
    try:
        return json.loads(stdout)
    except ValueError as error:
        module.fail_json(msg="ctagent did not answer with JSON: %s" % error, stdout=stdout, cmd=cmd)


def masked_diff(module, tool, args, data=None):
    """The tool's --dryRun unified diff (secrets masked by the tool), without its summary line."""
    dummy, stdout, dummy = run(module, tool, args + ["--dryRun"], data=data)
    lines = stdout.splitlines(True)
    if lines and lines[-1].startswith(("Dry run:", "/")) and "nothing was written" in lines[-1]:
        lines = lines[:-1]
    return "".join(lines)


def write(module, tool, args, data=None):
    """Runs a writing subcommand as the task asks: --dryRun in check mode, the masked diff in
    diff mode (taken before the write), and the tool's --json answer as the result."""
    result = {"changed": False}
    if module._diff:
        result["diff"] = {"prepared": masked_diff(module, tool, args, data=data)}
    call = args + ["--json"] + (["--dryRun"] if module.check_mode else [])
    rc, stdout, stderr = run(module, tool, call, data=data, allowed=(NOT_CONFIRMED,))
    answer = parse_json(module, stdout, [tool] + call)
    restart = answer.get("restart") or {}
    confirm = answer.get("confirm") or {}
    rollback = answer.get("rollback") or {}
    result.update(
        changed=bool(answer.get("changed")),
        written=bool(answer.get("written")),
        backup=answer.get("backup"),
        changes=answer.get("changes") or [],
        restarted=bool(restart.get("performed")),
        restart=restart,
        warnings_from_tool=[line[len("Warning: "):] for line in stderr.splitlines() if line.startswith("Warning: ")],
        confirmed=bool(confirm.get("confirmed")),
        rolled_back=bool(rollback.get("performed")),
        confirm=confirm,
    )
    for warning in result["warnings_from_tool"]:
        module.warn(warning)
    if not result["changed"] and "diff" in result:
        del result["diff"]
    if rc == NOT_CONFIRMED:
        # The host is back on its previous version (or the message says why not): the task fails.
        module.fail_json(msg="ctagent: %s" % tool_message(stderr), rc=rc, **result)
    return result
