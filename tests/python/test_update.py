"""`exposure.update_kb`: a knowledge-base snapshot updated from a feed server, here Python's
own http.server on 127.0.0.1 serving CISA's KEV catalog from the shared data set. The server
answers from a thread of this interpreter, so the update can only finish if `update_kb`
releases the interpreter while it fetches."""

import functools
import http.server
import threading

import exposure


def serve(directory):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_update_kb_fetches_then_asks_conditionally(tmp_path, shared):
    kev = shared("data/cisa-kev/known_exploited_vulnerabilities.json")
    server = serve(kev.parent)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{kev.name}"
        snapshot = tmp_path / "kb.bin"
        config = {"sources": ["kev"], "kev_url": url, "now": 1_796_083_200, "proxy_from_env": False}
        summary = exposure.update_kb(snapshot, **config)
        (row,) = summary["sources"]
        assert row["source"] == "kev" and row["added"] > 1000 and row["requests"] == 1
        assert summary["written"] is True
        engine = exposure.Engine()
        engine.load(snapshot)
        assert engine.kb_metadata()["built_at"] == "2026-12-01T00:00:00Z"
        # http.server answers If-Modified-Since with 304: nothing changed, nothing written.
        again = exposure.update_kb(snapshot, **config)
        assert again["sources"][0]["not_modified"] is True and again["written"] is False
    finally:
        server.shutdown()


def test_update_kb_errors_leave_the_snapshot(tmp_path):
    snapshot = tmp_path / "kb.bin"
    try:
        exposure.update_kb(snapshot, sources=["gopher"])
    except exposure.KnowledgeBaseUpdateError as error:
        assert (error.kind, error.source, error.url) == ("config", None, None)
    else:
        raise AssertionError("an unknown source is refused")
    # Nothing listens on port 1 of the loopback: refused at once.
    url = "http://127.0.0.1:1/kev.json"
    try:
        exposure.update_kb(snapshot, sources=["kev"], kev_url=url, attempts=1, proxy_from_env=False)
    except exposure.KnowledgeBaseUpdateError as error:
        assert (error.kind, error.source, error.url) == ("fetch", "kev", url)
        assert isinstance(error, exposure.KnowledgeBaseError)
    else:
        raise AssertionError("a refused connection fails the update")
    assert not snapshot.exists()
