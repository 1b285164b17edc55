import math


def train_test_split(*arrays, test_size=None, train_size=None, random_state=None, shuffle=True, stratify=None):
    n = len(arrays[0])
    if test_size is None and train_size is None:
        test_size = 0.25
    n_test = math.ceil(test_size * n) if isinstance(test_size, float) else (test_size if test_size is not None
                                                                               else n - math.floor(train_size * n))
    n_train = n - n_test
    out = []
    for a in arrays:
        out.extend([a[:n_train], a[n_train:]])
    return out
