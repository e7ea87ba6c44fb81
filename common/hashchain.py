"""Hash chains over history that is written once: a row changed or removed outside the portal shows.

Each chained row holds its place in its chain (``chain_seq``) and a digest::

    digest(n) = sha256(digest(n - 1), model label, n, the row's columns as the database stores them)

The columns are those the model names in ``CHAIN_FIELDS`` (one place per model), read back from the
database after the insert, raw: the chain covers what is at rest (ciphertext where a column is
encrypted), so it keeps verifying after a case's key is destroyed. The head of each chain (its last
place and digest) is kept apart, in a head table the app writes in the same transaction, and written
to the log (logger ``skow.chain``) when the transaction commits; ``manage.py chain_anchor`` appends
every head to a file kept outside the database (README, "Tamper-evident history"). Someone who edits
a row in SQL breaks its link; someone who also recomputes every digest and the head is caught by the
anchors outside the database.

A legitimate change by the portal itself (retention) re-seals the chain: ``chain_reseal`` records
when and why on the head and in the log, after checking the chain as it was.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

logger = logging.getLogger("skow.chain")


class ChainHead(models.Model):
    """The head of one chain: its last place and digest, and the last re-seal by the portal."""

    seq = models.PositiveIntegerField(gettext_lazy("laatste plaats"), default=0)
    digest = models.CharField(gettext_lazy("laatste hash"), max_length=64, blank=True)
    updated_at = models.DateTimeField(gettext_lazy("bijgewerkt"), default=timezone.now)
    resealed_at = models.DateTimeField(gettext_lazy("opnieuw verzegeld op"), null=True, blank=True)
    reseal_reason = models.CharField(gettext_lazy("reden van opnieuw verzegelen"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def chain_name(self) -> str:
        """The chain's name in logs and anchor files, e.g. ``case:12``."""
        raise NotImplementedError

    def chain_members(self) -> list[ChainMember]:
        """The rows of this chain: per chained model, the column that names the chain and its value."""
        raise NotImplementedError


class Chained(models.Model):
    """A row that joins its chain when it is written (``save`` on insert; ``bulk_create`` does not)."""

    # The columns the digest covers, as stored: the one place to adapt per model.
    CHAIN_FIELDS: tuple[str, ...] = ()

    chain_seq = models.PositiveIntegerField(null=True, blank=True, editable=False)
    chain_digest = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        adding = self._state.adding
        with transaction.atomic():
            super().save(*args, **kwargs)
            if adding:
                chain_append(self)

    def chain_head_locked(self) -> ChainHead:
        """The head of this row's chain, created if need be and locked (select_for_update)."""
        raise NotImplementedError


@dataclass(frozen=True)
class ChainMember:
    model: type[Chained]
    field: str  # the column that names the chain: "case", "pupil", ...
    value: int


@dataclass(frozen=True)
class _Row:
    label: str
    what: str
    pk: int
    seq: int | None
    digest: str
    values: tuple


@dataclass
class ChainReport:
    """What checking one chain found; ``problems`` are plain Dutch sentences for the page and the command."""

    name: str
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    resealed_at: datetime.datetime | None = None
    reseal_reason: str = ""

    @property
    def is_intact(self) -> bool:
        return not self.problems


def _canonical(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return {"hex": bytes(value).hex()}
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    raise TypeError(f"Cannot chain a stored value of type {type(value).__name__}")


def link_digest(*, previous: str, label: str, seq: int, values: Sequence) -> str:
    payload = [previous, label, seq, [_canonical(value) for value in values]]
    return hashlib.sha256(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()


def _stored_rows(
    model: type[models.Model], *, column_field: str, value: int, fields: Sequence[str] | None = None
) -> list[_Row]:
    """The rows of ``model`` whose ``column_field`` is ``value``, with their chained columns raw as stored."""
    opts = model._meta
    quote = connection.ops.quote_name
    fields = model.CHAIN_FIELDS if fields is None else fields
    columns = [opts.pk.column, "chain_seq", "chain_digest"] + [opts.get_field(name).column for name in fields]
    sql = "SELECT {} FROM {} WHERE {} = %s".format(  # noqa: S608 - names from the model, value as a parameter
        ", ".join(quote(column) for column in columns), quote(opts.db_table), quote(opts.get_field(column_field).column)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        fetched = cursor.fetchall()
    return [
        _Row(
            label=opts.label_lower,
            what=str(opts.verbose_name),
            pk=row[0],
            seq=row[1],
            digest=row[2] or "",
            values=tuple(row[3:]),
        )
        for row in fetched
    ]


def _stored_row(model: type[Chained], pk: int) -> tuple:
    rows = _stored_rows(model, column_field=model._meta.pk.name, value=pk)
    return rows[0].values


def _chain_rows(head: ChainHead) -> list[_Row]:
    rows: list[_Row] = []
    for member in head.chain_members():
        rows += _stored_rows(member.model, column_field=member.field, value=member.value)
    return sorted(rows, key=lambda row: (row.seq is None, row.seq or 0, row.label, row.pk))


def chain_append(row: Chained) -> None:
    """Give ``row`` (just inserted) its place and digest, and move its chain's head. Inside the insert's
    transaction; the head lock keeps two writers on one chain in line (no fork)."""
    model = type(row)
    head = row.chain_head_locked()
    seq = head.seq + 1
    digest = link_digest(
        previous=head.digest, label=model._meta.label_lower, seq=seq, values=_stored_row(model, row.pk)
    )
    model.objects.filter(pk=row.pk).update(chain_seq=seq, chain_digest=digest)
    row.chain_seq, row.chain_digest = seq, digest
    type(head).objects.filter(pk=head.pk).update(seq=seq, digest=digest, updated_at=timezone.now())
    name = head.chain_name
    transaction.on_commit(lambda: logger.info("Chain head %s seq=%d digest=%s", name, seq, digest))


def chain_verify(head: ChainHead) -> ChainReport:
    """Recompute ``head``'s chain from the stored rows and say, in Dutch, where it breaks."""
    report = ChainReport(name=head.chain_name, resealed_at=head.resealed_at, reseal_reason=head.reseal_reason)
    previous, expected = "", 1
    for row in _chain_rows(head):
        if row.seq is None or row.seq < expected:
            report.problems.append(
                _("%(what)s nummer %(pk)s staat niet op zijn plaats in de keten: buiten het portaal toegevoegd.")
                % {"what": row.what.capitalize(), "pk": row.pk}
            )
            continue
        report.checked += 1
        if row.seq > expected:
            report.problems.append(
                ngettext(
                    "Plaats %(first)s in de keten ontbreekt: een regel is buiten het portaal verwijderd.",
                    "Plaatsen %(first)s tot en met %(last)s in de keten ontbreken: regels zijn buiten het "
                    "portaal verwijderd.",
                    row.seq - expected,
                )
                % {"first": expected, "last": row.seq - 1}
            )
        elif link_digest(previous=previous, label=row.label, seq=row.seq, values=row.values) != row.digest:
            report.problems.append(
                _("%(what)s nummer %(pk)s (plaats %(seq)s in de keten) is buiten het portaal gewijzigd.")
                % {"what": row.what.capitalize(), "pk": row.pk, "seq": row.seq}
            )
        previous, expected = row.digest, row.seq + 1
    last = expected - 1
    if last < head.seq:
        report.problems.append(
            ngettext(
                "De laatste regel van de keten (plaats %(first)s) ontbreekt: buiten het portaal verwijderd.",
                "De laatste %(count)s regels van de keten (plaats %(first)s tot en met %(last)s) ontbreken: "
                "buiten het portaal verwijderd.",
                head.seq - last,
            )
            % {"count": head.seq - last, "first": last + 1, "last": head.seq}
        )
    elif last > head.seq:
        report.problems.append(
            _("De keten loopt door na de opgeslagen kop (plaats %(seq)s): regels buiten het portaal toegevoegd.")
            % {"seq": head.seq}
        )
    elif previous != head.digest:
        report.problems.append(
            _("De keten eindigt niet bij de opgeslagen kop: de regels of de kop zijn buiten het portaal herschreven.")
        )
    return report


def chain_reseal(head: ChainHead, *, reason: str) -> None:
    """After the portal itself changed chained rows (retention), recompute every digest in order and
    record when and why (``reason``, a short code) on the head and in the log. Check the chain with
    chain_verify *before* the change, and record what it found: a re-seal must not hide an earlier
    break. Caller holds the head's lock."""
    previous, seq = "", 0
    models_by_label = {member.model._meta.label_lower: member.model for member in head.chain_members()}
    for row in _chain_rows(head):
        seq += 1
        previous = link_digest(previous=previous, label=row.label, seq=seq, values=row.values)
        models_by_label[row.label].objects.filter(pk=row.pk).update(chain_seq=seq, chain_digest=previous)
    now = timezone.now()
    type(head).objects.filter(pk=head.pk).update(
        seq=seq, digest=previous, updated_at=now, resealed_at=now, reseal_reason=reason
    )
    head.seq, head.digest, head.resealed_at, head.reseal_reason = seq, previous, now, reason
    name = head.chain_name
    transaction.on_commit(
        lambda: logger.warning(
            "Chain head %s resealed by the portal (%s) seq=%d digest=%s", name, reason, seq, previous
        )
    )


def chain_seal_existing(*, head: models.Model, rows: Sequence[tuple[type[models.Model], Sequence[str], int]]) -> None:
    """Seal rows written before their model was chained, in the order given: (model, CHAIN_FIELDS, pk).

    For data migrations, which see historical models (no CHAIN_FIELDS, no methods): ``head`` is a
    saved head row of the chain, still empty.
    """
    previous, seq = "", 0
    for model, fields, pk in rows:
        seq += 1
        values = _stored_rows(model, column_field=model._meta.pk.name, value=pk, fields=fields)[0].values
        previous = link_digest(previous=previous, label=model._meta.label_lower, seq=seq, values=values)
        model.objects.filter(pk=pk).update(chain_seq=seq, chain_digest=previous)
    type(head).objects.filter(pk=head.pk).update(seq=seq, digest=previous, updated_at=timezone.now())


def chain_anchor_lines(heads: Iterable[ChainHead], *, at: datetime.datetime) -> list[str]:
    """One JSON line per head, for an anchor file kept outside the database (chain_anchor)."""
    return [
        json.dumps({"chain": head.chain_name, "seq": head.seq, "digest": head.digest, "at": at.isoformat()})
        for head in heads
    ]


def chain_anchor_check(head: ChainHead | None, anchor: dict) -> str:
    """Compare a chain with its line in an anchor file; an empty string when it agrees.

    The row at the anchored place must still carry the anchored digest (chain_verify checks the rest),
    unless the portal re-sealed the chain after the anchor was written (then the head says why).
    """
    anchored_at = datetime.datetime.fromisoformat(anchor["at"])
    if head is None:
        return _("De keten %(chain)s ontbreekt, maar staat in het anker van %(at)s.") % {
            "chain": anchor["chain"],
            "at": f"{anchored_at:%d-%m-%Y %H:%M}",
        }
    if head.resealed_at and head.resealed_at > anchored_at:
        return ""
    if anchor["seq"] == 0:
        return ""
    digests = [row.digest for row in _chain_rows(head) if row.seq == anchor["seq"]]
    if digests != [anchor["digest"]]:
        return _(
            "De keten %(chain)s komt niet overeen met het anker van %(at)s (plaats %(seq)s): "
            "de geschiedenis is buiten het portaal herschreven."
        ) % {"chain": anchor["chain"], "at": f"{anchored_at:%d-%m-%Y %H:%M}", "seq": anchor["seq"]}
    return ""
