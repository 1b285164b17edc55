"""The verification budget: its cost is guessed from the file's own check only until one verification has been
timed. A fresh process's first check also pays for importing (without cached byte-code: compiling) the modules it
needs; that must not leave every fix of a small file unverified -- the same file gave its root cause with a warm
cache and none with a cold one."""
from shapelint.rootcause import engine


def test_the_first_verification_is_allowed_when_the_check_fits_the_budget():
    b = engine._Budget(check_seconds=2.0)  # two seconds of imports and compiling in a cold process
    assert b.take()
    b.took(0.2)
    assert b.take()


def test_a_file_whose_check_alone_exceeds_the_budget_is_not_verified():
    assert not engine._Budget(check_seconds=engine.MAX_VERIFY_SECONDS + 1).take()


def test_a_large_file_is_guessed_at_three_checks():
    # a 200,000-line file: its check is its own work, and a verification would re-check it twice (and double the
    # memory it takes)
    assert not engine._Budget(check_seconds=2.0, small=False).take()
    assert engine._Budget(check_seconds=1.0, small=False).take()


def test_the_measured_cost_decides_after_the_first(monkeypatch):
    b = engine._Budget(check_seconds=0.1)
    assert b.take()
    b.took(engine.MAX_VERIFY_SECONDS * 2)  # a verification costs more than what is left
    assert not b.take()


def test_the_count_is_kept():
    b = engine._Budget(check_seconds=0.0)
    for _ in range(engine.MAX_VERIFIED):
        assert b.take()
        b.took(0.0)
    assert not b.take()
