# Builds one lab in the current directory with the bpflab toolchain. Installed at the root of the
# tools tree (/opt/bpflab in every sandbox). Run it in the lab's run directory so clang names files
# as the learner sees them:
#
#   make -s -f /opt/bpflab/lab.mk hello.bpf.o     # BPF object (uses the precompiled vmlinux.h)
#   make -s -f /opt/bpflab/lab.mk hello.skel.h    # bpftool skeleton of hello.bpf.o
#   make -s -f /opt/bpflab/lab.mk loader          # loader.c + every *.skel.h, linked with libbpf
#   make -s -f /opt/bpflab/lab.mk libgfx.so       # gfx.c as a shared library (uprobe targets)
#   make -s -f /opt/bpflab/lab.mk PCH=0 hello.bpf.o   # without the precompiled header
#   make -s -f /opt/bpflab/lab.mk EVENT_TYPE=event hello.bpf.o   # struct event kept in BTF
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:
.SECONDARY:
# Never try to remake the makefiles themselves (the tools tree is read-only).
$(MAKEFILE_LIST): ;

BPFLAB_TOOLS := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
BPFLAB_INCLUDE := $(BPFLAB_TOOLS)/include
include $(BPFLAB_TOOLS)/flags.mk

PCH ?= 1

# The PCH must come first, so it is forced in only for sources that include vmlinux.h (directly or
# through bpflab.h); a source built on UAPI headers instead would clash with vmlinux.h's types.
# $(file <) reads the source without starting a process; the words are those of `#include "x.h"`.
uses_vmlinux = $(filter %"vmlinux.h" %<vmlinux.h> %"bpflab.h" %<bpflab.h>,$(file <$(1)))
pch_flags = $(if $(filter 1,$(PCH)),$(if $(call uses_vmlinux,$(1)),-include $(BPFLAB_INCLUDE)/vmlinux.h))

# EVENT_TYPE=NAME (the grader passes a lab's attach.eventType) keeps `struct NAME` in the object's
# BTF, so the runner can decode ring buffer records with it, even when the source uses the struct
# only through a pointer (libbpf-style `e = bpf_ringbuf_reserve(...)`): clang emits BTF only for
# types reachable from globals. See include/bpflab-keep-type.h.
keep_type_flags = $(if $(EVENT_TYPE),-DBPFLAB_KEEP_TYPE=$(EVENT_TYPE) -include $(BPFLAB_INCLUDE)/bpflab-keep-type.h)

%.bpf.o: %.bpf.c
	$(CLANG) $(BPF_CFLAGS) $(call pch_flags,$<) $(keep_type_flags) -c $< -o $@

%.skel.h: %.bpf.o
	$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

SKELETONS := $(patsubst %.bpf.c,%.skel.h,$(wildcard *.bpf.c))

%: %.c $(SKELETONS)
	$(CC) $(USER_CFLAGS) -I. $< -o $@ $(USER_LDLIBS)

# A shared library a lab's workload links against and its uprobes attach to (lib<x>.so from
# <x>.c). It must exist before the programs are attached, so it is built here, not by the workload.
lib%.so: %.c
	$(CC) $(USER_CFLAGS) -fPIC -shared -I. $< -o $@
