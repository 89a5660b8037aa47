'''python-dbusmock template: a fake org.freedesktop.systemd1 for ctagent tests.

It only covers what `systemctl restart` needs (and what ctagent does instead of
calling systemctl): Subscribe, RestartUnit -> job path, JobRemoved signal, plus
GetUnit/LoadUnit and the unit properties systemctl reads
(Unit.NeedDaemonReload, Service.Result).

Per-unit behaviour (what RestartUnit does):
  done (default) | failed | timeout | canceled | dependency | skipped | <any>
  "A then B"            A for the first RestartUnit of the unit, B for the ones after
        reply with a job path, then emit JobRemoved(id, job, unit, <result>)
        `delay_ms` later (the reply always goes out first)
  never                 reply with a job path, never emit JobRemoved
  signal-before-reply   emit JobRemoved("done") BEFORE the method reply
                        (real systemd can do this; clients must match first)
  nosuchunit            error org.freedesktop.systemd1.NoSuchUnit
  accessdenied          error org.freedesktop.DBus.Error.AccessDenied
  interactive           error org.freedesktop.DBus.Error.InteractiveAuthorizationRequired

After a successful restart (parameter "after": {"a.service": "<what>:<ms>"}), what the unit
does <ms> later, as real units do when they crash or crash-loop:
  fails:MS              ActiveState becomes failed (SubState failed)
  restarts:MS           NRestarts climbs by one every MS (Restart=on-failure looping)
  reinvokes:MS          a new InvocationID (the unit was started again)
Each restart gives the unit a new InvocationID, ActiveState active, SubState running.

Transient units (what --confirm's guard makes): StartTransientUnit and StopUnit are
answered with a job (JobRemoved "done" follows) and recorded, with their properties
decoded, as one JSON object per line in the file named by the parameter "record_file".
They are as strict as systemd 252 (src/core/dbus-manager.c, dbus-unit.c, dbus-timer.c,
dbus-service.c, dbus-execute.c): a bad job mode, a unit name or type that cannot be
transient, a unit that exists, a property systemd does not know for that unit type
("Cannot set property X, or unknown property."), a value of the wrong D-Bus type
(systemd's reader fails with ENXIO), a timer base other than systemd's unit-file names
("Invalid timer base: OnActiveUSec"): each is refused with
systemd's error name and words, and nothing is recorded. StopUnit of a unit not loaded is
NoSuchUnit, as on systemd; a transient timer that was stopped is unloaded.

Set at start:  --parameters '{"units": {"a.service": "failed"}, "default": "done", "delay_ms": 50}'
Change later:  org.ctagent.Mock.SetBehavior(s unit, s behavior)   on /org/freedesktop/systemd1
               (unit "*" sets the default for units not listed)
               org.ctagent.Mock.SetDelay(u ms)
Calls are recorded by dbusmock itself: `--logfile FILE` and
org.freedesktop.DBus.Mock.GetCalls / GetMethodCalls("RestartUnit") / ClearCalls.
'''

import json
import os

import dbus
from gi.repository import GLib

from dbusmock import mockobject

BUS_NAME = 'org.freedesktop.systemd1'
MAIN_OBJ = '/org/freedesktop/systemd1'
MAIN_IFACE = 'org.freedesktop.systemd1.Manager'
SYSTEM_BUS = True

UNIT_IFACE = 'org.freedesktop.systemd1.Unit'
SERVICE_IFACE = 'org.freedesktop.systemd1.Service'
CONTROL_IFACE = 'org.ctagent.Mock'

ERRORS = {
    # behaviour -> (D-Bus error name, message format); messages mimic systemd/dbus-daemon
    'nosuchunit': ('org.freedesktop.systemd1.NoSuchUnit', 'Unit {} not found.'),
    'accessdenied': ('org.freedesktop.DBus.Error.AccessDenied',
                     'Access denied'),
    'interactive': ('org.freedesktop.DBus.Error.InteractiveAuthorizationRequired',
                    'Interactive authentication required.'),
}


def load(mock, parameters):
    # Reset() re-runs load() with the original parameters, so all state lives here.
    mock.next_job_id = 1
    mock.behaviors = dict(parameters.get('units', {}))
    mock.default_behavior = parameters.get('default', 'done')
    mock.delay_ms = int(parameters.get('delay_ms', 50))
    mock.after = dict(parameters.get('after', {}))
    mock.record_file = parameters.get('record_file')
    mock.AddProperties(MAIN_IFACE, {'Version': '252-fake'})


def behavior_of(mock, name):
    return mock.behaviors.get(name, mock.default_behavior)


def unit_path(name):
    # Same escaping as systemd's bus_label_escape(): systemctl computes unit
    # paths itself (e.g. to read Service.Result after a failed job), so ours must match.
    out = ''
    for i, ch in enumerate(name):
        if (ch.isascii() and ch.isalpha()) or (ch.isdigit() and i > 0):
            out += ch
        else:
            out += '_%02x' % ord(ch)
    return f'{MAIN_OBJ}/unit/{out}'


def ensure_unit(mock, name):
    path = unit_path(name)
    if path not in mockobject.objects:
        mock.AddObject(path, UNIT_IFACE, {
            'Id': name, 'Names': dbus.Array([name], signature='s'),
            'LoadState': 'loaded', 'ActiveState': 'active', 'SubState': 'running',
            'NeedDaemonReload': False,
            'Job': dbus.Struct((dbus.UInt32(0), dbus.ObjectPath('/')), signature='uo'),
            'InvocationID': dbus.Array(list(os.urandom(16)), signature='y'),
        }, [])
        if name.endswith('.service'):
            mockobject.objects[path].AddProperties(SERVICE_IFACE, {'Result': 'success', 'NRestarts': dbus.UInt32(0)})
    return mockobject.objects[path]


def raise_for(behavior, name):
    if behavior in ERRORS:
        err, msg = ERRORS[behavior]
        raise dbus.exceptions.DBusException(msg.format(name), name=err)


def job_removed(mock, job_id, job, name, result):
    if result in ('done', 'skipped'):
        started(mock, name)
    mock.EmitSignal(MAIN_IFACE, 'JobRemoved', 'uoss', [dbus.UInt32(job_id), job, name, result])
    return False  # one-shot GLib timeout


def started(mock, name):
    """A successful (re)start: a new invocation, active; then what "after" says."""
    path = unit_path(name)
    if path not in mockobject.objects:
        return
    unit = mockobject.objects[path]
    unit.UpdateProperties(UNIT_IFACE, {'ActiveState': 'active', 'SubState': 'running',
                                       'InvocationID': dbus.Array(list(os.urandom(16)), signature='y')})
    what = mock.after.get(name)
    if not what:
        return
    kind, ms = what.split(':')
    ms = int(ms)
    if kind == 'fails':
        GLib.timeout_add(ms, lambda: unit.UpdateProperties(UNIT_IFACE, {'ActiveState': 'failed', 'SubState': 'failed'}) and False)
    elif kind == 'restarts':
        def climb():
            count = unit.props[SERVICE_IFACE]['NRestarts'] + 1
            unit.UpdateProperties(SERVICE_IFACE, {'NRestarts': dbus.UInt32(count)})
            return True  # again every ms
        GLib.timeout_add(ms, climb)
    elif kind == 'reinvokes':
        GLib.timeout_add(ms, lambda: unit.UpdateProperties(
            UNIT_IFACE, {'InvocationID': dbus.Array(list(os.urandom(16)), signature='y')}) and False)


def plain(value):
    """dbus-python values as JSON."""
    if isinstance(value, (dbus.Array, list, dbus.Struct, tuple)):
        if isinstance(value, dbus.Array) and value.signature == 'y':
            return bytes(value).hex()
        return [plain(v) for v in value]
    if isinstance(value, dbus.Dictionary):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, dbus.Boolean):
        return bool(value)
    if isinstance(value, (dbus.Byte, dbus.Int16, dbus.Int32, dbus.Int64, dbus.UInt16, dbus.UInt32, dbus.UInt64)):
        return int(value)
    return str(value)


def record(mock, entry):
    if mock.record_file:
        with open(mock.record_file, 'a') as f:
            f.write(json.dumps(entry) + '\n')


def new_job(mock, name):
    job_id = mock.next_job_id
    mock.next_job_id += 1
    job = dbus.ObjectPath(f'{MAIN_OBJ}/job/{job_id}')
    GLib.timeout_add(mock.delay_ms, lambda: mock.EmitSignal(
        MAIN_IFACE, 'JobRemoved', 'uoss', [dbus.UInt32(job_id), job, name, 'done']) and False)
    return job


# What systemd 252 lets a transient unit set, by unit type, with the D-Bus type it reads.
# A subset: every property ctagent sends is here, with its neighbours; anything else is
# refused as systemd refuses a property it does not know.
UNIT_PROPERTIES = {
    'Description': 's', 'Documentation': 'as', 'DefaultDependencies': 'b', 'CollectMode': 's',
    'SourcePath': 's', 'StopWhenUnneeded': 'b', 'RefuseManualStart': 'b', 'RefuseManualStop': 'b',
    'AddRef': 'b', 'JobTimeoutUSec': 't', 'Requires': 'as', 'Wants': 'as', 'After': 'as',
    'Before': 'as', 'Conflicts': 'as', 'BindsTo': 'as', 'PartOf': 'as',
}
TYPE_PROPERTIES = {
    'timer': {
        'AccuracyUSec': 't', 'AccuracySec': 't', 'RandomizedDelayUSec': 't', 'WakeSystem': 'b',
        'Persistent': 'b', 'RemainAfterElapse': 'b', 'OnTimezoneChange': 'b', 'OnClockChange': 'b',
        'TimersMonotonic': 'a(st)', 'TimersCalendar': 'a(ss)', 'OnActiveSec': 't', 'OnBootSec': 't',
        'OnStartupSec': 't', 'OnUnitActiveSec': 't', 'OnUnitInactiveSec': 't', 'OnCalendar': 's',
    },
    'service': {
        'Type': 's', 'ExecStart': 'a(sasb)', 'ExecStartPre': 'a(sasb)', 'ExecStartPost': 'a(sasb)',
        'ExecStop': 'a(sasb)', 'ExecStopPost': 'a(sasb)', 'RemainAfterExit': 'b', 'Restart': 's',
        'TimeoutStartUSec': 't', 'TimeoutStopUSec': 't', 'RuntimeMaxUSec': 't', 'User': 's',
        'Group': 's', 'Environment': 'as', 'WorkingDirectory': 's', 'StandardInput': 's',
        'StandardOutput': 's', 'StandardError': 's', 'KillMode': 's', 'SyslogIdentifier': 's',
        'NoNewPrivileges': 'b', 'PrivateTmp': 'b', 'ProtectSystem': 's', 'ProtectHome': 's',
    },
    'scope': {'PIDs': 'au', 'KillMode': 's', 'TimeoutStopUSec': 't'},
}
# timer_base_from_string(): the unit-file names, never the USec names systemd reports bases by.
MONOTONIC_TIMER_BASES = {'OnActiveSec', 'OnBootSec', 'OnStartupSec', 'OnUnitActiveSec', 'OnUnitInactiveSec'}
JOB_MODES = {'replace', 'fail', 'isolate', 'ignore-dependencies', 'ignore-requirements', 'flush',
             'replace-irreversibly', 'triggering', 'restart-dependencies'}
TRANSIENT_TYPES = {'service', 'socket', 'timer', 'scope', 'slice', 'mount', 'swap', 'automount', 'path'}
UNIT_NAME_CHARS = set('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:-_.\\@')


def invalid_args(message):
    return dbus.exceptions.DBusException(message, name='org.freedesktop.DBus.Error.InvalidArgs')


def signature_of(value):
    """The D-Bus type dbus-python decoded a variant's value from."""
    for kind, code in ((dbus.Boolean, 'b'), (dbus.Byte, 'y'), (dbus.Int16, 'n'), (dbus.UInt16, 'q'),
                       (dbus.Int32, 'i'), (dbus.UInt32, 'u'), (dbus.Int64, 'x'), (dbus.UInt64, 't'),
                       (dbus.Double, 'd'), (dbus.ObjectPath, 'o'), (dbus.Signature, 'g'), (dbus.String, 's')):
        if isinstance(value, kind):
            return code
    if isinstance(value, dbus.Dictionary):
        return 'a{' + (value.signature or '') + '}'
    if isinstance(value, dbus.Array):
        return 'a' + (value.signature or '')
    if isinstance(value, dbus.Struct):
        return '(' + ''.join(signature_of(v) for v in value) + ')'
    return '?'


def check_unit_name(name, mode):
    if str(mode) not in JOB_MODES:
        raise invalid_args(f'Job mode {mode} invalid')
    stem, dot, kind = str(name).rpartition('.')
    if not dot or not stem or len(name) > 255 or not set(str(name)) <= UNIT_NAME_CHARS:
        raise invalid_args(f'Invalid unit name or type.')
    if kind not in TRANSIENT_TYPES:
        raise invalid_args(f'Unit type {kind} does not support transient units.')


def check_properties(name, properties):
    kind = str(name).rpartition('.')[2]
    known = dict(UNIT_PROPERTIES, **TYPE_PROPERTIES.get(kind, {}))
    for key, value in properties:
        key = str(key)
        if key not in known:
            raise dbus.exceptions.DBusException(f'Cannot set property {key}, or unknown property.',
                                                name='org.freedesktop.DBus.Error.PropertyReadOnly')
        if signature_of(value) != known[key]:
            # sd_bus_message_read() of the type systemd expects fails, and the call fails with it.
            raise dbus.exceptions.DBusException('No such device or address', name='System.Error.ENXIO')
        if key == 'TimersMonotonic':
            for base, _ in value:
                if str(base) not in MONOTONIC_TIMER_BASES:
                    raise invalid_args(f'Invalid timer base: {base}')


@dbus.service.method(MAIN_IFACE, in_signature='ssa(sv)a(sa(sv))', out_signature='o')
def StartTransientUnit(self, name, mode, properties, aux):
    check_unit_name(name, mode)
    if unit_path(str(name)) in mockobject.objects:
        raise dbus.exceptions.DBusException(f'Unit {name} already exists.', name='org.freedesktop.systemd1.UnitExists')
    check_properties(name, properties)
    for aux_name, aux_properties in aux:
        check_unit_name(aux_name, 'fail')
        check_properties(aux_name, aux_properties)
    record(self, {'call': 'StartTransientUnit', 'name': str(name), 'mode': str(mode),
                  'properties': {str(k): plain(v) for k, v in properties},
                  'aux': [{'name': str(n), 'properties': {str(k): plain(v) for k, v in props}} for n, props in aux]})
    ensure_unit(self, str(name))
    return new_job(self, str(name))


@dbus.service.method(MAIN_IFACE, in_signature='ss', out_signature='o')
def StopUnit(self, name, mode):
    if str(mode) not in JOB_MODES:
        raise invalid_args(f'Job mode {mode} invalid')
    path = unit_path(str(name))
    if path not in mockobject.objects:
        raise dbus.exceptions.DBusException(f'Unit {name} not loaded.', name='org.freedesktop.systemd1.NoSuchUnit')
    record(self, {'call': 'StopUnit', 'name': str(name), 'mode': str(mode)})
    if str(name).endswith('.timer') and path in mockobject.objects:
        # A stopped transient timer that does not remain after elapse is unloaded (garbage-collected).
        self.RemoveObject(path)
    return new_job(self, str(name))


@dbus.service.method(MAIN_IFACE, in_signature='', out_signature='')
def Subscribe(self):
    pass


@dbus.service.method(MAIN_IFACE, in_signature='', out_signature='')
def Unsubscribe(self):
    pass


@dbus.service.method(MAIN_IFACE, in_signature='s', out_signature='o')
def GetUnit(self, name):
    if behavior_of(self, name) == 'nosuchunit':
        raise dbus.exceptions.DBusException(f'Unit {name} not loaded.',
                                            name='org.freedesktop.systemd1.NoSuchUnit')
    raise_for(behavior_of(self, name), name)
    return dbus.ObjectPath(ensure_unit(self, name).path)


@dbus.service.method(MAIN_IFACE, in_signature='s', out_signature='o')
def LoadUnit(self, name):
    raise_for(behavior_of(self, name), name)
    return dbus.ObjectPath(ensure_unit(self, name).path)


@dbus.service.method(MAIN_IFACE, in_signature='ss', out_signature='o')
def RestartUnit(self, name, mode):
    if str(mode) not in JOB_MODES:
        raise invalid_args(f'Job mode {mode} invalid')
    behavior = behavior_of(self, name)
    # "failed then done": one behaviour per call, the last one for every call after.
    if ' then ' in behavior:
        behavior, rest = behavior.split(' then ', 1)
        self.behaviors[name] = rest
    raise_for(behavior, name)

    unit = ensure_unit(self, name)
    # systemctl reads Service.Result to explain a failed job ("...because the
    # control process exited with error code").
    # Only touch it on change: every update emits a PropertiesChanged signal.
    result = 'exit-code' if behavior == 'failed' else 'success'
    if name.endswith('.service') and unit.props[SERVICE_IFACE]['Result'] != result:
        unit.UpdateProperties(SERVICE_IFACE, {'Result': result})

    job_id = self.next_job_id
    self.next_job_id += 1
    job = dbus.ObjectPath(f'{MAIN_OBJ}/job/{job_id}')
    self.EmitSignal(MAIN_IFACE, 'JobNew', 'uos', [dbus.UInt32(job_id), job, name])

    if behavior == 'signal-before-reply':
        # EmitSignal sends immediately; the reply is only sent when we return.
        job_removed(self, job_id, job, name, 'done')
    elif behavior != 'never':
        GLib.timeout_add(self.delay_ms, job_removed, self, job_id, job, name, behavior)
    return job


@dbus.service.method(CONTROL_IFACE, in_signature='ss', out_signature='')
def SetBehavior(self, unit, behavior):
    if unit == '*':
        self.default_behavior = str(behavior)
    else:
        self.behaviors[str(unit)] = str(behavior)


@dbus.service.method(CONTROL_IFACE, in_signature='u', out_signature='')
def SetDelay(self, ms):
    self.delay_ms = int(ms)
