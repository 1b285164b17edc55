"""Roles where the sizes cannot tell: a padded batch has an unknown length, so (N, T, C) tagger scores against
(N, T) tags, or (T, N) padded tokens fed to a batch-first model, look fine by their sizes. The layers say what the
axes are: axis 1 of the tagger's scores is time (an Embedding made it), axis 0 of the tokens is what the Embedding
reads as the batch while the collate_fn padded the batch onto axis 1. PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

TAGGER = textwrap.dedent("""
    import torch
    import torch.nn as nn
    from torch.nn.utils.rnn import pad_sequence
    from torch.utils.data import DataLoader

    pairs = []
    for _ in range(24):
        n = torch.randint(3, 9, (1,)).item()
        pairs.append((torch.randint(1, 50, (n,)), torch.randint(0, 5, (n,))))

    def collate(batch):
        tokens, tags = zip(*batch)
        return pad_sequence(tokens, batch_first=True), pad_sequence(tags, batch_first=True, padding_value=-100)

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(50, 16)
            self.rnn = nn.GRU(16, 16, batch_first=True)
            self.out = nn.Linear(16, 5)

        def forward(self, x):
            h, _ = self.rnn(self.emb(x))
            return self.out(h)

    model = Tagger()
    criterion = nn.CrossEntropyLoss(ignore_index=-100)
    for tokens, tags in DataLoader(pairs, batch_size=4, collate_fn=collate):
        scores = model(tokens)
        loss = criterion(scores, tags)
""").lstrip()

PADDED = textwrap.dedent("""
    import torch
    import torch.nn as nn
    from torch.nn.utils.rnn import pad_sequence
    from torch.utils.data import DataLoader

    data = [(torch.randint(1, 50, (int(n),)), torch.tensor(int(n) % 3)) for n in torch.randint(3, 9, (24,))]

    def collate(batch):
        seqs, labels = zip(*batch)
        return pad_sequence(list(seqs)), torch.stack(labels)

    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(50, 16)
            self.rnn = nn.GRU(16, 16, batch_first=True)
            self.head = nn.Linear(16, 3)

        def forward(self, tokens):
            return self.head(self.rnn(self.emb(tokens))[0].mean(1))

    model = Classifier()
    for tokens, labels in DataLoader(data, batch_size=4, collate_fn=collate):
        logits = model(tokens)
""").lstrip()


def _found(src, code):
    return [d for d in check_source("case.py", src).diagnostics if d.code == code]


def test_tagger_scores_with_classes_last_are_permuted_at_the_loss():
    (d,) = _found(TAGGER, "SHP301")
    assert d.severity == "error" and d.primary.span.line == 30
    fixed = fix_source("case.py", TAGGER, [d], ("safe", "unsafe")).source
    assert "criterion(scores.permute(0, 2, 1), tags)" in fixed and not _found(fixed, "SHP301")
    assert fix_source("case.py", fixed, [], ("safe", "unsafe")).source == fixed


def test_classes_on_axis_1_are_left_alone():
    ok = TAGGER.replace("return self.out(h)", "return self.out(h).transpose(1, 2)")
    assert not _found(ok, "SHP301")


def test_padding_time_major_for_a_batch_first_model_is_blamed_on_the_collate():
    (d,) = _found(PADDED, "SHP205")
    assert d.severity == "error" and d.primary.span.line == 10
    fixed = fix_source("case.py", PADDED, [d], ("safe", "unsafe")).source
    assert "pad_sequence(list(seqs), batch_first=True)" in fixed and not _found(fixed, "SHP205")


def test_time_major_padding_into_a_time_major_model_is_fine():
    ok = PADDED.replace("nn.GRU(16, 16, batch_first=True)", "nn.GRU(16, 16)").replace(
        "self.rnn(self.emb(tokens))[0].mean(1)", "self.rnn(self.emb(tokens))[0][-1]")
    assert not _found(ok, "SHP205") and not _found(ok, "SHP301")


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="Expected target size"):
        run(TAGGER)
    run(TAGGER.replace("criterion(scores, tags)", "criterion(scores.permute(0, 2, 1), tags)"))
    scope = run(PADDED)  # runs: one row per padded position, not per sample
    assert scope["logits"].shape[0] != 4 or scope["tokens"].shape[1] == 4
    scope = run(PADDED.replace("pad_sequence(list(seqs))", "pad_sequence(list(seqs), batch_first=True)"))
    assert scope["logits"].shape == (4, 3)
