#!/usr/bin/python3
"""Asks systemd (or the stand-in, Tests/Fixtures/fake_systemd.py) for the transient units
a client may get wrong, and prints one JSON object a case: what was asked, and the D-Bus
error name that came back ("ok" when it was accepted). The same expected answers are
checked against the stand-in in the ordinary suite and against real systemd in the VM
(scripts/test-systemd-vm.sh), so the stand-in refuses what systemd refuses.

    transient_refusals.py PREFIX     on the bus DBUS_SYSTEM_BUS_ADDRESS names (else the system bus)
"""
import json
import sys

import dbus

prefix = sys.argv[1]
bus = dbus.SystemBus()
manager = dbus.Interface(bus.get_object('org.freedesktop.systemd1', '/org/freedesktop/systemd1'),
                         'org.freedesktop.systemd1.Manager')
HOUR = dbus.UInt64(3600 * 1000000)


def timer(base='OnActiveSec', extra=(), exec_path='/bin/true'):
    properties = [('Description', dbus.String('ctagent refusal case')),
                  ('RemainAfterElapse', dbus.Boolean(False)),
                  ('AccuracyUSec', dbus.UInt64(1000000)),
                  ('TimersMonotonic', dbus.Array([dbus.Struct((base, HOUR), signature='st')], signature='(st)'))]
    properties += list(extra)
    service = [('Description', dbus.String('ctagent refusal case')),
               ('ExecStart', dbus.Array([dbus.Struct((exec_path, dbus.Array([exec_path], signature='s'), False),
                                                     signature='sasb')], signature='(sasb)'))]
    return dbus.Array(properties, signature='(sv)'), service


def start(name, mode='fail', **kwargs):
    properties, service = timer(**kwargs)
    return manager.StartTransientUnit(name + '.timer', mode, properties,
                                      dbus.Array([(name + '.service', dbus.Array(service, signature='(sv)'))],
                                                 signature='(sa(sv))'))


def answer(call):
    try:
        call()
        return 'ok'
    except dbus.exceptions.DBusException as error:
        return error.get_dbus_name()


good = prefix + '-good'
cases = [
    ('the timer base by its unit-file name', lambda: start(good)),
    ('the same transient unit again', lambda: start(good)),
    ('the timer base OnActiveUSec', lambda: start(prefix + '-usec', base='OnActiveUSec')),
    ('an unknown timer property', lambda: start(prefix + '-unknown', extra=[('OnActiveUSecs', dbus.UInt64(1))])),
    ('AccuracyUSec as u, not t', lambda: start(prefix + '-type', extra=[('AccuracyUSec', dbus.UInt32(1))])),
    ('a relative ExecStart path', lambda: start(prefix + '-relative', exec_path='true')),
    ('the job mode "sometimes"', lambda: start(prefix + '-mode', mode='sometimes')),
    ('StopUnit of the good timer', lambda: manager.StopUnit(good + '.timer', 'replace')),
    ('StopUnit of the relative one', lambda: manager.StopUnit(prefix + '-relative.timer', 'replace')),
    ('StopUnit of a unit never loaded', lambda: manager.StopUnit(prefix + '-never.timer', 'replace')),
]
for what, call in cases:
    print(json.dumps({'case': what, 'answer': answer(call)}), flush=True)
