"""Starting a hub and writing records from templates: `hubgen init` and `hubgen new`.

The files live beside this module as package data: `hub/` is the repository
`hubgen init` writes (names starting `dot-` become dot files, which package
data globs would skip), `records/` the templates `hubgen new` fills in.
Templates use `__NAME__` tokens rather than Jinja, because the GitHub
workflow is full of `${{ … }}`.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import yaml

from hubgen import __version__, schema
from hubgen.analysis.health import PLACEHOLDER  # text left for the author to replace; Health counts it
from hubgen.clock import build_date
from hubgen.problems import ScaffoldError
from hubgen.scaffold.install import requirement
from hubgen.schema.reference import NEW_KINDS, SCHEMA_DIR, SCHEMA_GLOBS, schema_files

HERE = Path(__file__).parent
HUB_TEMPLATE = HERE / "hub"
RECORD_TEMPLATES = HERE / "records"
# A folder holding only these counts as empty for `hubgen init` (after `git init`).
IGNORED_IN_EMPTY = {".git"}


def yaml_scalar(text: str) -> str:
    """`text` as a YAML scalar that reads back as the same text."""
    plain = text.strip() == text and "\n" not in text and ": " not in text and " #" not in text
    try:
        if plain and text and yaml.safe_load(text) == text and not text.startswith(("#", "&", "*", "!", "[", "{")):
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(f"__{key}__", value)
    return text


def _target_name(rel: Path) -> Path:
    return Path(*("." + part[4:] if part.startswith("dot-") else part for part in rel.parts))


def vscode_settings(schema_dir: str = SCHEMA_DIR) -> str:
    """`.vscode/settings.json`: the YAML extension validates each record against its JSON Schema."""
    mapping = {f"./{schema_dir}/{kind}.json": globs for kind, globs in SCHEMA_GLOBS.items()}
    return json.dumps({"yaml.schemas": mapping}, indent=2) + "\n"


def write_schemas(out: Path) -> list[Path]:
    """Write every record kind's JSON Schema as `<kind>.json` in `out`; unchanged files are left alone."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_files().items():
        path = out / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def default_name(target: Path) -> str:
    words = target.resolve().name.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else "Data science hub"


def init_hub(target: Path, name: str | None = None) -> list[Path]:
    """Write a ready hub repository into `target` (missing or empty); the paths written."""
    if target.exists():
        if not target.is_dir():
            raise ScaffoldError(f"{target}: exists and is not a folder")
        found = sorted(p.name for p in target.iterdir() if p.name not in IGNORED_IN_EMPTY)
        if found:
            shown = ", ".join(found[:5]) + (", …" if len(found) > 5 else "")
            raise ScaffoldError(
                f"{target} is not empty ({shown}); hubgen init writes a new hub into an empty "
                "folder and never overwrites: choose a new folder"
            )
    name = name or default_name(target)
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for source in sorted(HUB_TEMPLATE.rglob("*")):
        if source.is_dir() or "__pycache__" in source.parts:
            continue
        rel = _target_name(source.relative_to(HUB_TEMPLATE))
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8")
        in_yaml = source.suffix in (".yml", ".yaml")
        text = _fill(
            text,
            {"HUB_NAME": yaml_scalar(name) if in_yaml else name, "VERSION": __version__, "REQUIREMENT": requirement()},
        )
        path.write_text(text, encoding="utf-8")
        written.append(path)
    written += write_schemas(target / SCHEMA_DIR)
    settings = target / ".vscode" / "settings.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(vscode_settings(), encoding="utf-8")
    written.append(settings)
    return written


# ── hubgen new ────────────────────────────────────────────────────────────


def _people(root: Path) -> dict[str, dict]:
    """Handle → parsed person file (empty dict when unreadable)."""
    out: dict[str, dict] = {}
    folder = root / "content" / "people"
    if not folder.is_dir():
        return out
    for path in sorted(folder.iterdir()):
        if path.suffix in (".yml", ".yaml") and not path.name.startswith("."):
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                data = None
            out[path.stem] = data if isinstance(data, dict) else {}
    return out


def _git_email(root: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "config", "user.email"], capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip().lower() or None


def resolve_author(root: Path, by: str | None, people: dict[str, dict]) -> str:
    """The handle to credit: --by, else the person whose email is git's user.email, else the only person."""
    if by:
        handle = by.strip().removeprefix("@")
        if handle not in people:
            raise ScaffoldError(f"--by {by}: no content/people/{handle}.yml (add it with 'hubgen new person {handle}')")
        return handle
    email = _git_email(root)
    if email:
        for handle, data in people.items():
            if str(data.get("email") or "").strip().lower() == email:
                return handle
    current = [h for h, d in people.items() if not d.get("left")]
    if len(current) == 1:
        return current[0]
    if not people:
        raise ScaffoldError("no one in content/people/ yet: add yourself first with 'hubgen new person <handle>'")
    raise ScaffoldError(
        "who is writing this? pass --by <handle> (your file in content/people/), or set the email "
        "in your person file to your 'git config user.email'"
    )


def _project_exists(root: Path, project: str) -> bool:
    folder = root / "content" / "projects" / project
    return (folder / "project.yml").exists() or (folder / "project.yaml").exists()


def _title_from_id(ident: str, words: bool = False) -> str:
    parts = ident.replace("_", "-").replace(".", "-").split("-")
    text = " ".join(p for p in parts if p)
    return text.title() if words else text.capitalize()


def _schema_ref(root: Path, path: Path, kind: str) -> str:
    return Path(os.path.relpath(root / SCHEMA_DIR / f"{kind}.json", path.parent)).as_posix()


def _render(template: str, root: Path, path: Path, kind: str, values: dict[str, str]) -> str:
    text = (RECORD_TEMPLATES / template).read_text(encoding="utf-8")
    return _fill(text, {"SCHEMA": _schema_ref(root, path, kind), **values})


def _refuse_existing(root: Path, path: Path, what: str) -> None:
    if path.exists():
        rel = path.relative_to(root).as_posix()
        raise ScaffoldError(f"{rel} already exists: not overwritten (edit it, or choose another {what} id)", code=1)


def new_record(  # noqa: C901 (each refusal checked before anything is written, in the order a user fixes them)
    root: Path,
    kind: str,
    ident: str,
    project: str | None = None,
    by: str | None = None,
    title: str | None = None,
    today: date | None = None,
    before_writing: Callable[[], object] | None = None,
) -> list[Path]:
    """Create a record of `kind` from its template; the paths written (schemas/ too if it was missing).

    `before_writing` runs once every refusal has passed, just before the first file is written (`hubgen
    new` looks at the hub as it was then): a refused command changes nothing."""
    if kind not in NEW_KINDS:
        raise ScaffoldError(f"cannot create a '{kind}': use one of {', '.join(NEW_KINDS)}")
    if not schema.ID_RE.match(ident):
        raise ScaffoldError(f"'{ident}' is not a valid id: {schema.ID_HINT}")
    content = root / "content"
    if not content.is_dir():
        raise ScaffoldError(f"{root}: no content/ folder (run 'hubgen init DIR' to start a hub, or pass --repo)")
    if project is not None and kind in ("project", "person"):
        raise ScaffoldError(f"--project applies to null-result and discussion, not to a {kind}")
    if kind == "discussion" and not project:
        raise ScaffoldError("a discussion belongs to a project: pass --project <project-id>")
    if project is not None:
        if not schema.ID_RE.match(project):
            raise ScaffoldError(f"--project {project}: not a valid project id: {schema.ID_HINT}")
        if not _project_exists(root, project):
            raise ScaffoldError(
                f"--project {project}: no content/projects/{project}/project.yml "
                f"(create it with 'hubgen new project {project}')"
            )
    today = today or build_date()
    values = {"ID": ident, "TODAY": today.isoformat()}
    written: list[Path] = []

    if kind == "person":
        path = content / "people" / f"{ident}.yml"
        _refuse_existing(root, path, "person")
        _refuse_existing(root, path.with_suffix(".yaml"), "person")
        values["TITLE"] = yaml_scalar(title or _title_from_id(ident, words=True))
        files = {path: _render("person.yml", root, path, "person", values)}
    else:
        people = _people(root)
        values["BY"] = author = resolve_author(root, by, people)
        values["TITLE"] = yaml_scalar(title or _title_from_id(ident))
        if kind == "project":
            folder = content / "projects" / ident
            path = folder / "project.yml"
            _refuse_existing(root, path, "project")
            _refuse_existing(root, folder / "project.yaml", "project")
            team = people.get(author, {}).get("team")
            values["TEAM"] = yaml_scalar(str(team)) if team else ""
            values["SUMMARY"] = f"{PLACEHOLDER} one paragraph on what the project does and why it matters."
            files = {path: _render("project.yml", root, path, "project", values)}
            lineage = folder / "lineage.yml"
            if not lineage.exists():
                files[lineage] = _render("lineage.yml", root, lineage, "lineage", values)
        elif kind == "null-result":
            for existing in [
                content / "null-results" / f"{ident}.md",
                *sorted(content.glob(f"projects/*/null-results/{ident}.md")),
            ]:
                if existing.exists():
                    raise ScaffoldError(
                        f"{existing.relative_to(root).as_posix()} already exists: not overwritten "
                        "(null-result ids are unique across the hub: choose another id)",
                        code=1,
                    )
            folder = content / "projects" / project / "null-results" if project else content / "null-results"
            path = folder / f"{ident}.md"
            values["HYPOTHESIS"] = f"{PLACEHOLDER} what we expected to happen, and why."
            values["OUTCOME"] = f"{PLACEHOLDER} what we observed instead, with the numbers."
            files = {path: _render("null-result.md", root, path, "null-result", values)}
        else:  # discussion
            path = content / "projects" / str(project) / "discussions" / f"{ident}.md"
            _refuse_existing(root, path, "discussion")
            values["MESSAGE"] = f"{PLACEHOLDER} the options, what you know, and what you propose."
            files = {path: _render("discussion.md", root, path, "discussion", values)}

    if before_writing is not None:
        before_writing()
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:  # never overwrite, even in a race
            handle.write(text)
        written.append(path)
    if not (root / SCHEMA_DIR).is_dir():  # the modeline points there: give editors something to read
        written += write_schemas(root / SCHEMA_DIR)
    return written
