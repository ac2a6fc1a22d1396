import dupdetect


def test_public_names_are_pinned():
    assert sorted(dupdetect.__all__) == sorted(
        [
            "Comparison",
            "Document",
            "DupdetectError",
            "Index",
            "Match",
            "Result",
            "Settings",
            "__version__",
            "cluster",
            "compare",
        ]
    )


def test_cluster_accepts_documents_directly():
    text = "The council voted on Thursday to build a new bridge over the river by next year. " * 3
    result = dupdetect.cluster(
        [
            dupdetect.Document("a", text),
            dupdetect.Document("b", text),
            dupdetect.Document("c", "x y"),
        ]
    )
    assert [(m.id, m.kind) for m in result.clusters[0].members] == [("a", None), ("b", "exact")]
