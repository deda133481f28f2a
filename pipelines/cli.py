"""`leakpipe`: the analysts' command line on the published warehouse.

Every command reads the contract's environment variables (LEAKPIPE_WAREHOUSE, LEAKPIPE_RAW_DIR,
LEAKPIPE_REPORTS_DIR), which --warehouse/--raw/--reports override. Queries run on a read-only
connection with file and network access off (pipelines.lib.warehouse.analyst). Errors end with a message
and exit code 1 (2 for a wrong command line); nothing is printed as a traceback.
"""
from __future__ import annotations

import datetime as dt
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from pipelines.cli_output import OUTPUT_FORMATS, fetch_frame, make_console, rich_table, write_frame
from pipelines.lib.intake.inventory import KIND_BY_FOLDER
from pipelines.lib.common.settings import load_settings


class Paths:
    def __init__(self, warehouse: Path | None, raw: Path | None, reports: Path | None):
        self._given = (warehouse, raw, reports)
        self._settings = None

    def _defaults(self):
        if self._settings is None:
            try:
                self._settings = load_settings()
                # a wrong executor setting is refused here too, as the code location refuses it
                from pipelines.lib.costsheets.executors import parse_executor

                parse_executor(self._settings.extract_executor)
            except ValueError as exc:
                raise click.ClickException(f"configuration: {exc}") from None
        return self._settings

    @property
    def warehouse(self) -> Path:
        return self._given[0] or self._defaults().warehouse

    @property
    def raw(self) -> Path:
        return self._given[1] or self._defaults().raw_dir

    @property
    def reports(self) -> Path:
        return self._given[2] or self._defaults().reports_dir


def _progress():
    """A progress bar on stderr (so a redirected stdout stays clean); hidden when not a terminal."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = make_console(stderr=True)
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TextColumn("{task.fields[item]}"), console=console, transient=True,
                    disable=not console.is_terminal)


def _connect(paths: Paths, files=(), network: bool = False):
    from pipelines.lib.warehouse.analyst import WarehouseUnavailable, connect

    try:
        return connect(paths.warehouse, files=files, network=network)
    except WarehouseUnavailable as exc:
        raise click.ClickException(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--warehouse", type=click.Path(path_type=Path), default=None,
              help="The published DuckDB file [default: $LEAKPIPE_WAREHOUSE or warehouse/leaks.duckdb].")
@click.option("--raw", "raw_dir", type=click.Path(path_type=Path), default=None,
              help="The folder of inputs [default: $LEAKPIPE_RAW_DIR or raw/].")
@click.option("--reports", type=click.Path(path_type=Path), default=None,
              help="Where reports and exports go [default: $LEAKPIPE_REPORTS_DIR or reports/].")
@click.version_option(package_name="leakpipe")
@click.pass_context
def cli(ctx: click.Context, warehouse, raw_dir, reports):
    """Query, report on, export and feed the leak-analysis warehouse.

    \b
    Examples:
      leakpipe status
      leakpipe query "SELECT claim, verdict, reason FROM marts.leak_plausibility WHERE verdict = 'implausible'"
      leakpipe query -f sql/analyst/rally_attribution_headline.sql --format csv > headline.csv
      leakpipe report
      leakpipe export --format parquet
      leakpipe ingest ~/Downloads/leak_q3.pdf
      leakpipe search '"idle capacity" mining'
    """
    ctx.obj = Paths(warehouse, raw_dir, reports)


@cli.command()
@click.argument("sql", required=False)
@click.option("-f", "--file", "sql_file", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path),
              help="Read the SQL from this file instead of the argument ('-' reads standard input).")
@click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default="table", show_default=True,
              help="Output: a table for reading, or CSV/JSON/Parquet for other tools.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output (required for Parquet).")
@click.option("--max-rows", type=click.IntRange(min=1), default=100, show_default=True,
              help="Rows shown by --format table (the others write every row).")
@click.option("--allow-dir", "allowed", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Let the query read files in this folder (e.g. read_csv); repeatable. Off by default.")
@click.option("--network", is_flag=True, help="Let the query reach the network (and every local file).")
@click.pass_obj
def query(paths: Paths, sql, sql_file, fmt, output, max_rows, allowed, network):
    """Run SQL on the published warehouse, read-only.

    The connection cannot write, attach, install or (unless --allow-dir / --network) read files or
    the network. Example queries, each headed by its question: sql/analyst/*.sql.
    """
    import duckdb

    if sql_file is not None and sql:
        raise click.UsageError("give the SQL as an argument or with --file, not both")
    if sql_file is not None:
        text = sys.stdin.read() if str(sql_file) == "-" else sql_file.read_text(encoding="utf-8")
    elif sql == "-":
        text = sys.stdin.read()
    elif sql:
        text = sql
    else:
        raise click.UsageError("no SQL: give it as an argument or with --file")
    if fmt == "parquet" and output is None:
        raise click.UsageError("--format parquet writes a binary file: give it with --output FILE")
    con = _connect(paths, allowed, network)
    err = make_console(stderr=True)
    try:
        with err.status("running the query ...") if err.is_terminal else _nothing():
            frame = fetch_frame(con, text, typed=fmt == "parquet")
    except duckdb.Error as exc:
        raise click.ClickException(f"the query failed: {str(exc).strip()}") from None
    finally:
        con.close()
    write_frame(frame, fmt, output, max_rows)


@contextmanager
def _nothing():
    yield


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for report.html, report.pdf and report.md [default: <reports>/report].")
@click.pass_obj
def report(paths: Paths, out):
    """Write the report (one self-contained HTML file, a PDF and Markdown) from the warehouse."""
    from pipelines.lib.warehouse.analyst import WarehouseUnavailable
    from pipelines.lib.report import REPORT_STEPS, ReportError, build_report

    out = out or paths.reports / "report"
    with _progress() as bar:
        task = bar.add_task("report", total=len(REPORT_STEPS), item="")

        def step(name: str) -> None:
            bar.update(task, advance=1, item=name)

        try:
            files = build_report(paths.warehouse, paths.raw, out, progress=step)
        except (ReportError, WarehouseUnavailable) as exc:
            raise click.ClickException(str(exc)) from None
    for label, path in (("HTML", files.html), ("PDF", files.pdf), ("Markdown", files.markdown)):
        click.echo(f"{label:<9} {path}")


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the exports [default: <reports>/exports].")
@click.option("--format", "formats", type=click.Choice(["parquet", "csv"]), multiple=True,
              help="Parquet, CSV or both (repeat the option) [default: both].")
@click.option("--table", "tables", multiple=True, metavar="SCHEMA.NAME",
              help="Export only these tables or views (repeatable) [default: every core and marts table and every view].")
@click.pass_obj
def export(paths: Paths, out, formats, tables):
    """Export marts and core tables to Parquet and CSV (CSV cells neutralised against formula injection)."""
    from pipelines.lib.warehouse.export import FORMATS, ExportError, export_tables, exportable_tables

    out = out or paths.reports / "exports"
    con = _connect(paths)
    try:
        names = list(tables) or exportable_tables(con)
        with _progress() as bar:
            task = bar.add_task("export", total=len(names), item="")
            done = export_tables(con, out, names, formats or FORMATS,
                                 progress=lambda t: bar.update(task, advance=1, item=t))
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        con.close()
    rewritten = sum(e.rewritten for e in done)
    click.echo(f"{len(done)} table(s), {sum(e.rows for e in done)} rows, to {out} "
               f"({rewritten} written, {len(done) - rewritten} unchanged)")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
@click.pass_obj
def status(paths: Paths, as_json):
    """Documents by status, the quarantine, the last run, and how fresh each input is."""
    import json

    from pipelines.lib.warehouse.sql import load_sql

    con = _connect(paths)
    today = dt.datetime.now(dt.timezone.utc).date()
    try:
        documents = fetch_frame(con, load_sql("report/documents_by_status.sql"))
        quarantine = fetch_frame(con, load_sql("cli/status_quarantine.sql"))
        freshness = fetch_frame(con, load_sql("cli/status_freshness.sql"))
    finally:
        con.close()
    published = dt.datetime.fromtimestamp(paths.warehouse.stat().st_mtime, dt.timezone.utc)
    runs = _last_runs()
    if as_json:
        click.echo(json.dumps({
            "warehouse": str(paths.warehouse), "published_at": published.isoformat(),
            "documents": documents.to_dict(orient="records"), "quarantine": quarantine.to_dict(orient="records"),
            "freshness": freshness.to_dict(orient="records"),
            "last_runs": runs}, indent=1, default=str))
        return
    console = make_console()
    console.print(f"warehouse  {paths.warehouse}\npublished  {published:%Y-%m-%d %H:%M:%S} UTC "
                  f"({_ago(dt.datetime.now(dt.timezone.utc) - published)} ago)")
    if runs:
        console.print("last runs  " + "\n           ".join(
            f"{r['job']}: {r['status']} at {r['started']} ({r['run_id'][:8]})" for r in runs))
    else:
        console.print("last runs  none recorded (no Dagster instance at $DAGSTER_HOME or .dagster/)", style="dim")
    console.print(rich_table(documents, "documents by folder and status"))
    console.print(rich_table(quarantine, f"quarantine: {int(quarantine['records'].sum()) if len(quarantine) else 0} "
                                     "record(s) (SELECT * FROM core.quarantine)"))
    console.print(rich_table(freshness, f"data freshness on {today}"))


def _ago(delta: dt.timedelta) -> str:
    seconds = int(delta.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


def _last_runs(limit: int = 3) -> list[dict]:
    """The latest runs on the Dagster instance at DAGSTER_HOME, or the project's .dagster where the
    Makefile keeps it (what `dagster dev` and `make run` record; outside a source checkout, .dagster in
    the current directory)."""
    import os

    from pipelines.lib.common.settings import default_root

    home = Path(os.environ.get("DAGSTER_HOME") or default_root() / ".dagster")
    if not home.is_dir():
        return []
    try:
        import dagster as dg

        with dg.DagsterInstance.from_config(str(home)) as instance:
            records = instance.get_run_records(limit=limit)
            return [{"job": r.dagster_run.job_name, "status": r.dagster_run.status.value,
                     "run_id": r.dagster_run.run_id,
                     "started": (dt.datetime.fromtimestamp(r.start_time, dt.timezone.utc).strftime(
                         "%Y-%m-%d %H:%M:%S UTC") if r.start_time else "not started")} for r in records]
    except Exception as exc:  # noqa: BLE001 - the status of the data does not depend on Dagster's storage
        return [{"job": "?", "status": f"cannot read the Dagster instance: {exc}", "run_id": "", "started": ""}]


@cli.command()
@click.argument("paths_in", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PATH...")
@click.option("--kind", type=click.Choice(list(KIND_BY_FOLDER)),
              help="The raw subfolder to put the files in [default: decided from each file's content].")
@click.option("--replace", is_flag=True, help="Overwrite a file of the same name with other content.")
@click.option("--dry-run", is_flag=True, help="Check the files and say where they would go; copy nothing.")
@click.pass_obj
def ingest(paths: Paths, paths_in, kind, replace, dry_run):
    """Check files and copy each into the right subfolder of the raw folder.

    A folder stands for every file in it. A file that fails a check (empty, a link, an archive, not
    what its name says, or a destination outside the raw folder) is refused with the reason and
    the others go on; the exit code is 1 when any was refused. The sensors (`dagster dev`) or the
    next `make run` then load them.
    """
    from pipelines.lib.intake import ingest as intake

    files = intake.expand(list(paths_in))
    if not files:
        raise click.ClickException("no file under " + ", ".join(map(str, paths_in)))
    refused, results = [], []
    with _progress() as bar:
        task = bar.add_task("ingest", total=len(files), item="")
        for path in files:
            bar.update(task, item=path.name)
            try:
                planned = intake.plan(paths.raw, path, kind, replace)
                if not dry_run:
                    intake.copy_in(planned)
                results.append(planned)
            except (intake.IntakeError, OSError) as exc:
                refused.append(str(exc) if isinstance(exc, intake.IntakeError)
                               else f"{path}: {exc.strerror or exc}")
            bar.update(task, advance=1)
    verb = "would copy" if dry_run else "copied"
    for planned in results:
        state = "already there" if planned.already_there else verb
        click.echo(f"{state:<13} {planned.source} -> {planned.destination}  ({planned.why})")
    for reason in refused:
        click.echo(f"refused       {reason}", err=True)
    if refused:
        sys.exit(1)


@cli.command()
@click.argument("words", nargs=-1, required=True)
@click.option("-n", "--limit", type=click.IntRange(min=1), default=10, show_default=True,
              help="Show at most this many matches.")
@click.pass_obj
def search(paths: Paths, words, limit):
    """Find WORDS in every document's text (PDF pages, OCR text, sheets, CSV, Word, HTML, e-mail bodies,
    archive and e-mail members), best match first: document, page, score and a snippet.

    \b
    Bare words must all occur, in any form English or German stemming joins ('mined' finds 'mining',
    'Grafikkarte' finds 'Grafikkarten') and accents aside ('muller' finds 'Müller'); "quoted words"
    must occur as written, next to each other; -word must not occur. Reads the index published with
    the warehouse (docs/search.md); in SQL: SELECT * FROM views.search_text('words').
    A query starting with '-' goes after '--': leakpipe search -- -monero idle.
    """
    from pipelines.lib.search.analyzers import printable
    from pipelines.lib.search.index import search as find
    from pipelines.lib.search.publish import index_paths

    _, link = index_paths(paths.warehouse)
    if not link.exists():
        raise click.ClickException(f"no search index at {link}: build it first with `make run`")
    words = " ".join(words)
    marks = ("\x1b[1;33m", "\x1b[0m") if sys.stdout.isatty() else ("**", "**")
    try:
        hits = find(link, words, limit, marks)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if not hits:
        click.echo(f"no document holds {words!r}", err=True)
    for rank, hit in enumerate(hits, start=1):
        where = hit.locator if hit.page is None else f"page {hit.page}" + (
            "" if hit.locator == f"page {hit.page}" else f" ({hit.locator})")
        click.echo(printable(f"{rank:>2}. {hit.path}  {where}  score {hit.score:.2f}  [{hit.source}]") +
                   f"\n    {hit.snippet}")


@cli.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the Markdown to this file instead of standard output.")
@click.pass_obj
def schema(paths: Paths, output):
    """Print every table, view and column of the warehouse with its meaning and unit (Markdown)."""
    from pipelines.lib.warehouse.schema_docs import schema_markdown

    con = _connect(paths)
    try:
        text = schema_markdown(con)
    finally:
        con.close()
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"written to {output}", err=True)
    else:
        click.echo(text, nl=False)


def main() -> None:
    cli(prog_name="leakpipe")


if __name__ == "__main__":
    main()
