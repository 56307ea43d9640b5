#!/usr/bin/env bash
# Builds atende_<version>_<arch>.deb: a release binary with the Swift runtime
# linked in statically (the target machine needs no Swift toolchain), the
# systemd unit, the default configuration and the maintainer scripts.
#
# Usage: packaging/build-deb.sh [--binary FILE] [--out DIR]
#   --binary FILE  package this already-built binary instead of building one
#   --out DIR      where the .deb goes (default: artifacts/)
# Environment:
#   ATENDE_VERSION     the Debian version (default: from `git describe`)
#   ATENDE_MAINTAINER  the Maintainer field
# Standard output is the path of the .deb; progress goes to standard error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

binary=""
out="$root/artifacts"
while [ $# -gt 0 ]; do
    case "$1" in
        --binary) binary="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "build-deb: unknown argument: $1 (try --help)" >&2; exit 64 ;;
    esac
done

# The release number is declared once, in the binary's source.
base_version="$(sed -n 's/^ *static let number = "\([0-9][^"]*\)".*/\1/p' "$root/Sources/Appliance/Version.swift" 2>/dev/null)"
base_version="${base_version:-0.1.0}"
maintainer="${ATENDE_MAINTAINER:-Atende maintainers <maintainers@atende.example.org>}"
arch="$(dpkg --print-architecture)"

# A Debian version from git: tag v1.2.3 -> 1.2.3; 4 commits past it ->
# 1.2.3+4.gabc1234; no v* tag at all -> 0.1.0+gabc1234. A hyphen inside the
# tag (v1.0-rc1) becomes '~' so a pre-release sorts before the release.
debian_version() {
    local d sha
    sha="$(git rev-parse --short HEAD 2>/dev/null)" || { echo "$base_version"; return; }
    if ! d="$(git describe --tags --match 'v[0-9]*' 2>/dev/null)"; then
        echo "$base_version+g$sha"
    elif [[ "$d" =~ ^v([0-9].*)-([0-9]+)-g([0-9a-f]+)$ ]]; then
        echo "${BASH_REMATCH[1]//-/\~}+${BASH_REMATCH[2]}.g${BASH_REMATCH[3]}"
    else
        d="${d#v}"
        echo "${d//-/\~}"
    fi
}

version="${ATENDE_VERSION:-$(debian_version)}"
if ! [[ "$version" =~ ^[0-9][A-Za-z0-9.+~]*$ ]]; then
    echo "build-deb: '$version' is not a usable Debian version" >&2
    exit 64
fi

scratch="$root/.build-release"
if [ -z "$binary" ]; then
    echo "build-deb: release build (static Swift runtime) of atende $version" >&2
    start=$(date +%s)
    # Its output goes to stderr: stdout carries only the package's path.
    swift build -c release --static-swift-stdlib --product atende --scratch-path "$scratch" >&2
    echo "build-deb: release build took $(( $(date +%s) - start )) s" >&2
    binary="$scratch/release/atende"
fi
[ -x "$binary" ] || { echo "build-deb: no executable at $binary" >&2; exit 66; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
stage="$work/atende"
doc="$stage/usr/share/doc/atende"

install -d -m 0755 "$stage/DEBIAN" "$stage/usr/bin" "$stage/lib/systemd/system" \
    "$stage/etc/atende" "$doc" "$stage/usr/share/man/man1"
# Stripped as dh_strip would: symbols are not needed to run and are a third of the file.
install -m 0755 "$binary" "$stage/usr/bin/atende"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$stage/usr/bin/atende"
install -m 0644 "$here/systemd/atende.service" "$stage/lib/systemd/system/atende.service"
install -m 0644 "$here/atende.toml" "$stage/etc/atende/atende.toml"
gzip -9n <"$here/atende.1" >"$stage/usr/share/man/man1/atende.1.gz"
chmod 0644 "$stage/usr/share/man/man1/atende.1.gz"

# copyright: ours, plus the licences of the Swift packages the build resolved
# (a superset of what is linked), read from the checkouts it used and never
# committed. Apache-2.0 ones point at Debian's copy of the licence, as lintian
# wants; their NOTICE files, which the licence says must travel with the
# binary, go to NOTICE. Any other licence is copied in full.
checkouts="$scratch/checkouts"
apache=()
: >"$doc/NOTICE"
{
    cat "$here/debian/copyright"
    for dir in "$checkouts"/*/; do
        [ -d "$dir" ] || continue
        name="$(basename "$dir")"
        lic="$(find "$dir" -maxdepth 1 -type f \( -iname 'LICEN[CS]E*' -o -iname 'COPYING*' \) | sort | head -n 1)"
        [ -n "$lic" ] || continue
        if grep -q "Apache License" "$lic" && grep -q "Version 2.0" "$lic"; then
            apache+=("$name")
        else
            printf '\n==== %s (%s) ====\n\n' "$name" "$(basename "$lic")"
            cat "$lic"
        fi
        notice="$(find "$dir" -maxdepth 1 -type f -iname 'NOTICE*' | sort | head -n 1)"
        if [ -n "$notice" ]; then
            printf '==== %s ====\n\n' "$name" >>"$doc/NOTICE"
            cat "$notice" >>"$doc/NOTICE"
            printf '\n' >>"$doc/NOTICE"
        fi
    done
    if [ "${#apache[@]}" -gt 0 ]; then
        printf '\nThese Swift packages are under the Apache License 2.0\n'
        printf '(/usr/share/common-licenses/Apache-2.0); their notices are in NOTICE.gz:\n'
        printf '%s\n' "${apache[@]}" | fmt -w 76 | sed 's/^/ /'
    fi
} >"$doc/copyright"
chmod 0644 "$doc/copyright"
if [ -s "$doc/NOTICE" ]; then
    gzip -9n "$doc/NOTICE"
    chmod 0644 "$doc/NOTICE.gz"
else
    rm -f "$doc/NOTICE"
fi

# Atende is a native package (no Debian revision): its changelog is changelog.gz.
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
when="$(git log -1 --format=%cD 2>/dev/null || date -R)"
{
    printf 'atende (%s) unstable; urgency=medium\n\n' "$version"
    printf '  * Built from commit %s.\n\n' "$commit"
    printf ' -- %s  %s\n' "$maintainer" "$when"
} | gzip -9n >"$doc/changelog.gz"
chmod 0644 "$doc/changelog.gz"

install -m 0644 "$here/debian/conffiles" "$stage/DEBIAN/conffiles"
for script in postinst prerm postrm; do
    install -m 0755 "$here/debian/$script" "$stage/DEBIAN/$script"
done

# Depends: what the binary really links (dpkg-shlibdeps reads its NEEDED
# entries and the shlibs of the installed libraries), plus adduser for
# postinst. dpkg-shlibdeps wants a debian/control to exist; give it one.
mkdir -p "$work/src/debian"
printf 'Source: atende\n\nPackage: atende\nArchitecture: any\n' >"$work/src/debian/control"
shlibs="$(cd "$work/src" && dpkg-shlibdeps -O --warnings=1 -e"$stage/usr/bin/atende" 2>/dev/null \
    | sed -n 's/^shlibs:Depends=//p')"
[ -n "$shlibs" ] || { echo "build-deb: dpkg-shlibdeps found no dependencies" >&2; exit 70; }
depends="adduser, $shlibs"

installed_size="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@MAINTAINER@|$maintainer|" \
    -e "s|@INSTALLED_SIZE@|$installed_size|" -e "s|@DEPENDS@|$depends|" \
    "$here/debian/control.in" >"$stage/DEBIAN/control"

(cd "$stage" && find . -path ./DEBIAN -prune -o -path ./etc -prune -o -type f -printf '%P\0' \
    | sort -z | xargs -0 md5sum) >"$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/md5sums" "$stage/DEBIAN/control"

mkdir -p "$out"
deb="$out/atende_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "build-deb: $(du -h "$deb" | cut -f1) package, Depends: $depends" >&2
echo "$deb"
