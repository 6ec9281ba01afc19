/**
 * The commands every sandbox offers its learner and a lab's workload and check scripts, whatever
 * the driver: on the host's packages for `local` (scripts/setup.sh installs them), in the guest
 * image for `vm` and `lima` (lima/provision/packages.sh). labs/README.md lists them for authors;
 * the drivers' integration tests run TOOLBOX_CHECK in a real sandbox, so a tool that goes missing
 * fails a test instead of a lab.
 */

/** Each command, with an invocation that proves it runs (exit 0), not only that it exists. */
export const SANDBOX_TOOLBOX: readonly { command: string; runs: string }[] = [
  { command: 'sh', runs: 'sh -c true' },
  { command: 'bash', runs: 'bash -c true' },
  { command: 'python3', runs: 'python3 -c "import socket, struct, json"' },
  { command: 'perl', runs: 'perl -e 1' },
  { command: 'curl', runs: 'curl --version' },
  { command: 'cc', runs: 'cc --version' },
  { command: 'clang', runs: 'clang --version' },
  { command: 'make', runs: 'make --version' },
  { command: 'bpftool', runs: 'bpftool version' },
  { command: 'ip', runs: 'ip -V' },
  { command: 'ss', runs: 'ss -V' },
  { command: 'tc', runs: 'tc -V' },
  { command: 'nc', runs: 'nc -h' },
  { command: 'socat', runs: 'socat -V' },
];

/**
 * A POSIX sh script for a sandbox: prints `missing <command>` for each tool that does not run,
 * then sends one UDP datagram with nc to a socat listener on loopback, the way a lab on the UDP
 * game would poke a port, and prints `udp <what socat received>`. Exits 0 either way; the
 * caller judges the output.
 */
export const TOOLBOX_CHECK = [
  ...SANDBOX_TOOLBOX.map(({ command, runs }) => `${runs} >/dev/null 2>&1 || echo "missing ${command}"`),
  'socat -u UDP4-RECVFROM:47011,bind=127.0.0.1 OPEN:/tmp/bpflab-toolbox-udp,creat,trunc &',
  'listener=$!',
  'for _ in 1 2 3 4 5 6 7 8 9 10; do ss -Hlun | grep -q ":47011 " && break; sleep 0.2; done',
  'printf "hello from nc" | nc -u -w1 127.0.0.1 47011',
  'wait "$listener"',
  'echo "udp $(cat /tmp/bpflab-toolbox-udp)"',
  'rm -f /tmp/bpflab-toolbox-udp',
].join('\n');
