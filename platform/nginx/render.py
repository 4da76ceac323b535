"""Render jupyterhub.conf.template as the nginx image's entrypoint does (envsubst).

    python3 platform/nginx/render.py TEMPLATE OUTPUT NAME=VALUE ...

nginx's own `$variables` are left alone; a `${NAME}` without a value is an error, so nothing half-
rendered is written.
"""

import re
import sys
from pathlib import Path

TEMPLATE_VARIABLES = (
    "SERVER_NAME",
    "PUBLIC_URL",
    "HTTP_PORT",
    "HTTPS_PORT",
    "HUB_UPSTREAM",
    "TLS_CERT",
    "TLS_KEY",
)


def render(template: str, values: dict) -> str:
    missing = sorted(set(TEMPLATE_VARIABLES) - {name for name, value in values.items() if value})
    if missing:
        raise ValueError(f"no value for {', '.join(missing)}")
    return re.sub(r"\$\{([A-Z_]+)\}", lambda m: values.get(m.group(1), m.group(0)), template)


def main(argv):
    if len(argv) < 2 or not all("=" in item for item in argv[2:]):
        sys.exit("usage: render.py TEMPLATE OUTPUT NAME=VALUE ...")
    template, output = Path(argv[0]), Path(argv[1])
    values = dict(item.split("=", 1) for item in argv[2:])
    try:
        output.write_text(render(template.read_text(), values))
    except (OSError, ValueError) as error:
        sys.exit(f"render.py: {error}")


if __name__ == "__main__":
    main(sys.argv[1:])
