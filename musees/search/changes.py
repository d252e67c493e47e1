"""Recording what the search index must look at again, in the writer's own transaction."""

from collections.abc import Iterable

from django.db import connection

from .models import SearchChange

BATCH = 2_000


def works_changed(work_ids: Iterable[int]) -> None:
    """Note that these works changed (saved, published, withdrawn, deleted, re-imported)."""
    rows = [(int(pk),) for pk in dict.fromkeys(work_ids) if pk is not None]
    if not rows:
        return
    table = connection.ops.quote_name(SearchChange._meta.db_table)
    sql = f"INSERT INTO {table} (work_id) VALUES (%s)"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def museum_works_changed(museum_id: int) -> None:
    """Every work of a museum changed for the public (the museum was published, unpublished,
    moved or deleted): one INSERT ... SELECT, whatever the number of works."""
    from musees.catalogue.models import Work

    quote = connection.ops.quote_name
    sql = "INSERT INTO {} (work_id) SELECT {} FROM {} WHERE {} = %s".format(
        quote(SearchChange._meta.db_table),
        quote(Work._meta.pk.column),
        quote(Work._meta.db_table),
        quote(Work._meta.get_field("museum").column),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [museum_id])
