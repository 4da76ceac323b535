# A local stand-in for quay.io/jupyterhub/jupyterhub (same contract: python3 and pip with JupyterHub installed,
# configurable-http-proxy on PATH, WORKDIR /srv/jupyterhub, runs as root, CMD jupyterhub), built FROM the local base.
ARG BASE_IMAGE=mlops-local/base-notebook:bookworm
FROM ${BASE_IMAGE}

# The hub runs as root like the image it stands in for (it manages the Docker socket and users' folders).
# hadolint ignore=DL3002
USER 0
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends node-configurable-http-proxy \
    && rm -rf /var/lib/apt/lists/* /usr/share/doc/* \
    && python3 -m pip install --no-cache-dir jupyterhub==6.1.1

WORKDIR /srv/jupyterhub
EXPOSE 8000
CMD ["jupyterhub"]
