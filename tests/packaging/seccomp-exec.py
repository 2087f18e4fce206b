#!/usr/bin/python3
"""Run a command under the seccomp filters that packaging/ophiontt.service asks systemd for.

Usage: seccomp-exec.py UNIT_FILE -- COMMAND [ARG...]

Without systemd as PID 1 (containers, CI) the unit cannot be started, so this emulates the
parts of its sandbox that decide whether the binary works at all, as systemd 252 (Debian 12)
builds them, with libseccomp (libseccomp2, in every Debian install):

  SystemCallFilter=      allow-list from the unit's lines (groups expanded with
                         `systemd-analyze syscall-filter`); anything else fails with
                         SystemCallErrorNumber (EPERM)
  MemoryDenyWriteExecute mmap with PROT_WRITE|PROT_EXEC, mprotect/pkey_mprotect with
                         PROT_EXEC, shmat with SHM_EXEC fail with EPERM
  RestrictAddressFamilies socket() for another family fails with EAFNOSUPPORT
  SystemCallArchitectures=native: only the native ABI (libseccomp's default)
  NoNewPrivileges        set (seccomp needs it)

The file system parts (ProtectSystem=, ReadWritePaths=, PrivateTmp=, ProtectHome=) and the
user and capabilities are set up by the caller (tests/packaging/check-deb.sh, with unshare
and setpriv). The filters are inherited by the exec'd command and its children.
"""
import ctypes
import ctypes.util
import errno
import os
import socket
import subprocess
import sys

SCMP_ACT_ALLOW = 0x7FFF0000


def SCMP_ACT_ERRNO(e):
    return 0x00050000 | (e & 0xFFFF)


SCMP_CMP_EQ = 4
SCMP_CMP_GT = 6
SCMP_CMP_MASKED_EQ = 7
PROT_WRITE, PROT_EXEC = 0x2, 0x4
SHM_EXEC = 0o100000


class ArgCmp(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int),
                ("datum_a", ctypes.c_uint64), ("datum_b", ctypes.c_uint64)]


lib = ctypes.CDLL(ctypes.util.find_library("seccomp") or "libseccomp.so.2", use_errno=True)
lib.seccomp_init.restype = ctypes.c_void_p
lib.seccomp_init.argtypes = [ctypes.c_uint32]
lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int,
                                       ctypes.c_uint, ctypes.POINTER(ArgCmp)]
lib.seccomp_load.argtypes = [ctypes.c_void_p]
lib.seccomp_release.argtypes = [ctypes.c_void_p]


def nr(name):
    n = lib.seccomp_syscall_resolve_name(name.encode())
    return None if n < 0 else n  # __NR_SCMP_ERROR: not a syscall on this architecture


def rule(ctx, action, name, *cmps):
    n = nr(name)
    if n is None:
        return
    arr = (ArgCmp * max(1, len(cmps)))(*[ArgCmp(*c) for c in cmps])
    rc = lib.seccomp_rule_add_array(ctx, action, n, len(cmps), arr)
    if rc < 0:
        sys.exit(f"seccomp_rule_add({name}): {os.strerror(-rc)}")


def load(ctx):
    rc = lib.seccomp_load(ctx)
    lib.seccomp_release(ctx)
    if rc < 0:
        sys.exit(f"seccomp_load: {os.strerror(-rc)}")


def groups():
    """@group -> members, from `systemd-analyze syscall-filter` (all groups)."""
    out = subprocess.run(["systemd-analyze", "syscall-filter", "--no-pager"], check=True,
                         capture_output=True, text=True).stdout
    g, cur = {}, None
    for line in out.splitlines():
        if line.startswith("@"):
            cur = g.setdefault(line.strip(), [])
        elif cur is not None and line.strip() and not line.strip().startswith("#"):
            cur.append(line.strip())
    return g


def expand(items, g, seen=None):
    seen = set() if seen is None else seen
    out = set()
    for it in items:
        if it.startswith("@"):
            if it not in seen:
                seen.add(it)
                out |= expand(g[it], g, seen)
        else:
            out.add(it)
    return out


def unit_settings(path):
    filt, families, errno_name, mdwe = [], [], "EPERM", False
    for line in open(path):
        line = line.strip()
        if line.startswith("SystemCallFilter="):
            filt.append(line.split("=", 1)[1].split())
        elif line.startswith("RestrictAddressFamilies="):
            families += line.split("=", 1)[1].split()
        elif line.startswith("SystemCallErrorNumber="):
            errno_name = line.split("=", 1)[1]
        elif line == "MemoryDenyWriteExecute=yes":
            mdwe = True
    return filt, families, errno_name, mdwe


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit(__doc__)
    unit, cmd = sys.argv[1], sys.argv[3:]
    filt, families, errno_name, mdwe = unit_settings(unit)
    g = groups()

    # SystemCallFilter: the first line is an allow-list, "~" lines take calls out of it.
    allowed = set()
    for i, words in enumerate(filt):
        deny = words[0].startswith("~")
        words = [words[0].lstrip("~")] + words[1:]
        if i == 0 and deny:
            sys.exit("a deny-list first is not emulated")
        if deny:
            allowed -= expand(words, g)
        else:
            allowed |= expand(words, g)
    deny_errno = getattr(errno, errno_name)

    libc = ctypes.CDLL(None, use_errno=True)
    PR_SET_NO_NEW_PRIVS = 38
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        sys.exit("prctl(PR_SET_NO_NEW_PRIVS) failed")

    # One filter per setting, as systemd loads them; the kernel applies the strictest answer.
    if mdwe:
        ctx = lib.seccomp_init(SCMP_ACT_ALLOW)
        wx = PROT_WRITE | PROT_EXEC
        rule(ctx, SCMP_ACT_ERRNO(errno.EPERM), "mmap", (2, SCMP_CMP_MASKED_EQ, wx, wx))
        rule(ctx, SCMP_ACT_ERRNO(errno.EPERM), "mprotect", (2, SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC))
        rule(ctx, SCMP_ACT_ERRNO(errno.EPERM), "pkey_mprotect", (2, SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC))
        rule(ctx, SCMP_ACT_ERRNO(errno.EPERM), "shmat", (2, SCMP_CMP_MASKED_EQ, SHM_EXEC, SHM_EXEC))
        load(ctx)
    if families:
        ok = sorted(getattr(socket, f) for f in families)
        ctx = lib.seccomp_init(SCMP_ACT_ALLOW)
        for fam in range(0, ok[-1]):
            if fam not in ok:
                rule(ctx, SCMP_ACT_ERRNO(errno.EAFNOSUPPORT), "socket", (0, SCMP_CMP_EQ, fam, 0))
        rule(ctx, SCMP_ACT_ERRNO(errno.EAFNOSUPPORT), "socket", (0, SCMP_CMP_GT, ok[-1], 0))
        load(ctx)

    # The allow-list goes last: it takes away seccomp() itself.
    if allowed:
        ctx = lib.seccomp_init(SCMP_ACT_ERRNO(deny_errno))
        for name in sorted(allowed):
            rule(ctx, SCMP_ACT_ALLOW, name)
        load(ctx)

    os.execv(cmd[0], cmd)


if __name__ == "__main__":
    main()
