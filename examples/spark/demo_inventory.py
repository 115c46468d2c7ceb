"""A generated inventory for trying `exposure.spark` (and for its tests and benchmark): a fleet
of devices, one row per software item in the columns `Engine.assess_arrow` reads, drawn from
the products of the demo knowledge base (`Engine.demo()`: requests, urllib3, lodash, minimist,
golang.org/x/net, smallvec, h2, time) in vulnerable and fixed versions, among software no
advisory names. Seeded: the same arguments give the same rows.

    python examples/spark/demo_inventory.py inventory.parquet --devices 3000 --items 20

writes it as Parquet (pyarrow), with the demo knowledge base as a snapshot beside it when
`--snapshot PATH` is given.
"""

import argparse
import random

# (ecosystem, name, versions) as the demo advisories name them: vulnerable versions and fixed
# ones. Go and Cargo items are given as package URLs, the others by ecosystem, name and version.
PRODUCTS = [
    ("PyPI", "requests", ["2.25.1", "2.28.2", "2.31.0", "2.32.3"]),
    ("PyPI", "urllib3", ["1.26.5", "1.26.18", "2.0.4", "2.0.7", "2.2.1"]),
    ("npm", "lodash", ["3.10.1", "4.17.15", "4.17.20", "4.17.21"]),
    ("npm", "minimist", ["0.2.1", "1.2.5", "1.2.8"]),
    ("golang", "golang.org/x/net", ["v0.0.0-20220722155237-a158d28d115b", "v0.10.0", "v0.17.0"]),
    ("cargo", "smallvec", ["0.6.10", "1.6.0", "1.11.0"]),
    ("cargo", "h2", ["0.3.15", "0.3.20"]),
    ("cargo", "time", ["0.1.45", "0.2.22", "0.3.30"]),
]
# Software no demo advisory names: most of a real device's items find nothing.
QUIET = [("PyPI", f"internal-tool-{k}", f"1.{k % 7}.{k}") for k in range(40)] + [
    ("npm", f"left-widget-{k}", f"0.{k}.1") for k in range(40)
]
GROUPS = ["web", "db", "ci", "eu", "us", "payments"]
VALUES = ["low", "normal", "normal", "normal", "high", None]
COLUMNS = ("device_id", "groups", "value", "ecosystem", "name", "version", "purl", "cpe")


def item_row(ecosystem, name, version):
    """An inventory row's item columns: a package URL for Go and Cargo, else ecosystem,
    name and version."""
    if ecosystem in ("golang", "cargo"):
        return {"ecosystem": None, "name": None, "version": None, "purl": f"pkg:{ecosystem}/{name}@{version}"}
    return {"ecosystem": ecosystem, "name": name, "version": version, "purl": None}


def fleet_rows(devices=3000, items=20, seed=18):
    """The rows of `devices` devices with about `items` software items each (between half and
    one and a half times as many; one device in a hundred has no software: a row whose item
    columns are null). A device's groups and value are on each of its rows, as a data lake's
    denormalised inventory table has them."""
    rng = random.Random(seed)
    pool = [(e, n, v) for e, n, versions in PRODUCTS for v in versions] + QUIET
    rows = []
    for d in range(devices):
        device = {
            "device_id": f"dev-{d:07d}",
            "groups": rng.sample(GROUPS, rng.randint(0, 2)) or None,
            "value": rng.choice(VALUES),
        }
        count = 0 if rng.random() < 0.01 else rng.randint(max(1, items // 2), max(1, items * 3 // 2))
        chosen = rng.sample(pool, min(count, len(pool)))
        for item in chosen or [None]:
            row = dict(device, cpe=None)
            if item is None:
                row.update(ecosystem=None, name=None, version=None, purl=None)
            else:
                row.update(item_row(*item))
            rows.append(row)
    return rows


def schema():
    """The inventory's Arrow schema."""
    import pyarrow as pa

    return pa.schema(
        [("device_id", pa.string()), ("groups", pa.list_(pa.string()))]
        + [(c, pa.string()) for c in COLUMNS[2:]]
    )


def fleet_table(devices=3000, items=20, seed=18):
    """`fleet_rows` as a pyarrow Table."""
    import pyarrow as pa

    return pa.Table.from_pylist(fleet_rows(devices, items, seed), schema=schema())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="the Parquet file to write")
    parser.add_argument("--devices", type=int, default=3000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--snapshot", help="also write the demo knowledge base as a snapshot here")
    args = parser.parse_args()
    import pyarrow.parquet as pq

    table = fleet_table(args.devices, args.items, args.seed)
    pq.write_table(table, args.out)
    print(f"{args.out}: {table.num_rows} rows, {args.devices} devices")
    if args.snapshot:
        import exposure

        exposure.Engine.demo().save(args.snapshot)
        print(f"{args.snapshot}: the demo knowledge base")


if __name__ == "__main__":
    main()
