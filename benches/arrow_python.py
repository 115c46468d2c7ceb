#!/usr/bin/env python3
"""The Arrow route from Python against the fleet-document route: 2,000 devices of 50 purls
(seeded) as a pyarrow Table assessed by `Engine.assess_arrow`, and as a fleet document by
`Engine.assess_json` followed by `to_arrow("findings")`; best of five, and the two findings
tables checked equal.

    .venv/bin/python benches/arrow_python.py     # after `cd python && maturin develop --release`
"""

import json, random, time
import pyarrow as pa
import exposure

random.seed(1)
purls = ["pkg:npm/lodash@4.17.20", "pkg:npm/lodash@4.17.21", "pkg:npm/minimist@1.2.5", "pkg:pypi/requests@2.19.0",
         "pkg:pypi/jinja2@2.10", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "pkg:cargo/smallvec@1.6.0"]
ids, ps = [], []
for d in range(2000):
    for i in range(50):
        ids.append(f"host-{d:05}"); ps.append(random.choice(purls))
table = pa.table({"device_id": ids, "purl": ps})
doc = json.dumps({"devices": [{"id": f"host-{d:05}", "software": [{"purl": p} for p in ps[d*50:(d+1)*50]]} for d in range(2000)]})
engine = exposure.Engine.demo()
def best(f, n=5):
    t = []
    for _ in range(n):
        s = time.perf_counter(); r = f(); t.append(time.perf_counter() - s)
    return min(t) * 1e3, r
ms_arrow, r = best(lambda: engine.assess_arrow(table, as_of="2026-12-04"))
ms_batches, _ = best(lambda: (r.findings, r.devices))
ms_json, a = best(lambda: engine.assess_json(doc, as_of="2026-12-04"))
ms_to_arrow, t = best(lambda: a.to_arrow("findings"))
print(f"{table.num_rows} rows, {r.findings.num_rows} findings: assess_arrow {ms_arrow:.1f} ms (pyarrow batches of the result {ms_batches:.2f} ms); "
      f"assess_json of the same fleet document {ms_json:.1f} ms + to_arrow('findings') {ms_to_arrow:.1f} ms")
assert pa.Table.from_batches([r.findings]).equals(t)
