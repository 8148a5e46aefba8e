from django.conf import settings


def test_tests_use_a_temporary_data_folder():
    assert "wijk-test-data" in str(settings.DATA_DIR)


def test_debug_is_off_unless_turned_on():
    assert settings.DEBUG is False
