"""Reading content files: text decoding, front matter, and YAML that remembers lines.

Every mapping and list that comes out of here knows the line of each of its keys, so
that the validator can point an organiser at `booths/x/index.md:7` rather than at
"somewhere in the file".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


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

    def get_single_node(self):
        node = super().get_single_node()
        if node is not None and _expanded_size(node) > MAX_EXPANDED_NODES:
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) expand this document beyond any real content; "
                "write the values out instead", node.start_mark)
        return node

    def line_of(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.first_line

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
                    f"duplicate key '{key}' (first on line {data.lines[key]}); keep one"))
                continue
            data[key] = self.construct_object(value_node, deep=True)
            data.lines[key] = self.line_of(key_node)

    def construct_yaml_seq(self, node: yaml.SequenceNode):
        data = LineList()
        data.line = self.line_of(node)
        data.lines = [self.line_of(child) for child in node.value]
        yield data
        data.extend(self.construct_object(child, deep=True) for child in node.value)


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
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        reason = exc.problem or exc.context or "not valid YAML"
        if "\t" in text and "\\t" in reason or "tab" in (reason or ""):
            reason += " (YAML indents with spaces, not tabs)"
        return None, [SourceError(line, f"YAML syntax: {reason}")]
    except yaml.YAMLError as exc:
        return None, [SourceError(None, f"YAML syntax: {exc}")]
    finally:
        loader.dispose()
    return data, loader.duplicates


def decode(raw: bytes) -> tuple[str, SourceError | None]:
    """Decode UTF-8 (with or without BOM, any line endings) or say where it is not."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return "", SourceError(line, "file is not UTF-8 text; save it as UTF-8 in your editor")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def _as_mapping(data: Any, line: int, errors: list[SourceError], what: str) -> LineDict:
    if data is None:
        empty = LineDict()
        empty.line, empty.lines = line, {}
        return empty
    if not isinstance(data, LineDict):
        errors.append(SourceError(line, f"{what} must be a mapping of 'key: value' lines"))
        return _as_mapping(None, line, errors, what)
    return data


def read_markdown(raw: bytes) -> Document:
    """Split `---` front matter from the Markdown body and parse it."""
    text, error = decode(raw)
    if error:
        return Document(_as_mapping(None, 1, [], ""), "", 1, [error], parsed=False)
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        errors = [SourceError(1, "front matter missing: start the file with a line '---', "
                                 "the fields, then another '---'")]
        return Document(_as_mapping(None, 1, [], ""), text, 1, errors, parsed=False)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    except StopIteration:
        errors = [SourceError(1, "front matter is not closed: add a line '---' after the fields")]
        return Document(_as_mapping(None, 1, [], ""), "", 1, errors, parsed=False)
    data, errors = parse_yaml("\n".join(lines[1:end]), first_line=2)
    parsed = data is not None or not errors
    mapping = _as_mapping(data, 1, errors, "front matter")
    return Document(mapping, "\n".join(lines[end + 1:]), end + 2, errors, parsed)


def read_yaml(raw: bytes) -> Document:
    """A whole-YAML entry (`index.yaml`, `site.yaml`); the body is empty."""
    text, error = decode(raw)
    if error:
        return Document(_as_mapping(None, 1, [], ""), "", 1, [error], parsed=False)
    data, errors = parse_yaml(text)
    parsed = data is not None or not errors
    return Document(_as_mapping(data, 1, errors, "the file"), "", 1, errors, parsed)


def read(path: Path) -> Document:
    raw = path.read_bytes()
    return read_yaml(raw) if path.suffix in (".yaml", ".yml") else read_markdown(raw)
