"""The cache folder, and where each cache lives inside it.

Every cache is one folder's business so that a new one cannot hide: its place, what it
is keyed on and what makes it stale are written down here, beside all the others, and a
test holds the folder after a build to exactly what `Caches.listed` names. Deleting the
whole folder is always safe; it only makes the next build a cold one.

The paths are those earlier versions used, so a site's existing cache keeps working.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Caches:
    root: Path

    @classmethod
    def of(cls, content: Path, cache_dir: Path | None = None) -> Caches:
        """`cache_dir` when given, else one git-ignored folder beside content/ that CI can
        keep between runs."""
        return cls(cache_dir or content.parent / ".cache" / "showcase")

    def stamp(self, output: Path) -> Path:
        """The build stamp (publish/stamp.py): one per output folder, keyed on its resolved
        path, so builds of one site to two folders do not mix. Holds a fingerprint of
        every input (content, themes and showcase's code by stat, the options, library
        versions) and listings of the output and the image cache. Stale, and so ignored,
        when any of these differ or STAMP_VERSION changes; rewritten by every build."""
        key = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
        return self.root / "builds" / f"{key}.json"

    def memo(self, output: Path) -> Path:
        """The page memo (render/memo.py), beside the stamp, one per output folder: each
        page's key (the model's skeleton, code and themes, its template and PageInfo) and
        the bodies and photos it showed. Used only while the output is what the stamp
        lists; deleted before a build publishes and rewritten after; MEMO_VERSION."""
        return self.stamp(output).with_suffix(".pages.json")

    @property
    def parsed(self) -> Path:
        """The parse cache (load/source.py): parsed YAML and front matter, keyed on each
        file's kind and bytes. The whole file is dropped when the parser's source or
        PyYAML's version changes; entries a build did not use are dropped on saving."""
        return self.root / "parsed.pickle"

    @property
    def photos(self) -> Path:
        """Photo facts (load/photos.py): each source photo's digest, upright size, colour
        and frames, keyed on its absolute path and trusted while its size, mtime and ctime match;
        INDEX_VERSION; photos a build did not read are dropped on saving."""
        return self.root / "photos.json"

    @property
    def images(self) -> Path:
        """Image variants (assets/images.py), each named by a hash of its source's bytes,
        size, format, quality and the pipeline's version, with `manifest.json` beside
        them: a file whose size or mtime differs from the manifest is made again, one no
        build used for KEEP_UNUSED_BUILDS builds is deleted, and so is a stray."""
        return self.root / "images"

    @property
    def qr(self) -> Path:
        """QR codes (assets/qr.py) as SVG and PNG, named by a hash of the URL, segno's
        version and FILES_VERSION; a change to any gives new names (old ones are not
        pruned: a few KB each)."""
        return self.root / "qr"

    @property
    def templates(self) -> Path:
        """Jinja's compiled templates (builder.py), Jinja's own bytecode cache: keyed on
        each template's name and checked against its source's checksum on loading."""
        return self.root / "templates"

    def listed(self, output: Path) -> dict[str, Path]:
        """Every cache a build of `output` keeps, by name: nothing else belongs in the
        folder (folders hold their cache's files)."""
        return {"stamp": self.stamp(output), "memo": self.memo(output),
                "parsed": self.parsed, "photos": self.photos, "images": self.images,
                "qr": self.qr, "templates": self.templates}
