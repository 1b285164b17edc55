"""The `string` module's alphabets are constants: a character vocabulary sized by them (OCR, CTC, char-level models)
has a known size. Python is the oracle."""
import textwrap

from oracle import run, static_values

SRC = textwrap.dedent("""
    import string

    ALPHABET = string.digits + string.ascii_uppercase
    NUM_CLASSES = len(ALPHABET) + 1
    CHARS = len(string.ascii_letters + string.punctuation)
""").lstrip()


def test_alphabet_sizes():
    real, ours = run(SRC), static_values(SRC)
    assert ours["NUM_CLASSES"] == real["NUM_CLASSES"] == 37
    assert ours["CHARS"] == real["CHARS"]
