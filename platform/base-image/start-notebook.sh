#!/bin/bash
# Like the Jupyter Docker Stacks start scripts: a single-user server when spawned by JupyterHub, JupyterLab otherwise.
set -e
if [ -n "${JUPYTERHUB_API_TOKEN:-}" ]; then
    exec jupyterhub-singleuser "$@"
fi
exec jupyter lab "$@"
