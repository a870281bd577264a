#!/usr/bin/env bash
# test_deb.sh SOURCE_DIR PACKAGE_BUILD_DIR - the Debian package end to end:
# builds it with cpack in PACKAGE_BUILD_DIR (configured there with a /usr
# prefix if it is not a build tree yet), inspects it with dpkg-deb (and
# lintian when that is installed), installs it with dpkg -i, runs an
# assessment with the installed tncd and tncclient under the users the
# package created, removes it (the edited conffile stays) and purges it
# (nothing of it stays).
#
# Leaves the machine as it found it, also when a step fails (cleanup() on
# EXIT).  Exits 77 (skipped) when not root, without dpkg, or when something
# the package would own is there already: a package named tnc, a file it
# installs, /etc/tnc or /var/lib/tnc (purge deletes them).
set -euo pipefail

src=$1
pkgbuild=$2
readonly PKG=tnc SKIPPED=77
# The users the package creates, one per child, named like the child.
USERS=$(awk '$1 == "u" { print $2 }' "$src/etc/sysusers.d/tnc.conf")
NCHILDREN=$(wc -w <<<"$USERS")
readonly USERS NCHILDREN
readonly ENABLE_LINK=/etc/systemd/system/multi-user.target.wants/tncd.service
work=""
tncd_pid=""
installed=false
users_before=""

say() { echo "test_deb: $*"; }
fail() {
	echo "test_deb: FAIL: $*" >&2
	exit 1
}
skip() {
	echo "test_deb: SKIPPED: $*"
	exit "$SKIPPED"
}

# "ii " installed, "rc " removed with its conffiles left, "" not known.
pkg_status() {
	local s
	s=$(dpkg-query -W -f='${db:Status-Abbrev}' "$PKG" 2>/dev/null) || true
	[ "$s" = "un " ] || echo "$s"
}

# dpkg refuses to run while apt or another dpkg holds its lock: wait for it.
run_dpkg() {
	local out
	for _ in $(seq 60); do
		if out=$(dpkg "$@" 2>&1); then
			return 0
		fi
		grep -q "lock" <<<"$out" || break
		sleep 1
	done
	echo "$out" >&2
	return 1
}

# Processes running the installed tncd or one of its children: ours, since no
# package tnc was installed before the test.  Compared by file (device and
# inode), not by name: a container's own /usr/sbin/tncd has the same name.
installed_pids() {
	local p f
	for p in /proc/[0-9]*; do
		for f in /usr/sbin/tncd /usr/libexec/tnc/*; do
			if [ "$p/exe" -ef "$f" ]; then
				echo "${p#/proc/}"
			fi
		done 2>/dev/null
	done
}

cleanup() {
	local rc=$? u
	trap - EXIT
	if [ -n "$tncd_pid" ] && kill -0 "$tncd_pid" 2>/dev/null; then
		kill -TERM "$tncd_pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$tncd_pid" 2>/dev/null || break; sleep 0.2; done
	fi
	if $installed; then
		for p in $(installed_pids); do kill -KILL "$p" 2>/dev/null || true; done
		if [ -n "$(pkg_status)" ] && ! run_dpkg --purge "$PKG" >/dev/null; then
			echo "test_deb: cleanup: dpkg --purge $PKG failed" >&2
			rc=1
		fi
		for u in $USERS; do
			grep -qw "$u" <<<"$users_before" && continue
			if getent passwd "$u" >/dev/null; then userdel "$u" || rc=1; fi
			if getent group "$u" >/dev/null; then groupdel "$u" || rc=1; fi
		done
	fi
	[ -z "$work" ] || rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || skip "needs root (dpkg -i)"
for tool in dpkg dpkg-deb dpkg-query cpack cmake systemd-sysusers; do
	command -v "$tool" >/dev/null || skip "no $tool"
done
[ -z "$(pkg_status)" ] || skip "a package named $PKG is on this machine ($(pkg_status))"
for path in /etc/tnc /var/lib/tnc; do
	[ ! -e "$path" ] || skip "$path exists; purging $PKG would delete it"
done
work=$(mktemp -d /tmp/tnc-deb-XXXXXX)
chmod 0755 "$work" # the children's users must reach their chroots below it

say "building the package in $pkgbuild"
if [ ! -f "$pkgbuild/CMakeCache.txt" ]; then
	cmake -S "$src" -B "$pkgbuild" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_INSTALL_PREFIX=/usr -DTNC_TESTS=OFF -DTNC_BENCH=OFF >"$work/configure.log" 2>&1 ||
		{ tail -30 "$work/configure.log"; fail "configure"; }
fi
cmake --build "$pkgbuild" -j2 >"$work/build.log" 2>&1 || { tail -30 "$work/build.log"; fail "build"; }
(cd "$pkgbuild" && cpack -G DEB -B "$work/out") >"$work/cpack.log" 2>&1 ||
	{ cat "$work/cpack.log"; fail "cpack"; }
debs=("$work"/out/${PKG}_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "cpack made no single ${PKG}_*.deb: ${debs[*]}"
deb=${debs[0]}

say "cmake --install into a DESTDIR twice: the second keeps an edited tncd.conf"
dest=$work/destdir
DESTDIR=$dest cmake --install "$pkgbuild" >"$work/install1.log" 2>&1 || fail "cmake --install"
cmp -s "$dest/etc/tnc/tncd.conf" "$src/etc/tncd.conf" || fail "cmake --install: tncd.conf differs"
[ -f "$dest/usr/lib/sysusers.d/tnc.conf" ] || fail "cmake --install: no sysusers.d/tnc.conf"
echo "# edited" >>"$dest/etc/tnc/tncd.conf"
DESTDIR=$dest cmake --install "$pkgbuild" >"$work/install2.log" 2>&1 || fail "cmake --install again"
[ "$(tail -1 "$dest/etc/tnc/tncd.conf")" = "# edited" ] || fail "cmake --install overwrote tncd.conf"

say "inspecting $(basename "$deb")"
[ "$(dpkg-deb -f "$deb" Package)" = "$PKG" ] || fail "Package: $(dpkg-deb -f "$deb" Package)"
depends=$(dpkg-deb -f "$deb" Depends)
for dep in systemd-sysusers libc6 libuv1 libssl3 libsystemd0 libseccomp2 libcap-ng0 libpq5; do
	grep -qE "(^|, )$dep( |,|$)" <<<"$depends" || fail "Depends lacks $dep: $depends"
done
dpkg-deb -e "$deb" "$work/control"
[ "$(cat "$work/control/conffiles")" = "/etc/tnc/tncd.conf" ] ||
	fail "conffiles: $(cat "$work/control/conffiles")"
for script in postinst prerm postrm; do
	[ "$(stat -c %a "$work/control/$script")" = 755 ] || fail "$script is not mode 0755"
done
dpkg-deb -c "$deb" >"$work/contents"
files=$(awk '$1 !~ /^d/ { print substr($6, 2) }' "$work/contents")
unit=$(grep '/systemd/system/tncd.service$' <<<"$files") || fail "no tncd.service in the package"
for want in /usr/sbin/tncd /usr/sbin/tncctl /usr/sbin/tncadm /usr/bin/tncclient /usr/bin/tncdump \
	/usr/libexec/tnc/tnc-ike /usr/libexec/tnc/tnc-tnccs /usr/libexec/tnc/tnc-imv-os \
	/usr/libexec/tnc/tnc-imv-swima /usr/libexec/tnc/tnc-imv-attest /usr/libexec/tnc/tnc-xfrm \
	/etc/tnc/tncd.conf \
	/usr/lib/sysusers.d/tnc.conf /usr/share/man/man8/tncd.8.gz \
	/usr/share/man/man8/tncctl.8.gz /usr/share/man/man8/tncadm.8.gz \
	/usr/share/man/man1/tncclient.1.gz \
	/usr/share/man/man1/tncdump.1.gz /usr/share/man/man5/tncd.conf.5.gz \
	/usr/share/doc/tnc/copyright /usr/share/doc/tnc/changelog.gz; do
	grep -qx "$want" <<<"$files" || fail "$want is not in the package"
done
! grep -E 'tnc-test-|bench|_CPack|/build' <<<"$files" || fail "build or test files in the package"
awk '$2 != "root/root" { exit 1 }' "$work/contents" || fail "an entry not owned by root/root"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ".$unit" >"$work/tncd.service"
grep -qx 'ExecStart=/usr/sbin/tncd' "$work/tncd.service" || fail "the unit does not run /usr/sbin/tncd"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/man/man5/tncd.conf.5.gz | gzip -t ||
	fail "tncd.conf.5.gz is not gzip"
while read -r path; do
	[ ! -e "$path" ] || skip "$path exists; installing $PKG would overwrite it"
done <<<"$files"
if command -v lintian >/dev/null; then
	lintian --fail-on error,warning --display-info "$deb" >"$work/lintian.log" 2>&1 ||
		{ cat "$work/lintian.log"; fail "lintian"; }
	say "lintian: no error or warning ($(grep -c '^I:' "$work/lintian.log" || true) info tags)"
else
	say "lintian is not installed: that check did not run"
fi

say "installing"
for u in $USERS; do
	if getent passwd "$u" >/dev/null; then users_before="$users_before $u"; fi
done
installed=true
run_dpkg -i "$deb" >"$work/install.log" || { cat "$work/install.log"; fail "dpkg -i"; }
[ "$(pkg_status)" = "ii " ] || fail "status after install: '$(pkg_status)'"
cmp -s /etc/tnc/tncd.conf "$src/etc/tncd.conf" || fail "/etc/tnc/tncd.conf differs from etc/tncd.conf"
children=$(/usr/sbin/tncd --print-manifest | awk 'NR > 1 && $1 ~ /^tnc-/ { print $1 }')
[ "$(sort <<<"$children")" = "$(sort <<<"$USERS")" ] ||
	fail "the package's users ($(tr '\n' ' ' <<<"$USERS")) are not the manifest's children"
for u in $USERS; do
	entry=$(getent passwd "$u") || fail "postinst did not create user $u"
	IFS=: read -r _ _ uid gid _ _ shell <<<"$entry"
	[ "$uid" -gt 0 ] && [ "$uid" -lt 1000 ] || fail "$u has uid $uid, not a system uid"
	[ "$(getent group "$u" | cut -d: -f3)" = "$gid" ] || fail "$u's primary group is not $u"
	case "$shell" in */nologin) ;; *) fail "$u has the shell $shell" ;; esac
done
[ "$(readlink "$ENABLE_LINK")" = "$unit" ] || fail "postinst did not enable tncd.service"
[ -z "$(installed_pids)" ] || fail "installing started tncd: $(installed_pids)"
/usr/sbin/tncd --check-config >"$work/check.log" 2>&1 ||
	{ cat "$work/check.log"; fail "the installed tncd refuses the installed tncd.conf"; }

say "an assessment with the installed programs"
port=""
listening=$(awk 'NR > 1 && $4 == "0A" { split($2, a, ":"); print a[2] }' /proc/net/tcp /proc/net/tcp6)
for _ in $(seq 50); do
	p=$((20000 + RANDOM % 12000)) # below the ephemeral range (32768..60999)
	grep -qx "$(printf '%04X' "$p")" <<<"$listening" || { port=$p; break; }
done
[ -n "$port" ] || fail "no free port"
run=$work/run
mkdir -m 0755 "$run"
{
	printf '[daemon]\ncontrol_socket = %s/tncd.ctl\nstate_dir = %s/state\n' "$run" "$run"
	for u in $USERS; do
		printf '[%s]\nuser = %s\ngroup = %s\n' "${u#tnc-}" "$u" "$u"
		[ "$u" != tnc-ike ] || printf 'pt_tls_listen = 127.0.0.1:%s\n' "$port"
		# IKEv2 on: tnc-xfrm, the one child with CAP_NET_ADMIN, runs too
		[ "$u" != tnc-ike ] || printf 'ikev2 = yes\nikev2_port = %s\nikev2_natt_port = %s\neap_secrets = %s\n' \
			$((port + 1)) $((port + 2)) "$run/eap-secrets"
	done
} >"$run/tncd.conf"
(umask 077 && printf 'carol@strongswan.org : "tnc-deb-test"\n' >"$run/eap-secrets")
/usr/sbin/tncd --foreground --config "$run/tncd.conf" 2>"$run/tncd.log" &
tncd_pid=$!
# Column COLUMN of tncctl's status table in the row named NAME ('*': every row).
status_column() {
	awk -v name="$1" -v column="$2" '
		!header && $1 == "name" { for (i = 1; i <= NF; i++) col[$i] = i; header = 1; next }
		header && (name == "*" || $1 == name) { print $col[column] }' <<<"$status"
}
ready=0
for _ in $(seq 100); do
	status=$(/usr/sbin/tncctl -s "$run/tncd.ctl" status 2>/dev/null) || status=""
	ready=$(status_column '*' state | grep -c '^ready$' || true)
	[ "$ready" -lt "$NCHILDREN" ] || break
	kill -0 "$tncd_pid" 2>/dev/null || break
	sleep 0.2
done
[ "$ready" -ge "$NCHILDREN" ] ||
	{ cat "$run/tncd.log"; fail "only $ready of $NCHILDREN children became ready"; }
for u in $USERS; do
	[ "$(status_column "$u" uid)" = "$(id -u "$u")" ] ||
		fail "$u does not run as user $u: $(grep "^$u " <<<"$status")"
done
# The OS IMV judges the installed packages against tnc-policy's database:
# it learns this machine's, for the product the facts name (any name will
# do), with the installed tncadm.
product="Debian GNU/Linux 12 $(uname -m)"
printf 'product = Debian GNU/Linux\nversion = 12 %s\nforwarding = 0\ndefault_password = 0\n' \
	"$(uname -m)" >"$run/facts"
adm() { /usr/sbin/tncadm --db "$run/state/policy/tnc.db" "$@" >>"$run/tncadm.out" 2>&1; }
# tnc-policy creates the database before its READY, which this script does
# not wait for: the first change is tried until the database takes it
for _ in $(seq 50); do adm product add "$product" && break; sleep 0.2; done
adm package import "$product" /var/lib/dpkg/status ||
	{ cat "$run/tncadm.out" "$run/tncd.log"; fail "tncadm could not import /var/lib/dpkg/status"; }
rc=0
/usr/bin/tncclient --server "127.0.0.1:$port" --ca "$run/state/ike/pt-tls-cert.pem" \
	--facts "$run/facts" --timeout 30 >"$run/client.out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] && grep -q '^access recommendation: allow' "$run/client.out" ||
	{ cat "$run/client.out" "$run/tncd.log"; fail "tncclient exited $rc, not allowed"; }
/usr/sbin/tncctl -s "$run/tncd.ctl" stop >/dev/null || fail "tncctl stop"
rc=""
for _ in $(seq 100); do
	kill -0 "$tncd_pid" 2>/dev/null || { wait "$tncd_pid" && rc=0 || rc=$?; break; }
	sleep 0.1
done
[ "$rc" = 0 ] || { cat "$run/tncd.log"; fail "tncd did not exit 0 after stop (${rc:-running})"; }
tncd_pid=""

say "removing"
echo "# edited by test_deb" >>/etc/tnc/tncd.conf
run_dpkg -r "$PKG" >"$work/remove.log" || { cat "$work/remove.log"; fail "dpkg -r"; }
[ "$(pkg_status)" = "rc " ] || fail "status after remove: '$(pkg_status)'"
while read -r path; do
	[ "$path" = /etc/tnc/tncd.conf ] || [ ! -e "$path" ] || fail "$path is left after remove"
done <<<"$files"
[ ! -e /usr/libexec/tnc ] || fail "/usr/libexec/tnc is left after remove"
[ "$(tail -1 /etc/tnc/tncd.conf)" = "# edited by test_deb" ] ||
	fail "remove did not keep the edited conffile"
for u in $USERS; do
	getent passwd "$u" >/dev/null || fail "remove deleted user $u"
done

say "purging"
run_dpkg -P "$PKG" >"$work/purge.log" || { cat "$work/purge.log"; fail "dpkg -P"; }
[ -z "$(pkg_status)" ] || fail "status after purge: '$(pkg_status)'"
installed=false
for path in /etc/tnc /var/lib/tnc "$ENABLE_LINK" /etc/systemd/system/tncd.service \
	/var/lib/systemd/deb-systemd-helper-enabled/tncd.service.dsh-also \
	/var/lib/systemd/deb-systemd-helper-enabled/multi-user.target.wants/tncd.service; do
	[ ! -e "$path" ] && [ ! -L "$path" ] || fail "$path is left after purge"
done
for u in $USERS; do
	grep -qw "$u" <<<"$users_before" && continue
	! getent passwd "$u" >/dev/null || fail "purge left user $u"
	! getent group "$u" >/dev/null || fail "purge left group $u"
done
say "built, inspected, installed, allowed, removed, purged"
