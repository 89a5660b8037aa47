# -*- coding: utf-8 -*-
# Copyright: ctagent developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The options every writing module of ctagent.agent passes to the tool the same way."""

from __future__ import annotations


class ModuleDocFragment:  # pylint: disable=too-few-public-methods
    """Restart, rollback, unit and config file options (module_utils.ctagent.common_arguments)."""

    DOCUMENTATION = r"""
options:
  restart:
    description:
      - Restart the agent service after a change. V(false) passes C(--skipRestart).
    type: bool
    default: true
  rollback_on_failure:
    description:
      - When the agent fails to start with the change (its restart job fails), put the previous version back
        and restart again (C(--rollbackOnFailure)); the task still fails, saying so. Ignored with O(restart=false).
    type: bool
    default: false
  confirm:
    description:
      - Seconds the change has, after the restart, to prove that the agent still reaches its platform
        (C(--confirm)) - the unit stays up, the agent's failover path works through a proxy of the new
        list, O(confirm_command) exits 0 - or it is taken back, the agent restarted with the previous
        version, and the task fails with RV(rolled_back=true). A systemd timer armed before the write
        takes the change back even if the connection to the host drops. Needs O(restart=true).
    type: float
  confirm_settle:
    description:
      - With O(confirm), seconds the unit must stay up after the restart before the path is checked
        (C(--confirmSettle)); at most O(confirm). The tool's default is 5, or half of O(confirm) when
        that is shorter, so that a short window still leaves time for the path check.
    type: float
  confirm_command:
    description:
      - With O(confirm), a command on the host that must exit 0 within the window (C(--confirmCommand)),
        split into words as systemd splits C(ExecStart=) (no shell).
    type: str
  service:
    description:
      - The agent's systemd unit. The tool's default is C(ctagent.service).
    type: str
  config:
    description:
      - The agent's config file. The tool's default is C(/etc/ctagent/config.yaml).
    type: path
"""
