from dupdetect import Document, pipeline
from dupdetect.spool import Spool


def clusters_of(result):
    return [
        (c.original, [(m.id, m.role, m.kind, m.score) for m in c.members]) for c in result.clusters
    ]


def test_profiles_read_back_from_the_spool_give_the_same_clusters(samples_dir, monkeypatch):
    full = pipeline.cluster([samples_dir])
    monkeypatch.setattr(pipeline, "PROFILES_KEPT", 2)
    monkeypatch.setattr(pipeline, "SIGN_BATCH", 7)
    recomputed = pipeline.cluster([samples_dir])
    assert clusters_of(recomputed) == clusters_of(full)
    assert len(full.clusters) == 5  # the seeds and the four BBC pairs
    assert [d.id for d in recomputed.documents] == [d.id for d in full.documents]


def test_spool_round_trips_every_field_but_the_raw_page():
    document = Document(
        "id-1", "Text — with “quotes”\\nand lines", "A title", "https://x.test/a", "x.test",
        "2024-01-02", "in.jsonl:3", html="<p>raw</p>",
    )  # fmt: skip
    spool = Spool()
    spool.append(Document("id-0", "first"))
    assert spool.append(document) == 1
    back = spool[1]
    assert back.html is None
    assert (back.id, back.text, back.title, back.url, back.site, back.date, back.source) == (
        "id-1", "Text — with “quotes”\\nand lines", "A title", "https://x.test/a", "x.test",
        "2024-01-02", "in.jsonl:3",
    )  # fmt: skip
    assert [d.id for d in spool] == ["id-0", "id-1"] and spool[-1].id == "id-1"


def test_worker_processes_give_the_same_result_and_skips(samples_dir, tmp_path, monkeypatch):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\nnot json\n{"id": "y", "text": "..."}\n')
    runs = {}
    for workers in (1, 2):
        monkeypatch.setattr(pipeline, "PARALLEL_AFTER", 10)
        monkeypatch.setattr(pipeline, "WORKER_BATCH", 7)
        monkeypatch.setattr(pipeline, "VERIFY_CHUNK", 3)  # verification in workers too
        skipped = []
        result = pipeline.cluster([samples_dir, bad], on_skip=skipped.append, workers=workers)
        runs[workers] = (clusters_of(result), [d.id for d in result.documents], skipped)
    assert runs[1] == runs[2]
    assert len(runs[1][2]) == 3  # no text, invalid JSON, no words
