#!/bin/sh
# Remove what the chosen options leave out (copier.yml's `_exclude` leaves out the same paths). The list comes from
# hooks/pruned_paths.jinja through the `pruned_paths` filter of hooks/answer_rules.py, worked out inside cookiecutter's
# own process while it renders this script: what runs afterwards is this shell and one `rm` (no Python to start).
set -eu
{%- set paths = cookiecutter | pruned_paths %}
{%- if paths %}
rm -rf --{% for path in paths %} {{ path | shell_quote }}{% endfor %}
{%- endif %}
