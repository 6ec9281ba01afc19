# The one set of compiler flags for bpflab.
#
# Included by bpf/Makefile (the runner's embedded programs and the precompiled vmlinux.h) and,
# installed next to it, by lab.mk (learners' labs). A precompiled header is only accepted by clang
# for compiles with the same target and macros, so BPF objects MUST be built with BPF_CFLAGS and
# nothing else that changes the preprocessor state.
#
# The includer sets BPFLAB_INCLUDE to the tools tree's include/ directory.

CLANG ?= clang
BPFTOOL ?= bpftool
# Make predefines CC=cc; an explicit CC from the environment or command line still wins.
CC ?= cc

# The machine make was built for (`uname -m` without a process: every lab compile reads this file).
UNAME_M ?= $(firstword $(subst -, ,$(MAKE_HOST)))
# libbpf-bootstrap's mapping from `uname -m` to the kernel's arch name used by bpf_tracing.h.
ARCH := $(patsubst x86_64,x86,$(patsubst aarch64,arm64,$(patsubst ppc64le,powerpc,$(patsubst \
	riscv64,riscv,$(patsubst s390x,s390,$(patsubst loongarch64,loongarch,$(UNAME_M)))))))

# -gdwarf-4: DWARF 5 (clang 14's default) makes every compile MD5 the whole 3 MB vmlinux.h for its
# file checksums, about a tenth of a PCH compile; BTF and line info are the same either way.
# -idirafter keeps the host's <asm/...> reachable for labs that include UAPI headers, while
# vmlinux.h and libbpf's headers win.
BPF_CFLAGS := -O2 -g -gdwarf-4 -target bpf -D__TARGET_ARCH_$(ARCH) -I$(BPFLAB_INCLUDE) \
	-idirafter /usr/include/$(UNAME_M)-linux-gnu

# User-space loaders built against libbpf and a bpftool-generated skeleton.
USER_CFLAGS := -g -O2 -Wall
USER_LDLIBS := -lbpf -lelf -lz
