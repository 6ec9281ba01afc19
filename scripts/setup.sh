#!/usr/bin/env bash
# Makes this machine ready to build, run and test bpflab, and does nothing when it already is.
# Every make target runs it first, so it must stay quick: one dpkg query, a Node version check
# and a lockfile hash compare.
#
#   scripts/setup.sh
#
# As root on Debian 12 or Ubuntu 24.04 it installs the missing Debian packages (running
# `apt-get update` once, when needed). Without root it prints the exact install command and exits
# 1. Node.js >= 20.9 with npm must already be installed (neither distribution ships it). npm
# dependencies are installed with `npm ci` when package-lock.json changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_MIN=20.9
STAMPS=.make

say() { printf 'setup: %s\n' "$*"; }
# The first argument is the message; further arguments are printed as they are (commands to run).
fail() {
  printf 'setup: %s\n' "$1" >&2
  shift
  if (($#)); then printf '%s\n' "$@" >&2; fi
  exit 1
}

# Packages needed on every supported distribution: the BPF toolchain (clang, llvm, libbpf, libelf,
# zlib, pkg-config), the runner's C build (gcc, make, libc headers), namespaces and tc (iproute2),
# the toolbox of a local sandbox that labs count on (python3, curl, nc, socat: see
# server/sandbox/toolbox.ts), and the sqlite3 shell for operators.
# The vm driver (and `make test`, which boots one VM) needs QEMU, qemu-img, mmdebstrap and the
# tools lima/vm-image.sh uses to make the guest image (mkfs.ext4, objcopy, xz), and ssh to reach
# the guests.
COMMON_PACKAGES=(clang llvm libbpf-dev libelf-dev zlib1g-dev pkg-config gcc make libc6-dev iproute2 python3 curl
  netcat-openbsd socat sqlite3
  qemu-system-x86 qemu-utils mmdebstrap e2fsprogs binutils xz-utils openssh-client)

# Tools packaged differently across distributions and releases: each alternative is a set of
# packages, and the first whose packages all exist in the apt sources wins. Debian and newer
# Ubuntu ship bpftool and perf on their own; Ubuntu 24.04 ships them in linux-tools-<kernel>,
# which exists only for Ubuntu's own kernels, so linux-tools-generic is the last resort (see
# link_versioned_tool).
KERNEL=$(uname -r)
BPFTOOL_ALTERNATIVES=("bpftool" "linux-tools-common linux-tools-$KERNEL" "linux-tools-common linux-tools-generic")
PERF_ALTERNATIVES=("linux-perf" "linux-tools-common linux-tools-$KERNEL" "linux-tools-common linux-tools-generic")

is_root() { [[ $(id -u) -eq 0 ]]; }

distribution() {
  local id='' like=''
  # shellcheck disable=SC1091
  [[ -r /etc/os-release ]] && { id=$(. /etc/os-release && echo "${ID:-}"); like=$(. /etc/os-release && echo "${ID_LIKE:-}"); }
  case " $id $like " in
    *" ubuntu "*) echo ubuntu ;;
    *" debian "*) echo debian ;;
    *) echo other ;;
  esac
}

installed() { [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]; }

has_candidate() {
  local candidate
  candidate=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }')
  [[ -n $candidate && $candidate != '(none)' ]]
}

apt_lists_present() { compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; }

APT_UPDATED=0
apt_update_once() {
  if ((APT_UPDATED == 0)); then
    say 'apt-get update'
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
}

# The first alternative whose packages all exist, as a space-separated list.
pick_alternative() {
  local alternative pkg ok
  for alternative in "$@"; do
    ok=1
    for pkg in $alternative; do has_candidate "$pkg" || ok=0; done
    if ((ok)); then
      echo "$alternative"
      return
    fi
  done
  echo "$1"
}

# Ubuntu's /usr/sbin/bpftool and /usr/bin/perf are wrappers that run only the copy built for the
# running kernel. On a kernel Ubuntu did not build (WSL, a container host), link the newest copy
# from linux-tools-generic instead: both tools work on any kernel with BTF.
link_versioned_tool() {
  local tool=$1 target=$2 found
  "$tool" --version >/dev/null 2>&1 && return 0
  found=$(compgen -G "/usr/lib/linux-tools/*/$tool" | sort -V | tail -n 1 || true)
  [[ -n $found ]] || return 0
  say "linking $target -> $found (Ubuntu's wrapper has no $tool for kernel $KERNEL)"
  ln -sf "$found" "$target"
}

chromium_path() {
  local candidate
  for candidate in "${BPFLAB_CHROMIUM:-}" /usr/bin/chromium /snap/bin/chromium /usr/bin/chromium-browser; do
    [[ -n $candidate && -x $candidate ]] && { echo "$candidate"; return; }
  done
}

check_system_packages() {
  local distro missing=() pkg
  distro=$(distribution)
  if [[ $distro == other ]]; then
    say "not Debian or Ubuntu: make sure the equivalents of these are installed: ${COMMON_PACKAGES[*]} bpftool perf chromium"
    return
  fi

  for pkg in "${COMMON_PACKAGES[@]}"; do installed "$pkg" || missing+=("$pkg"); done
  local need_bpftool=0 need_perf=0 need_chromium=0
  bpftool version >/dev/null 2>&1 || need_bpftool=1
  perf --version >/dev/null 2>&1 || need_perf=1
  [[ -n $(chromium_path) ]] || need_chromium=1
  if ((${#missing[@]} == 0 && need_bpftool == 0 && need_perf == 0 && need_chromium == 0)); then return; fi

  # Which package provides a tool depends on the apt sources, which may never have been fetched.
  if is_root && ! apt_lists_present; then apt_update_once; fi
  local alternative
  if ((need_bpftool)); then
    alternative=$(pick_alternative "${BPFTOOL_ALTERNATIVES[@]}")
    for pkg in $alternative; do missing+=("$pkg"); done
  fi
  if ((need_perf)); then
    alternative=$(pick_alternative "${PERF_ALTERNATIVES[@]}")
    for pkg in $alternative; do missing+=("$pkg"); done
  fi
  local use_snap=0
  if ((need_chromium)); then
    # Ubuntu packages Chromium only as a snap; its "chromium-browser" deb merely installs that.
    if [[ $distro == debian ]]; then missing+=(chromium); else use_snap=1; fi
  fi
  # A wrapper package (linux-tools-common) may be installed while the tool still does not run.
  local -A seen=()
  local to_install=()
  for pkg in "${missing[@]}"; do
    [[ -n ${seen[$pkg]:-} ]] && continue
    seen[$pkg]=1
    installed "$pkg" || to_install+=("$pkg")
  done
  missing=("${to_install[@]}")

  if ! is_root; then
    local lines=()
    ((${#missing[@]})) && lines+=("  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}")
    ((use_snap)) && lines+=("  sudo snap install chromium    # or set BPFLAB_CHROMIUM to a Chromium binary")
    fail 'missing system packages; as root this script installs them, or run:' "${lines[@]}"
  fi

  if ((${#missing[@]})); then
    for pkg in "${missing[@]}"; do has_candidate "$pkg" || { apt_update_once; break; }; done
    say "apt-get install ${missing[*]}"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
      # Stale package lists point at files the mirror no longer has: refresh once and retry.
      ((APT_UPDATED)) && fail "apt-get install failed"
      apt_update_once
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
  fi
  if [[ $distro == ubuntu ]]; then
    link_versioned_tool bpftool /usr/local/sbin/bpftool
    link_versioned_tool perf /usr/local/bin/perf
  fi
  bpftool version >/dev/null 2>&1 || fail "bpftool does not run on kernel $KERNEL; install bpftool 7 or newer and put it on PATH"
  perf --version >/dev/null 2>&1 || say "warning: perf does not run on kernel $KERNEL; only the perf lesson's terminal exercises need it"
  if ((use_snap)); then
    if command -v snap >/dev/null 2>&1 && snap install chromium; then :; else
      say 'warning: no Chromium for the end-to-end tests: install it (snap install chromium) or set BPFLAB_CHROMIUM'
    fi
  fi
}

version_at_least() { [[ $(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1) == "$2" ]]; }

check_node() {
  local hint='Node.js 20.9 or newer is needed; Debian 12 and Ubuntu 24.04 ship older ones. Install it from https://nodejs.org or NodeSource, e.g. as root:'
  local how='  curl -fsSL https://deb.nodesource.com/setup_22.x | bash - && apt-get install -y nodejs'
  command -v node >/dev/null 2>&1 || fail "no node on PATH. $hint" "$how"
  command -v npm >/dev/null 2>&1 || fail "no npm on PATH. $hint" "$how"
  local version
  version=$(node -p 'process.versions.node')
  version_at_least "$version" "$NODE_MIN" || fail "node $version is too old. $hint" "$how"
}

# `npm ci` only when package-lock.json differs from the one last installed. A node_modules that
# npm installed after the lockfile's last change (its hidden lockfile is newer) counts as current.
check_npm_dependencies() {
  local want have=''
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  [[ -f $STAMPS/npm-ci ]] && have=$(<"$STAMPS/npm-ci")
  [[ -d node_modules && $have == "$want" ]] && return
  mkdir -p "$STAMPS"
  if [[ -z $have && node_modules/.package-lock.json -nt package-lock.json ]]; then
    echo "$want" >"$STAMPS/npm-ci"
    return
  fi
  say 'package-lock.json changed: npm ci'
  # Never `npm install` here: it rewrites the tracked lockfile. A lockfile `npm ci` refuses is a
  # bug of the repository, fixed by committing one made against this registry.
  npm ci --no-audit --no-fund ||
    fail 'npm ci refused package-lock.json.' \
      '  regenerate it against your registry (npm install --package-lock-only) and commit it'
  echo "$want" >"$STAMPS/npm-ci"
}

check_system_packages
check_node
check_npm_dependencies
