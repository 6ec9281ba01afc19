#!/bin/bash
# What the vm driver's guest needs beyond the shared recipe (packages.sh, filesystems.sh), run by
# lima/vm-image.sh in the chroot that becomes the disk image. Lima's own guest agent does all of
# this for Lima VMs. The VM boots its kernel directly (QEMU -kernel), so there is no bootloader.
#
# - root filesystem on /dev/vda; the host's bpflab tools tree, read-only over 9p, at /opt/bpflab
# - a static address on QEMU's user network (10.0.2.15): SSH is the only way in, through a
#   forward QEMU binds to the host's 127.0.0.1; the network is `restrict=on`, so the guest has no
#   route out
# - root logs in only with the key the driver passes per VM on the kernel command line
#   (bpflab.key=<base64 of an authorized_keys line>), written before sshd starts
# - bpffs and tracefs mounted, the toolchain on PATH (filesystems.sh, at every boot)
# - nothing that wakes up on its own (apt timers, man-db, fstrim): a learner's VM is quiet
set -eux -o pipefail

here=$(dirname "$0")
install -d /opt/bpflab /usr/local/lib/bpflab /root/.ssh
chmod 0700 /root/.ssh
install -m 0755 "$here/filesystems.sh" /usr/local/lib/bpflab/filesystems.sh

cat >/etc/fstab <<'FSTAB'
/dev/vda  /            ext4  rw,noatime,errors=remount-ro                      0 1
bpflab    /opt/bpflab  9p    trans=virtio,version=9p2000.L,ro,cache=loose,nofail  0 0
FSTAB

cat >/etc/systemd/network/10-bpflab.network <<'NETWORK'
[Match]
Name=eth0

[Network]
Address=10.0.2.15/24
LinkLocalAddressing=no
IPv6AcceptRA=no
NETWORK

cat >/usr/local/lib/bpflab/authorize-key.sh <<'KEY'
#!/bin/sh
# Root's authorized_keys from the kernel command line (bpflab.key=<base64>), before sshd starts.
set -eu
for word in $(cat /proc/cmdline); do
  case $word in bpflab.key=*) printf '%s' "${word#bpflab.key=}" | base64 -d >/root/.ssh/authorized_keys ;; esac
done
chmod 0600 /root/.ssh/authorized_keys
KEY
chmod 0755 /usr/local/lib/bpflab/authorize-key.sh

cat >/etc/systemd/system/bpflab-guest.service <<'UNIT'
[Unit]
Description=bpflab guest: root's key, bpffs, tracefs
DefaultDependencies=no
After=local-fs.target
Before=ssh.service sysinit.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/lib/bpflab/authorize-key.sh
ExecStart=/usr/local/lib/bpflab/filesystems.sh

[Install]
WantedBy=sysinit.target
UNIT

cat >/etc/ssh/sshd_config.d/bpflab.conf <<'SSHD'
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
MaxSessions 64
MaxStartups 64:30:128
SSHD

systemctl enable bpflab-guest.service systemd-networkd.service ssh.service
for unit in apt-daily.timer apt-daily-upgrade.timer man-db.timer fstrim.timer e2scrub_all.timer \
  systemd-networkd-wait-online.service; do
  systemctl disable "$unit" 2>/dev/null || true
  systemctl mask "$unit"
done
echo bpflab-vm >/etc/hostname
