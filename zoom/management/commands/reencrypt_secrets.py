"""Re-encrypt every secret at rest under the newest key in FIELD_ENCRYPTION_KEYS.

Key rotation: put a new key first in FIELD_ENCRYPTION_KEYS (keep the old ones after it),
restart, run this command, then remove the old keys.
"""

from argparse import ArgumentParser

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from slotwise.fields import EncryptedTextField, rotate


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field under the newest FIELD_ENCRYPTION_KEYS key."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: object, batch_size: int, **options: object) -> None:
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            columns = [connection.ops.quote_name(f.column) for f in fields]
            # Raw rows: rotate the stored Fernet tokens without ever decrypting into a model.
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {pk} FROM {table} ORDER BY {pk}")  # noqa: S608
                ids = [row[0] for row in cursor.fetchall()]
            for start in range(0, len(ids), batch_size):
                with transaction.atomic(), connection.cursor() as cursor:
                    for row_id in ids[start : start + batch_size]:
                        cursor.execute(
                            f"SELECT {', '.join(columns)} FROM {table} WHERE {pk} = %s",  # noqa: S608
                            [row_id],
                        )
                        row = cursor.fetchone()
                        if row is None:
                            continue
                        values = [rotate(value) if value else value for value in row]
                        assignments = ", ".join(f"{column} = %s" for column in columns)
                        cursor.execute(
                            f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                            [*values, row_id],
                        )
                        total += 1
            self.stdout.write(f"{model._meta.label}: {len(ids)} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} rows now use the newest key."))
