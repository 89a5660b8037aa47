#!/usr/bin/env bash
# Proves every systemd promise on real systemd (issue 38): a Debian 12 VM with systemd as
# PID 1, the project's .deb installed in it with dpkg -i, a stand-in agent unit
# (Tests/SystemdVM/agent.py, Restart=on-failure), tinyproxy and a TLS platform peer, all on
# the VM's own loopback (qemu gets no network device). The steps (Tests/SystemdVM/run-in-vm.sh)
# run as a unit at boot and print their results on the serial console, which this script
# reads; it fails on any "not ok", on a missing "done", and on a boot past its deadline (the
# VM is killed by its PID and the stage it was in is named).
#
# The root (scripts/debian12-vm-root.sh) is cached in $CTAGENT_CACHE, outside the clone; the
# image is made anew each run from it (mkfs.ext4 -d). KVM is used when CTAGENT_VM_ACCEL=kvm
# (it hangs nested on some machines); TCG otherwise. CTAGENT_VM_STAGES="killed_inside_the_window …"
# runs only those stages of run-in-vm.sh (after its set-up), to try one again.
#   test-systemd-vm.sh [DEB]   default: out/ctagent_*.deb, made with `make deb` when missing
set -euo pipefail
cd "$(dirname "$0")/.."
deadline=${CTAGENT_VM_DEADLINE:-900}
accel=${CTAGENT_VM_ACCEL:-tcg}
started=$SECONDS

deb=${1:-}
if [ -z "$deb" ]; then
  make --no-print-directory deb >/dev/null
  deb=$(ls -t out/ctagent_*.deb | head -1)
fi
root=$(scripts/debian12-vm-root.sh)
work=$(mktemp -d /var/tmp/ctagent-vm.XXXXXX)
qemu_pid=
cleanup() {
  [ -n "$qemu_pid" ] && kill -KILL "$qemu_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# The VM's root: the cached one, with the test's files and units put in.
echo "test-systemd-vm: making the image from $root" >&2
cp -a "$root" "$work/root"
vm=$work/root/root/vmtest
install -d "$vm"
install -m 0644 "$deb" "$vm/ctagent.deb"
install -m 0755 Tests/SystemdVM/run-in-vm.sh Tests/SystemdVM/agent.py Tests/Fixtures/transient_refusals.py \
  Tests/Fixtures/tls_fixtures.py "$vm/"
install -m 0644 Tests/Fixtures/transient_refusals.expected "$vm/"
[ -n "${CTAGENT_VM_STAGES:-}" ] && echo "$CTAGENT_VM_STAGES" > "$vm/stages"
/usr/bin/python3 Tests/Fixtures/tls_fixtures.py certs "$vm/certs"
for unit in ctagent.service ctagent-test-platform.service ctagent-vm-test.service; do
  install -m 0644 "Tests/SystemdVM/$unit" "$work/root/etc/systemd/system/$unit"
done
ln -sf /etc/systemd/system/ctagent-vm-test.service "$work/root/etc/systemd/system/multi-user.target.wants/ctagent-vm-test.service"
echo ctagent-vm > "$work/root/etc/hostname"
: > "$work/root/etc/machine-id"
kernel=$(ls "$work"/root/boot/vmlinuz-* | sort -V | tail -1)
initrd=$(ls "$work"/root/boot/initrd.img-* | sort -V | tail -1)
cp "$kernel" "$work/vmlinuz"; cp "$initrd" "$work/initrd.img"
mkfs.ext4 -q -F -L ctagent-vm -d "$work/root" "$work/disk.img" 3G
rm -rf "$work/root"

# One run: boots (and boots again after a reboot inside the test, -no-reboot is not given)
# until the test powers the VM off.
serial=$work/serial.log
echo "test-systemd-vm: booting ($accel; deadline ${deadline} s)" >&2
machine=(-machine q35,accel="$accel")
[ "$accel" = kvm ] && machine+=(-cpu host)
qemu-system-x86_64 "${machine[@]}" -m 1536 -smp 2 -nic none -display none -monitor none \
  -serial "file:$serial" -kernel "$work/vmlinuz" -initrd "$work/initrd.img" \
  -append "root=/dev/vda rw console=ttyS0 panic=-1 systemd.show_status=0" \
  -drive "file=$work/disk.img,format=raw,if=virtio" &
qemu_pid=$!
end=$((SECONDS + deadline))
while kill -0 "$qemu_pid" 2>/dev/null; do
  if [ $SECONDS -ge $end ]; then
    kill -KILL "$qemu_pid"; wait "$qemu_pid" 2>/dev/null || true; qemu_pid=
    stage=$(grep -a 'CTAGENT-VM: stage' "$serial" | tail -1 | sed 's/.*CTAGENT-VM: stage //')
    echo "test-systemd-vm: FAILED: the VM was still running after ${deadline} s, in stage '${stage:-boot}'; its console:" >&2
    tail -40 "$serial" | tr -d '\r' >&2
    exit 1
  fi
  sleep 1
done
wait "$qemu_pid" || true
qemu_pid=

lines=$(grep -a 'CTAGENT-VM: ' "$serial" | tr -d '\r' | sed 's/.*CTAGENT-VM: //')
echo "$lines"
seconds=$((SECONDS - started))
if ! grep -q '^done ' <<<"$lines"; then
  echo "test-systemd-vm: FAILED: the test never finished; the console's end:" >&2
  tail -60 "$serial" | tr -d '\r' >&2
  exit 1
fi
failed=$(grep -c '^not ok' <<<"$lines" || true)
passed=$(grep -c '^ok' <<<"$lines" || true)
if [ "$failed" -ne 0 ]; then
  echo "test-systemd-vm: FAILED: $failed of $((passed + failed)) checks on real systemd (${seconds} s)" >&2
  exit 1
fi
echo "test-systemd-vm: $passed checks passed on real systemd in ${seconds} s"
