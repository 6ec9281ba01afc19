#!/bin/bash
# Builds the vm driver's guest image from Debian packages, with the one guest recipe that Lima VMs
# run too (provision/packages.sh, provision/filesystems.sh) plus provision/vm-guest.sh. No cloud
# image is downloaded: mmdebstrap installs Debian 12 from the host's own apt sources when the host
# is Debian 12, else from deb.debian.org. The result is cached outside the repository, keyed by a
# hash of the recipe, so clones and CI runs share it and a changed recipe builds a new one.
#
#   lima/vm-image.sh             build if missing; print the image directory
#   lima/vm-image.sh --dir       print the image directory only (whether built or not)
#
# BPFLAB_VM_CACHE (default /var/cache/bpflab/vm) holds <recipe hash>/:
#   disk.qcow2              the root filesystem (ext4 on the whole disk, no partition table)
#   vmlinuz, initrd.img     the guest kernel, booted directly by QEMU
#   kernel-release          its `uname -r`
#   vmlinux.btf             its BTF, for the host-side tools tree (vmlinux.h, precompiled header)
#   ssh_host_ed25519_key.pub  the guest's host key, pinned by the driver
#   ready                   written last: the image is complete
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${BPFLAB_VM_CACHE:-/var/cache/bpflab/vm}
recipe_hash=$(cat "$here/vm-image.sh" "$here"/provision/packages.sh "$here"/provision/filesystems.sh \
  "$here"/provision/vm-guest.sh | sha256sum | cut -c1-16)
dir=$cache/$recipe_hash
DISK_SIZE=${BPFLAB_VM_DISK_SIZE:-6G}

if [[ ${1:-} == --dir ]]; then
  echo "$dir"
  exit 0
fi
if [[ -e $dir/ready ]]; then
  echo "$dir"
  exit 0
fi

say() { printf 'vm-image: %s\n' "$*" >&2; }

# A bzImage holds the kernel ELF compressed: find the compressed stream by its magic, inflate it,
# and keep the ELF's .BTF section (what the kernel exposes as /sys/kernel/btf/vmlinux).
extract_btf() {
  local image=$1 out=$2 elf offset magic tool
  elf=$(mktemp)
  for magic in 'xz:\xfd7zXZ\x00' 'zstd:\x28\xb5\x2f\xfd' 'gzip:\x1f\x8b\x08'; do
    tool=${magic%%:*}
    for offset in $(LC_ALL=C grep -aboP "${magic#*:}" "$image" | cut -d: -f1 | head -n 5); do
      tail -c "+$((offset + 1))" "$image" | "$tool" -dc >"$elf" 2>/dev/null || true
      if [[ $(head -c 4 "$elf") == $'\x7fELF' ]] && objcopy -O binary --only-section=.BTF "$elf" "$out" && [[ -s $out ]]; then
        rm -f "$elf"
        return 0
      fi
    done
  done
  rm -f "$elf"
  say "cannot find the kernel's BTF in $image"
  return 1
}
[[ $(id -u) -eq 0 ]] || { say 'building the guest image needs root (mmdebstrap, mkfs.ext4)'; exit 1; }
for tool in mmdebstrap mkfs.ext4 qemu-img; do
  command -v "$tool" >/dev/null || { say "$tool is missing (scripts/setup.sh installs it)"; exit 1; }
done

mkdir -p "$cache"
work=$(mktemp -d "$cache/.build-XXXXXX")
trap 'rm -rf "$work"' EXIT
started=$(date +%s)

# The host's apt sources when the host is Debian 12 (a local mirror or proxy keeps working);
# Debian's own mirrors otherwise.
sources=()
if grep -qs '^VERSION_CODENAME=bookworm' /etc/os-release; then
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -s $file ]] && grep -qs 'debian' "$file" && sources+=("$file")
  done
fi
if ((${#sources[@]} == 0)); then
  sources=("deb http://deb.debian.org/debian bookworm main" \
    "deb http://deb.debian.org/debian bookworm-updates main" \
    "deb http://deb.debian.org/debian-security bookworm-security main")
fi

say "building Debian 12 into $work (recipe $recipe_hash)"
mmdebstrap --variant=minbase --mode=root --format=directory \
  --include=systemd-sysv,udev,kmod,initramfs-tools,openssh-server,ca-certificates,less,nano \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  --customize-hook="mkdir -p \"\$1/tmp/provision\" && cp -a '$here'/provision/. \"\$1/tmp/provision/\"" \
  --customize-hook='chroot "$1" bash /tmp/provision/packages.sh' \
  --customize-hook='chroot "$1" bash /tmp/provision/vm-guest.sh' \
  --customize-hook='rm -rf "$1/tmp/provision"' \
  bookworm "$work/rootfs" "${sources[@]}"

kernel=$(basename "$(ls -d "$work"/rootfs/lib/modules/* | sort -V | tail -n 1)")
cp "$work/rootfs/boot/vmlinuz-$kernel" "$work/vmlinuz"
cp "$work/rootfs/boot/initrd.img-$kernel" "$work/initrd.img"
echo "$kernel" >"$work/kernel-release"
cp "$work/rootfs/etc/ssh/ssh_host_ed25519_key.pub" "$work/ssh_host_ed25519_key.pub"

# The kernel's BTF without booting it: the ELF inside the compressed image carries a .BTF section.
extract_btf "$work/vmlinuz" "$work/vmlinux.btf"
chmod 0644 "$work/vmlinux.btf"

say "making the disk ($DISK_SIZE)"
mkfs.ext4 -q -L bpflab -d "$work/rootfs" "$work/disk.raw" "$DISK_SIZE"
qemu-img convert -f raw -O qcow2 "$work/disk.raw" "$work/disk.qcow2"
rm -rf "$work/rootfs" "$work/disk.raw"

touch "$work/ready"
rm -rf "$dir"
mv "$work" "$dir"
trap - EXIT
say "done in $(($(date +%s) - started)) s: $dir"
echo "$dir"
