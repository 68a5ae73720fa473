"""Reading content files: text decoding, front matter, and YAML that remembers lines.

Every mapping and list that comes out of here knows the line of each of its keys, so
that the validator can point an organiser at `booths/x/index.md:7` rather than at
"somewhere in the file".
"""

from __future__ import annotations

import hashlib
import io
import pickle
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from showcase.files import write_atomic
from showcase.messages import N_


class LineDict(dict):
    """A dict from YAML that knows its own line and the line of every key."""

    line: int = 0
    lines: dict[Any, int]


class LineList(list):
    """A list from YAML that knows its own line and the line of every item."""

    line: int = 0
    lines: list[int]


@dataclass(frozen=True)
class SourceError:
    """Why a file could not be read at all, with the line where reading stopped."""

    line: int | None
    message: str
    field: str = ""  # the dotted key, when the problem is one value


class _BadValue(yaml.constructor.ConstructorError):
    """A value YAML parsed but could not turn into data; knows the keys leading to it."""

    def __init__(self, message: str, mark, field: str):
        super().__init__(None, None, message, mark)
        self.field = field


@dataclass
class Document:
    """A parsed content file: front matter (or a whole YAML file) and a Markdown body."""

    data: LineDict
    body: str
    body_line: int
    errors: list[SourceError]
    # False when the file could not be parsed at all: validating its (empty) fields
    # would only bury the real problem under "is required" messages.
    parsed: bool = True


# libyaml's parser is several times faster than PyYAML's pure-Python one and keeps
# marks on nodes too; fall back to the pure one where PyYAML was built without it.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# An alias repeats a whole subtree; a document that expands to more nodes than this is
# an alias bomb ("billion laughs"), not content.
MAX_EXPANDED_NODES = 100_000


class _Loader(_Base):
    """A safe loader that records lines, reports duplicate keys, and refuses alias bombs."""

    def __init__(self, stream: str, first_line: int):
        super().__init__(stream)
        self.first_line = first_line
        self.duplicates: list[SourceError] = []
        self.path: list[str | int] = []  # the keys and indexes down to the node in hand

    def get_single_node(self):
        node = super().get_single_node()
        if node is not None and _expanded_size(node) > MAX_EXPANDED_NODES:
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) expand this document beyond any real content; "
                "write the values out instead", node.start_mark)
        return node

    def line_of(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.first_line

    def field(self, *more: str | int) -> str:
        """The dotted name the validator would give this place: `price.from`, `images[0]`."""
        return "".join(f"[{part}]" if isinstance(part, int) else f".{part}"
                       for part in [*self.path, *more]).lstrip(".")

    def construct_child(self, node: yaml.Node, name: str | int):
        self.path.append(name)
        try:
            return self.construct_object(node, deep=True)
        finally:
            self.path.pop()

    def construct_object(self, node: yaml.Node, deep: bool = False):
        # PyYAML's own constructors raise plain Python errors for values that look
        # right but are not (2019-02-30, `!!int abc`, `!!bool maybe`); give them the
        # node's line like any other YAML error.
        try:
            return super().construct_object(node, deep)
        except Exception as exc:  # noqa: BLE001 - whatever a constructor raises is a bad value
            if isinstance(exc, (yaml.YAMLError, RecursionError)):
                raise
            raise _BadValue(_bad_value(node, exc), node.start_mark, self.field()) from None

    def construct_yaml_map(self, node: yaml.MappingNode):
        data = LineDict()
        data.line = self.line_of(node)
        data.lines = {}
        yield data
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                key = str(key)
            if key in data.lines:
                self.duplicates.append(SourceError(
                    self.line_of(key_node),
                    N_("duplicate key '{key}' (first on line {first}); keep one",
                       key=key, first=data.lines[key]),
                    self.field(str(key))))
                continue
            data[key] = self.construct_child(value_node, str(key))
            data.lines[key] = self.line_of(key_node)

    def construct_yaml_seq(self, node: yaml.SequenceNode):
        data = LineList()
        data.line = self.line_of(node)
        data.lines = [self.line_of(child) for child in node.value]
        yield data
        data.extend(self.construct_child(child, index) for index, child in enumerate(node.value))


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the document has with every alias expanded, counting up to a cap."""
    count, stack = 0, [root]
    while stack and count <= MAX_EXPANDED_NODES:
        node = stack.pop()
        count += 1
        if isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return count


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_yaml_seq)


def parse_yaml(text: str, first_line: int = 1) -> tuple[Any, list[SourceError]]:
    """Parse YAML text whose first line is line `first_line` of its file."""
    loader = _Loader(text, first_line)
    try:
        data = loader.get_single_data()
    except _BadValue as exc:
        return None, [SourceError(exc.problem_mark.line + first_line, exc.problem, exc.field)]
    except yaml.MarkedYAMLError as exc:
        mark, reason = _where_and_why(exc, text)
        line = mark.line + first_line if mark else None
        return None, [SourceError(line, N_("YAML syntax: {reason}", reason=reason))]
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + first_line
        return None, [SourceError(line, N_("holds the control character #x{character}, "
                                           "which text files do not; delete it (it may be "
                                           "invisible in your editor)",
                                           character=f"{exc.character:04x}"))]
    except yaml.YAMLError as exc:
        return None, [SourceError(None, N_("YAML syntax: {reason}", reason=str(exc)))]
    except RecursionError:
        return None, [SourceError(first_line, N_("YAML syntax: lists or mappings nested too "
                                                 "deeply to be content; flatten them"))]
    finally:
        loader.dispose()
    return data, loader.duplicates


# `key:value` with no space after the colon: YAML reads it as text, not as a field.
_NO_SPACE = re.compile(r"^\s*(?:- )?([A-Za-z_][\w-]*):(?![\s/])(.+)$")


def _where_and_why(exc: yaml.MarkedYAMLError, text: str):
    """The mark where the mistake starts, and what it is with what to do about it.

    YAML stops where it can no longer go on, often lines after the cause: an unclosed
    quote or bracket at the end of the file, a key without its space on the next line.
    The commonest mistakes are recognised and pointed at where they were made."""
    mark = exc.problem_mark or exc.context_mark
    reason = exc.problem or exc.context or "not valid YAML"
    at = _line(text, mark.line) if mark else ""
    opened = exc.context_mark
    if exc.context == "while scanning a quoted scalar" and opened:
        return opened, N_("a quoted value starts here and is never closed; end it with the "
                          "same quote")
    if exc.context in ("while parsing a flow sequence", "while parsing a flow mapping") \
            and opened:
        start, end = ("[", "]") if "sequence" in exc.context else ("{", "}")
        if opened.line != mark.line:
            return opened, N_("a '{start}' opened here is never closed; close it with "
                              "'{end}' on this line", start=start, end=end)
        return mark, N_("the '{start} … {end}' on this line cannot be read; put quotes "
                        "around a value that holds ':', ',' or brackets", start=start, end=end)
    if exc.context == "while scanning a simple key" and opened:
        missing = _NO_SPACE.match(_line(text, opened.line))
        if missing:
            return opened, _no_space(missing)
        return opened, N_("this line is not 'key: value'; add ': ' after the key, or indent "
                          "it under the key it belongs to")
    if "tab character" in reason or "\t" in at:
        if at[:len(at) - len(at.lstrip())].count("\t"):
            return mark, N_("a tab indents this line; YAML indents with spaces, not tabs: "
                            "replace the tab with spaces")
        return mark, N_("{reason} (YAML indents with spaces, not tabs)", reason=reason)
    if reason == "but found another document":
        return mark, N_("a line '---' starts a second document; remove it, or quote a value "
                        "that is just '---'")
    if mark and "mapping values are not allowed" in reason:
        before = _NO_SPACE.match(_line(text, mark.line - 1))
        if before and ": " not in before[2]:  # `price:75000` above made this line its key
            return _line_mark(mark, mark.line - 1), _no_space(before)
        key, colon, value = at[:mark.column].partition(": ")
        if colon and value.strip():
            key = key.strip().removeprefix("- ")
            value = at[at.index(": ") + 2:].strip().replace('"', '\\"')
            return mark, N_("a ': ' inside a value makes YAML read another key; put the "
                            'value in quotes: {key}: "{value}"', key=key, value=value)
        return mark, _INDENT
    if mark and reason == "did not find expected key":
        return mark, _INDENT
    return mark, _library_reason(reason)


def _reason_pattern(template: str) -> re.Pattern:
    """`template` as a pattern that reads its values back out of PyYAML's text: its
    words as they are, each `{name}` a group."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(f"(?P<{part}>.+)" if i % 2 else re.escape(part)
                              for i, part in enumerate(parts)))


# PyYAML's own words for what it could not read (libyaml's, mostly, and its pure-Python
# parser's), marked for translation: the rarer mistakes are reported as PyYAML words them.
_LIBRARY_REASONS = tuple((_reason_pattern(template), template) for template in (
    N_("found character that cannot start any token"),
    N_("found unknown escape character"),
    N_("found undefined alias"),
    N_("block sequence entries are not allowed in this context"),
    N_("mapping values are not allowed in this context"),
    N_("found unexpected end of stream"),
    N_("could not find expected ':'"),
    N_("found unexpected ':'"),
    N_("did not find expected {what}"),
    N_("expected {expected}, but found {found}"),
    N_("found character {character} that cannot start any token"),
    N_("found undefined alias {name}"),
    N_("found unknown escape character {character}"),
    N_("found duplicate anchor {name}; first occurrence"),
))


def _library_reason(reason: str) -> str:
    """PyYAML's reason, marked for translation when it is one of those above."""
    for pattern, template in _LIBRARY_REASONS:
        found = pattern.fullmatch(reason)
        if found:
            return N_(template, **found.groupdict())
    return reason


_INDENT = N_("this line is indented differently from the lines around it; start it under "
             "the other keys of its mapping, with the same number of spaces")


def _no_space(match: re.Match) -> str:
    return N_("'{key}:{value}' needs a space after the colon; write {key}: {value}",
              key=match[1], value=match[2].strip())


def _line_mark(mark, index: int):
    """A mark at the start of line `index`, for a cause found on another line."""
    return yaml.Mark(mark.name, 0, index, 0, None, None)


def _line(text: str, index: int) -> str:
    lines = text.split("\n")
    return lines[index] if 0 <= index < len(lines) else ""


def _bad_value(node: yaml.Node, exc: Exception) -> str:
    value = node.value if isinstance(node, yaml.ScalarNode) else None
    if value is not None and node.tag == "tag:yaml.org,2002:timestamp":
        if type(exc) is ValueError:
            return N_("'{value}' is not a real date ({why}); write it like 2019-03-26",
                      value=value, why=str(exc))
        return N_("'{value}' is not a real date; write it like 2019-03-26", value=value)
    shown = f"'{value}'" if value is not None else N_("this value")
    tag = node.tag.rsplit(":", 1)[-1]
    return N_("{shown} cannot be read as {tag}; write it plainly, without a '!!' tag",
              shown=shown, tag=tag)


def decode(raw: bytes) -> tuple[str, SourceError | None]:
    """Decode UTF-8 (with or without BOM, any line endings) or say where it is not."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return "", SourceError(line, N_("file is not UTF-8 text; save it as UTF-8 in your "
                                        "editor"))
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def _as_mapping(data: Any, line: int, errors: list[SourceError], what: str) -> LineDict:
    if data is None:
        empty = LineDict()
        empty.line, empty.lines = line, {}
        return empty
    if not isinstance(data, LineDict):
        missing = _NO_SPACE.match(data) if isinstance(data, str) else None
        errors.append(SourceError(line, N_("YAML syntax: {reason}", reason=_no_space(missing))
                                  if missing else
                                  N_("{what} must be a mapping of 'key: value' lines", what=what)))
        return _as_mapping(None, line, errors, what)
    return data


def unreadable(error: SourceError, body: str = "") -> Document:
    """A document that could not be parsed: no fields, and the reason."""
    return Document(_as_mapping(None, 1, [], ""), body, 1, [error], parsed=False)


NO_FRONT_MATTER = N_("front matter missing: start the file with a line '---', the fields, "
                     "then another '---'")


def body_only(doc: Document) -> Document:
    """A Markdown file that is only text, read as a translation may be: no fields, all
    body. The browser editor writes a translation with no fields to set that way."""
    if doc.parsed or [e.message for e in doc.errors] != [NO_FRONT_MATTER]:
        return doc
    return Document(_as_mapping(None, 1, [], ""), doc.body, 1, [])


def read_markdown(raw: bytes) -> Document:
    """Split `---` front matter from the Markdown body and parse it."""
    text, error = decode(raw)
    if error:
        return unreadable(error)
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return unreadable(SourceError(1, NO_FRONT_MATTER), text)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    except StopIteration:
        return unreadable(SourceError(1, N_("front matter is not closed: add a line '---' "
                                            "after the fields")))
    data, errors = parse_yaml("\n".join(lines[1:end]), first_line=2)
    parsed = data is not None or not errors
    mapping = _as_mapping(data, 1, errors, N_("front matter"))
    return Document(mapping, "\n".join(lines[end + 1:]), end + 2, errors, parsed)


def read_yaml(raw: bytes) -> Document:
    """A whole-YAML entry (`index.yaml`, `site.yaml`); the body is empty."""
    text, error = decode(raw)
    if error:
        return unreadable(error)
    data, errors = parse_yaml(text)
    parsed = data is not None or not errors
    return Document(_as_mapping(data, 1, errors, N_("the file")), "", 1, errors, parsed)


def read(path: Path, cache: ParseCache | None = None) -> Document:
    try:
        raw = path.read_bytes()
    except OSError as exc:  # no permission, a folder named index.md, a vanished file
        return unreadable(SourceError(None, N_("cannot be read ({reason}); check that it is "
                                               "a plain file you can open",
                                               reason=str(exc.strerror or exc))))
    kind = "yaml" if path.suffix in (".yaml", ".yml") else "markdown"
    parse = read_yaml if kind == "yaml" else read_markdown
    return cache.parse(kind, raw, parse) if cache is not None else parse(raw)


class ParseCache:
    """Parsed files by the SHA-256 of their bytes, kept between builds in one file.

    Parsing YAML with lines is most of loading a large site, and an edit changes a file
    or two. Entries no build read are dropped on `save`, so the file follows the site.
    The file is a pickle read back through an allow-list of the few classes a
    `Document` holds, so a tampered cache cannot run code; it is tied to this module's
    own source and PyYAML's version, so a changed parser never serves old results.
    """

    def __init__(self, path: Path | None):
        self.path = path
        self.entries: dict[bytes, Document] = {}
        self.used: dict[bytes, Document] = {}
        if path is not None:
            try:
                stored = _SafeUnpickler(io.BytesIO(path.read_bytes())).load()
                if stored[0] == _PARSER_VERSION:
                    self.entries = stored[1]
            except Exception:  # missing, damaged or from another version: parse again
                self.entries = {}

    def parse(self, kind: str, raw: bytes, parse: Callable[[bytes], Document]) -> Document:
        key = hashlib.sha256(kind.encode() + b"\0" + raw).digest()
        doc = self.entries.get(key)
        if doc is None:
            doc = parse(raw)
        self.used[key] = doc
        return doc

    def save(self) -> None:
        if self.path is None or self.used.keys() == self.entries.keys():
            return
        write_atomic(self.path, pickle.dumps((_PARSER_VERSION, self.used), protocol=5),
                     durable=False)  # a damaged cache is parsed again


_PARSER_VERSION = hashlib.sha256(Path(__file__).read_bytes() + yaml.__version__.encode()).hexdigest()


class _SafeUnpickler(pickle.Unpickler):
    """Only the classes parsed content is made of (the pattern the pickle docs give)."""

    ALLOWED = {(__name__, name) for name in ("Document", "LineDict", "LineList",
                                                      "SourceError")} | {
        ("showcase.messages", "Text")} | {
        ("datetime", name) for name in ("date", "datetime", "timedelta", "timezone")}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the parse cache")
        return super().find_class(module, name)


def dotted_lines(data: Any, prefix: str = "") -> dict[str, int]:
    """The line of every key at any depth, by its dotted name (`contact.whatsapp`), so
    that a message about a nested value points at the value's own line."""
    if not isinstance(data, LineDict):
        return {}
    found: dict[str, int] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        found[name] = data.lines[key]
        found.update(dotted_lines(value, f"{name}."))
    return found
