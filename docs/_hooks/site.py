"""MkDocs hook: the pages generated at build time from the code itself.

- **Glossary**: one page per term, from the glossary modules: the definition, what to look
  for, the demo run as ``paradigms glossary show TERM`` runs it (same function, same seed,
  default settings), its figure and finding, its numbers, and the related terms.
- **Examples**: every script under ``examples/`` run in a temporary folder, its output and
  figures captured (a script that fails stops the build); the notebooks rendered.
- **API reference**: one page per package, listing exactly the names in its ``__all__``
  (mkdocstrings renders them); a public name without a docstring is a warning, so
  ``mkdocs build --strict`` fails on it.

Budgets: ``LEARNING_PARADIGMS_DOCS_BUDGET=quick`` (the default) runs the examples on their
quick budgets and shows the notebooks as written; ``full`` runs the examples on their defaults
and executes the notebooks, showing their outputs. Results are cached under
``LEARNING_PARADIGMS_DOCS_CACHE`` (default ``.cache/docs``), keyed by a hash of the code,
so a second build with nothing changed reruns nothing.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import html
import inspect
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.learning_paradigms")

ROOT = Path(__file__).resolve().parents[2]

#: The packages whose ``__all__`` the API reference documents: (module, page name).
PACKAGES = (
    ("paradigms", "paradigms"),
    ("paradigms.supervised", "supervised"),
    ("paradigms.unsupervised", "unsupervised"),
    ("paradigms.reinforcement", "reinforcement"),
    ("paradigms.report", "report"),
    ("paradigms.execution", "execution"),
    ("glossary", "glossary"),
)

#: The example scripts, with the arguments each runs with at build time: (quick, full).
#: ``OUT`` is replaced by the script's own output folder.
EXAMPLES = {
    "supervised_mnist.py": (["--quick", "--out", "OUT"], ["--out", "OUT"]),
    "unsupervised_customers.py": (["--customers", "600", "--out", "OUT"], ["--out", "OUT"]),
    "reinforcement_agent.py": (["--quick", "--out", "OUT"], ["--out", "OUT"]),
    "compare_paradigms.py": (["--seeds", "1", "--out", "OUT"], ["--full", "--seeds", "2", "--out", "OUT"]),
}

NOTEBOOKS = ("lesson.ipynb", "exercises.ipynb", "exercises_teacher.ipynb")

#: The longest an example may run at build time, in seconds.
EXAMPLE_TIMEOUT_S = 900


def budget() -> str:
    value = os.environ.get("LEARNING_PARADIGMS_DOCS_BUDGET", "quick").strip() or "quick"
    if value not in ("quick", "full"):
        raise PluginError(f"LEARNING_PARADIGMS_DOCS_BUDGET={value!r}: write quick or full")
    return value


def cache_dir() -> Path:
    return Path(os.environ.get("LEARNING_PARADIGMS_DOCS_CACHE", ROOT / ".cache" / "docs"))


def code_hash() -> str:
    """A hash of every source file the generated pages depend on, this hook's included: read
    once per build (:func:`generated_pages`), and each cached part keyed by it."""
    digest = hashlib.sha256(Path(__file__).read_bytes())  # this hook writes the pages
    for folder in ("paradigms", "glossary", "examples"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".ipynb") and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(code: str, *extra: str) -> str:
    """The key of one cached part: the code's hash (:func:`code_hash`) with what else it depends on."""
    digest = hashlib.sha256(code.encode())
    for item in extra:
        digest.update(item.encode())
    return digest.hexdigest()[:16]


# -- the hook's entry points -------------------------------------------------------------


def on_config(config):
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("MPLBACKEND", "Agg")
    check_docstrings()
    config["nav"] = [expand_section(entry) for entry in config["nav"] or []]
    return config


def expand_section(entry):
    """The navigation's ``Glossary`` and ``Examples`` entries, opened into their generated pages."""
    if not isinstance(entry, dict) or len(entry) != 1:
        return entry
    (title, target), = entry.items()
    if target == "glossary/index.md":
        from glossary import all_terms

        return {title: [{"All terms": target}, *({t.name: f"glossary/{t.slug}.md"} for t in all_terms())]}
    if target == "examples/index.md":
        pages = [{s: f"examples/{s.removesuffix('.py')}.md"} for s in EXAMPLES]
        pages += [{n: f"examples/{n.removesuffix('.ipynb')}.md"} for n in NOTEBOOKS]
        return {title: [{"All examples": target}, *pages]}
    return entry


def on_files(files: Files, config) -> Files:
    for src_uri, content in generated_pages().items():
        files.append(File.generated(config, src_uri, content=content))
    return files


# -- the public names must have docstrings ------------------------------------------------


def check_docstrings() -> None:
    """Warn (an error under --strict) for every name in an ``__all__`` with no docstring."""
    for problem in undocumented_names():
        log.warning(problem)


def undocumented_names(packages: tuple[tuple[str, str], ...] = PACKAGES) -> list[str]:
    """``"module.NAME is public ... but has no docstring"`` for each such class or function."""
    import importlib

    problems = []
    for module_name, _ in packages:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj) or inspect.ismodule(obj)):
                continue  # a constant: documented by the comment mkdocstrings reads
            doc = obj.__doc__ or ""
            if dataclasses.is_dataclass(obj) and doc.startswith(f"{obj.__name__}("):
                doc = ""  # the signature dataclasses write when there is no docstring
            if not doc.strip():
                problems.append(f"{module_name}.{name} is public (in __all__) but has no docstring")
    return problems


# -- generated pages -----------------------------------------------------------------------


def generated_pages() -> dict[str, str | bytes]:
    pages: dict[str, str | bytes] = {"index.md": front_page()}
    pages.update(reference_pages())
    code = code_hash()  # the sources read once for both cached parts
    pages.update(cached("glossary", glossary_pages, code))
    pages.update(cached("examples-" + budget(), example_pages, code))  # the notebooks included
    return pages


def cached(name: str, make, code: str) -> dict[str, str | bytes]:
    """``make()``'s pages, read back from the cache when the code (``code``, its :func:`code_hash`) has not changed."""
    # Where MNIST is found changes what the demos and examples show (the 8x8 fallback otherwise).
    data = [os.environ.get(v, "") for v in ("LEARNING_PARADIGMS_DATA", "LEARNING_PARADIGMS_OFFLINE", "XDG_CACHE_HOME")]
    folder = cache_dir() / f"{name}-{cache_key(code, name, *data)}"
    index = folder / "pages.json"
    if index.is_file():
        names = json.loads(index.read_text())
        log.info(f"{name}: cached pages from {folder}")
        return {uri: (folder / "files" / uri).read_bytes() for uri in names}
    started = time.perf_counter()
    pages = make()
    log.info(f"{name}: {len(pages)} files generated in {time.perf_counter() - started:.1f} s")
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=_ensure(cache_dir())))
    for uri, content in pages.items():
        path = staging / "files" / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    (staging / "pages.json").write_text(json.dumps(sorted(pages)))
    for old in cache_dir().glob(f"{name}-*"):
        shutil.rmtree(old, ignore_errors=True)
    staging.rename(folder)
    return pages


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def front_page() -> str:
    """README.md is the site's front page: its links into ``docs/`` made relative to it."""
    return (ROOT / "README.md").read_text().replace("](docs/", "](")


# -- API reference ---------------------------------------------------------------------


def reference_pages() -> dict[str, str]:
    import importlib

    pages = {}
    for module_name, page in PACKAGES:
        module = importlib.import_module(module_name)
        entries = []
        for name in module.__all__:
            entries.append(
                f"::: {defined_at(module, name)}\n"
                f"    options:\n"
                f"      show_root_heading: true\n"
                f"      show_root_full_path: false\n"
                f"      heading_level: 2\n"
            )
        names = ", ".join(f"`{n}`" for n in module.__all__)
        pages[f"reference/{page}.md"] = (
            f"# `{module_name}`\n\n"
            f"::: {module_name}\n"
            f"    options:\n"
            f"      show_root_heading: false\n"
            f"      show_root_toc_entry: false\n"
            f"      members: false\n\n"
            f"The public names of `{module_name}`, exactly those its `__all__` lists, each "
            f"imported as `from {module_name} import NAME`: {names}.\n\n" + "\n".join(entries)
        )
    return pages


def defined_at(package, name: str) -> str:
    """The dotted path where ``package.name`` is defined, which griffe can read statically
    (the packages export most names lazily, through a module ``__getattr__``)."""
    obj = getattr(package, name)
    if (inspect.isclass(obj) or inspect.isfunction(obj)) and obj.__module__.startswith(package.__name__.split(".")[0]):
        return f"{obj.__module__}.{obj.__qualname__}"
    prefix = package.__name__ + "."
    homes = sorted(
        (m for m_name, m in list(sys.modules.items()) if m_name.startswith(prefix) and m is not None
         and m_name.rsplit(".", 1)[-1] != "__init__" and m.__dict__.get(name) is obj
         and name in getattr(m, "__annotations__", {}) | vars(m)),
        key=lambda m: m.__name__.count("."),
    )
    for home in sorted(homes, key=lambda m: -_assigns(m, name)):
        return f"{home.__name__}.{name}"
    return f"{package.__name__}.{name}"


def _assigns(module, name: str) -> int:
    """1 where ``module``'s source assigns ``name`` itself (not an import), else 0."""
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError):
        return 0
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return 1
    return 0


# -- glossary ----------------------------------------------------------------------------


def glossary_pages() -> dict[str, str | bytes]:
    import matplotlib.pyplot as plt

    from glossary import all_terms
    from glossary._base import _shown, figure_to_png, format_number
    from glossary.cli import first_sentence, run_demo

    terms = all_terms()
    names = {t.slug: t.name for t in terms}
    pages: dict[str, str | bytes] = {}
    rows = []
    for term in terms:
        started = time.perf_counter()
        result = run_demo(term)  # what `paradigms glossary show TERM` runs
        seconds = time.perf_counter() - started
        fig = result.plot()
        pages[f"glossary/{term.slug}.png"] = figure_to_png(fig, dpi=90)
        plt.close(fig)
        numbers = "\n".join(f"| `{k}` | {format_number(v)} |" for k, v in result.numbers.items())
        related = ", ".join(f"[{names.get(s, s)}]({s}.md)" for s in term.related) or "none"
        used_in = ", ".join(f"`{u}`" for u in term.used_in) or "none"
        aliases = ", ".join(term.aliases)
        table = _shown(result.table).to_html(index=False, border=0, float_format=lambda x: f"{x:.4g}")
        pages[f"glossary/{term.slug}.md"] = (
            f"# {term.name}\n\n"
            + (f"*Also: {aliases}.*\n\n" if aliases else "")
            + f"{term.definition}\n\n"
            f"**What to look for.** {term.look_for}\n\n"
            f"## What the demo found\n\n"
            f"![{html.escape(term.name)}: the demo's figure]({term.slug}.png)\n\n"
            f"> {result.finding}\n\n"
            f"Computed when this page was built (seed {result.seed}, default settings, "
            f"{seconds:.1f} s), by the same function as\n\n"
            f"```bash\nparadigms glossary show {term.slug} --plot {term.slug}.png\n```\n\n"
            f"or in Python:\n\n"
            f"```python\nfrom {term.module.rsplit('.', 1)[0]} import {term.module.rsplit('.', 1)[1]}\n"
            f"result = {term.module.rsplit('.', 1)[1]}.demo(seed={result.seed})\n"
            f"result.finding, result.plot()\n```\n\n"
            f"## The numbers\n\n| number | value |\n| --- | --- |\n{numbers}\n\n"
            f'<details><summary>The demo\'s table</summary>\n\n{table}\n\n</details>\n\n'
            f"## Related\n\nTerms: {related}.\n\nIn the toolkit: {used_in}.\n\n"
            f"The exercise: `paradigms exercise show {term.slug}` ([Teaching](../guides/teaching.md)).\n"
        )
        rows.append(f"| [{term.name}]({term.slug}.md) | {first_sentence(term.definition)} |")
    pages["glossary/index.md"] = (
        "# Glossary\n\n"
        "Every term of the lesson, in the lesson's order, one page each. The pages are generated "
        "from the glossary modules when the site is built: each demo is run as "
        "`paradigms glossary show TERM` runs it, so the site and the command cannot disagree. "
        "How the glossary, the lesson page, the slides and the exercises fit together: "
        "[Teaching](../guides/teaching.md).\n\n"
        "| term | definition |\n| --- | --- |\n" + "\n".join(rows) + "\n"
    )
    return pages


# -- examples ----------------------------------------------------------------------------


def example_pages() -> dict[str, str | bytes]:
    pages: dict[str, str | bytes] = {}
    rows = []
    for script, (quick, full) in EXAMPLES.items():
        args = quick if budget() == "quick" else full
        pages.update(run_example(script, args))
        stem = script.removesuffix(".py")
        rows.append(f"| [{stem}]({stem}.md) | {module_summary(ROOT / 'examples' / script)} |")
    for notebook in NOTEBOOKS:
        stem = notebook.removesuffix(".ipynb")
        pages[f"examples/{stem}.md"] = notebook_page(ROOT / "examples" / notebook)
        rows.append(f"| [{notebook}]({stem}.md) | {notebook_summary(ROOT / 'examples' / notebook)} |")
    pages["examples/index.md"] = (
        "# Examples\n\n"
        "Every script under `examples/` was run when this site was built "
        f"({budget()} budgets), in a fresh folder: each page shows the command, the script, "
        "what it printed and the figures it saved. The notebooks are shown as they are "
        "written (the tests execute them).\n\n"
        "| example | what it shows |\n| --- | --- |\n" + "\n".join(rows) + "\n"
    )
    return pages


def module_summary(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text())) or ""
    return doc.split("\n", 1)[0]


def run_example(script: str, args: list[str]) -> dict[str, str | bytes]:
    stem = script.removesuffix(".py")
    source = (ROOT / "examples" / script).read_text()
    with tempfile.TemporaryDirectory(prefix=f"docs-{stem}-") as tmp:
        out = Path(tmp) / "out"
        argv = [a.replace("OUT", str(out)) for a in args]
        shown = " ".join(["python", f"examples/{script}", *[a.replace("OUT", f"results/{stem}") for a in args]])
        env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
        started = time.perf_counter()
        try:
            done = subprocess.run(
                [sys.executable, str(ROOT / "examples" / script), *argv],
                cwd=tmp, env=env, capture_output=True, text=True, timeout=EXAMPLE_TIMEOUT_S,
            )
        except subprocess.TimeoutExpired as exc:
            raise PluginError(f"examples/{script}: still running after {EXAMPLE_TIMEOUT_S} s") from exc
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["(no output)"]
            raise PluginError(f"examples/{script} failed (exit code {done.returncode}): {tail[0]}")
        pages: dict[str, str | bytes] = {}
        figures = []
        for path in sorted(out.rglob("*")) if out.exists() else []:
            if path.suffix.lower() in (".png", ".gif") and path.stat().st_size < 5_000_000:
                uri = f"examples/{stem}/{path.relative_to(out).as_posix()}"
                pages[uri] = path.read_bytes()
                figures.append(uri.removeprefix("examples/"))
    output = (done.stdout + ("\n" + done.stderr if done.stderr.strip() else "")).strip()
    output = output.replace(tmp, "...")
    pictures = "\n\n".join(f"![{Path(f).name}]({f})" for f in figures) or "(it saved no figure)"
    pages[f"examples/{stem}.md"] = (
        f"# {stem}\n\n"
        f"{module_docstring_markdown(source)}\n\n"
        f"## Run it\n\n```bash\n{shown}\n```\n\n"
        f"Run when this page was built, in {seconds:.0f} s.\n\n"
        f"## What it printed\n\n```text\n{output}\n```\n\n"
        f"## The figures it saved\n\n{pictures}\n\n"
        f"## The script\n\n```python\n{source.rstrip()}\n```\n"
    )
    return pages


def module_docstring_markdown(source: str) -> str:
    doc = ast.get_docstring(ast.parse(source)) or ""
    head, _, rest = doc.partition("\n\n")
    blocks = [head]
    for block in rest.split("\n\n"):
        if block.startswith("    "):  # the command lines at the top: a code block
            blocks.append("```bash\n" + "\n".join(line[4:] for line in block.splitlines()) + "\n```")
        else:
            blocks.append(block)
    return "\n\n".join(blocks)


def notebook_summary(path: Path) -> str:
    cells = json.loads(path.read_text())["cells"]
    for cell in cells:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"]).strip().lstrip("#").strip()
            return text.split("\n", 1)[0]
    return ""


def notebook_page(path: Path) -> str:
    """The notebook as a page: its Markdown, its code, and under the ``full`` budget the
    outputs of running it (figures and HTML as the notebook shows them, self-contained)."""
    executed = budget() == "full"
    cells = execute_notebook(path) if executed else json.loads(path.read_text())["cells"]
    how = (
        "run from top to bottom when this page was built, its outputs below each cell"
        if executed
        else "as it is written (build with `LEARNING_PARADIGMS_DOCS_BUDGET=full` to see its outputs here)"
    )
    parts = [
        f"# {path.name}\n",
        f"The notebook `examples/{path.name}`, {how}. Open it in Jupyter to run it yourself "
        f"(`jupyter lab examples/{path.name}`); the tests execute it from top to bottom.\n",
    ]
    for cell in cells:
        text = "".join(cell["source"]).rstrip()
        if not text:
            continue
        if cell["cell_type"] == "markdown":
            parts.append(demote_headings(text) + "\n")
        elif cell["cell_type"] == "code":
            parts.append(f"```python\n{text}\n```\n")
            parts.extend(output_markdown(output) for output in cell.get("outputs", []))
    return "\n".join(part for part in parts if part)


def execute_notebook(path: Path) -> list:
    import nbclient
    import nbformat

    book = nbformat.read(path, as_version=4)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))
    with tempfile.TemporaryDirectory(prefix="docs-notebook-") as tmp:
        try:
            nbclient.NotebookClient(
                book, timeout=EXAMPLE_TIMEOUT_S, kernel_name="python3", resources={"metadata": {"path": tmp}}
            ).execute()
        except Exception as exc:  # a cell that raises: the build stops, naming the notebook
            first = str(exc).strip().splitlines()[-1:] or [type(exc).__name__]
            raise PluginError(f"examples/{path.name} failed when run: {first[0]}") from exc
    return book.cells


def output_markdown(output) -> str:
    """One cell output: HTML (figures inline, as data: images) as it is, else a PNG, else text."""
    data = output.get("data", {})
    if "text/html" in data and "<script" not in "".join(data["text/html"]).lower():
        body = "".join(data["text/html"])
        body = "\n".join(line for line in body.splitlines() if line.strip())  # one HTML block
        return f'<div class="notebook-output">\n{body}\n</div>\n'
    if "image/png" in data:
        return f'<p class="notebook-output"><img alt="a figure the cell drew" src="data:image/png;base64,{"".join(data["image/png"]).strip()}"></p>\n'
    text = "".join(output.get("text", "")) or "".join(data.get("text/plain", ""))
    return f"```text\n{text.rstrip()}\n```\n" if text.strip() else ""


def demote_headings(text: str) -> str:
    """A notebook's ``# Title`` becomes ``## Title``: the page has one title of its own."""
    lines, fence = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fence = not fence
        if not fence and line.startswith("#"):
            line = "#" + line
        lines.append(line)
    return "\n".join(lines)
