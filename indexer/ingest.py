"""``Ingester``: normalize letters, index them, and rebuild the threads they belong to.

One pass: every incoming letter is normalized and written to the letters index; then, for
each company touched, all its letters (those just written and those already indexed) are
threaded again, and the company's thread and comment documents are rewritten, stale ones
(merged threads, comments a better normalizer no longer finds) deleted, and each letter's
``thread_id`` updated. Whole reviews are released together, so rebuilding a company's
threads whenever any letter arrives keeps every review complete; thread ids are stable.

With an ``AlertEngine`` (``indexer/watchlists/alerts.py``), the same pass then turns each
watchlist's new matches among the batch's letters into alerts and delivers their webhooks;
a reindex passes none, so rebuilding indices never alerts anyone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from elasticsearch import Elasticsearch

from indexer.bulk import delete_action, index_action, update_action, write_actions
from indexer.documents import (
    comment_documents,
    letter_document,
    letter_from_document,
    thread_document,
)
from indexer.errors import IndexingError
from indexer.es_client import backend_errors
from indexer.incoming import IncomingLetter
from indexer.names import Targets
from indexer.normalize.letter import Letter
from indexer.normalize.outcomes import OutcomeRules
from indexer.normalize.pipeline import normalize_letter
from indexer.normalize.threads import build_threads
from indexer.normalize.topics import Taxonomy
from indexer.search.stored import build_stored_page

if TYPE_CHECKING:
    from indexer.watchlists.alerts import AlertEngine

__all__ = ["IngestReport", "Ingester"]

logger = logging.getLogger(__name__)

_PAGE = 1000


@dataclass
class IngestReport:
    letters: int = 0
    threads: int = 0
    comments: int = 0
    companies: int = 0
    deleted: int = 0
    accessions: list[str] = field(default_factory=list)
    alerts: int = 0
    """New watchlist alerts found in this batch."""
    webhooks_queued: int = 0
    """Webhook deliveries queued for the outbox (sent by its worker, not by the ingest)."""
    emails_queued: int = 0
    """Watchlists whose new alerts wait for an e-mail digest in the outbox."""


class Ingester:
    """Writes letters, comments and threads into ``targets`` (aliases, or a reindex's indices)."""

    def __init__(
        self,
        es: Elasticsearch,
        targets: Targets,
        *,
        taxonomy: Taxonomy | None = None,
        outcome_rules: OutcomeRules | None = None,
        refresh: bool = True,
        alerts: AlertEngine | None = None,
    ) -> None:
        self.es = es
        self.targets = targets
        self.taxonomy = taxonomy
        self.outcome_rules = outcome_rules
        self.refresh = refresh
        self.alerts = alerts

    def ingest(self, incoming: Iterable[IncomingLetter]) -> IngestReport:
        """Normalize and index ``incoming``; raises ``SearchBackendError``/``IndexingError``."""
        letters = [
            normalize_letter(item, taxonomy=self.taxonomy, outcome_rules=self.outcome_rules)
            for item in incoming
        ]
        return self.index_letters(letters)

    def index_letters(self, letters: list[Letter]) -> IngestReport:
        report = IngestReport(letters=len(letters), accessions=[m.accession for m in letters])
        if not letters:
            return report
        actions = (
            index_action(self.targets.letters, m.accession, letter_document(m)) for m in letters
        )
        _check(write_actions(self.es, actions))
        with backend_errors("refreshing the letters index"):
            self.es.indices.refresh(index=self.targets.letters)  # rethreading reads them back
        ciks = sorted({cik for letter in letters for cik in letter.ciks})
        thread_ids = self._rethread(ciks, {m.accession: m for m in letters}, report)
        if self.refresh:
            with backend_errors("refreshing indices"):
                targets = (self.targets.letters, self.targets.comments, self.targets.threads)
                self.es.indices.refresh(index=",".join(targets))
        if self.alerts is not None:
            found = self.alerts.run(
                letters, letters_index=self.targets.letters, thread_ids=thread_ids
            )
            report.alerts = found.created
            report.webhooks_queued = found.queued
            report.emails_queued = found.emails_queued
        return report

    def _rethread(
        self, ciks: list[str], fresh: dict[str, Letter], report: IngestReport
    ) -> dict[str, str]:
        """Rebuild the companies' threads; the thread id of each letter, by accession."""
        known = {m.accession: m for m in self._stored_letters(ciks)}
        known.update(fresh)
        unthreadable = [m for m in fresh.values() if not m.ciks]
        threads = build_threads([*known.values(), *unthreadable])
        report.companies = len(ciks)
        thread_ids = {t.thread_id for t in threads}
        comment_ids: set[str] = set()
        actions: list[dict[str, Any]] = []
        for thread in threads:
            actions.append(
                index_action(self.targets.threads, thread.thread_id, thread_document(thread, known))
            )
            for document in comment_documents(thread, known):
                comment_ids.add(document["comment_id"])
                actions.append(
                    index_action(self.targets.comments, document["comment_id"], document)
                )
            for member in thread.letters:
                actions.append(
                    update_action(
                        self.targets.letters, member.accession, {"thread_id": thread.thread_id}
                    )
                )
        stale = [
            delete_action(self.targets.threads, i)
            for i in self._ids(self.targets.threads, ciks, key="thread_id")
            if i not in thread_ids
        ]
        stale += [
            delete_action(self.targets.comments, i)
            for i in self._ids(self.targets.comments, ciks, key="comment_id")
            if i not in comment_ids
        ]
        _check(write_actions(self.es, [*actions, *stale]))
        report.threads = len(threads)
        report.comments = len(comment_ids)
        report.deleted = len(stale)
        return {member.accession: t.thread_id for t in threads for member in t.letters}

    def _stored_letters(self, ciks: list[str]) -> Iterator[Letter]:
        for hit in self._scan(self.targets.letters, ciks, key="accession", source=True):
            yield letter_from_document(hit["_source"])

    def _ids(self, index: str, ciks: list[str], *, key: str) -> set[str]:
        return {hit["_id"] for hit in self._scan(index, ciks, key=key, source=False)}

    def _scan(
        self, index: str, ciks: list[str], *, key: str, source: bool
    ) -> Iterator[dict[str, Any]]:
        """Every document of ``index`` filed under ``ciks`` (paged with ``search_after``)."""
        if not ciks:
            return
        after: list[Any] | None = None
        while True:
            with backend_errors("reading stored documents"):
                response = self.es.search(
                    index=index,
                    **build_stored_page(ciks, key=key, size=_PAGE, after=after, source=source),
                )
            hits = response["hits"]["hits"]
            yield from hits
            if len(hits) < _PAGE:
                return
            after = hits[-1]["sort"]


def _check(report: Any) -> None:
    if report.failed:
        raise IndexingError(report.failed)
