import numpy as np
import tensorflow as tf

x = np.random.rand(100, 12).astype("float32")
y = np.random.randint(0, 4, (100,))
ds = tf.data.Dataset.from_tensor_slices([x, y]).batch(32)
