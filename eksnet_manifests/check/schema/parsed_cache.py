"""CRD files parsed once: their documents kept on disk by the digest of the text they were parsed from.

CRD sources (``--crds``, ``validation.crdSources``, a release file downloaded once) are large YAML files
read by every run; parsing them is most of what reading a CRD costs. An entry under
``$EKSNET_PARSE_CACHE`` (else ``<user cache>/eksnet/parsed-crds``) is named by the SHA-256 of everything
the parse depends on: the text, the code that parses it (``check/documents.py``), PyYAML's version, this
format and the Python version (entries are ``marshal`` data). An entry that cannot be read, is cut
short or is of another format is ignored and written again; entries are written through a temporary
file and renamed, so a reader never sees half of one. Only files that parse are kept: a file with an
error is parsed again, to report it.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from eksnet_manifests.check import documents
from eksnet_manifests.check.documents import Document, Origin, parse_documents
from eksnet_manifests.check.positions import SourceText

CACHE_ENV = "EKSNET_PARSE_CACHE"
FORMAT = 1


def cache_root() -> Path:
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("eksnet")) / "parsed-crds"


def entry_path(text: str) -> Path:
    key = hashlib.sha256(parser_identity().encode())
    key.update(text.encode("utf-8", "surrogatepass"))
    return cache_root() / f"{key.hexdigest()}.marshal"


@functools.cache
def parser_identity() -> str:
    """This format, the parsing code, PyYAML's version and the Python version."""
    code = hashlib.sha256(Path(documents.__file__).read_bytes()).hexdigest()
    return f"{FORMAT}\0{code}\0{yaml.__version__}\0{sys.version}\0"


def parse_cached(text: str, file: str) -> list[Document]:
    """``parse_documents(text, file)``, from the cache when this text was parsed before."""
    path = entry_path(text)
    cached = _read(path)
    source = SourceText(text)
    if cached is not None:
        return [
            Document(obj, Origin(file, index, line), tuple(duplicates), source)
            for index, (obj, line, duplicates) in enumerate(cached)
        ]
    documents = parse_documents(text, file)
    _write(path, [(doc.obj, doc.origin.line, list(doc.duplicate_keys)) for doc in documents])
    return documents


def _read(path: Path) -> list[tuple[Any, int | None, list[tuple[str, int]]]] | None:
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(data, tuple) and len(data) == 2 and data[0] == FORMAT and isinstance(data[1], list)):
        return None
    return data[1]


def _write(path: Path, entries: list[tuple[Any, int | None, list[tuple[str, int]]]]) -> None:
    try:
        data = marshal.dumps((FORMAT, entries))
    except ValueError:
        return  # a value marshal cannot keep (none that YAML makes): parsed again next time
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        pass  # a cache that cannot be written only costs the next run a parse
