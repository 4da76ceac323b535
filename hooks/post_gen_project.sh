#!/bin/sh
# Remove what the chosen options leave out (copier.yml's `_exclude` leaves out the same paths). The list comes from
# hooks/pruned_paths.jinja through the `pruned_paths` filter of hooks/answer_rules.py, worked out inside cookiecutter's
# own process while it renders this script: what runs afterwards is this shell alone (no Python to start).
set -eu
{%- for path in cookiecutter | pruned_paths %}
rm -rf -- {{ path | shell_quote }}
{%- endfor %}
