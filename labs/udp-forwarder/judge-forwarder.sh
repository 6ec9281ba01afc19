#!/bin/sh
# Judge of lab udp-forwarder. The match was played with the PlayerServer's user-space relay
# switched off (udpgame run --no-relay), so an update reaches the WorldServerLeader only if the
# tc program redirected it from port 8000 to 10000 with a checksum the receiver accepts.
# udpgame.report is the simulator's own account of what arrived.
report=udpgame.report
expected=130 # updates in a match: 40 + 35 + 30 + 25 (labs/_shared/udpgame/udpgame.c)

if [ ! -r "$report" ]; then
	echo "FAIL: no udpgame.report: the game did not run to the end"
	exit 1
fi
value() { awk -v k="$1" -v n="$2" '$1 == k { print $n; exit }' "$report"; }
mode=$(value mode 2)
received=$(value world 3)
bad_csum=$(value udp-csum-errors 2)

if [ "$mode" != no-relay ]; then
	echo "FAIL: the match ran with the user-space relay on ($mode); this lab needs --no-relay"
	exit 1
fi
if [ "${bad_csum:-0}" -gt 0 ]; then
	echo "FAIL: $bad_csum updates reached the kernel with a wrong UDP checksum and were dropped." \
		"The destination port is covered by the UDP checksum: fix it for the 2 bytes you changed."
	exit 1
fi
if [ "${received:-0}" -eq 0 ]; then
	echo "FAIL: no update reached the WorldServerLeader on port 10000 (nobody listens on 8000 now)." \
		"Rewrite the destination port of UDP packets sent to 8000, in network byte order."
	exit 1
fi
if [ "$received" -ne "$expected" ]; then
	echo "FAIL: the WorldServerLeader received $received of the $expected updates."
	exit 1
fi
echo "The WorldServerLeader received all $expected updates with the relay switched off," \
	"and the kernel found no bad checksum."
