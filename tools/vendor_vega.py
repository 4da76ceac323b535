"""Write the generated project's offline plot page: DVC's HTML template with Vega inlined.

Usage: python tools/vendor_vega.py

`dvc plots show` writes an HTML page that loads Vega, Vega-Lite and vega-embed from a CDN, so it is
blank without internet. DVC accepts its own page template (`plots.html_template` in `.dvc/config`);
without the `{scripts}` placeholder DVC adds no CDN tags. This script fetches the pinned packages
with `npm pack` (which checks them against the registry's integrity hash) and inlines their
minified builds into that template, so the page needs no network.

The template passes through Jinja (cookiecutter and copier render every file): the scripts must
not contain `{{`, `{%` or `{#`. Vega-Lite has one `{#` (a class body starting with a private
field); a space after the brace keeps the JavaScript identical in meaning.
"""

import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = REPO_ROOT / "{{cookiecutter.project_slug}}" / ".dvc" / "offline-plots.html"
# Vega-Lite 5 is what DVC's plot templates are written for; vega-embed 6 is its matching embedder.
PACKAGES = [
    ("vega", "5.33.1", "build/vega.min.js"),
    ("vega-lite", "5.23.0", "build/vega-lite.min.js"),
    ("vega-embed", "6.29.0", "build/vega-embed.min.js"),
]
JINJA_MARKERS = ("{{", "{%", "{#")

PAGE = """<!DOCTYPE html>
<html>
<head>
    {{refresh_tag}}
    <meta charset="utf-8">
    <title>DVC Plot</title>
    <!-- Written by tools/vendor_vega.py of the project template; works without network access.
{sources}
         All three: BSD-3-Clause, (c) the University of Washington Interactive Data Lab. -->
{scripts}
    <style>
        table {{
            border-spacing: 15px;
        }}
    </style>
</head>
<body>
    {{plot_divs}}
</body>
</html>
"""


def packed_script(name: str, version: str, member: str, workdir: Path) -> str:
    subprocess.run(
        ["npm", "pack", "--silent", f"{name}@{version}"],
        cwd=workdir,
        check=True,
        capture_output=True,
    )
    with tarfile.open(workdir / f"{name}-{version}.tgz") as archive:
        script = archive.extractfile(f"package/{member}").read().decode("utf-8")
    # The source map is not shipped; a browser would request it when its developer tools open.
    lines = [line for line in script.splitlines() if not line.startswith("//# sourceMappingURL=")]
    script = "\n".join(lines).replace("{#", "{ #")
    for marker in (*JINJA_MARKERS, "</script", "<!--"):
        if marker in script:
            sys.exit(f"{name}@{version} contains {marker!r}: it cannot be inlined as is")
    return script


def main() -> None:
    sources, scripts = [], []
    with tempfile.TemporaryDirectory() as workdir:
        for name, version, member in PACKAGES:
            script = packed_script(name, version, member, Path(workdir))
            digest = hashlib.sha256(script.encode("utf-8")).hexdigest()
            sources.append(f"         {name}@{version} {member} (inlined: sha256 {digest})")
            scripts.append(f"    <script>\n{script}\n    </script>")
    page = PAGE.format(sources="\n".join(sources), scripts="\n".join(scripts))
    TEMPLATE.write_text(page, encoding="utf-8")
    print(f"wrote {TEMPLATE.relative_to(REPO_ROOT)} ({len(page.encode()) // 1024} KiB)")


if __name__ == "__main__":
    main()
