"""The Spark engine in local[2] mode gives the clusters of the local engine."""

import shutil
import sys
from pathlib import Path

import pytest

from dupdetect import pipeline

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java", allow_module_level=True)

pytestmark = pytest.mark.spark
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))


@pytest.fixture(scope="module")
def spark():
    from dupdetect import spark as engine

    session = engine.session("local[2]")
    yield session
    session.stop()


def clusters_of(result):
    return [
        (c.original, [(m.id, m.role, m.kind, m.score) for m in c.members]) for c in result.clusters
    ]


def run_both(inputs, spark, **options):
    from dupdetect import spark as engine

    local = pipeline.cluster(inputs, **options)
    distributed = engine.cluster(inputs, spark=spark, **options)
    return local, distributed


def test_samples_give_the_same_clusters_and_skips(samples_dir, tmp_path, spark):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\nnot json\n')
    skipped = {"local": [], "spark": []}
    local = pipeline.cluster([samples_dir, bad], on_skip=skipped["local"].append)
    from dupdetect import spark as engine

    distributed = engine.cluster([samples_dir, bad], spark=spark, on_skip=skipped["spark"].append)
    assert clusters_of(distributed) == clusters_of(local)
    assert len(local.clusters) == 5  # the seeds and the four BBC pairs
    assert [d.id for d in distributed.documents] == [d.id for d in local.documents]
    assert sorted(map(str, skipped["spark"])) == sorted(map(str, skipped["local"]))
    assert len(skipped["spark"]) == 2


def test_a_large_family_passes_over_the_same_pairs(large_family, spark):
    local, distributed = run_both(large_family, spark)
    assert clusters_of(distributed) == clusters_of(local)
    assert sorted((m.a, m.b, m.kind, m.score) for m in distributed.matches) == sorted(
        (m.a, m.b, m.kind, m.score) for m in local.matches
    )
    assert len(local.matches) < 100  # the family's near-copies against one of them


def test_pages_are_extracted_on_executors_with_evidence(samples_dir, spark):
    local, distributed = run_both([samples_dir / "pages"], spark, with_evidence=True)
    assert [(d.id, d.title, d.site) for d in distributed.documents] == [
        (d.id, d.title, d.site) for d in local.documents
    ]
    assert distributed.evidence == local.evidence


def test_twenty_thousand_edited_articles_give_the_same_clusters(shared_data, spark):
    from corpus import edited_bbc, load_bbc

    documents = list(edited_bbc(20_000, load_bbc(shared_data / "bbc" / "docs.jsonl")))
    local, distributed = run_both(documents, spark)
    assert len(local.clusters) > 1000
    assert clusters_of(distributed) == clusters_of(local)
