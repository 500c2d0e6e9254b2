"""The repository URL is set in one place, `repository.url` in _config.yml; no other file names another.

The launch buttons, the reader notebooks' install cell and the "edit" links are made from it; the
README's badges and links and CITATION.cff are written by hand, so this test compares them (and
every notebook and page) with it. A fork changes that one line, runs `make book`, and this test
lists whatever still points at the old repository.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from conftest import REPO

#: How a file can name a repository: a GitHub address, a Binder or a Colab launch, a pip install.
REPOSITORY_MENTION = re.compile(
    r"(?:https?://github\.com/|mybinder\.org/v2/gh/|colab\.research\.google\.com/github/)"
    r"(?P<repo>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?(?=[/?#@\"'\s)\]>]|$)")
#: Other repositories named on purpose: the educators' guide shows how a fork changes the address.
OTHER_PROJECTS = {"your-name/mbcbook"}


def configured_repository(root: Path = REPO) -> str:
    """'owner/name' of ``repository.url`` in ``_config.yml``."""
    url = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]
    return url.rstrip("/").removeprefix("https://github.com/")


def places(root: Path = REPO) -> list[Path]:
    """Every file a reader or a launcher reads a repository address from."""
    fixed = [root / name for name in ("README.md", "CITATION.cff", "pyproject.toml", "data/README.md")]
    return [p for p in fixed if p.is_file()] + sorted(
        p for folder in ("book", "notebooks") for pattern in ("**/*.ipynb", "**/*.md")
        for p in (root / folder).glob(pattern) if ".ipynb_checkpoints" not in p.parts)


def disagreements(root: Path = REPO) -> list[str]:
    """'file:line: owner/name' for every mention of a repository other than the configured one."""
    expected = configured_repository(root)
    found = []
    for path in places(root):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in REPOSITORY_MENTION.finditer(line):
                if match.group("repo") not in ({expected} | OTHER_PROJECTS):
                    found.append(f"{path.relative_to(root)}:{number}: {match.group('repo')}")
    return found


def test_every_file_names_the_configured_repository():
    assert not disagreements(), (f"these places name another repository than _config.yml's "
                                 f"{configured_repository()}:\n" + "\n".join(disagreements()))


def test_the_readme_and_the_reader_notebooks_do_name_it():
    expected = configured_repository()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"mybinder.org/v2/gh/{expected}/" in readme and f"colab.research.google.com/github/{expected}/" in readme
    for notebook in sorted((REPO / "notebooks").glob("*.ipynb")):
        assert f"git+https://github.com/{expected}@" in notebook.read_text(encoding="utf-8"), notebook.name


def test_a_place_that_disagrees_is_listed(tmp_path):
    (tmp_path / "_config.yml").write_text("repository:\n  url: https://github.com/someone/fork\n")
    (tmp_path / "book").mkdir()
    (tmp_path / "README.md").write_text("[![Binder](https://mybinder.org/badge_logo.svg)]"
                                        "(https://mybinder.org/v2/gh/someone/fork/main?urlpath=lab)\n")
    (tmp_path / "book" / "01.ipynb").write_text('{"source": ["%pip install \\"mbcbook @ '
                                                'git+https://github.com/mbcbook/mbcbook@main\\""]}')
    (tmp_path / "CITATION.cff").write_text("repository-code: https://github.com/mbcbook/mbcbook.git\n")
    assert disagreements(tmp_path) == ["CITATION.cff:1: mbcbook/mbcbook", "book/01.ipynb:1: mbcbook/mbcbook"]
