"""Where the quality tooling reads and writes (one place for the defaults).

* ``NHI_QUALITY_DIR``   quality folder: the Great Expectations project (``gx/``, created at run
                        time) and ``state.json`` (last accepted mart row counts)
                        default ``data/quality``
* ``NHI_QUALITY_DOCS``  the HTML Data Docs site (open ``index.html``)
                        default ``<quality folder>/data_docs``

The mart expectations are configured in ``quality/mart_expectations.yml`` (committed).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_QUALITY_DIR = "data/quality"
MART_CONFIG = Path("quality/mart_expectations.yml")


def _absolute(path: Path, root: Path) -> Path:
    return path if path.is_absolute() else root / path


@dataclass(frozen=True)
class QualityPaths:
    quality_dir: Path
    docs_dir: Path

    @property
    def state_path(self) -> Path:
        """Last accepted mart row counts (compared on the next run)."""
        return self.quality_dir / "state.json"

    @property
    def index_html(self) -> Path:
        return self.docs_dir / "index.html"

    @classmethod
    def resolve(
        cls, root: Path, quality_dir: str | Path | None = None, docs_dir: str | Path | None = None
    ) -> QualityPaths:
        """Paths from the options, else the environment, else the defaults (relative to ``root``)."""
        quality = _absolute(Path(quality_dir or os.environ.get("NHI_QUALITY_DIR") or DEFAULT_QUALITY_DIR), root)
        docs_value = docs_dir or os.environ.get("NHI_QUALITY_DOCS")
        docs = _absolute(Path(docs_value), root) if docs_value else quality / "data_docs"
        return cls(quality_dir=quality, docs_dir=docs)
