#!/bin/sh
# Cleans the kernel side of one learner's sandbox without replacing it: run as root INSIDE the
# sandbox (kernel-clean.ts pipes it to `sh -s`), so everything it can see and touch is the
# sandbox's own: its processes (its pid namespace, or the whole VM), its bpffs, its network
# namespace, and on a VM its cgroups. It never touches what the system's init (pid 1) holds.
#
# In order:
#   1. stops every process (but pid 1 and this script) that holds a BPF program, map or link open:
#      their tracepoint, kprobe, uprobe and perf-event attachments go with them;
#   2. removes everything pinned under /sys/fs/bpf;
#   3. takes XDP programs off every interface and deletes the clsact/ingress qdiscs (and their tc
#      filters) and any root qdisc that is not the default;
#   4. where a cgroup v2 hierarchy is mounted (a VM), detaches cgroup programs but those init
#      holds: those attached with `bpftool cgroup attach` outlive their loader.
#
# It prints one tab-separated line per thing removed, which kernel-clean.ts parses:
#   process PID COMM PROGRAMS MAPS LINKS
#   pin     PATH KIND            (KIND: program, map, link or other)
#   xdp     DEV MODE PROG-ID PROG-NAME (empty when the sandbox may not read it)
#   qdisc   DEV KIND FILTERS     (FILTERS: names of the BPF filters it held, comma-separated)
#   cgroup  PATH ATTACH-TYPE PROG-ID PROG-NAME
#   warning MESSAGE              (something it could not remove)
set -u
tab=$(printf '\t')
# The programs init holds (its fds' fdinfo names them: bpftool here may not show owners).
init_programs=" $(grep -h '^prog_id:' /proc/1/fdinfo/* 2>/dev/null | awk '{ print $2 }' | sort -u | tr '\n' ' ')"

# 1. Processes holding BPF objects. /proc shows only the sandbox's own processes; one `find`
# reads every fd's link (a fork per fd would take seconds in an emulated VM).
holders=$(find /proc/[0-9]*/fd -maxdepth 1 -lname 'anon_inode:bpf*' -printf '%h %l\n' 2>/dev/null | awk '
  { split($1, path, "/"); pid = path[3]; seen[pid] = 1 }
  $2 == "anon_inode:bpf-prog" { progs[pid]++ }
  $2 == "anon_inode:bpf-map" { maps[pid]++ }
  $2 == "anon_inode:bpf_link" { links[pid]++ }
  END { for (pid in seen) printf "%s %d %d %d\n", pid, progs[pid], maps[pid], links[pid] }
')
victims=
for pid in $(echo "$holders" | awk '{ print $1 }'); do
  [ "$pid" = 1 ] || [ "$pid" = $$ ] && continue
  comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
  victims="$victims $pid"
  echo "$holders" | awk -v pid="$pid" -v comm="$comm" '$1 == pid { printf "process\t%s\t%s\t%s\t%s\t%s\n", pid, comm, $2, $3, $4 }'
done
if [ -n "$victims" ]; then
  # shellcheck disable=SC2086 # a list of pids, split on purpose
  kill -TERM $victims 2>/dev/null
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    alive=
    for pid in $victims; do [ -d "/proc/$pid" ] && alive="$alive $pid"; done
    [ -z "$alive" ] && break
    sleep 0.1
  done
  # shellcheck disable=SC2086
  [ -n "$alive" ] && kill -KILL $alive 2>/dev/null
fi

# 2. Pins. A pinned object keeps a program (and its link's attachment) alive without a process.
# progs.debug and maps.debug are the kernel's own (bpf_preload's iterators in every bpffs).
if [ -d /sys/fs/bpf ]; then
  find /sys/fs/bpf -mindepth 1 -type f ! -path /sys/fs/bpf/progs.debug ! -path /sys/fs/bpf/maps.debug 2>/dev/null |
    while IFS= read -r pin; do
    if bpftool prog show pinned "$pin" >/dev/null 2>&1; then kind=program
    elif bpftool map show pinned "$pin" >/dev/null 2>&1; then kind=map
    elif bpftool link show pinned "$pin" >/dev/null 2>&1; then kind=link
    else kind=other
    fi
    if rm -f "$pin" 2>/dev/null; then
      printf 'pin\t%s\t%s\n' "$pin" "$kind"
    else
      printf 'warning\tcould not remove %s\n' "$pin"
    fi
  done
  find /sys/fs/bpf -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null
fi

# 3. The network namespace: XDP hooks and qdiscs. `bpftool net show` lists them as
# `lo(1) generic id 12` under `xdp:` and `lo(1) clsact/ingress classify:[*fsobj] id 13` under `tc:`.
hooks=$(bpftool net show 2>/dev/null | awk '
  /^[a-z_]+:$/ { section = $1; next }
  NF >= 4 { dev = $1; sub(/\(.*$/, "", dev) }
  section == "xdp:" && NF >= 4 { print "xdp", dev, $2, $4 }
  section == "tc:" && NF >= 5 { name = $3; sub(/:.*$/, "", name); print "tc", dev, $2, name }
')
echo "$hooks" | while read -r hook dev mode id; do
  [ "$hook" = xdp ] || continue
  # A program's name by id needs CAP_SYS_ADMIN, which a local sandbox does not have.
  name=$(bpftool prog show id "$id" 2>/dev/null | awk 'NR == 1 { for (i = 1; i < NF; i++) if ($i == "name") print $(i + 1) }')
  case $mode in generic) flag=xdpgeneric ;; driver) flag=xdpdrv ;; offload) flag=xdpoffload ;; *) flag=xdp ;; esac
  if ip link set dev "$dev" "$flag" off 2>/dev/null; then
    printf 'xdp\t%s\t%s\t%s\t%s\n' "$dev" "$mode" "$id" "$name"
  else
    printf 'warning\tcould not take program %s off the XDP hook of %s\n' "$id" "$dev"
  fi
done

for dev in $(ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'); do
  filters=$(echo "$hooks" | awk -v dev="$dev" '$1 == "tc" && $2 == dev { print $4 }' | sort -u | paste -sd, -)
  # `qdisc clsact ffff: parent ffff:fff1`, `qdisc noqueue 0: root refcnt 2` (the default).
  tc qdisc show dev "$dev" 2>/dev/null | while read -r _ kind handle where _; do
    case $kind in
      clsact | ingress) target=$kind ;;
      *) [ "$where" = root ] && [ "$handle" != 0: ] || continue; target=root ;;
    esac
    if tc qdisc del dev "$dev" "$target" 2>/dev/null; then
      case $kind in clsact | ingress) held=$filters ;; *) held= ;; esac
      printf 'qdisc\t%s\t%s\t%s\n' "$dev" "$kind" "$held"
    else
      printf 'warning\tcould not delete the %s qdisc of %s\n' "$kind" "$dev"
    fi
  done
done

# 4. cgroup programs, on a cgroup v2 hierarchy (a VM; a local sandbox has no cgroupfs).
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  bpftool cgroup tree 2>/dev/null | awk -v tab="$tab" '
    /^\// { path = $1; next }
    path != "" && $1 ~ /^[0-9]+$/ { print path tab $1 tab $2 tab $NF }
  ' | while IFS="$tab" read -r path id type name; do
    # What init holds (systemd's device and firewall filters) is the system's, not the learner's.
    case $init_programs in *" $id "*) continue ;; esac
    if bpftool cgroup detach "$path" "$type" id "$id" 2>/dev/null; then
      printf 'cgroup\t%s\t%s\t%s\t%s\n' "$path" "$type" "$id" "$name"
    else
      printf 'warning\tcould not detach program %s (%s) from %s\n' "$id" "$type" "$path"
    fi
  done
fi
exit 0
