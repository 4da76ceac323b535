#!/bin/bash
# Like the Jupyter Docker Stacks start scripts: a single-user server when spawned by JupyterHub, JupyterLab otherwise.
set -e
# Like their start.sh too: a uid without an /etc/passwd entry (each user's server runs as the user's own uid) gets one,
# named jovyan, when /etc/passwd is writable (images/Dockerfile lets group 100 write it). Without one, whatever looks
# its user up fails ("I have no name!" in the shell, DVC: "getpwuid(): uid not found").
if ! whoami > /dev/null 2>&1 && [ -w /etc/passwd ]; then
    entries=$(mktemp)
    sed -e "s/^jovyan:/nayvoj:/" /etc/passwd > "$entries"
    echo "jovyan:x:$(id -u):$(id -g):,,,:/home/jovyan:/bin/bash" >> "$entries"
    cat "$entries" > /etc/passwd
    rm -f "$entries"
fi
if [ -n "${JUPYTERHUB_API_TOKEN:-}" ]; then
    exec jupyterhub-singleuser "$@"
fi
exec jupyter lab "$@"
