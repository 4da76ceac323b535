"""CSV files of the pipeline, read and written with the standard library (no pandas here)."""

import csv
from pathlib import Path


def read_rows(path: Path) -> list[dict]:
    with open(path, newline="") as file:
        return list(csv.DictReader(file))


def write_without(source: Path, destination: Path, columns: list[str]) -> list[dict]:
    """Copy a CSV file without some columns; return the source's rows."""
    rows = read_rows(source)
    kept = [name for name in rows[0] if name not in columns]
    with open(destination, "w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=kept, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return rows
