import numpy as np
import tensorflow as tf
import keras
from keras import layers

x = np.random.rand(256, 28, 28).astype("float32")
y = np.random.randint(0, 10, (256,))
ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(32)

model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(10)])
model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(ds.shuffle(8), epochs=1, verbose=0)
