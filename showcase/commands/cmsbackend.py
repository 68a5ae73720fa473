"""The browser editor's local backend: Decap CMS's local-backend protocol, answered in Python.

`showcase serve --admin` lets an organiser edit the content in the browser editor against
the files on her own computer. Decap's own answer to that is `decap-server`, a Node.js
program; this module answers the same protocol instead, so nothing but showcase is
needed. The CMS posts JSON `{action, params}` to one URL (its `local_backend.url`) and
reads JSON back; `LocalBackend.answer` is that URL. The actions and their answers follow
decap-server's file-system mode (`packages/decap-server/src/middlewares/localFs`), which
is the one the CMS uses when `info` says `publish_modes: ["simple"]`: every save is
written at once (the editorial workflow is GitHub's business).

Three things differ from decap-server, each on purpose:

- **Naming.** The CMS writes every language as `index.<lang>.md` and reads the default
  language from `index.id.md`; the contract's first naming is `index.md`. An entry is
  shown to the CMS as `index.<default>.md` and written back to the name it already has
  (a new entry gets `index.md`, or with `admin:` set the online editor's own name), so
  any existing content can be edited (`_stored`,
  `_presented`). A value the contract lets be short (`name: Keset`, `price: 75000`) is
  shown in the long form the editor's widgets hold, and a translation's localised
  values in the default-language file, where the form edits every language (`as_form`,
  `_as_form`): the CMS writes them so, which the loader reads the same.
- **Codes.** The CMS cannot know the next free product code; a product (or booth) saved
  without one gets it as `showcase new` picks it, through `showcase codes`' own
  `codes.fill`, and an existing code is never replaced.
- **Safety.** The server runs on the organiser's computer, beside her files, and any
  web page she has open can send requests to 127.0.0.1. So a request is answered only
  when it comes from the editor itself (`check_request`: its Host is the server's own
  loopback address, its Origin that same address, Sec-Fetch-Site, when sent,
  `same-origin`, and its body JSON, which no other site can post without a CORS
  preflight that is never granted). Paths are relative POSIX paths inside `content/`
  with no `..`, no hidden name and no symbolic link anywhere below `content/`; every
  path of a request is checked before anything is written, and files are written with
  `files.write_atomic`. Reading is held to `content/` as well. decap-server accepts any
  localhost origin and follows links.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import traceback
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Callable

import yaml

from showcase.commands import codes, scaffold
from showcase.commands.editorform import as_form, fold, plain
from showcase.files import stored_name, write_atomic
from showcase.load import fields, siteinfo
from showcase.load.source import read_markdown, read_yaml
from showcase.messages import _

API_PATH = "admin/api/v1"  # under the site's base path
# Names Windows keeps for devices, whatever their extension: writing `con.jpg` there
# writes to the console.
WINDOWS_DEVICE = re.compile(r"(?i)con|prn|aux|nul|com[0-9]|lpt[0-9]")
# Files the media library never shows: the entries themselves.
NOT_MEDIA = (".md", ".yaml", ".yml")
# The hosts an organiser's browser may call the server by: the CMS itself switches to
# the local backend only on these (and on hosts named in `local_backend.allowed_hosts`).
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


class Refused(Exception):
    """A request not carried out, and why, for the CMS to show: nothing was written."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Request:
    """What the backend reads of an HTTP request (from WSGI's environ: `from_environ`)."""

    method: str
    host: str | None
    origin: str | None
    fetch_site: str | None
    content_type: str | None
    body: bytes

    @classmethod
    def from_environ(cls, environ: dict) -> "Request":
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        return cls(environ.get("REQUEST_METHOD", "GET"), environ.get("HTTP_HOST"),
                   environ.get("HTTP_ORIGIN"), environ.get("HTTP_SEC_FETCH_SITE"),
                   environ.get("CONTENT_TYPE"), body)


def own_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers a request to this server may carry: its loopback names."""
    names = set(LOOPBACK_NAMES) | {f"[{host}]" if ":" in host else host}
    return frozenset(f"{name}:{port}" for name in names)


def check_request(request: Request, hosts: frozenset[str]) -> None:
    """Refuse (403) anything but a JSON POST from a page this server served.

    Host stops a page on another name that resolves to 127.0.0.1 (DNS rebinding): the
    browser would call that its own origin. Origin stops every other site; browsers send
    it with every POST. JSON stops an HTML form, which cannot send it."""
    if request.method != "POST":
        raise Refused(405, _("refused: the editor's backend takes POST requests only"))
    if request.host not in hosts:
        raise Refused(403, _("refused: a request for {host}, not for this server; open the "
                             "editor at http://127.0.0.1 and the port serve printed").format(
            host=request.host or "(no Host)"))
    if request.origin != f"http://{request.host}":
        raise Refused(403, _("refused: a request from {origin}, not from the editor this "
                             "server serves; only its own page may change files").format(
            origin=request.origin or "(no Origin)"))
    if request.fetch_site not in (None, "same-origin"):
        raise Refused(403, _("refused: a request from another site ({site})").format(
            site=request.fetch_site))
    if (request.content_type or "").split(";")[0].strip().lower() != "application/json":
        raise Refused(415, _("refused: the editor's backend takes JSON only"))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _dump(data: dict) -> str:
    """Front matter as the CMS would write it: block style, keys in their order."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False,
                          width=100)


def _markdown(front: dict, body: str) -> str:
    return "---\n" + (_dump(front) if front else "") + "---\n" + body


class LocalBackend:
    """The protocol's actions on one site's folder.

    Paths in requests are relative to `root`, the folder the generated configuration's
    folders start from (the repository's root, or the folder holding `content/`);
    `saved` is called after every write, to rebuild the preview at once."""

    # Whether files are shown widened (`_as_form`). Online, on GitHub, nothing widens
    # them; tests/test_admin_prepare.py turns this off to open what `admin prepare`
    # wrote as the online editor would.
    widen = True

    def __init__(self, content: Path, *, root: Path | None = None,
                 saved: Callable[[], None] | None = None):
        # Resolved once: the content folder may itself be a link the organiser made;
        # links below it are what `_path` refuses.
        self.content = content.resolve()
        self.root = root.resolve() if root is not None else self.content.parent
        self.prefix = self.content.relative_to(self.root).as_posix()
        if self.prefix == ".":
            self.prefix = ""
        self.saved = saved or (lambda: None)

    # -- the HTTP side -------------------------------------------------------------------

    def answer(self, request: Request, hosts: frozenset[str]) -> tuple[int, Any]:
        """(status, JSON value) for one request; an error is `{"error": message}`, which
        the CMS shows to the organiser as it is."""
        try:
            check_request(request, hosts)
            try:
                body = json.loads(request.body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise Refused(400, _("refused: the request is not JSON"))
            if not isinstance(body, dict) or not isinstance(body.get("action"), str):
                raise Refused(422, _("refused: the request names no action"))
            params = body.get("params")
            if params is None:
                params = {}
            if not isinstance(params, dict):
                raise Refused(422, _("refused: params must be an object"))
            return 200, self.act(body["action"], params)
        except Refused as refused:
            return refused.status, {"error": refused.message}
        except OSError as exc:  # a full disk, a file another program holds open
            return 500, {"error": _("could not read or write {path}: {reason}").format(
                path=exc.filename or "?", reason=exc.strerror or exc)}
        except Exception as exc:  # a bug of ours: said in the editor, and in the terminal
            traceback.print_exc()
            return 500, {"error": f"{type(exc).__name__}: {exc}"}

    def act(self, action: str, params: dict) -> Any:
        handler = ACTIONS.get(action)
        if handler is None:
            raise Refused(422, _("unknown action {action}; this local backend does not "
                                 "support it").format(action=action))
        return handler(self, params)

    # -- languages -----------------------------------------------------------------------

    def _languages(self) -> tuple[str, ...]:
        return siteinfo.read_site_facts(self.content).languages

    def _split_name(self, rel: str) -> tuple[str, str | None]:
        """('dir/index', 'en') for dir/index.en.md; ('dir/index', None) for dir/index.md."""
        stem = rel[:-len(".md")]
        head, dot, lang = stem.rpartition(".")
        if dot and "/" not in lang and lang in self._languages():
            return head, lang
        return stem, None

    def _stored(self, rel: str) -> str:
        """The file on disk that a path the CMS names stands for: its default-language
        file `X.<default>.md` is `X.md` unless `X.<default>.md` itself exists."""
        if not rel.endswith(".md"):
            return rel
        stem, lang = self._split_name(rel)
        if lang is None or lang != self._languages()[0]:
            return rel
        if (self.root / rel).exists():
            return rel
        if not (self.root / (stem + ".md")).exists() and \
                siteinfo.read_site_facts(self.content).main_name != "index.md":
            return rel  # a new entry, with `admin:` set: the name the online editor opens
        return stem + ".md"

    def _presented(self, rel: str) -> str:
        """The inverse of `_stored`: how the CMS sees a file on disk."""
        if not rel.endswith(".md"):
            return rel
        stem, lang = self._split_name(rel)
        if lang is not None:
            return rel
        named = f"{stem}.{self._languages()[0]}.md"
        return rel if (self.root / named).exists() else named

    # -- paths ---------------------------------------------------------------------------

    def _path(self, value: Any, what: str = "path") -> str:
        """A path from a request, checked: relative, POSIX, inside content/, nothing
        hidden, no link on the way. Returns it normalised (relative to `root`)."""
        if not isinstance(value, str) or not value.strip():
            raise Refused(422, _("{what}: expected a path inside content/").format(what=what))
        shown = value
        if ("\\" in value or "\x00" in value or PurePosixPath(value).is_absolute()
                or PureWindowsPath(value).drive or PureWindowsPath(value).is_absolute()):
            raise Refused(403, _("refused: {path} is not a relative path inside content/; "
                                 "nothing was written").format(path=shown))
        parts = [p for p in value.split("/") if p not in ("", ".")]
        if ".." in parts:
            raise Refused(403, _("refused: {path} leaves the content folder (..); nothing "
                                 "was written").format(path=shown))
        parts = [stored_name(p) for p in parts]
        prefix = self.prefix.split("/") if self.prefix else []
        if parts[:len(prefix)] != prefix or len(parts) <= len(prefix) and what != "folder":
            raise Refused(403, _("refused: {path} is outside content/; the editor may "
                                 "change only the content").format(path=shown))
        below = parts[len(prefix):]
        if any(p.startswith(".") or ":" in p or WINDOWS_DEVICE.fullmatch(p.split(".")[0])
               for p in below):
            raise Refused(403, _("refused: {path} names a hidden or reserved file").format(
                path=shown))
        current = self.content
        for part in below:
            current = current / part
            if current.is_symlink():
                raise Refused(403, _("refused: {path} goes through a symbolic link "
                                     "({link}); nothing was written").format(
                    path=shown, link=current.relative_to(self.root).as_posix()))
        return "/".join(parts)

    def _writable(self, value: Any, what: str) -> Path:
        rel = self._path(value, what)
        target = self.root / rel
        if target.is_dir():
            raise Refused(403, _("refused: {path} is a folder").format(path=rel))
        return target

    # -- reading -------------------------------------------------------------------------

    def _entries(self, rels: list[tuple[str, str | None]]) -> list[dict]:
        """Entries as decap-server answers them, for presented paths (and labels)."""
        return [self._entry(rel, label) for rel, label in rels]

    def _entry(self, rel: str, label: str | None = None) -> dict:
        text = self._read_presented(rel)
        file = {"path": rel, "id": _sha256(text.encode("utf-8")) if text is not None else None}
        if label is not None:
            file["label"] = label
        return {"data": text, "file": file}

    def _read_presented(self, rel: str) -> str | None:
        """A file's text as the CMS should see it, or None if there is none."""
        try:
            raw = (self.root / self._stored(rel)).read_bytes()
        except OSError:
            return None
        record = self._record(rel)
        if record is None or not self.widen:
            return raw.decode("utf-8", "replace")
        return self._as_form(rel, record, raw)

    def _record(self, rel: str) -> fields.Record | None:
        """The registry's record of the entry a path is the file of, if any."""
        below = rel[len(self.prefix) + 1:].split("/") if self.prefix else rel.split("/")
        name = below[-1]
        if below == ["site.yaml"]:
            return fields.SITE
        if not name.endswith(".md"):
            return None
        if len(below) == 2 and below[0] == "pages":
            return fields.PAGE
        if below[0] == "booths" and self._split_name(name)[0] == "index":
            return {3: fields.BOOTH, 4: fields.PRODUCT}.get(len(below))
        return None

    def _as_form(self, rel: str, record: fields.Record, raw: bytes) -> str:
        """The file as the editor's form holds it (see `as_form`). A translation's
        localised fields are folded into the default-language file, where the form
        edits every language; the translation then shows its body only. A file that
        cannot be parsed is shown as it is: the CMS shows what it can."""
        languages = self._languages()
        stem, lang = self._split_name(rel) if rel.endswith(".md") else (rel, None)
        if rel.endswith((".yaml", ".yml")):
            doc = read_yaml(raw)
        else:
            doc = read_markdown(raw)
        if not doc.parsed or doc.errors:
            return raw.decode("utf-8", "replace")
        front = plain(dict(doc.data))
        if lang is not None and lang != languages[0]:
            folded = {f.name for f in record.fields if f.localised}
            kept = {k: v for k, v in front.items() if k not in folded}
            return raw.decode("utf-8") if kept == front else _markdown(kept, doc.body)
        form = as_form(record, front, languages)
        if rel.endswith(".md"):
            for other in languages[1:]:
                try:
                    translation = read_markdown(
                        (self.root / f"{stem}.{other}.md").read_bytes())
                except OSError:
                    continue
                if not translation.parsed or translation.errors:
                    continue
                fold(record, form, other, translation.data)
        if form == front:
            return raw.decode("utf-8")
        if rel.endswith((".yaml", ".yml")):
            return _dump(form)
        return _markdown(form, doc.body)

    def _listed(self, folder: str, extension: str, depth: int) -> list[str]:
        """Files with `extension` exactly `depth` folders below `folder` (presented
        names), in the order of their names. decap-server lists every depth up to
        `depth`; the CMS takes every file it gets for an entry, and a booth's own
        `index.md` sits one level above its products', so only the entries' own level
        is listed."""
        base = self.root / folder
        found: list[str] = []

        def walk(directory: Path, rel: str, level: int) -> None:
            try:
                children = sorted(directory.iterdir(), key=lambda p: stored_name(p.name))
            except OSError:
                return
            for child in children:
                name = stored_name(child.name)
                if name.startswith(".") or child.is_symlink():
                    continue
                path = f"{rel}/{name}" if rel else name
                if child.is_dir():
                    if level < depth:
                        walk(child, path, level + 1)
                elif level == depth and name.endswith(f".{extension}" if extension else ""):
                    found.append(path)

        if base.is_dir() and not base.is_symlink():
            walk(base, folder, 1)
        return sorted(self._presented(rel) for rel in found)

    def _media_file(self, rel: str) -> dict:
        data = (self.root / rel).read_bytes()
        return {"id": _sha256(data), "content": base64.b64encode(data).decode("ascii"),
                "encoding": "base64", "path": rel, "name": rel.rsplit("/", 1)[-1]}

    # -- the actions ---------------------------------------------------------------------

    def info(self, params: dict) -> dict:
        return {"repo": self.root.resolve().name, "publish_modes": ["simple"],
                "type": "local_fs"}

    def entries_by_folder(self, params: dict) -> list[dict]:
        folder = self._path(params.get("folder"), "folder")
        extension = params.get("extension") or ""
        depth = params.get("depth")
        if not isinstance(extension, str) or not isinstance(depth, int) or depth < 1:
            raise Refused(422, _("entriesByFolder: expected an extension and a depth of 1 "
                                 "or more"))
        return self._entries([(rel, None) for rel in self._listed(folder, extension, depth)])

    def entries_by_files(self, params: dict) -> list[dict]:
        files = params.get("files")
        if not isinstance(files, list):
            raise Refused(422, _("entriesByFiles: expected a list of files"))
        wanted = []
        for file in files:
            if not isinstance(file, dict):
                raise Refused(422, _("entriesByFiles: expected a list of files"))
            label = file.get("label")
            wanted.append((self._path(file.get("path")), label if isinstance(label, str)
                           else None))
        return self._entries(wanted)

    def get_entry(self, params: dict) -> dict:
        return self._entry(self._path(params.get("path")))

    def persist_entry(self, params: dict) -> dict:
        data_files = params.get("dataFiles")
        if data_files is None and isinstance(params.get("entry"), dict):
            data_files = [params["entry"]]
        assets = params.get("assets") or []
        if not isinstance(data_files, list) or not data_files or not isinstance(assets, list):
            raise Refused(422, _("persistEntry: expected dataFiles and assets"))
        writes: list[tuple[Path, bytes]] = []
        for data_file in data_files:
            if not isinstance(data_file, dict) or not isinstance(data_file.get("raw"), str):
                raise Refused(422, _("persistEntry: each data file needs a path and its text"))
            if data_file.get("newPath"):
                raise Refused(422, _("moving an entry to another folder is not supported "
                                     "here: rename its folder in the file manager"))
            rel = self._path(data_file.get("path"))
            if not rel.endswith((".md", ".yaml", ".yml")):
                raise Refused(403, _("refused: {path}: entries are .md or .yaml files").format(
                    path=rel))
            target = self._writable(self._stored(rel), "path")
            raw = data_file["raw"]
            if target.suffix == ".md" and not raw.lstrip("\ufeff").startswith("---"):
                # The CMS writes a file with no field but its body (a translation) as the
                # bare body; the contract's files always open with front matter.
                body = raw.lstrip("\ufeff")
                if not body.strip() and not target.exists():
                    continue  # an empty translation of a new entry: no file, as before
                raw = "---\n---\n" + body.lstrip("\n")
            writes.append((target, raw.encode("utf-8")))
        for asset in assets:
            writes.append(self._asset(asset))
        writes = self._with_codes(writes)
        for target, data in writes:
            write_atomic(target, data)
        # A new booth or product gets its code as `new` would give it, by `showcase codes`'
        # own function; one it cannot number (its booth has no code) stays without, and
        # the preview's problem page says so.
        try:
            codes.fill(self.content, {target.parent for target, _ in writes
                                      if target.suffix == ".md"})
        except scaffold.ScaffoldError:
            pass  # site.yaml unreadable: the preview's problem page says what to fix
        self.saved()
        return {"message": "entry persisted"}

    def _asset(self, asset: Any) -> tuple[Path, bytes]:
        if not isinstance(asset, dict) or asset.get("encoding") != "base64" \
                or not isinstance(asset.get("content"), str):
            raise Refused(422, _("a file must come as base64 content with its path"))
        target = self._writable(asset.get("path"), "path")
        if target.name.endswith(NOT_MEDIA):
            raise Refused(403, _("refused: {path}: an uploaded file may not be an entry "
                                 "file").format(path=asset.get("path")))
        try:
            data = base64.b64decode(asset["content"], validate=True)
        except (binascii.Error, ValueError):
            raise Refused(422, _("{path}: the file's content is not valid base64").format(
                path=asset.get("path")))
        return target, data

    def get_media(self, params: dict) -> list[dict]:
        folder = self._path(params.get("mediaFolder"), "folder")
        base = self.root / folder
        if not base.is_dir():
            return []
        files = []
        for child in sorted(base.iterdir(), key=lambda p: stored_name(p.name)):
            name = stored_name(child.name)
            if (child.is_file() and not child.is_symlink() and not name.startswith(".")
                    and not name.endswith(NOT_MEDIA)):
                files.append(self._media_file(f"{folder}/{name}"))
        return files

    def get_media_file(self, params: dict) -> dict:
        rel = self._path(params.get("path"))
        if not (self.root / rel).is_file():
            raise Refused(404, _("{path}: no such file").format(path=rel))
        return self._media_file(rel)

    def persist_media(self, params: dict) -> dict:
        target, data = self._asset(params.get("asset"))
        write_atomic(target, data)
        self.saved()
        return self._media_file(target.relative_to(self.root).as_posix())

    def delete_file(self, params: dict) -> dict:
        return self._delete([params.get("path")])

    def delete_files(self, params: dict) -> dict:
        paths = params.get("paths")
        if not isinstance(paths, list) or not paths:
            raise Refused(422, _("deleteFiles: expected a list of paths"))
        return self._delete(paths)

    def _delete(self, paths: list) -> dict:
        targets = [self._writable(self._stored(self._path(p)), "path") for p in paths]
        for target in targets:
            target.unlink(missing_ok=True)
        for folder in {t.parent for t in targets if t.suffix == ".md"}:
            self._remove_bundle(folder)
        self.saved()
        rels = [t.relative_to(self.root).as_posix() for t in targets]
        return {"message": f"deleted files {', '.join(rels)}"}

    def _remove_bundle(self, folder: Path) -> None:
        """A product the CMS deleted (its index files) takes its photos with it: they
        were its page bundle, and a product folder with photos but no index.md stops
        every build. A folder holding anything else (a subfolder, a link, another
        entry file) is left as it is, for `check` to name."""
        try:
            if len(folder.relative_to(self.content / "booths").parts) != 2:
                return
        except ValueError:
            return
        children = list(folder.iterdir()) if folder.is_dir() else []
        if any(c.is_symlink() or not c.is_file() or c.name.endswith(NOT_MEDIA)
               for c in children):
            return
        for child in children:
            child.unlink()
        folder.rmdir()

    def get_deploy_preview(self, params: dict) -> None:
        return None

    # -- codes ---------------------------------------------------------------------------

    def _with_codes(self, writes: list[tuple[Path, bytes]]) -> list[tuple[Path, bytes]]:
        """The writes, each booth's or product's main file with its code (`_coded`)."""
        booths = self.content / "booths"
        done = []
        for target, data in writes:
            kind = None
            if target.suffix == ".md" and self._split_name(target.name)[0] == "index" and \
                    self._split_name(target.name)[1] in (None, self._languages()[0]):
                try:
                    depth = len(target.parent.relative_to(booths).parts)
                except ValueError:
                    depth = 0
                kind = {1: "booth", 2: "product"}.get(depth)
            if kind is not None:
                data = self._coded(target, data, kind)
            done.append((target, data))
        return done

    def _coded(self, target: Path, data: bytes, kind: str) -> bytes:
        """An entry the CMS saves without the code it has on disk keeps that code (its
        form hides the code, so this is a client's slip, never the organiser's wish)."""
        doc = read_markdown(data)
        if not doc.parsed or doc.errors or _has_code(doc.data.get("code")):
            return data
        code = _existing_code(target)
        if code is None:
            return data  # a new entry: `codes.fill` gives it one once it is written
        text = data.decode("utf-8")
        text = re.sub(r"(?m)^code:[ \t]*(?:''|\"\"|~|null)?[ \t]*\n", "", text, count=1)
        text = re.sub(r"\A(---[ \t]*\r?\n)", lambda m: m[1] + f"code: {code}\n", text, count=1)
        return text.encode("utf-8")


def _has_code(value: Any) -> bool:
    return value not in (None, "") and not isinstance(value, bool)


def _existing_code(target: Path) -> str | None:
    """The code the entry has on disk, under whichever name its default file has."""
    for name in ("index.md", target.name):
        if (target.parent / name).is_file():
            doc = read_markdown((target.parent / name).read_bytes())
            if doc.parsed and _has_code(doc.data.get("code")):
                return str(doc.data["code"])
    return None


ACTIONS: dict[str, Callable[[LocalBackend, dict], Any]] = {
    "info": LocalBackend.info,
    "entriesByFolder": LocalBackend.entries_by_folder,
    "entriesByFiles": LocalBackend.entries_by_files,
    "getEntry": LocalBackend.get_entry,
    "persistEntry": LocalBackend.persist_entry,
    "getMedia": LocalBackend.get_media,
    "getMediaFile": LocalBackend.get_media_file,
    "persistMedia": LocalBackend.persist_media,
    "deleteFile": LocalBackend.delete_file,
    "deleteFiles": LocalBackend.delete_files,
    "getDeployPreview": LocalBackend.get_deploy_preview,
}
