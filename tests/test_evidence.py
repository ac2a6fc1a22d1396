from dupdetect.cli import cli
from dupdetect.evidence import aligned_sentences, evidence, shared_runs
from dupdetect.rarity import Rarity

SEEDS = "samples/seeds/"


def test_shared_runs_keep_the_original_wording_and_order():
    a = "Intro here. The quick brown fox jumps over the lazy dog today. Then an end."
    b = "Other start. The quick brown fox jumps over the lazy dog today, they said."
    (passage,) = shared_runs(a, b)
    assert passage.a == "The quick brown fox jumps over the lazy dog today"
    assert passage.how == "verbatim" and "fox" in passage.shared


def test_aligned_sentences_pair_paraphrases_in_order():
    a = "The council approved the riverside park on Thursday. Work begins in the autumn."
    b = "On Thursday the riverside park was approved by the council. Autumn will see work begin."
    passages = aligned_sentences(a, b, Rarity())
    assert [p.how for p in passages] == ["aligned", "aligned"]
    assert {"council", "riverside", "park"} <= passages[0].shared


def test_verbatim_kinds_show_runs_and_rewrites_show_alignments():
    text = "The council approved the riverside park on Thursday after a long debate in town."
    assert evidence(text, text, "exact", Rarity())[0].how == "verbatim"
    assert evidence(text, text, "rewrite", Rarity())[0].how == "aligned"


def test_compare_on_two_seeds_prints_aligned_passages(runner, samples_dir):
    a, b = (
        samples_dir / "seeds" / "000_21f4553dbd84879f.txt",
        samples_dir / "seeds" / "001_782aac65340ab6e4.txt",
    )
    result = runner.invoke(cli, ["compare", str(a), str(b)], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].endswith(": rewrite")
    assert " | " in result.stdout and "Llama" in result.stdout


def test_compare_json_has_the_verdict_scores_and_passages(runner, samples_dir):
    import json

    a, b = (
        samples_dir / "seeds" / "000_21f4553dbd84879f.txt",
        samples_dir / "seeds" / "001_782aac65340ab6e4.txt",
    )
    data = json.loads(runner.invoke(cli, ["compare", str(a), str(b), "--format", "json"]).stdout)
    assert data["kind"] == "rewrite" and data["scores"]["rewrite"] >= data["thresholds"]["rewrite"]
    assert data["passages"] and {"a", "b", "shared", "how"} <= set(data["passages"][0])


def test_compare_on_unrelated_articles_says_why_not(runner, samples_dir):
    a = samples_dir / "seeds" / "000_21f4553dbd84879f.txt"
    b = samples_dir / "pages" / "energy-wire-venezuela-china-oil.html"
    result = runner.invoke(cli, ["compare", str(a), str(b)], catch_exceptions=False)
    assert ": not a copy" in result.stdout.splitlines()[0]
    assert "rewrite" in result.stdout and "(below 0.64)" in result.stdout
    assert "why: not enough of one text is in the other" in result.stdout


def test_compare_finds_ids_in_a_jsonl_file_or_an_index(runner, samples_dir, tmp_path):
    feed = str(samples_dir / "bbc.jsonl")
    by_id = runner.invoke(cli, ["compare", "bbc-politics-004", "bbc-politics-330", "--in", feed])
    assert by_id.stdout.splitlines()[0] == "bbc-politics-004 vs bbc-politics-330: near-verbatim"
    index = str(tmp_path / "i.ddx")
    runner.invoke(cli, ["index", "--index", index, "add", feed, "-q"])
    in_index = runner.invoke(cli, ["compare", "bbc-sport-012", "bbc-sport-020", "--index", index])
    assert in_index.stdout.splitlines()[0].endswith(": exact")
    missing = runner.invoke(cli, ["compare", "nope", "bbc-sport-020", "--in", feed])
    assert missing.exit_code == 2 and "no document with id 'nope'" in missing.stderr
