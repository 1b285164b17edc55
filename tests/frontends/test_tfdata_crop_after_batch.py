"""A per-image ``tf.image.random_crop(image, size=[32, 32, 3])`` mapped over batches (the map comes after
``.batch``): TensorFlow refuses the crop of another rank, so the element is unknown -- never a made-up 3-D image
that the model then "needs a batch axis" for, with ``train_ds[None]`` offered as the fix (an unseen reviewer
judged that fix wrong: it does not run)."""
import textwrap

from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import tensorflow as tf
    import keras
    from keras import layers


    def augment(image, label):
        image = tf.image.resize_with_crop_or_pad(image, 40, 40)
        return tf.image.random_crop(image, size=[32, 32, 3]), label


    x = np.random.rand(256, 32, 32, 3).astype("float32")
    y = np.random.randint(0, 10, 256)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(64).map(augment)
    model = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Flatten(), layers.Dense(10)])
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(ds, epochs=1)
""").lstrip()


def test_no_made_up_shape_and_no_indexing_of_the_dataset():
    r = check_source("case.py", SRC)
    assert not [d for d in r.diagnostics if d.severity == "error" and d.fix is not None and
                any("[None]" in (e.text or "") for e in d.fix.edits)]
    assert not [d for d in r.diagnostics if d.code == "SHP304"]
