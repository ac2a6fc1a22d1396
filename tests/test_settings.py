import pytest

from dupdetect import Settings
from dupdetect.errors import SettingsError


def test_defaults_are_valid_and_round_trip_through_json_data():
    assert Settings.from_dict(Settings().to_dict()) == Settings()


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"verify": {"rewrite_threshold": 1.5}}, "verify.rewrite_threshold"),
        ({"verify": {"partial_share": 0}}, "verify.partial_share"),
        ({"sign": {"num_perm": 8}}, "sign.num_perm"),
        ({"cluster": {"min_link_share": -1}}, "cluster.min_link_share"),
    ],
)
def test_invalid_values_name_their_dotted_field(changes, field):
    with pytest.raises(SettingsError, match=field):
        Settings().with_changes(**changes)


def test_unknown_section_is_refused():
    with pytest.raises(SettingsError, match="unknown"):
        Settings.from_dict({"colour": {}})


def test_signature_key_changes_with_num_perm_only():
    base = Settings()
    assert (
        base.signature_key() == base.with_changes(verify={"rewrite_threshold": 0.7}).signature_key()
    )
    assert base.signature_key() != base.with_changes(sign={"num_perm": 64}).signature_key()
