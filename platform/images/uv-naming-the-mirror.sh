#!/bin/sh
# uv, naming the site's package mirror when installing fails: uv itself says only that a package "was not found in
# the package registry". Installed as /opt/conda/bin/uv; the real binary is uv-real next to it.
"$(dirname "$0")/uv-real" "$@"
status=$?
if [ "$status" -ne 0 ] && [ -f /etc/uv/uv.toml ]; then
    case "${1:-}" in
        pip | add | sync | lock | tool)
            mirror=$(sed -n 's/^url = "\(.*\)"$/\1/p' /etc/uv/uv.toml)
            echo "uv: packages come only from the package mirror $mirror (/etc/uv/uv.toml); a package missing there must be added to the mirror" >&2
            ;;
    esac
fi
exit "$status"
