"""The documentation stays true to the code: every `make` target and every `manage.py` command
shown in README.md and docs/ exists and accepts the options it is shown with, scripts named
in commands exist, every relative link (and its #anchor) resolves, the README stays short,
and the import-profile examples are the test files themselves.

Everything is read from the Markdown, the Makefile and Django's command registry, never from
the paths of our Python modules, so code can move between apps without touching this file;
a command, option or file that is renamed or removed fails here until the docs follow.
"""

import json
import re
import shlex
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOC_FILES = [README, *sorted((ROOT / "docs").rglob("*.md"))]
PROFILE_EXAMPLES = ROOT / "docs" / "staff" / "import-profiles.md"
PROFILE_FILES = ROOT / "tests" / "data" / "profiles"
README_MAX_LINES = 300

FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"(`+)(.+?)\1")
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
ENV_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
# What ends a command's arguments: redirections and shell comments.
ARGUMENTS_END = re.compile(r"^(>|>>|\d>|\d>&\d|<|#)")
PYTHONS = {"python", "python3", ".venv/bin/python", "$(PY)"}


@dataclass(frozen=True)
class Code:
    """A piece of code in a documentation file: a line of a code block or an inline span."""

    path: Path
    text: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}: {self.text}"


@dataclass
class Doc:
    path: Path
    code: list[str]  # code block lines and inline code spans
    prose: list[str]  # paragraphs outside code, inline code removed
    headings: list[str]


def read_doc(path: Path) -> Doc:
    """Splits a Markdown file into its code and its prose. Indented code blocks count as code
    when they follow a blank line or another code line (list continuations never do)."""
    doc = Doc(path, [], [], [])
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            text = " ".join(line.strip() for line in paragraph)
            doc.code.extend(match.group(2).strip() for match in INLINE_CODE.finditer(text))
            doc.prose.append(INLINE_CODE.sub(" ", text))
            paragraph.clear()

    in_fence = False
    previous_blank = True
    previous_code = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            end_paragraph()
            in_fence = not in_fence
            previous_blank, previous_code = False, False
            continue
        if in_fence:
            doc.code.append(line.strip())
            continue
        if not line.strip():
            end_paragraph()
            previous_blank = True
            continue
        indented = len(line) - len(line.lstrip(" ")) >= 4
        if indented and (previous_blank or previous_code):
            end_paragraph()
            doc.code.append(line.strip())
            previous_blank, previous_code = False, True
            continue
        heading = HEADING.match(line)
        if heading:
            end_paragraph()
            doc.headings.append(heading.group(2))
        paragraph.append(line)
        previous_blank, previous_code = False, False
    end_paragraph()
    return doc


DOCS = [read_doc(path) for path in DOC_FILES]


def code_pieces() -> list[Code]:
    return [Code(doc.path, text) for doc in DOCS for text in doc.code]


def unbracket(text: str) -> str:
    """`[--release-at TIME | --staged]` -> ` --release-at TIME   --staged `: a usage line's
    optional parts are all checked, and its `|` is no pipe."""
    inner = re.compile(r"\[([^\[\]]*)\]")
    while inner.search(text):
        text = inner.sub(lambda match: " " + match.group(1).replace("|", " ") + " ", text)
    return text


def simple_commands(text: str) -> list[list[str]]:
    """The simple commands of a shell line, as words, without leading VAR=value words and
    without redirections."""
    commands = []
    for part in re.split(r"&&|\|\||;|\|", unbracket(text)):
        try:
            words = shlex.split(part, comments=True)
        except ValueError:  # an unbalanced quote in prose-like code: split plainly
            words = part.split()
        while words and ENV_ASSIGNMENT.match(words[0]):
            words.pop(0)
        for index, word in enumerate(words):
            if ARGUMENTS_END.match(word):
                words = words[:index]
                break
        if words:
            commands.append(words)
    return commands


def options(words: list[str]) -> list[str]:
    """The option names among a command's words (`--name=value` -> `--name`)."""
    return [word.split("=", 1)[0] for word in words if re.match(r"^--?[A-Za-z]", word)]


@dataclass(frozen=True)
class Invocation:
    where: Code
    kind: str  # "make", "manage" or "script"
    name: str  # make target, command name or script path
    words: tuple[str, ...]  # the rest of the command

    def __str__(self) -> str:
        return f"{self.where.path.relative_to(ROOT)}: {self.kind} {self.name}"


def invocations() -> list[Invocation]:
    found = []
    for code in code_pieces():
        for words in simple_commands(code.text):
            program, rest = words[0], words[1:]
            if program == "make":
                targets = [word for word in rest if "=" not in word and not word.startswith("-")]
                for target in targets:
                    found.append(Invocation(code, "make", target, tuple(rest)))
                continue
            if program in PYTHONS and rest and rest[0].endswith("manage.py"):
                program, rest = rest[0], rest[1:]
            if program.endswith("manage.py"):
                if rest:
                    found.append(Invocation(code, "manage", rest[0], tuple(rest[1:])))
                continue
            if program in PYTHONS | {"node"} and rest and re.search(r"\.(py|mjs)$", rest[0]):
                found.append(Invocation(code, "script", rest[0], tuple(rest[1:])))
            elif program == "gunicorn" and "-c" in rest[:-1]:
                found.append(Invocation(code, "script", rest[rest.index("-c") + 1], ()))
    return found


INVOCATIONS = invocations()


def of_kind(kind: str) -> list[Invocation]:
    return [invocation for invocation in INVOCATIONS if invocation.kind == kind]


def makefile_targets(text: str) -> set[str]:
    """Rule targets of the Makefile, both branches of any conditional."""
    targets = set()
    for line in text.splitlines():
        match = re.match(r"^([^\s#=:][^=:]*?)\s*::?(?!=)", line)
        if match:
            targets.update(
                word for word in match.group(1).split() if not word.startswith((".", "$"))
            )
    return targets


MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def test_the_docs_show_the_main_commands():
    """Guards the extraction itself: if it found nothing, every other test would pass."""
    readme_make = {i.name for i in of_kind("make") if i.where.path == README}
    assert {"run", "test", "serve", "bench"} <= readme_make
    assert len({i.name for i in of_kind("manage")}) >= 10


@pytest.mark.parametrize("invocation", of_kind("make"), ids=str)
def test_make_target_exists(invocation):
    assert invocation.name in makefile_targets(MAKEFILE), (
        f"{invocation.where}: `make {invocation.name}` is not a target of the Makefile"
    )
    for word in invocation.words:
        if "=" in word:
            variable = word.split("=", 1)[0]
            assert re.search(rf"\b{re.escape(variable)}\b", MAKEFILE), (
                f"{invocation.where}: the Makefile never reads {variable}"
            )


@pytest.mark.parametrize("invocation", of_kind("manage"), ids=str)
def test_management_command_exists_with_its_options(invocation):
    commands = get_commands()
    assert invocation.name in commands, (
        f"{invocation.where}: `manage.py {invocation.name}` is not a management command"
    )
    command = load_command_class(commands[invocation.name], invocation.name)
    help_text = command.create_parser("manage.py", invocation.name).format_help()
    for option in options(list(invocation.words)):
        assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", help_text), (
            f"{invocation.where}: `manage.py {invocation.name}` has no option {option}"
        )


@pytest.mark.parametrize("invocation", of_kind("script"), ids=str)
def test_script_exists_with_its_options(invocation):
    script = ROOT / invocation.name
    assert script.is_file(), f"{invocation.where}: there is no {invocation.name}"
    source = script.read_text(encoding="utf-8")
    for option in options(list(invocation.words)):
        assert option in source, f"{invocation.where}: {invocation.name} never reads {option}"


def test_readme_is_short():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, (
        f"README.md has {len(lines)} lines; keep it within {README_MAX_LINES} and move "
        "details to docs/"
    )


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower()
    kept = "".join(
        char
        for char in text
        if char in " -_" or unicodedata.category(char)[0] in "LN"  # letters and numbers
    )
    return kept.replace(" ", "-")


def anchors(doc: Doc) -> set[str]:
    seen: dict[str, int] = {}
    result = set()
    for heading in doc.headings:
        base = slug(INLINE_CODE.sub(lambda match: match.group(2), heading))
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


DOCS_BY_PATH = {doc.path.resolve(): doc for doc in DOCS}


def relative_links() -> list[tuple[Doc, str]]:
    links = []
    for doc in DOCS:
        for paragraph in doc.prose:
            for target in LINK.findall(paragraph):
                if not re.match(r"^[a-z][a-z0-9+.-]*:", target):  # not http:, mailto:, ...
                    links.append((doc, target))
    return links


@pytest.mark.parametrize(
    "doc, target",
    relative_links(),
    ids=lambda value: value if isinstance(value, str) else str(value.path.relative_to(ROOT)),
)
def test_relative_link_resolves(doc, target):
    path_part, _, anchor = target.partition("#")
    linked = (doc.path.parent / path_part).resolve() if path_part else doc.path.resolve()
    where = doc.path.relative_to(ROOT)
    assert linked.exists(), f"{where}: the link {target} leads to no file"
    if anchor and linked.suffix == ".md":
        linked_doc = DOCS_BY_PATH.get(linked) or read_doc(linked)
        assert anchor in anchors(linked_doc), f"{where}: {target} names no heading there"


def test_every_doc_is_reachable_from_the_readme():
    """A page nobody links to is a page nobody reads."""
    reached = {README.resolve()}
    todo = [README.resolve()]
    while todo:
        doc = DOCS_BY_PATH[todo.pop()]
        for paragraph in doc.prose:
            for target in LINK.findall(paragraph):
                path_part = target.partition("#")[0]
                if path_part and not re.match(r"^[a-z][a-z0-9+.-]*:", path_part):
                    linked = (doc.path.parent / path_part).resolve()
                    if linked in DOCS_BY_PATH and linked not in reached:
                        reached.add(linked)
                        todo.append(linked)
    unreached = sorted(str(path.relative_to(ROOT)) for path in set(DOCS_BY_PATH) - reached)
    assert not unreached


def profile_examples() -> list[tuple[str, str, str]]:
    """(file name, block language, block text) of each fenced block in the import-profile
    examples whose introducing line names a file of tests/data/profiles/."""
    examples = []
    lines = PROFILE_EXAMPLES.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = re.match(r"^```(\w*)\s*$", lines[index])
        if not opening:
            index += 1
            continue
        end = lines.index("```", index + 1)
        introduction = next((line for line in reversed(lines[:index]) if line.strip()), "")
        names = [
            name
            for name in re.findall(r"`([\w.-]+\.(?:csv|tsv|json))`", introduction)
            if (PROFILE_FILES / name).is_file()
        ]
        if names:
            block = "\n".join(lines[index + 1 : end]) + "\n"
            examples.append((names[-1], opening.group(1), block))
        index = end + 1
    return examples


PROFILE_EXAMPLE_BLOCKS = profile_examples()


def test_the_profile_examples_are_found():
    names = {name for name, _language, _block in PROFILE_EXAMPLE_BLOCKS}
    profiles = {path.name for path in PROFILE_FILES.glob("*.json")}
    assert profiles <= names, f"profiles without an example: {sorted(profiles - names)}"


@pytest.mark.parametrize(
    "name, language, block", PROFILE_EXAMPLE_BLOCKS, ids=[e[0] for e in PROFILE_EXAMPLE_BLOCKS]
)
def test_profile_example_is_the_test_file(name, language, block):
    data = (PROFILE_FILES / name).read_bytes()
    if name.endswith(".json"):
        assert json.loads(block) == json.loads(data.decode("utf-8"))
        return
    readings = set()
    for encoding in ("utf-8-sig", "windows-1250", "windows-1251"):
        try:
            readings.add(data.decode(encoding).replace("\r\n", "\n"))
        except UnicodeDecodeError:
            continue
    assert block in readings, f"the example of {name} differs from the file"
