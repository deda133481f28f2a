"""`leakpipe ingest`: check a file, decide which raw subfolder it belongs in, copy it there.

The raw folder is the pipeline's source of truth, so nothing reaches it unchecked: the same
file-level rules as the register (core.documents) refuse empty files, links and files whose content
is not what their name says; an archive or e-mail is unpacked into a temporary scratch folder under
the same limits as the pipeline's (pipelines/lib/intake/containers.py) and refused when it is
encrypted, over a limit, or holds a member the pipeline would refuse by name or type; the destination is always `<raw>/<subfolder>/<name>`
and a path that would resolve anywhere else (a `..` in a name, a subfolder that is a link out of the
raw folder) is refused. The subfolder comes from `--kind` or from the content: a CSV's header is
matched against every reader's layouts; a PDF's first pages are read for capex or cost-sheet words.
Records inside the file are checked later by the pipeline, which quarantines what it cannot read.
"""
from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib.common.csvfile import InputError, normalise, read_head
from pipelines.lib.common.files import replace_atomically
from pipelines.lib.intake.inventory import KIND_BY_FOLDER, sha256_of
from pipelines.lib.intake.media import content_problem, media_type_of

FOLDERS = tuple(KIND_BY_FOLDER)
MAX_BYTES = 2 * 1024 ** 3
_ETF_TICKERS = {"ibit", "fbtc", "bitb", "arkb", "btco", "ezbc", "brrr", "hodl", "btcw", "gbtc", "defi",
                "etha", "feth", "ethw", "ceth", "ethv", "qeth", "ezet", "ethe"}
_CAPEX_WORDS = re.compile(r"capital expenditure|capex|investi(?:tion|ment)|data ?cent(?:er|re)s?|rechenzentr|"
                          r"milliarden|billion|guidance|earnings|quarter", re.I)
_COST_WORDS = re.compile(r"kwh|hash ?rate|[kmgtpe]h/s|strom|electricity|auslastung|utili[sz]ation|idle|"
                         r"leerlauf|pue|mining|coins?\b", re.I)


class IntakeError(ValueError):
    """The file is refused; the message says why and what to do."""


@dataclass(frozen=True)
class Planned:
    source: Path
    folder: str
    destination: Path
    why: str            # how the folder was chosen
    sha256: str
    already_there: bool  # the same bytes are already at the destination


def _csv_folders(path: Path) -> list[str]:
    """Every raw subfolder whose reader recognises this CSV's header."""
    from pipelines.lib.sources import network, prices
    from pipelines.lib.capex.quarterly import quarterly_capex_column
    from pipelines.lib.costsheets.vocab import header_score

    try:
        head = read_head(path)
    except InputError as exc:
        raise IntakeError(f"{path}: cannot be read as a table ({exc})") from None
    if head.header is None:
        width = len(head.rows[0]) if head.rows else 0
        return ["prices"] if width in (11, 12) else []
    cols = [normalise(h) for h in head.header if h.strip()]
    names = set(cols)
    found = []
    try:
        network._layout(cols)
        found.append("network")
    except InputError:
        pass
    try:
        prices.detect_layout(head.header, len(head.header))
        if "network" not in found:   # a Coin Metrics file with chain columns is chain data first
            found.append("prices")
    except InputError:
        pass
    if "date" in names and (any(re.fullmatch(r"usd_per_[a-z]{3}", c) for c in names)
                            or ("usd" in names and sum(bool(re.fullmatch(r"[a-z]{3}", c)) for c in names) >= 2)):
        found.append("fx")
    if len(names & _ETF_TICKERS) >= 2 or names & {"net_flow_usd", "net_flow", "net_flows_usd"}:
        found.append("flows")
    if "date" in names and names & {"title", "event", "headline"}:
        found.append("events")
    if names & {"device", "model", "hardware"} and any("hash" in c for c in names) \
            and any(c.startswith(("power", "watt")) for c in names) or {"device", "metric", "value"} <= names:
        found.append("hardware")
    if quarterly_capex_column(cols):
        found.append("capex")
    if not found and header_score(head.header) >= 3:
        found.append("cost_sheets")
    return found


def _pdf_folder(path: Path) -> tuple[str, str]:
    """capex (a filing, a press release) or cost_sheets (a leaked sheet), from the first pages' words."""
    text = ""
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            for index in range(min(2, len(pdf))):
                text += pdf[index].get_textpage().get_text_range()
        finally:
            pdf.close()
    except Exception:  # noqa: BLE001 - unreadable or encrypted: the pipeline quarantines it with the reason
        return "cost_sheets", "a PDF whose text cannot be read: taken as a leaked sheet (the pipeline records why)"
    capex, cost = len(_CAPEX_WORDS.findall(text)), len(_COST_WORDS.findall(text))
    if capex > cost:
        return "capex", f"a PDF about capital spending ({capex} capex words, {cost} cost-sheet words)"
    return "cost_sheets", f"a PDF cost sheet ({cost} cost-sheet words, {capex} capex words)"


@contextlib.contextmanager
def _unpacked(path: Path, limits=None):
    """[(member path, scratch file or None, problem)] of a container's whole tree, in a temporary
    scratch folder removed afterwards; IntakeError when the container itself is refused."""
    from pipelines.lib.intake import containers

    with open(path, "rb") as fh:
        head = fh.read(65536)
    fmt = containers.container_format(path, head)
    with tempfile.TemporaryDirectory(prefix="leakpipe-ingest-") as scratch:
        if fmt is None:
            yield None
            return
        try:
            found = containers.expand(path, sha256_of(path), fmt, Path(scratch), limits or _limits())
        except Exception as exc:  # noqa: BLE001 - the reason goes to the user
            raise IntakeError(f"{path}: {exc}") from None
        yield [(f.inner[2:], None if f.document_id is None or f.container else
                containers.scratch_file(Path(scratch), f.document_id, f.member_path), f.error) for f in found]


def _limits():
    """The archive limits of the environment (LEAKPIPE_ARCHIVE_*), as the pipeline applies them."""
    from pipelines.lib.common.settings import load_settings
    from pipelines.lib.intake.containers import Limits

    s = load_settings()
    return Limits(max_bytes=s.archive_max_bytes, max_ratio=s.archive_max_ratio,
                  max_members=s.archive_max_members, max_depth=s.archive_max_depth)


def _container_folder(path: Path) -> tuple[str, str] | None:
    """The folder every member of an archive or e-mail agrees on; None for a plain file."""
    with _unpacked(path) as members:
        if members is None:
            return None
        found = set()
        for _, local, problem in members:
            if local is not None and problem is None:
                with contextlib.suppress(IntakeError):
                    found.add(guess_folder(local)[0])
    if len(found) == 1:
        folder = found.pop()
        return folder, f"an archive or e-mail whose members are {folder} files"
    raise IntakeError(f"{path}: an archive or e-mail whose members fit "
                      f"{', '.join(sorted(found)) if found else 'no known input'}: say which with --kind")


def guess_folder(path: Path) -> tuple[str, str]:
    """(raw subfolder, why) from where the file sits or what it holds; IntakeError when unsure."""
    if path.parent.name in KIND_BY_FOLDER:
        return path.parent.name, f"it sits in a folder named {path.parent.name}/"
    container = _container_folder(path)
    if container is not None:
        return container
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return "cost_sheets", "a workbook (leaked sheets come as XLSX)"
    if suffix in {".txt", ".md", ".html", ".htm", ".json"}:
        return "capex", "a text, HTML or JSON document (press releases and filings)"
    if suffix == ".pdf":
        return _pdf_folder(path)
    if suffix in {".csv", ".tsv"}:
        found = _csv_folders(path)
        if len(found) == 1:
            return found[0], f"its header is one the {found[0]} reader knows"
        if found:
            raise IntakeError(f"{path}: its header fits several inputs ({', '.join(found)}): "
                              f"say which with --kind")
        raise IntakeError(f"{path}: its header is no known layout of prices, network, fx, flows, events, "
                          "hardware, capex or cost sheets: say which with --kind")
    raise IntakeError(f"{path}: cannot tell which input a {suffix or 'nameless'} file is: say which with --kind "
                      f"({', '.join(FOLDERS)})")


def check_file(path: Path) -> str:
    """The file-level rules of the register; returns the sha256 or raises IntakeError."""
    if path.is_symlink():
        raise IntakeError(f"{path}: a symbolic link; give the file itself")
    if not path.exists():
        raise IntakeError(f"{path}: no such file")
    if not path.is_file():
        raise IntakeError(f"{path}: not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise IntakeError(f"{path}: empty file (0 bytes)")
    if size > MAX_BYTES:
        raise IntakeError(f"{path}: {size / 1024 ** 3:.1f} GiB is over the {MAX_BYTES // 1024 ** 3} GiB limit")
    with open(path, "rb") as fh:
        head = fh.read(65536)
    with _unpacked(path) as members:
        if members is None:
            problem = content_problem(path, media_type_of(path, head))
            if problem:
                raise IntakeError(f"{path}: {problem}")
        else:
            refused = [(name, problem) for name, _, problem in members
                       if problem and ("refused" in problem or "encrypted" in problem or "nested" in problem)]
            if refused:
                raise IntakeError(f"{path}: member {refused[0][0]!r}: {refused[0][1]}"
                                  + (f" (and {len(refused) - 1} more)" if len(refused) > 1 else ""))
    return sha256_of(path)


def plan(raw_dir: Path, source: Path, kind: str | None = None, replace: bool = False) -> Planned:
    """Check one file and where it goes, without writing anything."""
    source = Path(source).expanduser().absolute()
    if kind is not None and kind not in KIND_BY_FOLDER:
        raise IntakeError(f"--kind {kind!r} is not an input folder: choose one of {', '.join(FOLDERS)}")
    digest = check_file(source)
    folder, why = (kind, "--kind") if kind else guess_folder(source)
    root = Path(raw_dir).resolve()
    name = source.name
    if name in {"", ".", ".."} or "/" in name or "\\" in name:
        raise IntakeError(f"{source}: {name!r} is not a usable file name")
    destination = root / folder / name
    # Resolving follows a subfolder (or a file) that is a link: it must still land inside the raw folder.
    if not destination.resolve().is_relative_to(root) or destination.parent.resolve() != (root / folder).resolve() \
            or not (root / folder).resolve().is_relative_to(root):
        raise IntakeError(f"{source}: {destination} resolves outside the raw folder {root}; refused")
    if source.resolve() == destination.resolve():
        return Planned(source, folder, destination, why, digest, already_there=True)
    already = destination.exists() and destination.is_file() and sha256_of(destination) == digest
    if destination.exists() and not already and not replace:
        raise IntakeError(f"{source}: {destination.relative_to(root)} already exists with other content; "
                          "rename the file, or pass --replace to overwrite it")
    return Planned(source, folder, destination, why, digest, already_there=already)


def copy_in(planned: Planned) -> Path:
    """Copy into the raw folder (temporary name, then an atomic rename: the sensors never see half a file)."""
    if planned.already_there:
        return planned.destination
    planned.destination.parent.mkdir(parents=True, exist_ok=True)

    def checked_copy(tmp: Path) -> None:
        shutil.copyfile(planned.source, tmp)
        if sha256_of(tmp) != planned.sha256:
            raise IntakeError(f"{planned.source} changed while it was being copied; try again")

    replace_atomically(planned.destination, checked_copy)
    return planned.destination


def expand(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for every file under it (sorted)."""
    out = []
    for path in paths:
        path = Path(path).expanduser()
        if path.is_dir() and not path.is_symlink():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() or p.is_symlink()))
        else:
            out.append(path)
    return out
