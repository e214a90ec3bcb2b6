"""mkdocs hook: Mermaid is part of the site, so every diagram is drawn without network.

Material for MkDocs draws ```` ```mermaid ```` blocks with Mermaid's JavaScript and, when the
page does not bring it, loads it from a CDN: blank diagrams (their source as text) offline or
behind a strict firewall, and a request to a third party from a page about child safety. This
hook bundles a pinned Mermaid from the npm registry instead:

- at build time, the package ``mermaid@MERMAID_VERSION`` is fetched once with ``npm pack``
  (the npm client, so the registry configuration of the machine applies), its sha512 is
  checked against :data:`INTEGRITY`, and ``dist/mermaid.min.js`` and its licence are kept in a
  cache (``$MELDCODE_CACHE`` or ``~/.cache/meldcode-rules``); later builds need no network;
- the file is added to the site as ``js/mermaid.min.js`` (``extra_javascript`` in
  ``mkdocs.yml`` loads it before Material's own script, which then uses it, not the CDN).

``tests/test_docs_site.py`` builds the site and opens a page in headless Chromium with all
network blocked, and checks that the flowchart is an SVG in the page, not its source text.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

MERMAID_VERSION = "12.3.0"
#: ``npm view mermaid@12.3.0 dist.integrity``
INTEGRITY = "sha512-4113TdXeLAsMruJ79OpFL5O8+LTFXhQqZ260rF3tgUmiNAtRm4Uume04I+65PRN6yZ69J4f8rVYWW8zRk65UYw=="
SITE_PATH = "js/mermaid.min.js"
LICENSE_PATH = "js/mermaid.LICENSE.txt"


class MermaidUnavailable(RuntimeError):
    """Mermaid could not be fetched or did not match its pinned checksum."""


def cache_dir() -> Path:
    root = os.environ.get("MELDCODE_CACHE")
    return Path(root) if root else Path.home() / ".cache" / "meldcode-rules"


def mermaid_files() -> tuple[Path, Path]:
    """``(mermaid.min.js, LICENSE)`` from the cache, fetched first when missing."""
    folder = cache_dir() / f"mermaid-{MERMAID_VERSION}"
    script, licence = folder / "mermaid.min.js", folder / "LICENSE"
    if script.is_file() and licence.is_file():
        return script, licence
    npm = shutil.which("npm")
    if npm is None:
        raise MermaidUnavailable(
            "npm ontbreekt: installeer Node.js/npm om Mermaid voor de documentatiesite op te halen"
        )
    with tempfile.TemporaryDirectory(prefix="meldcode-mermaid-") as tmp:
        result = subprocess.run(
            [npm, "pack", f"mermaid@{MERMAID_VERSION}", "--pack-destination", tmp, "--silent"],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        tarballs = list(Path(tmp).glob("mermaid-*.tgz"))
        if result.returncode != 0 or len(tarballs) != 1:
            raise MermaidUnavailable(f"npm pack mermaid@{MERMAID_VERSION} mislukte: {result.stderr.strip()[:300]}")
        data = tarballs[0].read_bytes()
        digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
        if digest != INTEGRITY:
            raise MermaidUnavailable(f"mermaid@{MERMAID_VERSION}: de checksum klopt niet ({digest[:20]}...)")
        folder.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarballs[0]) as archive:
            for member, target in (("package/dist/mermaid.min.js", script), ("package/LICENSE", licence)):
                extracted = archive.extractfile(member)
                if extracted is None:
                    raise MermaidUnavailable(f"mermaid@{MERMAID_VERSION}: {member} ontbreekt in het pakket")
                partial = target.with_suffix(".part")
                partial.write_bytes(extracted.read())
                partial.replace(target)
    return script, licence


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import File

    script, licence = mermaid_files()
    files.append(File.generated(config, SITE_PATH, abs_src_path=str(script)))
    files.append(File.generated(config, LICENSE_PATH, abs_src_path=str(licence)))
    return files
