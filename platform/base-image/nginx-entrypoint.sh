#!/bin/bash
# Renders /etc/nginx/templates/*.template into /etc/nginx/conf.d/ like the official image's entrypoint: envsubst
# replaces only the variables defined in the environment, so nginx's own $variables survive.
set -euo pipefail
defined_variables=$(printf '${%s} ' $(env | cut -d= -f1))
for template in /etc/nginx/templates/*.template; do
    [ -e "$template" ] || continue
    output="/etc/nginx/conf.d/$(basename "$template" .template)"
    envsubst "$defined_variables" < "$template" > "$output"
    echo "nginx-entrypoint: rendered $template -> $output"
done
exec "$@"
