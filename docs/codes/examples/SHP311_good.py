import numpy as np
import tensorflow as tf

x = np.random.rand(192, 8).astype("float32")
y = np.random.rand(192).astype("float32")
feats = tf.data.Dataset.from_tensor_slices(x).batch(16)
targets = tf.data.Dataset.from_tensor_slices(y).batch(16)
ds = tf.data.Dataset.zip((feats, targets))
