"""``corresp dataset``: the index (or a search's part of it) as linked tables for research.

Writes ``letters``, ``comments`` and ``reviews`` (Parquet, or CSV with ``--format csv``),
``DATA_DICTIONARY.md`` and ``manifest.json`` into a folder (``api/dataset.py``), with a
progress bar per table on standard error. The filters are those of ``corresp export`` and
``/search`` (a malformed value is a usage error naming its option, exit status 2); a folder
that already holds a dataset is refused unless ``--overwrite``. ``--json`` prints the
manifest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from api.cli import letter_filter_options, search_service, validate_filters
from api.dataset import DatasetRequest, dataset_files, write_dataset
from api.search import SearchService
from indexer.cli.context import CliContext, pass_cli
from indexer.cli.output import emit_json, err, out, warn
from indexer.errors import DatasetError
from indexer.lifecycle import current_indices, index_names
from indexer.names import KINDS, IndexNames
from indexer.search.params import LetterFilters

__all__ = ["dataset"]


class _Bars(Progress):
    """One progress bar per table on standard error (``DatasetProgress``)."""

    def __init__(self, *, enabled: bool) -> None:
        super().__init__(
            TextColumn("{task.description:9}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("rows"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=err,
            disable=not enabled,
        )
        self._table_tasks: dict[str, TaskID] = {}

    def table_started(self, table: str, total: int | None) -> None:
        self._table_tasks[table] = self.add_task(table, total=total)

    def rows_written(self, table: str, rows: int) -> None:
        self.advance(self._table_tasks[table], rows)


@click.command("dataset")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("-q", "--query", default="", help="Search string, as for /search.")
@letter_filter_options
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["parquet", "csv"]),
    default="parquet",
    show_default=True,
    help="Parquet files, or CSV files (lists joined with ';').",
)
@click.option(
    "--compression",
    type=click.Choice(["zstd", "snappy"]),
    default="zstd",
    show_default=True,
    help="Compression of Parquet files.",
)
@click.option("--overwrite", is_flag=True, help="Replace a dataset already in OUT_DIR.")
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON.")
@pass_cli
def dataset(
    ctx: CliContext,
    /,
    out_dir: Path,
    *,
    query: str,
    file_format: str,
    compression: str,
    overwrite: bool,
    as_json: bool,
    **options: Any,
) -> None:
    """Write letters, comments and reviews as three linked tables into OUT_DIR.

    Tables keyed by accession, comment_id and thread_id, with a DATA_DICTIONARY.md of every
    column and a manifest.json (version, commit, filters, indices, row counts, SHA-256 of
    each file). With filters, the letters matching them, their comments and their reviews.
    """
    filters = validate_filters(LetterFilters, query, options)
    found = [name for name in dataset_files() if (out_dir / name).exists()]
    if found and not overwrite:
        raise click.UsageError(
            f"{out_dir} already holds a dataset ({', '.join(found)}); add --overwrite to replace it"
        )
    request = DatasetRequest(
        out_dir,
        filters,
        file_format="csv" if file_format == "csv" else "parquet",
        compression="snappy" if compression == "snappy" else "zstd",
    )
    settings = ctx.settings
    with search_service(settings) as service:
        indices = _indices_read(service, index_names(settings.elasticsearch.index_prefix))
        with _Bars(enabled=not as_json and err.is_terminal) as bars:
            manifest = write_dataset(service, request, indices=indices, progress=bars)
    if as_json:
        emit_json({"out_dir": str(out_dir), **manifest})
        return
    for name, entry in manifest["tables"].items():
        out.print(f"{name:9} {entry['rows']:>10,} rows  {out_dir / entry['name']}")
    out.print(f"dictionary and manifest: {out_dir / 'DATA_DICTIONARY.md'}, manifest.json")
    _warn_inconsistent(manifest["consistency"])


def _indices_read(service: SearchService, names: IndexNames) -> dict[str, dict[str, Any]]:
    """The alias and concrete indices of each kind, for the manifest; a ``DatasetError`` when
    an alias is missing."""
    behind = current_indices(service.es, names)
    described = {
        # An absent alias answers with an error body, whose keys are no index names.
        kind: {
            "alias": names.aliases.of(kind),
            "indices": [i for i in behind[kind] if i.startswith(f"{names.prefix}{kind}-")],
        }
        for kind in KINDS
    }
    missing = [str(entry["alias"]) for entry in described.values() if not entry["indices"]]
    if missing:
        raise DatasetError(
            f"nothing indexed under {', '.join(missing)} (run `corresp crawl` or "
            "`corresp index` first, or check elasticsearch.index_prefix)"
        )
    return described


def _warn_inconsistent(consistency: dict[str, int]) -> None:
    """Say when the index changed during the walks (the tables are consistent regardless)."""
    if consistency["comments_left_out"] or consistency["reviews_left_out"]:
        warn(
            f"{consistency['comments_left_out']} comment(s) and "
            f"{consistency['reviews_left_out']} review(s) of letters indexed during the "
            "export were left out"
        )
    if consistency["reviews_not_found"]:
        warn(f"{consistency['reviews_not_found']} review(s) of the letters were not found")
