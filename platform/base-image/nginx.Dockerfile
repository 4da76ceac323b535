# A local stand-in for the official nginx image (docker.io/library/nginx), built FROM the local base with Debian's
# nginx. Same contract: /etc/nginx/templates/*.template rendered into /etc/nginx/conf.d/ by envsubst (only variables
# set in the environment are replaced), logs to stdout/stderr, CMD nginx -g 'daemon off;'.
ARG BASE_IMAGE=mlops-local/debian:bookworm
FROM ${BASE_IMAGE}

# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx gettext-base curl \
    && rm -rf /var/lib/apt/lists/* /usr/share/doc/* /etc/nginx/sites-enabled/default \
    && ln -sf /dev/stdout /var/log/nginx/access.log \
    && ln -sf /dev/stderr /var/log/nginx/error.log

COPY nginx-entrypoint.sh /usr/local/bin/nginx-entrypoint.sh
EXPOSE 80 443
STOPSIGNAL SIGQUIT
ENTRYPOINT ["tini", "--", "nginx-entrypoint.sh"]
CMD ["nginx", "-g", "daemon off;"]
