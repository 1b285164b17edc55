"""Verification shim: sklearn's train_test_split sizes (n_test = ceil(test_size * n))."""
