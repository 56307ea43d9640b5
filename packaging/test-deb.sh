#!/usr/bin/env bash
# The .deb test (part of `make test`): build the package, inspect it, lint it,
# install it on this machine, run the installed binary as the atende user
# until /healthz answers, stop it with SIGTERM, check it links nothing from the
# Swift toolchain, then purge it. Needs root. Cleans up even when it fails.
#
# Usage: packaging/test-deb.sh [--deb FILE] [--binary FILE]
#   --deb FILE     test this package instead of building one
#   --binary FILE  build the package around this binary (see build-deb.sh)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

deb=""
build_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --deb) deb="$2"; shift 2 ;;
        --binary) build_args+=(--binary "$2"); shift 2 ;;
        *) echo "test-deb: unknown argument: $1" >&2; exit 64 ;;
    esac
done

[ "$(id -u)" -eq 0 ] || { echo "test-deb: FAIL: must run as root (it installs the package)"; exit 1; }

toolchain_dir="${SWIFT_TOOLCHAIN_DIR:-/opt/swift}"
work="$(mktemp -d)"
server_pid=""
step="setup"
checks=0

# What existed before the test, so cleanup removes only what the test made.
had_user=no; getent passwd atende >/dev/null && had_user=yes
had_group=no; getent group atende >/dev/null && had_group=yes
had_state=no; [ -e /var/lib/atende ] && had_state=yes
had_conf=no; [ -e /etc/atende ] && had_conf=yes

if dpkg-query -W -f='${Status}' atende 2>/dev/null | grep -q "install ok installed"; then
    echo "test-deb: FAIL: a package named atende is already installed here; not touching it"
    exit 1
fi

cleanup() {
    local rc=$?
    set +e
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -KILL "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
    fi
    if dpkg-query -W -f='${Status}' atende 2>/dev/null | grep -q "ok"; then
        dpkg --purge atende >/dev/null 2>&1
    fi
    [ "$had_state" = no ] && rm -rf /var/lib/atende
    [ "$had_conf" = no ] && rm -rf /etc/atende
    [ "$had_user" = no ] && getent passwd atende >/dev/null && userdel atende 2>/dev/null
    [ "$had_group" = no ] && getent group atende >/dev/null && groupdel atende 2>/dev/null
    rm -rf "$work"
    if [ "$rc" -eq 0 ]; then
        echo "deb: $checks passed, 0 failed"
        echo "test-deb: PASS"
    else
        echo "deb: $checks passed, 1 failed"
        echo "test-deb: FAIL at step: $step"
    fi
    exit "$rc"
}
trap cleanup EXIT

fail() { echo "test-deb: $step: $*" >&2; exit 1; }
ok() { checks=$((checks + 1)); echo "  ok - $* [${SECONDS}s]"; }

step="build the package"
if [ -z "$deb" ]; then
    deb="$("$here/build-deb.sh" ${build_args[@]+"${build_args[@]}"} --out "$work/out" | tail -n 1)"
fi
[ -f "$deb" ] || fail "no package at '$deb'"
[[ "$(basename "$deb")" =~ ^atende_[0-9][A-Za-z0-9.+~]*_amd64\.deb$ ]] \
    || fail "file name $(basename "$deb") is not atende_<version>_amd64.deb"
ok "built $(basename "$deb")"

step="dpkg-deb --info"
info="$(dpkg-deb --info "$deb")"
for field in "Package: atende" "Architecture: amd64" "Maintainer:" "Description:"; do
    grep -q "^ $field" <<<"$info" || fail "control lacks '$field'"
done
depends="$(dpkg-deb --field "$deb" Depends)"
for lib in liblmdb0 libssl3 adduser; do
    grep -Eq "(^|, )$lib( |,|$)" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
for script in postinst prerm postrm conffiles md5sums; do
    grep -q " $script" <<<"$info" || fail "control archive lacks $script"
done
[ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" = "/etc/atende/atende.toml" ] \
    || fail "conffiles is not exactly /etc/atende/atende.toml"
ok "control: Depends: $depends"

step="dpkg-deb --contents"
contents="$(dpkg-deb --contents "$deb")"
expect_entry() { # mode-prefix owner path
    grep -Eq "^$1 +$2 .* \./$3$" <<<"$contents" || fail "missing or wrong: $1 $2 $3"
}
expect_entry '-rwxr-xr-x' 'root/root' 'usr/bin/atende'
expect_entry '-rw-r--r--' 'root/root' 'lib/systemd/system/atende.service'
expect_entry '-rw-r--r--' 'root/root' 'etc/atende/atende.toml'
expect_entry '-rw-r--r--' 'root/root' 'usr/share/doc/atende/copyright'
expect_entry '-rw-r--r--' 'root/root' 'usr/share/doc/atende/changelog.gz'
expect_entry '-rw-r--r--' 'root/root' 'usr/share/man/man1/atende.1.gz'
if grep -q 'master.key' <<<"$contents"; then fail "the package ships a master key"; fi
ok "contents: binary, unit, conffile, copyright, changelog, man page; no key"

step="lintian"
lintian_out="$work/lintian.txt"
lintian_status=0
lintian --fail-on error --display-level '>=warning' "$deb" >"$lintian_out.raw" 2>&1 || lintian_status=$?
grep -v 'running with root privileges is not recommended' "$lintian_out.raw" >"$lintian_out" || true
[ "$lintian_status" -eq 0 ] || { cat "$lintian_out" >&2; fail "lintian reports errors"; }
sed 's/^/    /' "$lintian_out"
ok "lintian: no errors ($(grep -c '^W:' "$lintian_out" || true) warnings)"

step="systemd unit"
unit="$work/atende.service"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./lib/systemd/system/atende.service >"$unit"
for want in "User=atende" "StateDirectory=atende" "ProtectSystem=strict" "NoNewPrivileges=yes" \
    "PrivateTmp=yes" "ProtectHome=yes" "CapabilityBoundingSet=" "UMask=0077" \
    "LoadCredential=master.key:/etc/atende/master.key" "SystemCallFilter=@system-service"; do
    grep -qx "$want" "$unit" || fail "unit lacks '$want'"
done
if command -v systemd-analyze >/dev/null; then
    # B9: exposure at most 2.0 ("OK"); --threshold is on the 0..100 scale.
    systemd-analyze security --offline=true --threshold=20 "$unit" >"$work/security.txt" 2>&1 \
        || { tail -n 3 "$work/security.txt" >&2; fail "systemd-analyze security exposure above 2.0"; }
    ok "unit hardening: $(tail -n 1 "$work/security.txt" | sed 's/^→ //')"
else
    ok "unit hardening options present (systemd-analyze not installed)"
fi

step="dpkg -i"
dpkg -i "$deb" >"$work/dpkg-i.txt" 2>&1 || { cat "$work/dpkg-i.txt" >&2; fail "dpkg -i failed"; }
getent passwd atende >/dev/null || fail "postinst made no atende user"
[ "$(stat -c '%U:%G %a' /var/lib/atende)" = "atende:atende 700" ] \
    || fail "/var/lib/atende is $(stat -c '%U:%G %a' /var/lib/atende), want atende:atende 700"
[ "$(stat -c '%U:%G %a' /etc/atende)" = "root:atende 750" ] \
    || fail "/etc/atende is $(stat -c '%U:%G %a' /etc/atende), want root:atende 750"
[ "$(stat -c '%U:%G %a %s' /etc/atende/master.key)" = "atende:atende 600 32" ] \
    || fail "master key is $(stat -c '%U:%G %a %s' /etc/atende/master.key), want atende:atende 600 32"
key_sum="$(sha256sum /etc/atende/master.key)"
ok "installed: user atende, /var/lib/atende 0700, /etc/atende 0750, master.key 0600 (32 bytes)"

if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify /lib/systemd/system/atende.service >"$work/verify.txt" 2>&1 \
        || { cat "$work/verify.txt" >&2; fail "systemd-analyze verify rejects the installed unit"; }
    ok "systemd-analyze verify accepts the installed unit"
fi

step="reinstall keeps the master key"
dpkg -i "$deb" >"$work/dpkg-i2.txt" 2>&1 || { cat "$work/dpkg-i2.txt" >&2; fail "second dpkg -i failed"; }
[ "$(sha256sum /etc/atende/master.key)" = "$key_sum" ] || fail "reinstalling replaced the master key"
ok "reinstall leaves the master key as it was"

step="ldd"
ldd_out="$(ldd /usr/bin/atende)"
if grep -F "$toolchain_dir" <<<"$ldd_out" >&2; then fail "resolves into the Swift toolchain ($toolchain_dir)"; fi
if grep -q "not found" <<<"$ldd_out"; then fail "unresolved libraries: $(grep 'not found' <<<"$ldd_out")"; fi
if grep -Eq "libswift|libFoundation|libdispatch|libBlocksRuntime" <<<"$ldd_out"; then
    fail "links a Swift runtime library dynamically"
fi
for lib in liblmdb libcrypto; do
    grep -q "$lib" <<<"$ldd_out" || fail "does not link $lib"
done
ok "ldd: $(wc -l <<<"$ldd_out") libraries, none from $toolchain_dir, no dynamic Swift runtime"

step="atende version"
version_out="$(/usr/bin/atende version)" || fail "exit status $?"
grep -q "atende" <<<"$version_out" || fail "unexpected output: $version_out"
ok "atende version: $version_out"

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts "$@" as the atende user in the background, waits for /healthz on
# $port. setpriv execs the daemon itself (runuser would stay as a parent that
# turns our SIGTERM into its own exit status 143).
start_server() {
    log="$work/serve-$checks.log"
    setpriv --reuid=atende --regid=atende --init-groups -- "$@" >"$log" 2>&1 &
    server_pid=$!
    body=""
    for _ in $(seq 1 150); do
        if body="$(curl -fsS --max-time 2 "http://127.0.0.1:$port/healthz" 2>/dev/null)"; then break; fi
        kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; fail "serve exited before answering"; }
        sleep 0.2
    done
    [ -n "$body" ] || { cat "$log" >&2; fail "no answer from /healthz on port $port within 30 s"; }
    python3 -c 'import json, sys; assert json.loads(sys.argv[1])["status"] == "ok"' "$body" \
        || fail "/healthz answered '$body', want {\"status\":\"ok\"}"
}

# SIGTERM must drain and close the store, then exit 0 within 10 s.
stop_server() {
    local status=0
    kill -TERM "$server_pid"
    for _ in $(seq 1 100); do
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$server_pid" 2>/dev/null; then cat "$log" >&2; fail "still running 10 s after SIGTERM"; fi
    wait "$server_pid" || status=$?
    server_pid=""
    [ "$status" -eq 0 ] || { cat "$log" >&2; fail "exit status $status after SIGTERM, want 0"; }
    if grep -qaF "$(od -An -tx1 /etc/atende/master.key | tr -d ' \n')" "$log"; then
        fail "the master key appears in the log"
    fi
}

step="serve as the atende user"
port="$(free_port)"
start_server /usr/bin/atende serve --data /var/lib/atende --config /etc/atende/atende.toml \
    --master-key /etc/atende/master.key --host 127.0.0.1 --port "$port"
ok "/healthz on 127.0.0.1:$port answered $body"
owner="$(stat -c '%U %a' /var/lib/atende/store 2>/dev/null || echo none)"
[[ "$owner" = "atende 7"?? ]] || fail "store directory is '$owner', want owned by atende"
ok "store created under /var/lib/atende/store, owned by atende"
step="SIGTERM"
stop_server
ok "SIGTERM: clean exit (status 0)"

# The unit's own command line, with the master key handed over the way
# systemd's LoadCredential= does it: a private read-only copy (0400, owned by
# the service user) under $CREDENTIALS_DIRECTORY. It must open the store the
# first run made, with the same key.
step="serve as the unit runs it"
exec_start="$(sed -n 's/^ExecStart=//p' /lib/systemd/system/atende.service)"
[ -n "$exec_start" ] || fail "the unit has no ExecStart"
read -r -a unit_command <<<"$exec_start"
credentials="$work/credentials"
install -d -m 0500 -o atende -g atende "$credentials"
install -m 0400 -o atende -g atende /etc/atende/master.key "$credentials/master.key"
port="$(free_port)"
start_server env CREDENTIALS_DIRECTORY="$credentials" ATENDE_PORT="$port" "${unit_command[@]}"
ok "unit ExecStart with the key as a credential: /healthz answered $body"
stop_server
ok "unit ExecStart: clean exit on SIGTERM"

step="dpkg --purge"
dpkg --purge atende >"$work/purge.txt" 2>&1 || { cat "$work/purge.txt" >&2; fail "purge failed"; }
dpkg-query -W -f='${Status}' atende 2>/dev/null | grep -q "installed" && fail "still installed"
[ ! -e /usr/bin/atende ] || fail "/usr/bin/atende left behind"
[ ! -e /lib/systemd/system/atende.service ] || fail "unit left behind"
[ ! -e /etc/atende/atende.toml ] || fail "conffile left behind"
[ -e /etc/atende/master.key ] || fail "purge deleted the master key (it must keep it with the data)"
ok "purged; data and master key kept on purge, as documented"

step="done"
